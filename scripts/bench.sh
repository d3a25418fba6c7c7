#!/usr/bin/env bash
# Benchmarks (bench/*.bench.ts): never part of the test command. Builds dist/ first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/stack-up.sh
bash scripts/busybox.sh >/dev/null
bash scripts/ensure-node24.sh >/dev/null
npm run build
NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
  node node_modules/jest/bin/jest.js -c bench/jest.config.js --runInBand "$@"

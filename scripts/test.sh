#!/usr/bin/env bash
# The test command: unit tests and end-to-end tests against a real Docker engine, buildx, QEMU and
# registry (brought up by scripts/stack-up.sh when missing). `unit` / `e2e` runs one project only;
# further arguments go to jest. Prints jest's results as a last line "jest: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
[ $# -gt 0 ] && shift
[ -d node_modules ] || npm ci --no-audit --no-fund
args=()
case "$which" in
  unit) args+=(--selectProjects unit) ;;
  e2e) args+=(--selectProjects e2e) ;;
  all) ;;
  *) echo "usage: scripts/test.sh [unit|e2e|all] [jest args]" >&2; exit 2 ;;
esac
if [ "$which" != unit ]; then
  bash scripts/stack-up.sh
  bash scripts/busybox.sh >/dev/null
  bash scripts/ensure-node24.sh >/dev/null
  [ -f dist/main/index.js ] || npm run build
fi
# every temp folder the tests make lives in one folder of this run, removed when it ends
TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/multiarch-tests.XXXXXX")"
export TMPDIR
remove_tmp() {
  local status=$?
  # a private engine's network namespace can stay mounted under it: unmount before removing
  grep -o " $TMPDIR/[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r umount -l 2>/dev/null || true
  rm -rf "$TMPDIR" 2>/dev/null || echo "test temp folder $TMPDIR not fully removed" >&2
  exit "$status"
}
trap remove_tmp EXIT
results=.test-results.json
rm -f "$results"
rc=0
NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
  node node_modules/jest/bin/jest.js "${args[@]}" --json --outputFile="$results" "$@" || rc=$?
node scripts/test-summary.mjs "$results" || rc=1
exit "$rc"

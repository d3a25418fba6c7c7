#!/usr/bin/env bash
# The demo: build examples/hello for linux/amd64 + linux/arm64 with the bundled action (run the way
# the GitHub runner runs it), push it to the local registry, run it once per platform and print the
# manifest list. Brings up the stack first (skipping what the machine already has).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
registry="${MULTIARCH_REGISTRY:-127.0.0.1:5000}"
image="$registry/demo/hello"

bash scripts/stack-up.sh
node24=$(bash scripts/ensure-node24.sh)
bb=$(bash scripts/busybox.sh)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples/hello "$work/workspace"
cp "$bb/busybox-amd64" "$bb/busybox-arm64" "$work/workspace/"
mkdir -p "$work/temp"
for f in output state env path summary; do : >"$work/$f"; done
echo '{}' >"$work/event.json"

runner_env=(
  GITHUB_ACTIONS=true CI=true GITHUB_WORKSPACE="$work/workspace" RUNNER_TEMP="$work/temp"
  GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$work/event.json" GITHUB_REF=refs/heads/main
  GITHUB_SHA="$(git rev-parse HEAD 2>/dev/null || echo 0000000000000000000000000000000000000000)"
  GITHUB_REPOSITORY=demo/hello GITHUB_OUTPUT="$work/output" GITHUB_STATE="$work/state"
  GITHUB_ENV="$work/env" GITHUB_PATH="$work/path" GITHUB_STEP_SUMMARY="$work/summary"
  "INPUT_IMAGES=$image" "INPUT_TAGS=latest" "INPUT_PLATFORMS=linux/amd64,linux/arm64"
  "INPUT_PUSH=true" "INPUT_CONTEXT=." "INPUT_FILE=" "INPUT_BUILD-ARGS="
)
echo "== multiarch-action (main)"
status=0
(cd "$work/workspace" && env "${runner_env[@]}" "$node24" "$root/dist/main/index.js") || status=$?
# post runs with main's saved state restored, as the runner does
state_env=()
while IFS= read -r line; do
  case "$line" in *'<<'*) name=${line%%<<*}; delim=${line#*<<}; value=""
    while IFS= read -r l && [ "$l" != "$delim" ]; do value+="${value:+$'\n'}$l"; done
    state_env+=("STATE_$name=$value") ;; esac
done <"$work/state"
echo "== multiarch-action (post)"
(cd "$work/workspace" && env "${runner_env[@]}" "${state_env[@]}" "$node24" "$root/dist/post/index.js")
[ "$status" = 0 ] || exit "$status"

echo "== run once per platform"
for p in linux/amd64 linux/arm64; do
  printf '%s: ' "$p"; docker run --rm --network none --pull always --quiet --platform "$p" "$image:latest"
done
echo "== manifest list of $image:latest"
docker buildx imagetools inspect "$image:latest"

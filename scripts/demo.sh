#!/usr/bin/env bash
# `npm run demo`, the main job: build examples/hello for linux/amd64 and linux/arm64 with the CLI
# (the same pipeline as the action), push it to a local registry, run it once per platform and
# print the manifest list.
#  - On a machine of ours (root + apt): scripts/stack-up.sh brings up Docker, buildx, QEMU and the
#    registry on 127.0.0.1:5000 (skipping what is there), and the image is FROM scratch + busybox.
#  - On a machine that already has Docker: a throwaway registry container is started when none
#    answers, and removed at the end; without Debian's busybox, examples/hello/Dockerfile.alpine.
# Needs only Node.js and npm: it uses the committed bundle dist/cli, building it when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
port="${MULTIARCH_REGISTRY_PORT:-5000}"
registry_up() { curl -fsS "http://127.0.0.1:$1/v2/" >/dev/null 2>&1 || node -e "fetch('http://127.0.0.1:$1/v2/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; }

work=$(mktemp -d)
registry_container=""
cleanup() {
  rm -rf "$work"
  if [ -n "$registry_container" ]; then docker rm -f "$registry_container" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

say "stack"
if [ "$(id -u)" = 0 ] && have apt-get; then
  bash scripts/stack-up.sh
elif ! timeout 20 docker info >/dev/null 2>&1; then
  echo "demo: no Docker engine answers; start Docker (or run as root on Debian so scripts/stack-up.sh can install it)" >&2
  exit 1
fi
if ! registry_up "$port"; then
  echo "no registry on 127.0.0.1:$port: starting a throwaway one (registry:2)"
  registry_container=$(docker run -d --rm -p 127.0.0.1::5000 registry:2)
  port=$(docker port "$registry_container" 5000/tcp | head -n1 | sed 's/.*://')
  for _ in $(seq 1 40); do registry_up "$port" && break; sleep 0.25; done
fi
registry="127.0.0.1:$port"
echo "registry: $registry"

say "the CLI (dist/cli)"
if [ ! -f dist/cli/index.js ]; then
  if [ ! -d node_modules ]; then
    npm ci --no-audit --no-fund >"$work/npm-ci.log" 2>&1 || { cat "$work/npm-ci.log" >&2; exit 1; }
  fi
  npm run --silent build
fi
cli=(node "$root/dist/cli/index.js")
echo "${cli[*]}"

say "examples/hello"
context="$work/hello"
cp -r examples/hello "$context"
dockerfile=Dockerfile
if bb=$(bash scripts/busybox.sh 2>/dev/null); then
  cp "$bb/busybox-amd64" "$bb/busybox-arm64" "$context/"
  echo "offline Dockerfile: FROM scratch + static busybox from $bb"
else
  dockerfile=Dockerfile.alpine
  echo "no Debian busybox here: using Dockerfile.alpine (pulls alpine)"
fi

image="$registry/demo/hello"
tag="demo-$(date +%s)"
say "multiarch-action build"
echo "+ ${cli[*]} build --images $image --tags $tag --tags latest --platforms linux/amd64,linux/arm64 --context $context --file $context/$dockerfile --push true"
"${cli[@]}" build \
  --images "$image" \
  --tags "$tag" --tags latest \
  --platforms linux/amd64,linux/arm64 \
  --context "$context" \
  --file "$context/$dockerfile" \
  --push true

say "run the image once per platform"
for platform in linux/amd64 linux/arm64; do
  echo "--- $platform"
  docker run --rm --network none --pull always --platform "$platform" "$image:$tag"
done
# the local copies only; the pushed image stays in the registry
docker image rm "$image:$tag" >/dev/null 2>&1 || true

say "manifest list"
docker buildx imagetools inspect "$image:$tag"

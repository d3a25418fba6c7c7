#!/usr/bin/env bash
# Rebuild the real docker/build-push-action from a folder of its sources, outside this repository,
# for the replay beside it (MULTIARCH_BPA_ACTION_DIR, see CONTRIBUTING.md):
#   bash scripts/bpa-real.sh <sources> [<out>=/tmp/bpa-real]
# <sources> holds its action.yml and src/{main,context,state-helper}.ts (one release's files), and
# optionally its package.json (else the dependencies of the v6 era the replay was checked against).
# <out> gets action.yml, package.json, node_modules and dist/index.js (its main and post). Nothing of
# it lands in this repository: it is only run.
# It also makes bpaci-buildkit-git:local, the offline BuildKit image plus this host's git (the Git
# context needs git in buildkitd; the offline image has none): MULTIARCH_BPA_BUILDKIT_IMAGE.
set -euo pipefail
src=${1:?usage: bpa-real.sh <sources> [<out>]}
out=${2:-/tmp/bpa-real}
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "$src" && pwd)
for f in action.yml src/main.ts src/context.ts src/state-helper.ts; do
  [[ -f "$src/$f" ]] || { echo "bpa-real: $src/$f is missing" >&2; exit 2; }
done
mkdir -p "$out/src"
cp "$src/action.yml" "$out/"
cp "$src"/src/*.ts "$out/src/"
if [[ -f "$src/package.json" ]]; then
  cp "$src/package.json" "$out/"
else
  # the versions that release pinned (its package.json)
  cat >"$out/package.json" <<'JSON'
{
  "name": "build-push-action-replay",
  "private": true,
  "dependencies": {
    "@actions/core": "1.10.1",
    "@docker/actions-toolkit": "0.37.1",
    "handlebars": "4.7.8"
  }
}
JSON
fi
cat >"$out/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "es2020",
    "module": "commonjs",
    "moduleResolution": "node",
    "esModuleInterop": true,
    "strict": false,
    "noImplicitAny": false,
    "skipLibCheck": true,
    "sourceMap": false
  },
  "include": ["src"]
}
JSON
(cd "$out" && npm install --no-audit --no-fund --omit=dev --loglevel=error)
# bundled with this repository's ncc (the bundler build-push-action uses), transpile only
(cd "$out" && node "$repo/node_modules/@vercel/ncc/dist/ncc/cli.js" build src/main.ts -o dist --transpile-only --quiet)

# the BuildKit image with git: git, its helpers and the shared libraries they load, from this host
img=$(mktemp -d)
trap 'rm -rf "$img"' EXIT
mkdir -p "$img/root/usr/bin" "$img/root/usr/lib" "$img/root/usr/share"
cp -L "$(command -v git)" "$img/root/usr/bin/git"
cp -a "$(git --exec-path)" "$img/root/usr/lib/"
[[ -d /usr/share/git-core ]] && cp -a /usr/share/git-core "$img/root/usr/share/"
{ ldd "$(command -v git)"; find "$(git --exec-path)" -type f -perm -u+x -exec ldd {} \; 2>/dev/null; } |
  grep -o '/[^ ]*' | sort -u | while read -r lib; do
    [[ -e "$lib" && ! -e "$img/root$lib" ]] || continue
    mkdir -p "$img/root$(dirname "$lib")"
    cp -L "$lib" "$img/root$lib"
  done
printf 'FROM moby/buildkit:buildx-stable-1\nCOPY root/ /\n' >"$img/Dockerfile"
docker build -q -t bpaci-buildkit-git:local "$img" >/dev/null
echo "bpa-real: $out/dist/index.js and bpaci-buildkit-git:local (run: MULTIARCH_BPA_ACTION_DIR=$out MULTIARCH_BPA_BUILDKIT_IMAGE=bpaci-buildkit-git:local)"

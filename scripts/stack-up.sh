#!/usr/bin/env bash
# Bring up the test stack: Docker engine (containerd image store), buildx, QEMU user emulation
# registered in binfmt_misc, and a plain local registry on 127.0.0.1.
# Idempotent: every step checks first and skips what the machine already has (a laptop or a
# GitHub runner already has Docker and buildx; then only the registry may be started).
# Runs as root, no stdin. Offline Debian bookworm: everything comes from Debian packages.
set -euo pipefail

REGISTRY_PORT="${MULTIARCH_REGISTRY_PORT:-5000}"
STATE_DIR="${MULTIARCH_STACK_DIR:-/var/lib/multiarch-stack}"
LOG_DIR="$STATE_DIR/log"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[stack] %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
# shellcheck source=lib/apt-suite.sh
. "$(dirname "$0")/lib/apt-suite.sh"

mkdir -p "$LOG_DIR" 2>/dev/null || as_root mkdir -p "$LOG_DIR"

apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq >"$LOG_DIR/apt-update.log" 2>&1 || { cat "$LOG_DIR/apt-update.log" >&2; return 1; }; apt_updated=1; fi
}

# Debian's trixie suite as a second source at low priority: only what we ask for by name comes from it.
add_trixie() {
  if add_apt_suite trixie 100; then apt_updated=0; fi
}

engine_running() { timeout 10 docker info >/dev/null 2>&1; }
buildx_ok() { timeout 10 docker buildx version >/dev/null 2>&1; }

install_packages() {
  local want=()
  have dockerd || want+=(docker.io/trixie containerd/trixie)
  # the engine's CLI plugins directory holds buildx when the package is installed
  buildx_ok || want+=(docker-buildx/trixie)
  have qemu-aarch64-static || want+=(qemu-user-static)
  have update-binfmts || want+=(binfmt-support)
  have docker-registry || want+=(docker-registry)
  # htpasswd (bcrypt) for the e2e tests' own auth-protected registry
  have htpasswd || want+=(apache2-utils)
  # skopeo: mode shard pushes by digest with it when the builder is the docker driver (GitHub's Ubuntu runners ship it)
  have skopeo || want+=(skopeo)
  # runc: the remote-driver e2e tests run BuildKit's daemon on the host, and it runs builds with runc
  have runc || [ -x /usr/sbin/runc ] || want+=(runc)
  if [ "${#want[@]}" -gt 0 ]; then
    case " ${want[*]} " in *"/trixie"*) add_trixie ;; esac
    apt_update
    log "installing ${want[*]}"
    as_root apt-get install -y -qq --no-install-recommends "${want[@]}" >"$LOG_DIR/apt-install.log" 2>&1 \
      || { tail -n 40 "$LOG_DIR/apt-install.log" >&2; exit 1; }
  fi
}

setup_binfmt() {
  if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    log "mounting binfmt_misc"
    as_root mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || log "could not mount binfmt_misc"
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] && have update-binfmts; then
    as_root update-binfmts --enable >/dev/null 2>&1 || true
  fi
  if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    log "binfmt: qemu-aarch64 $(head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64)"
  else
    log "binfmt: qemu-aarch64 is not registered"
  fi
}

start_engine() {
  if engine_running; then log "docker engine already running"; return; fi
  if [ ! -f /etc/docker/daemon.json ]; then
    as_root mkdir -p /etc/docker
    echo '{"features":{"containerd-snapshotter":true}}' | as_root tee /etc/docker/daemon.json >/dev/null
  fi
  log "starting dockerd"
  # setsid: the daemon must outlive this script and the shell that ran it
  as_root setsid dockerd >"$LOG_DIR/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 120); do
    engine_running && { log "docker engine up"; return; }
    sleep 0.5
  done
  tail -n 40 "$LOG_DIR/dockerd.log" >&2
  log "dockerd did not come up"; exit 1
}

registry_up() { curl -fsS "http://127.0.0.1:$REGISTRY_PORT/v2/" >/dev/null 2>&1; }

start_registry() {
  if registry_up; then log "registry already answering on 127.0.0.1:$REGISTRY_PORT"; return; fi
  local conf="$STATE_DIR/registry.yml"
  cat >"$conf" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REGISTRY_PORT
CONF
  log "starting registry on 127.0.0.1:$REGISTRY_PORT"
  setsid docker-registry serve "$conf" >"$LOG_DIR/registry.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    registry_up && return
    sleep 0.25
  done
  tail -n 20 "$LOG_DIR/registry.log" >&2
  log "registry did not come up"; exit 1
}

BUILDKIT_IMAGE=moby/buildkit:buildx-stable-1
# Where BuildKit's own binaries are (see shared/buildkit/README.md): MULTIARCH_BUILDKIT_DIR, else
# shared/buildkit beside this clone (CI copies shared/ there), else beside the main worktree's clone.
buildkit_dir() {
  local repo common
  repo=$(cd "$(dirname "$0")/.." && pwd)
  common=$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  for d in "${MULTIARCH_BUILDKIT_DIR:-}" "$repo/../shared/buildkit" "${common:+$(dirname "$common")/../shared/buildkit}"; do
    [ -n "$d" ] && [ -x "$d/make-image.sh" ] && { (cd "$d" && pwd); return 0; }
  done
  return 1
}

# The image the docker-container driver starts: assembled offline from shared/buildkit when it is
# there, else pulled (the ordinary way where a registry is reachable). Without either, the e2e tests
# that need BuildKit skip and say why.
setup_buildkit() {
  if docker image inspect "$BUILDKIT_IMAGE" >/dev/null 2>&1; then log "buildkit image $BUILDKIT_IMAGE present"; return; fi
  local dir
  if dir=$(buildkit_dir); then
    log "building $BUILDKIT_IMAGE from $dir"
    bash "$dir/make-image.sh" "$BUILDKIT_IMAGE" >&2 || log "make-image.sh failed: the e2e tests that need BuildKit will skip"
  elif timeout 300 docker pull -q "$BUILDKIT_IMAGE" >/dev/null 2>&1; then
    log "pulled $BUILDKIT_IMAGE"
  else
    log "no $BUILDKIT_IMAGE (no shared/buildkit, and no registry to pull from): the e2e tests that need BuildKit will skip"
  fi
}

install_packages
setup_binfmt
start_engine
start_registry
setup_buildkit
# a second real buildx release for the buildx-version e2e tests (Debian sid, downloaded only)
bash "$(dirname "$0")/buildx-sid.sh" >/dev/null || log "could not fetch buildx from Debian sid: the buildx-version e2e tests will fail"
# cosign for the e2e tests of `sign` (Debian trixie, unpacked to /usr/bin/cosign)
bash "$(dirname "$0")/cosign-trixie.sh" >/dev/null || log "could not fetch cosign from Debian trixie: the sign e2e tests will fail"
log "ready: $(docker version --format 'engine {{.Server.Version}}' 2>/dev/null), $(docker buildx version 2>/dev/null | head -n1)"

#!/usr/bin/env bash
# A second real buildx release for the e2e tests of the `buildx-version` install path:
# Debian unstable (sid) ships docker-buildx 0.29.1 as a binary that runs on bookworm.
# sid is added with the same mirror as the system's sources, at pin priority 50 so nothing is
# ever installed from it by accident; the package is only downloaded and unpacked.
# Idempotent: prints the path of the binary, fetching it only when it is not there yet.
set -euo pipefail

VERSION="${MULTIARCH_BUILDX_SID_VERSION:-0.29.1+ds1-4}"
STATE_DIR="${MULTIARCH_STACK_DIR:-/var/lib/multiarch-stack}"
OUT="$STATE_DIR/buildx-sid/${VERSION%%+*}"
BIN="$OUT/docker-buildx"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
# shellcheck source=lib/apt-suite.sh
. "$(dirname "$0")/lib/apt-suite.sh"

if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then echo "$BIN"; exit 0; fi

# sid at pin priority 50: nothing is ever installed from it by accident
fetch_deb_binary sid 50 docker-buildx "$VERSION" usr/libexec/docker/cli-plugins/docker-buildx "$BIN"
"$BIN" version >&2
echo "$BIN"

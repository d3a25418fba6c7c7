#!/usr/bin/env bash
# cosign for the e2e tests of `sign`: Debian trixie ships cosign 2.5.0 as one static binary.
# trixie is added as a source at low priority (only what is asked for by name comes from it); the
# package is downloaded and unpacked into /usr/bin/cosign, nothing else of it is installed.
# The e2e tests also serve this binary from a loopback "release" server for the install path.
# Idempotent: prints the path of the binary, fetching it only when it is not there yet.
set -euo pipefail

VERSION="${MULTIARCH_COSIGN_TRIXIE_VERSION:-2.5.0-2+b5}"
BIN=/usr/bin/cosign

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
# shellcheck source=lib/apt-suite.sh
. "$(dirname "$0")/lib/apt-suite.sh"

# (Debian's build reports GitVersion "devel", so the action never takes it for its pinned release)
if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then echo "$BIN"; exit 0; fi

fetch_deb_binary trixie 100 cosign "$VERSION" usr/bin/cosign "$BIN"
"$BIN" version >&2
echo "$BIN"

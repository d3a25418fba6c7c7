#!/usr/bin/env bash
# Static busybox for linux/amd64 and linux/arm64 from Debian's busybox-static packages: the
# only way to get a runnable test image here (no registry can be pulled from).
# Prints the folder holding busybox-amd64 and busybox-arm64. Idempotent.
set -euo pipefail
dir="${MULTIARCH_BUSYBOX_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.tools/busybox}"
if [ -x "$dir/busybox-amd64" ] && [ -x "$dir/busybox-arm64" ]; then echo "$dir"; exit 0; fi
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  apt-get update -qq >/dev/null 2>&1
fi
( cd "$work" && chown _apt "$work" 2>/dev/null || true
  apt-get download -qq busybox-static:amd64 busybox-static:arm64 >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1; apt-get download -qq busybox-static:amd64 busybox-static:arm64 >/dev/null; } )
for arch in amd64 arm64; do
  deb=$(ls "$work"/busybox-static_*_"$arch".deb)
  dpkg-deb -x "$deb" "$work/x-$arch"
  install -m 0755 "$work/x-$arch/bin/busybox" "$dir/busybox-$arch"
done
echo "$dir"

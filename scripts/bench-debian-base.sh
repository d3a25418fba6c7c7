#!/usr/bin/env bash
# A minimal Debian bookworm root filesystem for linux/amd64 and linux/arm64, made with debootstrap
# (arm64: --foreign, then the second stage under qemu-aarch64-static), as one tar per arch.
# Cached between bench runs in $MULTIARCH_BENCH_DIR (default /var/lib/multiarch-stack/bench).
# The mirror is the one this machine's apt already uses. Prints the folder. Idempotent.
set -euo pipefail
dir="${MULTIARCH_BENCH_DIR:-/var/lib/multiarch-stack/bench}"
mkdir -p "$dir"
if [ -f "$dir/bookworm-amd64.tar" ] && [ -f "$dir/bookworm-arm64.tar" ]; then echo "$dir"; exit 0; fi
command -v debootstrap >/dev/null || { apt-get update -qq >/dev/null; apt-get install -y -qq debootstrap >/dev/null; }
mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
for arch in amd64 arm64; do
  [ -f "$dir/bookworm-$arch.tar" ] && continue
  root="$dir/rootfs-$arch"
  rm -rf "$root"
  if [ "$arch" = amd64 ]; then
    debootstrap --variant=minbase --arch amd64 bookworm "$root" "$mirror" >"$dir/debootstrap-$arch.log" 2>&1
  else
    debootstrap --variant=minbase --foreign --arch arm64 bookworm "$root" "$mirror" >"$dir/debootstrap-$arch.log" 2>&1
    install -m 0755 /usr/bin/qemu-aarch64-static "$root/usr/bin/qemu-aarch64-static"
    chroot "$root" /debootstrap/debootstrap --second-stage >>"$dir/debootstrap-$arch.log" 2>&1
    rm -f "$root/usr/bin/qemu-aarch64-static"
  fi
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" --numeric-owner -cf "$dir/bookworm-$arch.tar.part" .
  mv "$dir/bookworm-$arch.tar.part" "$dir/bookworm-$arch.tar"
  rm -rf "$root"
done
echo "$dir"

#!/usr/bin/env bash
# Builds, without any image registry, a local stand-in for the Dockerfile's base image
# `docker.io/library/node:20-bookworm-slim`: a Debian bookworm minbase root file system (debootstrap from the
# Debian mirror apt already uses) plus this machine's Node.js 20 and npm, laid out as in the official image
# (/usr/local/bin/node, /usr/local/lib/node_modules/npm). Where a registry is reachable, none of this is
# needed: `docker build` pulls the real image.
#
# Usage: test/container/make-base-image.sh [WORKDIR]     (idempotent: does nothing if the image exists)
set -euo pipefail
IMAGE=docker.io/library/node:20-bookworm-slim
if podman image exists "$IMAGE"; then echo "base image $IMAGE already present"; exit 0; fi
work=${1:-$(mktemp -d)}
rootfs="$work/rootfs"
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -x "$rootfs/bin/sh" ]; then
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
fi
node_bin=$(command -v node)
npm_dir=$(dirname "$(readlink -f "$(command -v npm)")")/..
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
rm -rf "$rootfs/usr/local/lib/node_modules/npm"
cp -a "$(readlink -f "$npm_dir")" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# Node's own node user (uid 1000), as in the official image.
if ! grep -q '^node:' "$rootfs/etc/passwd"; then
  echo 'node:x:1000:1000::/home/node:/bin/sh' >> "$rootfs/etc/passwd"
  echo 'node:x:1000:' >> "$rootfs/etc/group"
  mkdir -p "$rootfs/home/node" && chown 1000:1000 "$rootfs/home/node"
fi
rm -rf "$rootfs/var/lib/apt/lists/"* "$rootfs/var/cache/apt/archives/"*.deb
tar -C "$rootfs" -c . | podman import --change 'CMD ["node"]' - "$IMAGE"
echo "built $IMAGE"

#!/usr/bin/env bash
# Builds, without any image registry, a local stand-in for the Dockerfile's base image
# `docker.io/library/node:20-bookworm-slim`: a Debian bookworm minbase root file system (debootstrap from the
# Debian mirror apt already uses) plus this machine's Node.js 20 and npm, laid out as in the official image
# (/usr/local/bin/node, /usr/local/lib/node_modules/npm). Where a registry is reachable, none of this is
# needed: `docker build` pulls the real image.
#
# The stand-in also trusts this machine's CA bundle (NODE_EXTRA_CA_CERTS, else Debian's bundle): here the
# npm registry is reached through a TLS-inspecting proxy whose CA Node's built-in roots lack, so `npm ci`
# inside the build would fail with SELF_SIGNED_CERT_IN_CHAIN. That layer is labelled
# fisherd.test.host-ca=yes; it changes nothing where the registry is reached directly.
#
# Usage: test/container/make-base-image.sh [WORKDIR]     (idempotent: does nothing if the image is complete)
# Podman here needs `--runtime runc` and explicit ulimits for RUN steps (see test/container/README.md);
# this script only imports and COPYs, so it needs neither.
set -euo pipefail
IMAGE=docker.io/library/node:20-bookworm-slim
host_ca=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}

add_host_ca() {
  local ctx
  ctx=$(mktemp -d)
  cp "$host_ca" "$ctx/ca-certificates.crt"
  printf '%s\n' "FROM $IMAGE" \
    'COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt' \
    'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    'LABEL fisherd.test.host-ca=yes' > "$ctx/Containerfile"
  podman build --format docker -t "$IMAGE" -f "$ctx/Containerfile" "$ctx"
  rm -rf "$ctx"
}

if podman image exists "$IMAGE"; then
  if [ "$(podman image inspect --format '{{index .Config.Labels "fisherd.test.host-ca"}}' "$IMAGE")" = yes ] || [ ! -f "$host_ca" ]; then
    echo "base image $IMAGE already present"
    exit 0
  fi
  add_host_ca
  echo "added this machine's CA bundle to $IMAGE"
  exit 0
fi
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
if [ -f "$host_ca" ]; then add_host_ca; fi
echo "built $IMAGE"

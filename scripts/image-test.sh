#!/usr/bin/env bash
# Builds the project's Dockerfile and runs the image: a jssdk login and chat through it
# (test/image/image.test.ts). For CI (root, a fresh Debian machine that reaches Debian's
# packages and the npm registry but no container registry) and for anyone with root here.
#
# 1. the engine: Debian's podman with runc, configured by files of its own (CONTAINERS_CONF,
#    CONTAINERS_STORAGE_CONF) under IMAGE_TEST_DIR: open-file and process limits within this
#    machine's hard limits, cgroupfs, file events (see docs/OPERATIONS.md "Container image");
# 2. the base: no registry, so the official node image is replaced by one made here with
#    debootstrap from Debian trixie (nodejs 20) plus npm from the npm registry, user `node`
#    (uid 1000) as in the official image, and this machine's local CA certificates (outbound
#    HTTPS is verified against them here; this is the only place they go: the Dockerfile users
#    build knows nothing of them). Kept in the engine's storage between runs: rebuilt only when
#    missing or when BASE_RECIPE below changes;
# 3. `podman build --build-arg NODE_IMAGE=<that base>` of the unchanged Dockerfile;
# 4. the test, which starts the image with --network host on free ports.
#
# Environment: IMAGE_TEST_DIR (default /var/tmp/openim-bridge-image-test), IMAGE_TEST_REBUILD_BASE=1.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${IMAGE_TEST_DIR:-/var/tmp/openim-bridge-image-test}"
BASE="localhost/openim-bridge-test-base/node:20-trixie-slim"
# Bump when the recipe of the base changes, so cached bases are rebuilt.
BASE_RECIPE=1
IMAGE="localhost/openim-jssdk-bridge:test"
SUITE="${DEBIAN_SUITE:-trixie}"

log() { printf '[image-test %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || need+=(runc)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq
  # With recommends (netavark, catatonit, …), as podman is usually installed: ~30 MB, ~30 s.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"

mkdir -p "$DIR"
export CONTAINERS_CONF="$DIR/containers.conf"
export CONTAINERS_STORAGE_CONF="$DIR/storage.conf"
# Podman's default of 1,048,576 open files exceeds sandboxes' hard limits (setrlimit fails).
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
[ "$nofile" -gt 1048576 ] && nofile=1048576
nproc=$(ulimit -Hu)
{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$DIR/storage"
runroot = "$DIR/runroot"
EOF

base_recipe() { podman image inspect --format '{{ index .Config.Labels "org.openim-bridge.base-recipe" }}' "$BASE" 2>/dev/null || true; }

if [ "${IMAGE_TEST_REBUILD_BASE:-}" = 1 ] || [ "$(base_recipe)" != "$BASE_RECIPE" ]; then
  log "making the base image $BASE (debootstrap $SUITE)"
  # The Debian mirror this machine's apt uses (deb822 or one-line sources).
  mirror=$( (grep -rhoE '^URIs: *[^ ]+|^deb +(\[[^]]*\] +)?[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true) \
    | awk '{print $NF}' | grep -E '/debian/?$' | head -1 || true)
  mirror="${mirror:-http://deb.debian.org/debian}"
  rootfs="$DIR/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=nodejs,ca-certificates "$SUITE" "$rootfs" "$mirror" >"$DIR/debootstrap.log" 2>&1 \
    || { tail -20 "$DIR/debootstrap.log"; exit 1; }
  # npm from the npm registry (Debian's npm package pulls ~380 packages).
  pack=$(mktemp -d)
  (cd "$pack" && npm pack npm@10 --silent >/dev/null)
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/usr/local/bin"
  tar -xzf "$pack"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  rm -rf "$pack"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # This machine's local CA certificates (test images only).
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  podman rmi -f "$BASE" >/dev/null 2>&1 || true
  tar -C "$rootfs" -c . | podman import --quiet \
    --change 'CMD ["node"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change "LABEL org.openim-bridge.base-recipe=$BASE_RECIPE" \
    - "$BASE" >/dev/null
  rm -rf "$rootfs"
  log "base image ready: $(podman run --rm --network host "$BASE" sh -c 'echo node $(node --version), npm $(npm --version)')"
else
  log "base image $BASE cached (recipe $BASE_RECIPE)"
fi

log "building $IMAGE from the Dockerfile (NODE_IMAGE=$BASE)"
podman build --network host --build-arg "NODE_IMAGE=$BASE" -t "$IMAGE" . >"$DIR/build.log" 2>&1 \
  || { tail -40 "$DIR/build.log"; exit 1; }
# The build stage's layers stay (untagged) as the cache of the next build: `npm ci` reruns only when
# package.json or the lock file change. `podman image prune` under IMAGE_TEST_DIR reclaims them.

log "running the image test"
# dist/ for the test's own helpers is compiled by jest's global setup.
BRIDGE_IMAGE="$IMAGE" CONTAINER_ENGINE=podman npx jest test/image --selectProjects default -w 1
log "done"

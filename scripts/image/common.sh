# shellcheck shell=bash
# Shared by scripts/image/*.sh and tests/image/*.sh (sourced, not run): where the
# project's container storage lives and how buildah is called on it.
#
# The images live in a storage of the checkout's own (build/image/storage), not the machine's
# /var/lib/containers: a clean clone builds from nothing, and `make clean` forgets it all.

IMAGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGE_DIR="$IMAGE_ROOT/build/image"
IMAGE_NAME="${VOKTER_IMAGE:-localhost/vokter:latest}"
BASE_NAME="docker.io/library/debian:bookworm-slim"

export CONTAINERS_CONF="$IMAGE_ROOT/scripts/image/containers.conf"
export CONTAINERS_STORAGE_CONF="$IMAGE_DIR/storage.conf"
export BUILDAH_ISOLATION=chroot

image_storage() {
    mkdir -p "$IMAGE_DIR/storage" "$IMAGE_DIR/run"
    cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$IMAGE_DIR/storage"
runroot = "$IMAGE_DIR/run"
EOF
}

# The version the sources declare: project(vokter VERSION x.y.z) in CMakeLists.txt.
source_version() {
    sed -n 's/^project(vokter VERSION \([0-9.]*\).*/\1/p' "$IMAGE_ROOT/CMakeLists.txt"
}

image_exists() {
    buildah images --quiet "$1" >/dev/null 2>&1
}

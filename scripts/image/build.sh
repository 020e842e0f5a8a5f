#!/usr/bin/env bash
# Builds the container image from the Dockerfile with buildah, no Docker engine needed (`make image`).
# Usage: scripts/image/build.sh [--no-tests] [--fresh-base]
#   --no-tests    build without the test suites inside the image (CI, which runs them on the host)
#   --fresh-base  make the base image again even when the cached one is recent
#
# The base the Dockerfile names, debian:bookworm-slim, is made here from Debian's archive with
# debootstrap (never downloaded as an image) and trimmed as the official slim image is: no
# documentation, manual pages, locales or apt lists, and a dpkg configuration that keeps later
# installs trimmed too. It is cached as build/image/bookworm-slim.tar for a week.
set -euo pipefail
source "$(dirname "$0")/common.sh"

tests=ON
fresh_base=0
for arg in "$@"; do
    case "$arg" in
        --no-tests) tests=OFF ;;
        --fresh-base) fresh_base=1 ;;
        *) echo "image: unknown option '$arg' (--no-tests, --fresh-base)" >&2; exit 2 ;;
    esac
done

# debootstrap, chroot builds and the storage's overlay mounts need root.
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=VOKTER_IMAGE "$0" "$@"; fi
"$IMAGE_ROOT/scripts/install-deps.sh" image
image_storage

# Everything the slim image leaves out, as dpkg path filters: applied to the bootstrapped tree
# below, and kept in the image so that the Dockerfile's own installs leave them out too.
write_dpkg_filters() {
    cat >"$1/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
# Documentation, manual pages and translations are not installed (as in debian:bookworm-slim);
# copyright files stay.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
}

trim_tree() {
    local rootfs="$1"
    find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda}/*
    find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/ldconfig/aux-cache
    find "$rootfs/var/log" -type f -exec truncate --size 0 {} +
    : >"$rootfs/etc/machine-id"
    rm -f "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf"
}

write_apt_settings() {
    local rootfs="$1"
    rm -f "$rootfs/etc/apt/sources.list"
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    cat >"$rootfs/etc/apt/apt.conf.d/slim" <<'EOF'
// No package cache and no translations kept in the image; the downloaded .debs go after each run.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::CompressionTypes::Order:: "gz";
APT::AutoRemove::SuggestsImportant "false";
EOF
    # A package's maintainer scripts must not start its service inside a build (nginx would).
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
    chmod 755 "$rootfs/usr/sbin/policy-rc.d"
}

make_base_tar() {
    local tar="$1" rootfs="$IMAGE_DIR/rootfs"
    echo "image: bootstrapping Debian 12 (bookworm, minbase) from deb.debian.org"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian \
        >"$IMAGE_DIR/debootstrap.log" 2>&1 || {
        echo "image: debootstrap failed; the end of $IMAGE_DIR/debootstrap.log:" >&2
        tail -n 20 "$IMAGE_DIR/debootstrap.log" >&2
        exit 1
    }
    write_dpkg_filters "$rootfs"
    write_apt_settings "$rootfs"
    trim_tree "$rootfs"
    tar --numeric-owner -C "$rootfs" -cf "$tar.part" .
    mv "$tar.part" "$tar"
    rm -rf "$rootfs"
}

base_tar="$IMAGE_DIR/bookworm-slim.tar"
if [ "$fresh_base" = 1 ] || [ ! -f "$base_tar" ] || [ -n "$(find "$base_tar" -mtime +6)" ]; then
    make_base_tar "$base_tar"
    buildah rmi --force "$BASE_NAME" >/dev/null 2>&1 || true
fi
if ! image_exists "$BASE_NAME"; then
    container="$(buildah from scratch)"
    buildah add --quiet "$container" "$base_tar" / >/dev/null
    buildah config --cmd '["bash"]' --created-by "debootstrap --variant=minbase bookworm, trimmed" \
        --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$container"
    buildah commit --quiet --rm "$container" "$BASE_NAME" >/dev/null
fi
echo "image: base $BASE_NAME, $(buildah images --format '{{.Size}}' "$BASE_NAME")"

started=$SECONDS
# The Docker format keeps HEALTHCHECK, which the OCI image format has no field for.
buildah build --isolation chroot --network host --pull=never --layers --format docker \
    --build-arg VOKTER_TESTS="$tests" --build-arg VOKTER_VERSION="$(source_version)" \
    --tag "$IMAGE_NAME" --file "$IMAGE_ROOT/Dockerfile" "$IMAGE_ROOT"
echo "image: built $IMAGE_NAME in $((SECONDS - started)) s, $(buildah images --format '{{.Size}}' "$IMAGE_NAME")"
"$IMAGE_ROOT/scripts/image/layers.sh" "$IMAGE_NAME"

#!/usr/bin/env bash
# Installs the Debian 12 packages Vokter needs that are missing on this machine.
# Usage: scripts/install-deps.sh [build|bench|browser|akismet|fuzz|postgresql|image]...   (default: build)
set -euo pipefail

build=(cmake g++ make pkg-config libcpp-httplib-dev libsqlite3-dev libre2-dev nlohmann-json3-dev
       doctest-dev libtomlplusplus-dev libcli11-dev libssl-dev libicu-dev libcld2-dev
       libgoogle-perftools-dev libxml2-dev libcmark-dev libpq-dev libcurl4-openssl-dev)
# What `make test` needs beyond the build: the benchmarks' tools; nginx, the production front
# that tests/app/nginx_front_test.cpp starts with deploy/nginx.conf; and prometheus for the
# promtool that tests/app/metrics_test.cpp checks /metrics with; openssl and python3-aiosmtpd for
# the STARTTLS mail sink of tests/app/notify_test.cpp.
bench=(libbenchmark-dev wrk curl nginx time prometheus openssl python3-aiosmtpd)
# The PostgreSQL server the tests and benchmarks start a throwaway cluster of
# (scripts/pg-cluster.sh); Vokter itself needs only libpq.
postgresql=(postgresql)
browser=(chromium nodejs npm)
fuzz=(clang libclang-rt-14-dev)  # libFuzzer and the sanitizer runtimes of Debian's clang 14
# The container image's build (scripts/image/build.sh): buildah without a Docker engine, and
# debootstrap for the Debian base image; curl and PyYAML for its tests (tests/image).
image=(buildah debootstrap curl python3-yaml)
akismet=(nodejs)  # plus npm when nodejs does not bring it (NodeSource builds do)

wanted=()
for group in "${@:-build}"; do
    case "$group" in
        build) wanted+=("${build[@]}") ;;
        bench) wanted+=("${bench[@]}") ;;
        browser) wanted+=("${browser[@]}") ;;
        fuzz) wanted+=("${fuzz[@]}") ;;
        postgresql) wanted+=("${postgresql[@]}") ;;
        image) wanted+=("${image[@]}") ;;
        akismet) wanted+=("${akismet[@]}"); command -v npm >/dev/null || wanted+=(npm) ;;
        *) echo "install-deps: unknown group '$group' (build, bench, browser, akismet, fuzz, postgresql, image)" >&2; exit 2 ;;
    esac
done

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
    # NodeSource's nodejs package ships npm and conflicts with Debian's: its npm counts.
    [ "$1" = npm ] && command -v npm >/dev/null 2>&1
}

missing=()
for package in "${wanted[@]}"; do
    installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Runs the built container image as an operator would (`make test-image`, after `make image`):
#   - the binary finds every library it links, and the image installs no package it does not use;
#   - `vokter --version` and the image's version label match the sources;
#   - the image's own entrypoint and command serve on a loopback port with /data mounted, as the
#     image's non-root user; `vokter healthcheck` exits 0;
#   - a Norwegian comment is posted and listed byte for byte;
#   - SIGTERM to the service (what `docker stop` sends) ends it cleanly, logged; healthcheck now fails;
#   - a new container on the same /data still lists the comment.
# Containers run with buildah's chroot isolation on the host's network (no engine, no cgroups).
# Every container it makes is removed at the end, also when a step fails.
set -euo pipefail
source "$(dirname "$0")/../../scripts/image/common.sh"
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=VOKTER_IMAGE "$0" "$@"; fi
image_storage

step() { echo "test-image: $*"; }
fail() {
    echo "test-image: FAILED: $*" >&2
    exit 1
}

image_exists "$IMAGE_NAME" || fail "no image $IMAGE_NAME: run make image first"

# Containers a run killed before its cleanup left behind.
buildah containers --format '{{.ContainerName}}' | { grep '^vokter-test-' || true; } | xargs -r buildah rm >/dev/null
work="$(mktemp -d "$IMAGE_DIR/test.XXXXXX")"
containers=()
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL $(descendants "$server_pid") "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    for container in "${containers[@]}"; do buildah rm "$container" >/dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT

descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

# buildah run gives each of the image's VOLUMEs a fresh temporary directory, as a Dockerfile's RUN
# would, and that hides a bind mount on the same path; an engine's `run -v` replaces the volume
# instead. So the test container forgets the declaration and /data is bound from the host.
# Sets $container to a new container of $1 (default: the image under test).
new_container() {
    container="vokter-test-$$-${#containers[@]}"
    buildah from --pull=never --name "$container" "${1:-$IMAGE_NAME}" >/dev/null
    containers+=("$container")
    buildah config --volume /data- "$container"
}

in_container() {
    local container="$1"
    shift
    buildah run --network host --volume "$work/data:/data" --env VOKTER_LISTEN="127.0.0.1:$port" \
        "$container" -- "$@"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The image's own ENTRYPOINT followed by its CMD, as `docker run IMAGE` runs them.
image_command() {
    buildah inspect --type image "$IMAGE_NAME" | python3 -c '
import json, sys
config = json.load(sys.stdin)["OCIv1"]["config"]
print("\n".join((config.get("Entrypoint") or []) + (config.get("Cmd") or [])))'
}

# Starts the image's command in a new container; the service's log goes to $1.
start_service() {
    local log="$1"
    new_container
    mapfile -t command < <(image_command)
    in_container "$container" "${command[@]}" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "the service exited at start"; }
        sleep 0.2
    done
    cat "$log" >&2
    fail "the service did not answer /healthz within 20 s"
}

# The service's own process: the one running /usr/local/bin/vokter below `buildah run`.
service_process() {
    local pid
    for pid in $(descendants "$server_pid"); do
        if [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */usr/local/bin/vokter ]]; then
            echo "$pid"
            return 0
        fi
    done
    fail "no vokter process below buildah run $server_pid"
}

stop_service() {
    local log="$1" pid status=0
    pid="$(service_process)"
    kill -TERM "$pid"
    wait "$server_pid" || status=$?
    server_pid=""
    [ "$status" -eq 0 ] || { cat "$log" >&2; fail "the service exited with $status after SIGTERM"; }
    grep -q "SIGTERM: stopping" "$log" || fail "the log does not say SIGTERM: stopping"
    grep -q " stopped$" "$log" || fail "the log does not say stopped"
}

mkdir -p "$work/data"
chown 10001:10001 "$work/data"
port="$(free_port)"

step "libraries: every one the binary links is found, every package installed is used"
new_container
probe="$container"
ldd_out="$(in_container "$probe" ldd /usr/local/bin/vokter)"
if grep -q "not found" <<<"$ldd_out"; then
    echo "$ldd_out" >&2
    fail "the binary links libraries the image does not hold"
fi
libraries="$(awk '/=> \// { print $3 }' <<<"$ldd_out")"
owners="$(for library in $libraries; do
    in_container "$probe" dpkg-query --search "*/$(basename "$library")" | cut -d: -f1
done | tr ', ' '\n\n' | sed '/^$/d' | sort -u)"
new_container "$BASE_NAME"
added="$(comm -13 <(buildah run "$container" -- apt-mark showmanual | sort) \
    <(in_container "$probe" apt-mark showmanual | sort))"
[ -n "$added" ] || fail "the image installs no package over its base: the check would prove nothing"
# ca-certificates is data, not a library: the CA bundle libcurl verifies https webhooks and
# mail servers with (app/notify).
unused="$(comm -23 <(sed 's/:.*//' <<<"$added" | grep -vx ca-certificates | sort -u) \
    <(sed 's/:.*//' <<<"$owners" | sort -u))"
grep -qx ca-certificates <(sed 's/:.*//' <<<"$added") ||
    fail "the image lacks ca-certificates: https webhooks could not be verified"
[ -z "$unused" ] || fail "the image installs packages the binary does not link: $(echo $unused)"
step "  $(wc -l <<<"$libraries") libraries found, from $(wc -l <<<"$owners") packages; installed over the base: $(echo $added)"

step "version: the binary and the image's label say $(source_version)"
version="$(in_container "$probe" vokter --version)"
[ "$version" = "$(source_version)" ] || fail "vokter --version says '$version', the sources $(source_version)"
label="$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "org.opencontainers.image.version"}}' "$IMAGE_NAME")"
[ "$label" = "$(source_version)" ] || fail "the image's version label is '$label'"

step "configuration: a /data volume, a non-root user, SIGTERM to stop, vokter healthcheck"
config="$(buildah inspect --type image "$IMAGE_NAME" | python3 -c '
import json, sys
image = json.load(sys.stdin)
config, docker = image["OCIv1"]["config"], image["Docker"]["config"]
print("volumes", *sorted(config.get("Volumes") or {}))
print("user", config.get("User", ""))
print("stop", config.get("StopSignal", ""))
print("health", *((docker.get("Healthcheck") or {}).get("Test") or []))')"
grep -qx "volumes /data" <<<"$config" || fail "the image's volumes are not /data: $config"
grep -qx "user vokter" <<<"$config" || fail "the image's user is not vokter: $config"
grep -qx "stop SIGTERM" <<<"$config" || fail "the image's stop signal is not SIGTERM: $config"
grep -qx "health CMD vokter healthcheck" <<<"$config" || fail "the image's health check is not vokter healthcheck: $config"

step "serve: the image's command on 127.0.0.1:$port with /data mounted"
start_service "$work/first.log"
pid="$(service_process)"
uid="$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")"
[ "$uid" = 10001 ] || fail "the service runs as uid $uid, not the image's user 10001"
[ "$(stat -c %u "$work/data/vokter.db")" = 10001 ] || fail "/data/vokter.db is not owned by the image's user"
in_container "$probe" vokter healthcheck >/dev/null || fail "vokter healthcheck exits $? while serving"

step "post and list a Norwegian comment"
thread="/blogg/første-frost"
body="Takk for en god oppsummering – særlig punktet om fjøsnissen 🎅! Blåbærsyltetøy på vaffel? ÆØÅ æøå"
payload="$(python3 -c 'import json, sys; print(json.dumps({"thread": sys.argv[1], "name": "Kari Nordmann", "body": sys.argv[2]}, ensure_ascii=False))' "$thread" "$body")"
answer="$(curl -sS -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary "$payload" \
    "http://127.0.0.1:$port/api/comments")"
[ "$(tail -n 1 <<<"$answer")" = 201 ] || fail "POST /api/comments answered $answer"
listed() {
    curl -fsS --get --data-urlencode "thread=$thread" "http://127.0.0.1:$port/api/comments" |
        python3 -c 'import json, sys; print(sum(c["body"] == sys.argv[1] for c in json.load(sys.stdin)["comments"]))' "$body"
}
[ "$(listed)" = 1 ] || fail "the comment is not listed byte for byte"

step "stop: SIGTERM ends the service cleanly and says so; healthcheck then fails"
stop_service "$work/first.log"
if in_container "$probe" vokter healthcheck >/dev/null 2>&1; then fail "vokter healthcheck exits 0 after the stop"; fi

step "restart: a new container on the same /data lists the comment"
start_service "$work/second.log"
[ "$(listed)" = 1 ] || fail "after the restart the comment is not listed"
stop_service "$work/second.log"

step "passed ($IMAGE_NAME)"

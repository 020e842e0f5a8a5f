#!/usr/bin/env bash
# Runs what docker-compose.yml describes, without Compose (`make test-image`, after `make image`):
#   - every service that is built builds from this Dockerfile, which is the image under test;
#   - every VOKTER_* setting the replicas are given is one `vokter serve` knows;
#   - the replicas, as containers of the image with the compose file's environment and command,
#     run on one PostgreSQL 15 database behind nginx 1.22 with the compose file's nginx
#     configuration: a comment posted through nginx is listed by each replica, and both report
#     the PostgreSQL store.
# What Compose itself would add cannot run here (no engine): its network, where service names
# are host names and nginx has 172.28.0.10, and the pulled postgres:15 and nginx:1.22 images.
# So the test runs Debian's PostgreSQL 15 and nginx 1.22, the versions those images name, on
# loopback, and rewrites the host names and addresses to loopback ones; nothing else is changed.
set -euo pipefail
source "$(dirname "$0")/../../scripts/image/common.sh"
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=VOKTER_IMAGE "$0" "$@"; fi
image_storage
"$IMAGE_ROOT/scripts/install-deps.sh" image bench postgresql

step() { echo "test-compose: $*"; }
fail() {
    echo "test-compose: FAILED: $*" >&2
    exit 1
}

image_exists "$IMAGE_NAME" || fail "no image $IMAGE_NAME: run make image first"
compose="$IMAGE_ROOT/docker-compose.yml"

# The compose file as shell-readable facts: "service NAME BUILD_CONTEXT", "env NAME KEY VALUE",
# "command NAME ARGS...", "mount NAME SOURCE TARGET", "image NAME IMAGE". Values hold no newlines.
facts="$(/usr/bin/python3 - "$compose" <<'EOF'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
for name, service in services.items():
    build = service.get("build")
    if isinstance(build, dict):
        build = build.get("context", ".") + ("" if build.get("dockerfile", "Dockerfile") == "Dockerfile" else ":" + build["dockerfile"])
    print("service", name, build or "-")
    if "image" in service:
        print("image", name, service["image"])
    for key, value in (service.get("environment") or {}).items():
        print("env", name, key, value)
    if "command" in service:
        print("command", name, *service["command"])
    for volume in service.get("volumes") or []:
        source, target = volume.split(":")[:2]
        print("mount", name, source, target)
EOF
)"
built="$(awk '$1 == "service" && $3 != "-" { print $2 }' <<<"$facts")"
[ -n "$built" ] || fail "docker-compose.yml builds no service"

step "built services: $(echo $built), each from this Dockerfile (the image under test)"
for service in $built; do
    context="$(awk -v s="$service" '$1 == "service" && $2 == s { print $3 }' <<<"$facts")"
    [ "$context" = "." ] || fail "$service builds from '$context', not this Dockerfile"
done
step "pulled, not built here: $(awk '$1 == "image" { printf "%s=%s ", $2, $3 }' <<<"$facts")"

step "settings: every VOKTER_* variable a replica is given is one vokter serve knows"
help="$(buildah run "$(buildah from --pull=never --name "vokter-compose-$$-help" "$IMAGE_NAME")" -- \
    vokter serve --help)"
buildah rm "vokter-compose-$$-help" >/dev/null
for key in $(awk '$1 == "env" && $3 ~ /^VOKTER_/ { print $3 }' <<<"$facts" | sort -u); do
    grep -qE "env $key([^A-Z_]|\$)" <<<"$help" || fail "docker-compose.yml sets $key, which vokter serve does not know"
done

work="$(mktemp -d "$IMAGE_DIR/compose.XXXXXX")"
chmod 755 "$work"
containers=()
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill -QUIT "$(cat "$work/nginx.pid")" 2>/dev/null || true
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    for container in "${containers[@]}"; do buildah rm "$container" >/dev/null 2>&1 || true; done
    "$IMAGE_ROOT/scripts/pg-cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

step "postgres: a PostgreSQL 15 cluster with the compose file's user and database"
"$IMAGE_ROOT/scripts/pg-cluster.sh" start "$work/pg" >/dev/null
pg_user="$(awk '$1 == "env" && $2 == "postgres" && $3 == "POSTGRES_USER" { print $4 }' <<<"$facts")"
pg_db="$(awk '$1 == "env" && $2 == "postgres" && $3 == "POSTGRES_DB" { print $4 }' <<<"$facts")"
[ -n "$pg_user" ] && [ -n "$pg_db" ] || fail "the postgres service names no POSTGRES_USER and POSTGRES_DB"
runuser -u postgres -- psql --quiet --host="$work/pg" --dbname=postgres \
    -c "CREATE ROLE $pg_user LOGIN" -c "CREATE DATABASE $pg_db OWNER $pg_user" >/dev/null

# A replica's environment: the compose file's, with Compose's network made loopback. The database
# host `postgres` becomes the cluster's socket directory, bound into the container at its own path.
replica_env() {
    local service="$1" port="$2"
    awk -v s="$service" '$1 == "env" && $2 == s { key = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); print key "=" $0 }' <<<"$facts" |
        sed -e "s|^VOKTER_LISTEN=.*|VOKTER_LISTEN=127.0.0.1:$port|" \
            -e "s|^VOKTER_TRUSTED_PROXIES=.*|VOKTER_TRUSTED_PROXIES=127.0.0.1|" \
            -e "s|^VOKTER_DB=postgresql://\([^@]*\)@postgres:5432/\(.*\)|VOKTER_DB=postgresql://\1@/\2?host=$work/pg|" \
            -e "s|^PGPASSWORD=.*|PGPASSWORD=unused-with-trust-authentication|"
}

entrypoint="$(buildah inspect --type image "$IMAGE_NAME" |
    python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin)["OCIv1"]["config"]["Entrypoint"]))')"
declare -A port_of
for service in $built; do
    port_of[$service]="$(free_port)"
    env_args=()
    while IFS= read -r setting; do env_args+=(--env "$setting"); done < <(replica_env "$service" "${port_of[$service]}")
    grep -q "VOKTER_DB=postgresql://.*host=$work/pg" < <(printf '%s\n' "${env_args[@]}") ||
        fail "$service's VOKTER_DB is not the compose database postgresql://USER@postgres:5432/DB"
    mkdir -p "$work/$service-data"
    chown 10001:10001 "$work/$service-data"
    target="$(awk -v s="$service" '$1 == "mount" && $2 == s { print $4 }' <<<"$facts")"
    [ "$target" = /data ] || fail "$service mounts its volume on '$target', not /data"
    container="vokter-compose-$$-$service"
    buildah from --pull=never --name "$container" "$IMAGE_NAME" >/dev/null
    containers+=("$container")
    buildah config --volume /data- "$container"  # see tests/image/test_image.sh
    read -r -a command < <(awk -v s="$service" '$1 == "command" && $2 == s { $1 = $2 = ""; print }' <<<"$facts")
    buildah run --network host --volume "$work/$service-data:/data" --volume "$work/pg:$work/pg" \
        "${env_args[@]}" "$container" -- $entrypoint "${command[@]}" >"$work/$service.log" 2>&1 &
    pids+=($!)
done

for service in $built; do
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:${port_of[$service]}/healthz" >"$work/$service.health" 2>/dev/null && break
        sleep 0.2
    done
    grep -q '"store":"postgresql"' "$work/$service.health" 2>/dev/null ||
        { cat "$work/$service.log" >&2; fail "$service does not serve /healthz on the PostgreSQL store"; }
done
step "replicas: $(for s in $built; do printf '%s on 127.0.0.1:%s ' "$s" "${port_of[$s]}"; done)on $pg_db"

step "nginx: the compose file's configuration, with the replicas' and its own addresses on loopback"
nginx_conf_source="$(awk '$1 == "mount" && $2 == "nginx" { print $3 }' <<<"$facts")"
[ -f "$IMAGE_ROOT/$nginx_conf_source" ] || fail "nginx mounts '$nginx_conf_source', which does not exist"
nginx_port="$(free_port)"
sed -e "s|listen 80;|listen 127.0.0.1:$nginx_port;|" "$IMAGE_ROOT/$nginx_conf_source" >"$work/site.conf"
for service in $built; do
    grep -q "server $service:8080" "$work/site.conf" || fail "nginx's upstream does not name $service:8080"
    sed -i "s|server $service:8080|server 127.0.0.1:${port_of[$service]}|" "$work/site.conf"
done
# The main configuration of the nginx image, which includes the site file inside http { }.
cat >"$work/nginx.conf" <<EOF
user www-data;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    include $work/site.conf;
}
EOF
nginx -t -q -c "$work/nginx.conf" || fail "nginx refuses the compose file's configuration"
nginx -c "$work/nginx.conf"

step "a comment posted through nginx is listed by each replica"
thread="/blogg/to-repliker"
body="Hilsen fra Tromsø – begge replikaene skal vise denne 🌌 (æøå ÆØÅ)"
payload="$(python3 -c 'import json, sys; print(json.dumps({"thread": sys.argv[1], "name": "Ola", "body": sys.argv[2]}, ensure_ascii=False))' "$thread" "$body")"
status="$(curl -sS -o "$work/post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "$payload" "http://127.0.0.1:$nginx_port/api/comments")"
[ "$status" = 201 ] || fail "POST through nginx answered $status: $(cat "$work/post.json")"
for service in $built; do
    count="$(curl -fsS --get --data-urlencode "thread=$thread" "http://127.0.0.1:${port_of[$service]}/api/comments" |
        python3 -c 'import json, sys; print(sum(c["body"] == sys.argv[1] for c in json.load(sys.stdin)["comments"]))' "$body")"
    [ "$count" = 1 ] || fail "$service does not list the comment posted through nginx"
done

step "passed (docker-compose.yml with $IMAGE_NAME)"

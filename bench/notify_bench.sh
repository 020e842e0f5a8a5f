#!/usr/bin/env bash
# What the notification outbox costs the comments coming in. `vokter serve` (release build,
# durable commits) answers POST /api/comments at 32 connections (bench/wrk/post_comments.lua) on
# a rule file that holds every comment (the worst case: every post an event), in slices that
# take turns:
#   off        no receiver configured: no events;
#   outbox     a webhook configured for rules.failed only: each post writes its comment.held
#              event in its own transaction, and none is delivered (the outbox's own cost);
#   delivered  a webhook receiver (nginx on loopback answering 204) for comment.held: each post's
#              event is also claimed, POSTed, acknowledged and recorded by the sender, through
#              the same writer and on the same two cores.
# Each slice runs on a fresh database. Prints each slice's requests per second, p99 and errors,
# the deliveries nginx acknowledged, and the target: the median `outbox` slice at least 95% of
# the median `off` slice (the outbox adds at most 5% to POST throughput); `delivered` beside it.
# Usage: bench/notify_bench.sh [--smoke]     (--smoke: 2-s slices, one round)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
if [ $SMOKE = 1 ]; then
    SLICE=2; ROUNDS=1; BUILD=${BENCH_BUILD:-$ROOT/build/bench-smoke}
else
    SLICE=${SLICE:-10}; ROUNDS=${ROUNDS:-3}; BUILD=${BENCH_BUILD:-$ROOT/build/bench}
fi
C=${CONNECTIONS:-32}
for tool in wrk curl nginx; do
    command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] ||
        { echo "notify_bench: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -z "${BENCH_PREBUILT:-}" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVOKTER_BUILD_BENCH=ON \
          -DVOKTER_BUILD_TESTS=OFF >/dev/null
    cmake --build "$BUILD" -j2 --target vokter >/dev/null
fi
VOKTER=$BUILD/vokter
WORK=$(mktemp -d)
SERVER=""
RECEIVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
    [ -n "$RECEIVER" ] && kill "$RECEIVER" 2>/dev/null && wait "$RECEIVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Every comment is shorter than 100,000 characters: held.
cat >"$WORK/rules.toml" <<'EOF'
version = "notify-bench"
[thresholds]
hold = 5.0
spam = 10.0

[[heuristic]]
kind = "body_length"
min = 100000
score = 6.0
EOF

# The receiver: nginx answering every POST with 204, logging each.
RECEIVER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 256; }
http {
    access_log $WORK/nginx/access.log;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$RECEIVER_PORT;
        location / { return 204; }
    }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>"$WORK/nginx/stderr.log" &
RECEIVER=$!
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$RECEIVER_PORT/ready" && break
    sleep 0.05
done

start() {  # NAME ENV...: starts `vokter serve` on a fresh database, sets PORT
    local name=$1
    shift
    : >"$WORK/$name.log"
    rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
    env VOKTER_RATE_LIMIT_PER_MINUTE=0 VOKTER_LOG_REQUESTS=false "$@" \
        "$VOKTER" serve --listen 127.0.0.1:0 --db "$WORK/bench.db" --rules "$WORK/rules.toml" \
        2>"$WORK/$name.log" &
    SERVER=$!
    PORT=""
    for _ in $(seq 1 400); do
        PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/$name.log")
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || { echo "notify_bench: vokter ($name) did not start:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
}
stop() {
    kill -TERM "$SERVER"
    wait "$SERVER" || true
    SERVER=""
}
slice() {  # -> the RESULT fields of one slice of posts
    wrk -t2 -c"$C" -d"${SLICE}s" --timeout 5s -s "$ROOT/bench/wrk/post_comments.lua" \
        "http://127.0.0.1:$PORT" -- "$(date +%s%N)" | grep '^RESULT' | sed 's/^RESULT //'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | sed -n "s/^$1 //p"; }

ROWS=()
ON_POSTS=0
for round in $(seq 1 "$ROUNDS"); do
    for mode in off outbox delivered; do
        case $mode in
            off) start "$mode-$round" ;;
            outbox) start "$mode-$round" VOKTER_WEBHOOKS="http://127.0.0.1:$RECEIVER_PORT/hook" \
                VOKTER_WEBHOOK_EVENTS=rules.failed VOKTER_WEBHOOK_SECRET=bench-secret ;;
            delivered) start "$mode-$round" VOKTER_WEBHOOKS="http://127.0.0.1:$RECEIVER_PORT/hook" \
                VOKTER_WEBHOOK_EVENTS=comment.held VOKTER_WEBHOOK_SECRET=bench-secret ;;
        esac
        curl -s -o /dev/null -XPOST "http://127.0.0.1:$PORT/api/comments" \
            -H 'Content-Type: application/json' -d '{"thread":"/oppvarming","body":"oppvarming"}'
        result=$(slice)
        held=$(metric 'vokter_verdicts_total{api="comments",action="hold"}')
        pending=-
        if [ $mode = delivered ]; then
            ON_POSTS=$((ON_POSTS + ${held%.*}))
            # Let the sender finish what the slice left, so the next slice starts clean.
            for _ in $(seq 1 300); do
                [ "$(metric 'vokter_outbox_deliveries{state="pending"}')" = "0" ] && break
                sleep 0.1
            done
            pending=$(metric 'vokter_outbox_deliveries{state="pending"}')
        fi
        ROWS+=("$mode $(field "$result" rps) $(field "$result" p99_us) $(( $(field "$result" errors) + $(field "$result" non2xx) )) $held $pending")
        echo "notify_bench: ${ROWS[-1]}" >&2
        stop
    done
done
DELIVERED=$(grep -c 'POST /hook' "$WORK/nginx/access.log" || true)

echo
echo "| slice | req/s | p99 ms | errors | held | deliveries pending after |"
echo "|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do
    read -r mode rps p99 errors held pending <<<"$row"
    awk -v mode="$mode" -v rps="$rps" -v p99="$p99" -v errors="$errors" -v held="$held" -v pending="$pending" \
        'BEGIN { printf "| %s | %.0f | %.1f | %d | %d | %s |\n", mode, rps, p99 / 1000, errors, held, pending }'
done
echo
echo "webhook deliveries acknowledged by the receiver: $DELIVERED of $ON_POSTS held comments posted in the delivered slices"
median() {  # MODE -> its median req/s
    printf '%s\n' "${ROWS[@]}" | awk -v mode="$1" '$1 == mode { print $2 }' |
        sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'
}
awk -v outbox="$(median outbox)" -v delivered="$(median delivered)" -v off="$(median off)" 'BEGIN {
    printf "target: POST with the outbox at %.1f%% of POST without (median slices, %.0f vs %.0f req/s); at least 95%%: %s\n",
        100 * outbox / off, outbox, off, (outbox >= 0.95 * off ? "met" : "NOT met")
    printf "with each event also delivered to a webhook: %.1f%% (%.0f req/s)\n", 100 * delivered / off, delivered
}'

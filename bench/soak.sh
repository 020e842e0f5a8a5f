#!/usr/bin/env bash
# Soak: `vokter serve` (release build, default rules, durable commits) under a mix of comment
# posts, thread and count reads, moderator decisions (which also teach the classifier) and rule
# reloads (every 30 s: SIGHUP with a changed file, or PUT /api/rules) for DURATION seconds (600), with the
# server's resident memory, open file descriptors and threads sampled every SAMPLE seconds (10).
# It passes when RSS grows by at most 5% from the minute after WARMUP seconds (180) to the last
# minute (medians), and fds and threads end where warm-up left them (±4). Samples go to bench/soak.csv, the summary to stdout.
# Usage: bench/soak.sh [--smoke]      --smoke: 20 seconds, to check the script works (no verdict)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
if [ $SMOKE = 1 ]; then
    DURATION=20; WARMUP=10; SAMPLE=2; CSV=${SOAK_CSV:-$(mktemp)}
    BUILD=${BENCH_BUILD:-$ROOT/build/bench-smoke}
else
    DURATION=${DURATION:-600}; WARMUP=${WARMUP:-180}; SAMPLE=${SAMPLE:-10}
    CSV=${SOAK_CSV:-$ROOT/bench/soak.csv}; BUILD=${BENCH_BUILD:-$ROOT/build/bench}
fi
POSTERS=${POSTERS:-2}
READERS=${READERS:-2}

for tool in wrk curl; do
    command -v $tool >/dev/null || { echo "soak: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
if [ -z "${BENCH_PREBUILT:-}" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVOKTER_BUILD_BENCH=ON \
          -DVOKTER_BUILD_TESTS=OFF >/dev/null
    cmake --build "$BUILD" --target vokter -j2 >/dev/null
fi
VOKTER=$BUILD/vokter

WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cp "$ROOT/rules/"*.toml "$ROOT/rules/"*.txt "$WORK/"
DB=$WORK/soak.db
TOKEN=$("$VOKTER" moderator add soak --db "$DB" | grep -E '^[0-9a-f]{64}$')
VOKTER_RATE_LIMIT_PER_MINUTE=0 VOKTER_LOG_REQUESTS=false \
    "$VOKTER" serve --listen 127.0.0.1:0 --db "$DB" --rules "$WORK/default.toml" \
    2>"$WORK/vokter.log" &
PID=$!
PIDS+=($PID)
PORT=""
for _ in $(seq 1 400); do
    PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/vokter.log")
    [ -n "$PORT" ] && break
    sleep 0.05
done
[ -n "$PORT" ] || { echo "soak: the server did not come up:" >&2; cat "$WORK/vokter.log" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT
AUTH="Authorization: Bearer $TOKEN"

wrk -t1 -c"$POSTERS" -d"${DURATION}s" -s bench/wrk/post_comments.lua "$BASE" -- soak \
    >"$WORK/posts.txt" 2>&1 &
PIDS+=($!)
wrk -t1 -c"$READERS" -d"${DURATION}s" -s bench/wrk/soak_reads.lua "$BASE" \
    >"$WORK/reads.txt" 2>&1 &
PIDS+=($!)

# Moderators: every second, the 50 highest-scored held comments, approved, filed as spam or
# rejected in turn (one decision a second, 50 comments each).
(
    round=0
    while sleep 1; do
        if ! queue=$(curl -sf -H "$AUTH" "$BASE/api/moderation/queue?limit=50"); then
            echo "GET /api/moderation/queue failed" >>"$WORK/errors.txt"
            continue
        fi
        ids=$(echo "$queue" | grep -o '"id":[0-9]*' | cut -d: -f2 | paste -sd, -)
        [ -n "$ids" ] || continue
        echo decision >>"$WORK/decisions.txt"
        actions=(approve spam reject)
        action=${actions[$((round % 3))]}
        round=$((round + 1))
        curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' \
             -d "{\"ids\":[$ids],\"action\":\"$action\"}" "$BASE/api/moderation/decisions" ||
            echo "decision failed" >>"$WORK/errors.txt"
    done
) &
PIDS+=($!)
# Rule maintainers: every 30 s a reload, alternately SIGHUP after editing the file and PUT.
(
    round=0
    while sleep 30; do
        round=$((round + 1))
        sed -i "s/^version = .*/version = \"soak-$round\"/" "$WORK/default.toml"
        if [ $((round % 2)) = 0 ]; then
            kill -HUP "$PID"
        else
            curl -sf -o /dev/null -X PUT -H "$AUTH" -H 'Content-Type: text/plain' \
                 --data-binary @"$WORK/default.toml" "$BASE/api/rules" ||
                echo "PUT /api/rules failed" >>"$WORK/errors.txt"
        fi
    done
) &
PIDS+=($!)

echo "seconds,rss_kb,rss_anon_kb,rss_file_kb,fds,threads,comments,heap_in_use_kb,heap_free_kb,model_kb,writer_cache_kb,reader_cache_kb" >"$CSV"
started=$(date +%s)
while :; do
    now=$(( $(date +%s) - started ))
    status=/proc/$PID/status
    [ -r "$status" ] || { echo "soak: the server died:" >&2; tail -20 "$WORK/vokter.log" >&2; exit 1; }
    rss=$(awk '/^VmRSS/ {print $2}' "$status")
    anon=$(awk '/^RssAnon/ {print $2}' "$status")
    file=$(awk '/^RssFile/ {print $2}' "$status")
    threads=$(awk '/^Threads/ {print $2}' "$status")
    fds=$(ls "/proc/$PID/fd" | wc -l)
    metrics=$(curl -sf "$BASE/metrics" || true)
    comments=$(echo "$metrics" | awk '/^vokter_comments_total/ {s += $2} END {print s + 0}')
    in_use=$(echo "$metrics" | awk '/^vokter_heap_bytes\{state="in_use"\}/ {print int($2 / 1024)}')
    free=$(echo "$metrics" | awk '/^vokter_heap_bytes\{state="free"\}/ {print int($2 / 1024)}')
    model=$(echo "$metrics" | awk '/^vokter_classifier_model_bytes/ {print int($2 / 1024)}')
    writer_cache=$(echo "$metrics" | awk '/^vokter_store_page_cache_bytes\{connection="writer"\}/ {print int($2 / 1024)}')
    reader_cache=$(echo "$metrics" | awk '/^vokter_store_page_cache_bytes\{connection="readers"\}/ {print int($2 / 1024)}')
    echo "$now,$rss,$anon,$file,$fds,$threads,$comments,$in_use,$free,$model,$writer_cache,$reader_cache" >>"$CSV"
    [ "$now" -ge "$DURATION" ] && break
    sleep "$SAMPLE"
done

# RSS is compared as the median of the minute after warm-up and the median of the last minute:
# single samples move by a few MB with each allocator trim (every 30 s).
awk -F, -v warmup="$WARMUP" -v duration="$DURATION" -v smoke="$SMOKE" '
    function median(list, n,    i, j, t) {
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
        return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
    }
    NR == 1 { next }
    NR == 2 { first_rss = $2 }
    { last_fds = $5; last_threads = $6; last_heap = $8 }
    $1 >= warmup && $1 < warmup + 60 { early[++ne] = $2; if (!ne_fds) { warm_fds = $5; warm_threads = $6; warm_heap = $8; ne_fds = 1 } }
    $1 > duration - 60 { late[++nl] = $2 }
    $1 >= warmup && $2 > peak { peak = $2 }
    END {
        warm_rss = median(early, ne); end_rss = median(late, nl)
        growth = 100.0 * (end_rss - warm_rss) / warm_rss
        printf "soak: RSS %.1f MB at start; median %.1f MB in the minute after %ds of warm-up, %.1f MB in the last minute (%+.1f%%); peak %.1f MB\n",
               first_rss / 1024, warm_rss / 1024, warmup, end_rss / 1024, growth, peak / 1024
        printf "soak: heap in use %.1f -> %.1f MB; fds %d -> %d; threads %d -> %d\n",
               warm_heap / 1024, last_heap / 1024, warm_fds, last_fds, warm_threads, last_threads
        ok = growth <= 5.0 && last_fds - warm_fds <= 4 && warm_fds - last_fds <= 4 &&
             last_threads - warm_threads <= 4 && warm_threads - last_threads <= 4
        if (smoke) { print "soak: smoke run, no verdict"; exit 0 }
        print ok ? "soak: PASS" : "soak: FAIL"
        exit ok ? 0 : 1
    }' "$CSV" || verdict=$?
for f in posts reads; do
    grep '^RESULT' "$WORK/$f.txt" | sed "s/^RESULT/soak: $f/" || { echo "soak: wrk $f failed:"; cat "$WORK/$f.txt"; }
done
echo "soak: $(cat "$WORK/decisions.txt" 2>/dev/null | wc -l) moderator decisions of up to 50 comments, $(grep -c 'in force' "$WORK/vokter.log") rule sets put in force"
[ -s "$WORK/errors.txt" ] && { echo "soak: failures: $(sort "$WORK/errors.txt" | uniq -c | tr '\n' ' ')"; }
grep -c . "$WORK/vokter.log" | xargs -I{} echo "soak: {} server log lines; last:" && tail -3 "$WORK/vokter.log"
exit "${verdict:-0}"

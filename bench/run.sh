#!/usr/bin/env bash
# Vokter's benchmarks, in one run on this machine, written to bench/RESULTS.md:
#   1. HTTP load with wrk: a no-op cpp-httplib baseline and `vokter serve` (release build, fresh
#      database, default rules, durable commits), POST /api/comments at 1/8/32/64 connections,
#      POST /1.1/comment-check stored and is_test=1, a thread page of 50 comments, counts for 20
#      threads. Figures are also given as ratios to the baseline measured in the same run.
#   1b. The write path against what SQLite itself commits (bench/sqlite_limit, run after the
#      servers stop, at the batch size the writer reached): the durable paths as shares of it,
#      and where the writer's time went (its figures in /metrics).
#   2. Memory: the server's RSS sampled every second under POST load after a warm-up.
#   3. Rule engine micro-benchmarks (evaluate, load) and storage at scale, when built.
# Usage: bench/run.sh [--smoke]      --smoke: a few seconds in all, to check the scripts work
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
if [ $SMOKE = 1 ]; then
    DURATION=1; MEMORY_SECONDS=2; WARMUP=1; CONNECTIONS="8"; OUT=${BENCH_OUT:-$(mktemp -d)/RESULTS.md}
    BUILD=${BENCH_BUILD:-$ROOT/build/bench-smoke}
else
    DURATION=${DURATION:-10}; MEMORY_SECONDS=${MEMORY_SECONDS:-180}; WARMUP=${WARMUP:-20}
    CONNECTIONS=${CONNECTIONS:-"1 8 32 64"}; OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}
    BUILD=${BENCH_BUILD:-$ROOT/build/bench}
fi

for tool in wrk curl; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done

if [ -z "${BENCH_PREBUILT:-}" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVOKTER_BUILD_BENCH=ON \
          -DVOKTER_BUILD_TESTS=OFF >/dev/null
    cmake --build "$BUILD" -j2 >/dev/null
fi
VOKTER=$BUILD/vokter
BASELINE=$BUILD/bench/baseline_server

WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# Both servers take a free port and log "listening on http://127.0.0.1:PORT".
port_of() {  # LOG
    for _ in $(seq 1 400); do
        local port
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$1")
        [ -n "$port" ] && { echo "$port"; return 0; }
        sleep 0.05
    done
    echo "bench: no server came up; see $1:" >&2; cat "$1" >&2; exit 1
}

# The Akismet-compatible API's key, made before the server opens the file.
API_KEY=$("$VOKTER" apikey add bench --blog https://blogg.example.no --db "$WORK/bench.db" 2>/dev/null |
    grep -E '^[0-9a-f]+$' || true)
[ -n "$API_KEY" ] || { echo "bench: vokter apikey add printed no key" >&2; exit 1; }
MODERATOR_TOKEN=$("$VOKTER" moderator add bench --db "$WORK/bench.db" 2>/dev/null |
    grep -E '^[0-9a-f]{64}$' || true)
[ -n "$MODERATOR_TOKEN" ] || { echo "bench: vokter moderator add printed no token" >&2; exit 1; }

"$BASELINE" 0 64 2>"$WORK/baseline.log" &
PIDS+=($!)
VOKTER_RATE_LIMIT_PER_MINUTE=0 VOKTER_LOG_REQUESTS=false \
    "$VOKTER" serve --listen 127.0.0.1:0 --db "$WORK/bench.db" 2>"$WORK/vokter.log" &
VOKTER_PID=$!
PIDS+=($VOKTER_PID)
BASE_PORT=$(port_of "$WORK/baseline.log")
VOKTER_PORT=$(port_of "$WORK/vokter.log")

# The thread page the GET benchmark reads: 50 approved comments. They all come from this one
# address, so the flood rule holds most of them; a moderator approves those, as on a real blog.
SEED_IDS=()
for i in $(seq 1 50); do
    SEED_IDS+=("$(curl -s -XPOST "http://127.0.0.1:$VOKTER_PORT/api/comments" \
        -H 'Content-Type: application/json' \
        -d "{\"thread\":\"/blogg/lesverdig\",\"name\":\"Leser $i\",\"body\":\"Kommentar nummer $i: takk for et godt og grundig innlegg om blåbær og æøå.\"}" |
        grep -oE '"id":[0-9]+' | head -1 | cut -d: -f2)")
done
curl -s -o /dev/null -XPOST "http://127.0.0.1:$VOKTER_PORT/api/moderation/decisions" \
    -H "Authorization: Bearer $MODERATOR_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"ids\":[$(IFS=,; echo "${SEED_IDS[*]}")],\"action\":\"approve\"}"
SEEDED=$(curl -s "http://127.0.0.1:$VOKTER_PORT/api/comments?thread=/blogg/lesverdig&limit=1" |
    grep -oE '"total":[0-9]+' | cut -d: -f2)
[ "$SEEDED" = 50 ] || { echo "bench: the thread page holds ${SEEDED:-no} approved comments, not 50" >&2; exit 1; }

# wrk_run NAME PORT SCRIPT CONNECTIONS SECONDS [ARGS…] -> prints the RESULT line's fields. Each
# run gets its own id (it runs in a subshell, so no counter survives it): the POST scripts put it
# in every body, so no run repeats another's comments (a repeat would be a 409).
wrk_run() {
    local threads=2
    [ "$4" -lt 2 ] && threads=1
    wrk -t"$threads" -c"$4" -d"${5}s" --timeout 5s -s "$ROOT/bench/wrk/$3" \
        "http://127.0.0.1:$2" -- "$(date +%s%N)" "${@:6}" | grep '^RESULT' | sed 's/^RESULT //'
}
# The writer's figures in /metrics, as "batches jobs queue_wait statements commit checkpoint busy
# now syncs sync" (seconds); writer_delta BEFORE AFTER -> the same fields for the run between them.
writer_figures() {
    curl -s "http://127.0.0.1:$VOKTER_PORT/metrics" | awk -v now="$(date +%s.%N)" '
        /^vokter_store_batches_total / { b = $2 } /^vokter_store_batch_jobs_total / { j = $2 }
        /^vokter_store_writer_seconds_total\{phase="queue_wait"\}/ { q = $2 }
        /^vokter_store_writer_seconds_total\{phase="statements"\}/ { s = $2 }
        /^vokter_store_writer_seconds_total\{phase="commit"\}/ { c = $2 }
        /^vokter_store_writer_seconds_total\{phase="checkpoint"\}/ { k = $2 }
        /^vokter_store_writer_seconds_total\{phase="busy"\}/ { u = $2 }
        /^vokter_store_syncs_total / { n = $2 }
        /^vokter_store_writer_seconds_total\{phase="sync"\}/ { y = $2 }
        END { print b, j, q, s, c, k, u, now, n + 0, y + 0 }'
}
writer_delta() { awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ");
    for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? " " : ""), y[i] - x[i]; print "" }'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

ROWS=()
ERRORS_TOTAL=0
declare -A POST_RPS BASE_RPS PATH_RPS PATH_P99 PATH_WRITER
scenario() {  # LABEL SCRIPT CONNECTIONS [ARGS…]
    local base vok before
    base=$(wrk_run baseline "$BASE_PORT" "$2" "$3" "$DURATION" "${@:4}")
    before=$(writer_figures)
    vok=$(wrk_run vokter "$VOKTER_PORT" "$2" "$3" "$DURATION" "${@:4}")
    PATH_RPS[$1@$3]=$(field "$vok" rps)
    PATH_P99[$1@$3]=$(ms "$(field "$vok" p99_us)")
    PATH_WRITER[$1@$3]=$(writer_delta "$before" "$(writer_figures)")
    [ "$2" = post_comments.lua ] && POST_RPS[$3]=$(field "$vok" rps) && BASE_RPS[$3]=$(field "$base" rps)
    add_row "$1" "$3" "$base" "$vok" ""
}
# One row of the HTTP table from the baseline's and Vokter's RESULT fields; counts the errors.
add_row() {  # LABEL CONNECTIONS BASE VOK NOTE
    local base=$3 vok=$4
    local errors=$(( $(field "$vok" errors) + $(field "$vok" non2xx) ))
    ERRORS_TOTAL=$((ERRORS_TOTAL + errors))
    ROWS+=("| $1 | $2 | $(field "$base" rps) | $(field "$vok" rps) | $(ratio "$(field "$vok" rps)" "$(field "$base" rps)") | $(ms "$(field "$vok" p50_us)") | $(ms "$(field "$vok" p99_us)") | $(ms "$(field "$vok" p999_us)") | $errors |")
    echo "bench: $1 c=$2: baseline $(field "$base" rps) req/s, vokter $(field "$vok" rps) req/s$5, p99 $(ms "$(field "$vok" p99_us)") ms, errors $errors" >&2
}

# The reads alternate: three slices of a third of DURATION each, the baseline then Vokter, so a
# change in the machine's speed during the run (it is shared) falls on both alike. Rates are
# requests over seconds summed; latencies are the worst slice's.
read_scenario() {  # LABEL SCRIPT CONNECTIONS
    local secs=$((DURATION / 3)) base vok base_sum="" vok_sum=""
    [ "$secs" -ge 1 ] || secs=1
    for _ in 1 2 3; do
        base=$(wrk_run baseline "$BASE_PORT" "$2" "$3" "$secs")
        vok=$(wrk_run vokter "$VOKTER_PORT" "$2" "$3" "$secs")
        base_sum="$base_sum$base"$'\n'
        vok_sum="$vok_sum$vok"$'\n'
    done
    add_row "$1" "$3" "$(sum_results "$base_sum")" "$(sum_results "$vok_sum")" " (3 alternating slices)"
}
# Sums RESULT fields of several runs (one per line): requests, seconds and errors added, rps
# recomputed, latencies the largest.
sum_results() {
    echo "$1" | awk 'NF { for (i = 1; i <= NF; i++) { split($i, kv, "="); k = kv[1]; v = kv[2]
                             if (k ~ /_us$/) { if (v > m[k]) m[k] = v } else t[k] += v } }
        END { printf "requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d non2xx=%d\n",
                     t["requests"], t["seconds"], t["requests"] / t["seconds"], m["p50_us"], m["p99_us"],
                     m["p999_us"], m["max_us"], t["errors"], t["non2xx"] }'
}

for c in $CONNECTIONS; do scenario "POST /api/comments" post_comments.lua "$c"; done
WRITE_C=$(echo $CONNECTIONS | tr ' ' '\n' | grep -x 32 || echo $CONNECTIONS | awk '{print $NF}')
scenario "POST /1.1/comment-check, stored" comment_check.lua "$WRITE_C" "$API_KEY"
scenario "POST /1.1/comment-check, is_test=1" comment_check.lua "$WRITE_C" "$API_KEY" test
# For the reads the no-op answers Vokter's own bytes (taken now, after the writes): a second
# baseline whose GET /api/comments and /api/counts send them.
curl -s -o "$WORK/page.json" "http://127.0.0.1:$VOKTER_PORT/api/comments?thread=/blogg/lesverdig&limit=50"
curl -s -o "$WORK/counts.json" "http://127.0.0.1:$VOKTER_PORT/api/counts?$(seq -f 'thread=/blogg/innlegg-%g' 0 19 | paste -sd'&')"
"$BASELINE" 0 64 "/api/comments=$WORK/page.json" "/api/counts=$WORK/counts.json" 2>"$WORK/baseline-reads.log" &
PIDS+=($!)
BASE_PORT=$(port_of "$WORK/baseline-reads.log")
read_scenario "GET thread page (50 comments)" get_thread.lua 32
read_scenario "GET /api/counts (20 threads)" get_counts.lua 32

# The POST path without HTTP, 32 threads: the store alone, then the comment service.
SUBMIT=""
if [ -x "$BUILD/bench/submit_bench" ]; then
    SUBMIT=$("$BUILD/bench/submit_bench" --seconds "$DURATION" | grep '^RESULT' | sed 's/^RESULT //' || true)
fi

# Memory: RSS under POST load at 32 connections, sampled every second.
rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$VOKTER_PID/status"; }
RSS_START=$(rss_kb)
wrk_run vokter "$VOKTER_PORT" post_comments.lua 32 "$WARMUP" >/dev/null
RSS_WARM=$(rss_kb)
RSS_PEAK=$RSS_WARM
wrk -t2 -c32 -d"${MEMORY_SECONDS}s" --timeout 5s -s "$ROOT/bench/wrk/post_comments.lua" \
    "http://127.0.0.1:$VOKTER_PORT" -- "mem-$(date +%s%N)" >"$WORK/memory-wrk.log" &
WRK_PID=$!
while kill -0 $WRK_PID 2>/dev/null; do
    rss=$(rss_kb); [ "$rss" -gt "$RSS_PEAK" ] && RSS_PEAK=$rss
    sleep 1
done
RSS_END=$(rss_kb)
GROWTH=$(awk -v a="$RSS_END" -v b="$RSS_WARM" 'BEGIN { printf "%.1f%%", 100 * (a - b) / b }')
MEMORY_RESULT=$(grep '^RESULT' "$WORK/memory-wrk.log" | sed 's/^RESULT //')
STORED=$(curl -s "http://127.0.0.1:$VOKTER_PORT/metrics" | awk '/^vokter_comments_total/ { n += $2 } END { print n }')
COMMITS=$(curl -s "http://127.0.0.1:$VOKTER_PORT/metrics" | awk '/^vokter_store_commits_total/ { print $2 }')

# The servers are done: stop them and let the kernel write their dirty pages out, so that the
# micro-benchmarks and the fsync-bound storage figures below run on a quiet machine.
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
PIDS=()
sync

# What SQLite itself commits, on the same file system, at the batch size the writer reached for
# POST /api/comments (jobs per transaction in the run above).
POST_WRITER=${PATH_WRITER["POST /api/comments@$WRITE_C"]}
MEAN_BATCH=$(echo "$POST_WRITER" | awk '{ printf "%d", ($1 > 0 ? $2 / $1 + 0.5 : 32) }')
[ "$MEAN_BATCH" -ge 1 ] || MEAN_BATCH=1
LIMIT=""
if [ -x "$BUILD/bench/sqlite_limit" ]; then
    LIMIT=$("$BUILD/bench/sqlite_limit" --seconds "$DURATION" --batch "$MEAN_BATCH" --dir "$WORK" |
        grep '^RESULT' | sed 's/^RESULT //' || true)
fi

MICRO=""
if [ -x "$BUILD/bench/evaluate_bench" ]; then
    if [ $SMOKE = 1 ]; then
        MICRO=$("$BUILD/bench/evaluate_bench" --benchmark_min_time=0.01 2>/dev/null | grep -E '^(BM_|Benchmark|-)' || true)
    else
        MICRO=$("$BUILD/bench/evaluate_bench" 2>/dev/null | grep -E '^(BM_|Benchmark|-)' || true)
    fi
fi
LEARNED=""
if [ -x "$BUILD/bench/classifier_bench" ]; then
    if [ $SMOKE = 1 ]; then
        LEARNED=$("$BUILD/bench/classifier_bench" --benchmark_min_time=0.01 2>/dev/null | grep -E '^(BM_|Benchmark|-)' || true)
    else
        LEARNED=$("$BUILD/bench/classifier_bench" 2>/dev/null | grep -E '^(BM_|Benchmark|-)' || true)
    fi
    LEARNED="$LEARNED
$("$BUILD/bench/classifier_bench" --rss "$([ $SMOKE = 1 ] && echo 100000 || echo 1000000)" 2>&1 || true)"
fi
STORAGE=""
if [ -x "$BUILD/bench/queue_bench" ]; then
    if [ $SMOKE = 1 ]; then
        STORAGE=$("$BUILD/bench/queue_bench" --db "$WORK/queue.db" --comments 20000 2>&1 || true)
    else  # the million-comment database is kept in the build folder and reused by later runs
        STORAGE=$("$BUILD/bench/queue_bench" --db "$BUILD/queue_bench.db" 2>&1 || true)
    fi
fi

# PostgreSQL against SQLite, and two replicas against one (bench/pg_bench.sh), when the server
# is installed (scripts/install-deps.sh postgresql).
POSTGRESQL=""
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    POSTGRESQL=$(VOKTER="$BUILD/vokter" "$ROOT/bench/pg_bench.sh" "$([ $SMOKE = 1 ] && echo 1 || echo "$DURATION")" 2>&1) ||
        { echo "$POSTGRESQL" >&2; echo "bench: bench/pg_bench.sh failed" >&2; exit 1; }
fi

{
    echo "# Vokter benchmark results"
    echo
    echo "Written by \`bench/run.sh\`$([ $SMOKE = 1 ] && echo ' --smoke (too short to mean anything)')."
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
    echo "- load: wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), closed loop (each connection waits for its answer), ${DURATION}s per figure, on the same machine as the servers"
    echo "- Vokter: release build, fresh database, default rules, durability=full (a commit survives power loss), rate limit off"
    echo
    echo "## HTTP"
    echo
    echo "| scenario | connections | baseline req/s | Vokter req/s | ratio | p50 ms | p99 ms | p99.9 ms | errors |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "The baseline is cpp-httplib with Vokter's settings answering every request with a fixed"
    echo "body (bench/baseline_server.cpp): for the writes a 29-byte one; for the reads the bytes"
    echo "Vokter itself answered (the thread page $(wc -c <"$WORK/page.json") bytes, the counts"
    echo "$(wc -c <"$WORK/counts.json") bytes), so that both send the same. Errors count failed"
    echo "connections and non-2xx answers."
    echo
    if [ -n "$LIMIT" ]; then
        echo "## The write path against SQLite's own limit (bench/sqlite_limit)"
        echo
        echo "What SQLite itself commits here, durably, one thread, $(field "$LIMIT" batch) rows per transaction (the writer's mean batch for POST at c=$WRITE_C), no checkpoints meanwhile: **$(field "$LIMIT" vokter_rps) rows/s** of Vokter's own rows for a comment (the comment and all its indexes, its rule hits, the thread's counter), and $(field "$LIMIT" bare_rps) rows/s of a bare 600-byte row with two indexes."
        echo
        echo "| path, c=$WRITE_C | req/s | p99 ms | share of the limit for Vokter's rows | share of the bare limit |"
        echo "|---|---|---|---|---|"
        for label in "POST /api/comments" "POST /1.1/comment-check, stored"; do
            rps=${PATH_RPS["$label@$WRITE_C"]}
            echo "| $label | $rps | ${PATH_P99["$label@$WRITE_C"]} | $(ratio "$rps" "$(field "$LIMIT" vokter_rps)") | $(ratio "$rps" "$(field "$LIMIT" bare_rps)") |"
        done
        echo
        echo "Where the writer's time went in those runs (its figures in /metrics; busy: its share of the run's wall time):"
        echo
        echo "| path | transactions | jobs per transaction | a job's wait for its batch, ms | statements per transaction, ms | COMMIT per transaction, ms | WAL fsyncs (syncer) | ms per fsync | own checkpoints, ms in all | writer busy |"
        echo "|---|---|---|---|---|---|---|---|---|---|"
        for label in "POST /api/comments" "POST /1.1/comment-check, stored"; do
            echo "${PATH_WRITER["$label@$WRITE_C"]}" | awk -v label="$label" '{
                b = ($1 > 0 ? $1 : 1); j = ($2 > 0 ? $2 : 1); secs = ($8 > 0 ? $8 : 1)
                printf "| %s | %d | %.1f | %.2f | %.2f | %.2f | %d | %.2f | %.0f | %.0f%% |\n", label, $1,
                    $2 / b, 1000 * $3 / j, 1000 * $4 / b, 1000 * $5 / b, $9, 1000 * $10 / ($9 > 0 ? $9 : 1),
                    1000 * $6, 100 * $7 / secs }'
        done
        echo
    fi
    if [ -n "$SUBMIT" ]; then
        local_c=$(echo $CONNECTIONS | tr ' ' '\n' | grep -x 32 || echo $CONNECTIONS | awk '{print $NF}')
        echo "## Where the POST time goes (bench/submit_bench)"
        echo
        echo "The same comments without HTTP, $(field "$SUBMIT" threads) threads in a closed loop, durable commits, fresh databases:"
        echo
        echo "| layer | comments/s | share of the baseline's req/s at c=$local_c |"
        echo "|---|---|---|"
        echo "| store alone: insert_comment through the group-commit writer | $(field "$SUBMIT" store_rps) | $(ratio "$(field "$SUBMIT" store_rps)" "${BASE_RPS[$local_c]}") |"
        echo "| comment service: look-ups, facts, default rules, the write | $(field "$SUBMIT" service_rps) | $(ratio "$(field "$SUBMIT" service_rps)" "${BASE_RPS[$local_c]}") |"
        echo "| the same with a learned classifier (1,000,000 features) scoring every comment | $(field "$SUBMIT" service_learned_rps) | $(ratio "$(field "$SUBMIT" service_learned_rps)" "${BASE_RPS[$local_c]}") |"
        echo "| POST /api/comments over HTTP (above) | ${POST_RPS[$local_c]} | $(ratio "${POST_RPS[$local_c]}" "${BASE_RPS[$local_c]}") |"
        echo
        echo "HTTP reaches $(ratio "${POST_RPS[$local_c]}" "$(field "$SUBMIT" service_rps)") of the service's rate and the service $(ratio "$(field "$SUBMIT" service_rps)" "$(field "$SUBMIT" store_rps)") of the store's: the single durable SQLite writer bounds every figure."
        echo "With the classifier scoring every comment the service keeps $(ratio "$(field "$SUBMIT" service_learned_rps)" "$(field "$SUBMIT" service_rps)") of its rate (issue target: a drop of 10% at most)."
        echo
    fi
    echo "## Memory under load"
    echo
    echo "POST load at 32 connections for ${MEMORY_SECONDS}s after a ${WARMUP}s warm-up (RSS of the server):"
    echo
    echo "| start | after warm-up | peak | end | growth after warm-up |"
    echo "|---|---|---|---|---|"
    echo "| $((RSS_START / 1024)) MB | $((RSS_WARM / 1024)) MB | $((RSS_PEAK / 1024)) MB | $((RSS_END / 1024)) MB | $GROWTH |"
    echo
    echo "Requests during the memory run: $(field "$MEMORY_RESULT" requests) ($(field "$MEMORY_RESULT" rps) req/s, errors $(( $(field "$MEMORY_RESULT" errors) + $(field "$MEMORY_RESULT" non2xx) ))). Comments stored in all: $STORED in $COMMITS write transactions (group commit)."
    if [ -n "$MICRO" ]; then
        echo
        echo "## Rule engine (bench/evaluate_bench)"
        echo
        echo '```'
        echo "$MICRO"
        echo '```'
    fi
    if [ -n "$LEARNED" ]; then
        echo
        echo "## The learned classifier (bench/classifier_bench)"
        echo
        echo "BM_Evaluate/model_1M minus BM_Evaluate/no_model is what the classifier adds to a 2 KB comment; the last line is a 1,000,000-feature model's memory."
        echo
        echo '```'
        echo "$LEARNED"
        echo '```'
    fi
    if [ -n "$STORAGE" ]; then
        echo
        echo "## Storage at scale (bench/queue_bench)"
        echo
        echo '```'
        echo "$STORAGE"
        echo '```'
    fi
    if [ -n "$POSTGRESQL" ]; then
        echo
        echo "## On PostgreSQL (bench/pg_bench.sh)"
        echo
        echo "A throwaway PostgreSQL 15 cluster on the same disk and cores (fsync on, synchronous_commit on),"
        echo "one \`vokter serve\` on each store; slices alternate between the stores (A B B A A B)."
        echo
        echo "$POSTGRESQL"
    fi
} >"$OUT"
echo "bench: results in $OUT" >&2
if [ "$ERRORS_TOTAL" -ne 0 ]; then
    echo "bench: $ERRORS_TOTAL requests failed" >&2
    exit 1
fi
# The soak and the retention pass run on their own (bench/soak.sh, ten minutes;
# bench/retention_bench.sh); the smoke run checks that they still work.
if [ $SMOKE = 1 ]; then
    BENCH_PREBUILT=1 BENCH_BUILD="$BUILD" "$ROOT/bench/soak.sh" --smoke
    BENCH_PREBUILT=1 BENCH_BUILD="$BUILD" "$ROOT/bench/retention_bench.sh" --smoke
fi

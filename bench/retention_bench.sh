#!/usr/bin/env bash
# The retention pass beside posting: does deleting and cutting a million old comments slow the
# comments coming in? One database holding N comments past the default retention periods
# (bench/retention_seed: 70% spam and rejected, to be deleted; the rest to have their addresses
# cut), and `vokter serve` (release build, durable commits) answering POST /api/comments at 32
# connections (bench/wrk/post_comments.lua) in slices:
#   before  the same database, with periods so long that the service's pass finds nothing;
#   during  the default periods: the pass the service starts with is deleting and cutting;
#   after   once the pass has logged that it is done.
# A slice counts as "during" only when the pass was still running at its end. Prints each
# slice's requests per second, p99 and errors, the pass's time and rate, and the target: the
# p99 during the pass at most 5 ms above the p99 around it (before and after).
# Usage: bench/retention_bench.sh [--smoke]     (--smoke: 5,000 comments, 1-s slices)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
if [ $SMOKE = 1 ]; then
    COMMENTS=5000; SLICE=1; SLICES=1; BUILD=${BENCH_BUILD:-$ROOT/build/bench-smoke}
else
    COMMENTS=${COMMENTS:-1000000}; SLICE=${SLICE:-10}; SLICES=${SLICES:-3}
    BUILD=${BENCH_BUILD:-$ROOT/build/bench}
fi
C=${CONNECTIONS:-32}
for tool in wrk curl; do
    command -v $tool >/dev/null || { echo "retention_bench: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
if [ -z "${BENCH_PREBUILT:-}" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVOKTER_BUILD_BENCH=ON \
          -DVOKTER_BUILD_TESTS=OFF >/dev/null
    cmake --build "$BUILD" -j2 --target vokter retention_seed >/dev/null
fi
VOKTER=$BUILD/vokter
WORK=$(mktemp -d)
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "retention_bench: $COMMENTS comments past the retention periods" >&2
"$BUILD/bench/retention_seed" --db "$WORK/bench.db" --comments "$COMMENTS"

start() {  # NAME ARGS...: starts `vokter serve` on the database, sets PORT
    local name=$1
    shift
    : >"$WORK/$name.log"
    VOKTER_RATE_LIMIT_PER_MINUTE=0 VOKTER_LOG_REQUESTS=false \
        "$VOKTER" serve --listen 127.0.0.1:0 --db "$WORK/bench.db" "$@" 2>"$WORK/$name.log" &
    SERVER=$!
    PORT=""
    for _ in $(seq 1 400); do
        PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/$name.log")
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || { echo "retention_bench: vokter ($name) did not start:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
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
passed() { grep -q "retention: " "$WORK/during.log"; }

ROWS=()
record() {  # PHASE RESULT
    ROWS+=("$1 $(field "$2" rps) $(field "$2" p99_us) $(( $(field "$2" errors) + $(field "$2" non2xx) ))")
}

start before --ip-retention-days 365 --spam-retention-days 3650
for _ in $(seq 1 "$SLICES"); do record before "$(slice)"; done
stop

start during
PASS_STARTED=$(date +%s%N)
for _ in $(seq 1 "$SLICES"); do
    result=$(slice)
    if passed; then record "(ended)" "$result"; break; fi
    record during "$result"
done
for _ in $(seq 1 6000); do passed && break; sleep 0.1; done
passed || { echo "retention_bench: the pass did not end within 10 minutes" >&2; exit 1; }
PASS_ENDED=$(date +%s%N)  # at most a slice late: the pass may have ended within one
PASS_LINE=$(grep "retention: " "$WORK/during.log" | head -1 | sed 's/.*retention: //')
for _ in $(seq 1 "$SLICES"); do record after "$(slice)"; done
stop

echo
echo "| phase | req/s | p99 ms | errors |"
echo "|---|---|---|---|"
ERRORS=0
for row in "${ROWS[@]}"; do
    read -r phase rps p99 errors <<<"$row"
    ERRORS=$((ERRORS + errors))
    awk -v phase="$phase" -v rps="$rps" -v p99="$p99" -v errors="$errors" \
        'BEGIN { printf "| %s | %.0f | %.1f | %d |\n", phase, rps, p99 / 1000, errors }'
done
echo
echo "pass: $PASS_LINE"
echo "pass time: at most $(( (PASS_ENDED - PASS_STARTED) / 1000000000 )) s beside the posts"
worst_during=$(printf '%s\n' "${ROWS[@]}" | awk '$1 == "during" { if ($3 > m) m = $3 } END { print m + 0 }')
worst_around=$(printf '%s\n' "${ROWS[@]}" | awk '$1 == "before" || $1 == "after" { if ($3 > m) m = $3 } END { print m + 0 }')
if [ "$worst_during" -eq 0 ]; then
    echo "target: no slice ended before the pass did (more comments, or shorter slices, to measure)"
else
    added=$(( (worst_during - worst_around) / 1000 ))
    echo "target: the pass adds ${added} ms to the worst p99 (${worst_during} vs ${worst_around} µs; at most 5 ms: $([ "$added" -le 5 ] && echo met || echo MISSED))"
fi
[ "$ERRORS" -eq 0 ] || { echo "retention_bench: $ERRORS requests failed" >&2; exit 1; }

#!/usr/bin/env bash
# The retention pass beside posting: does deleting and cutting a million old comments slow the
# comments coming in? One database holding N comments past the default retention periods
# (bench/retention_seed: 70% spam and rejected, to be deleted; the rest to have their addresses
# cut), and `vokter serve` (release build, durable commits) answering POST /api/comments at 32
# connections (bench/wrk/post_comments.lua) in slices:
#   before    the same database, with periods so long that the service's pass finds nothing;
#   cutting   the pass the service starts with cuts addresses (spam kept: a long spam period);
#   deleting  it deletes spam (nothing to cut: a long address period);
#   after     the periods so long again, on what the passes left.
# Each pass is stopped with its service after its slices, and logs what it did by then.
# A slice counts only when the pass was still running at its end. Prints each slice's requests
# per second, p99 and errors, what each pass did in how long, and the target: the median slice
# p99 during each pass at most 5 ms above the median slice p99 around them (before and after).
# Usage: bench/retention_bench.sh [--smoke]     (--smoke: 5,000 comments, 1-s slices)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
if [ $SMOKE = 1 ]; then
    COMMENTS=5000; SLICE=1; SLICES=1; BUILD=${BENCH_BUILD:-$ROOT/build/bench-smoke}
else
    COMMENTS=${COMMENTS:-1000000}; SLICE=${SLICE:-10}; SLICES=${SLICES:-5}
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

ROWS=()
record() {  # PHASE RESULT
    ROWS+=("$1 $(field "$2" rps) $(field "$2" p99_us) $(( $(field "$2" errors) + $(field "$2" non2xx) ))")
    echo "retention_bench: ${ROWS[-1]}" >&2
}

start before --ip-retention-days 365 --spam-retention-days 3650
for _ in $(seq 1 "$SLICES"); do record before "$(slice)"; done
stop

# The pass's two kinds of work apart: cutting addresses (spam kept), then deleting spam (the
# addresses' period so long that there is nothing to cut). Each server is stopped after its
# slices with the pass still running (a million old comments take longer): the stop ends it
# between two jobs, and it logs what it did by then.
PASS_LINES=()
during() {  # PHASE ARGS...
    local phase=$1 started
    shift
    start "$phase" "$@"
    started=$(date +%s%N)
    for _ in $(seq 1 "$SLICES"); do
        result=$(slice)
        if grep -q "retention: " "$WORK/$phase.log"; then record "(ended)" "$result"; break; fi
        record "$phase" "$result"
    done
    stop
    PASS_LINES+=("$phase: $(grep "retention: " "$WORK/$phase.log" | head -1 | sed 's/.*retention: //'), in $(( ($(date +%s%N) - started) / 1000000000 )) s")
}
during cutting --spam-retention-days 3650
during deleting --ip-retention-days 365

start after --ip-retention-days 365 --spam-retention-days 3650
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
printf 'pass, %s\n' "${PASS_LINES[@]}"
# The p99 of one 10-s slice varies by several ms on this shared machine (before and after alike):
# each phase is compared by its median slice, its worst slice shown beside.
median() {  # PHASE... -> the median p99 (µs) of their slices, 0 when none
    printf '%s\n' "${ROWS[@]}" | awk -v phases=" $* " 'index(phases, " " $1 " ") { print $3 }' |
        sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'
}
worst() {  # PHASE... -> the worst p99 (µs) of their slices
    printf '%s\n' "${ROWS[@]}" | awk -v phases=" $* " 'index(phases, " " $1 " ") && $3 > m { m = $3 } END { print m + 0 }'
}
around=$(median before after)
for phase in cutting deleting; do
    during=$(median "$phase")
    if [ "$during" -eq 0 ]; then
        echo "target ($phase): no slice ended before the pass did (more comments to measure)"
        continue
    fi
    awk -v phase="$phase" -v during="$during" -v around="$around" -v worst="$(worst "$phase")" \
        -v worst_around="$(worst before after)" 'BEGIN {
        added = (during - around) / 1000
        printf "target (%s): the pass adds %.1f ms to the median slice p99 (%.1f vs %.1f ms before and after; worst slice %.1f vs %.1f); at most 5 ms: %s\n",
               phase, added, during / 1000, around / 1000, worst / 1000, worst_around / 1000,
               added <= 5 ? "met" : "MISSED" }'
done
[ "$ERRORS" -eq 0 ] || { echo "retention_bench: $ERRORS requests failed" >&2; exit 1; }

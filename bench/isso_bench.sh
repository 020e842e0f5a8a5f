#!/usr/bin/env bash
# The Isso-compatible API against Vokter's own routes, on one `vokter serve` (release build, fresh
# database, default rules, durable commits) in one run: GET the same 50-comment thread page
# (/isso/?uri=… against /api/comments?thread=…) and POST the same comments (/isso/new against
# /api/comments), at 32 connections, in alternating slices (native, Isso, Isso, native, native,
# Isso) so a change in the shared machine's speed, or the database's growth, falls on both alike. Prints each route's requests per
# second, p99, and Isso's rate as a share of the native one. Issue target: within 10%.
# Usage: bench/isso_bench.sh [SECONDS_PER_SLICE]     (uses build/release/vokter; `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SLICE=${1:-5}
C=${CONNECTIONS:-32}
VOKTER=${VOKTER:-$ROOT/build/release/vokter}
[ -x "$VOKTER" ] || { echo "isso_bench: $VOKTER is missing (make build)" >&2; exit 2; }
for tool in wrk curl; do
    command -v $tool >/dev/null || { echo "isso_bench: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
WORK=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

TOKEN=$("$VOKTER" moderator add bench --db "$WORK/bench.db" 2>/dev/null | grep -E '^[0-9a-f]{64}$')
VOKTER_RATE_LIMIT_PER_MINUTE=0 VOKTER_LOG_REQUESTS=false \
    "$VOKTER" serve --listen 127.0.0.1:0 --db "$WORK/bench.db" 2>"$WORK/vokter.log" &
PID=$!
PORT=""
for _ in $(seq 1 400); do
    PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/vokter.log")
    [ -n "$PORT" ] && break
    sleep 0.05
done
[ -n "$PORT" ] || { echo "isso_bench: vokter did not start:" >&2; cat "$WORK/vokter.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"

# The thread both GETs read: 50 comments, approved by a moderator (the flood rule holds most).
IDS=()
for i in $(seq 1 50); do
    IDS+=("$(curl -s -XPOST "$BASE/api/comments" -H 'Content-Type: application/json' \
        -d "{\"thread\":\"/blogg/lesverdig\",\"name\":\"Leser $i\",\"body\":\"Kommentar nummer $i: takk for et godt og grundig innlegg om blåbær og æøå.\"}" |
        grep -oE '"id":[0-9]+' | head -1 | cut -d: -f2)")
done
curl -s -o /dev/null -XPOST "$BASE/api/moderation/decisions" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "{\"ids\":[$(IFS=,; echo "${IDS[*]}")],\"action\":\"approve\"}"
SHOWN=$(curl -s "$BASE/isso/?uri=%2Fblogg%2Flesverdig" | grep -o '"mode":1' | wc -l)
[ "$SHOWN" = 50 ] || { echo "isso_bench: the Isso thread shows $SHOWN comments, not 50" >&2; exit 1; }

run() {  # SCRIPT -> the RESULT fields
    wrk -t2 -c"$C" -d"${SLICE}s" --timeout 5s -s "$ROOT/bench/wrk/$1" "$BASE" -- "$(date +%s%N)" |
        grep '^RESULT' | sed 's/^RESULT //'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
declare -A REQ SEC P99 ERR
pair() {  # LABEL NATIVE_SCRIPT ISSO_SCRIPT
    local r
    # A B B A A B: the database grows with every POST slice, and a drift that is linear in time
    # falls on both sides alike in this order (native first, then Isso, would favour native).
    for side in native isso isso native native isso; do
        {
            r=$(run "$([ $side = native ] && echo "$2" || echo "$3")")
            REQ[$1.$side]=$(( ${REQ[$1.$side]:-0} + $(field "$r" requests) ))
            SEC[$1.$side]=$(awk -v a="${SEC[$1.$side]:-0}" -v b="$(field "$r" seconds)" 'BEGIN { print a + b }')
            local p=$(field "$r" p99_us)
            [ "$p" -gt "${P99[$1.$side]:-0}" ] && P99[$1.$side]=$p
            ERR[$1.$side]=$(( ${ERR[$1.$side]:-0} + $(field "$r" errors) + $(field "$r" non2xx) ))
        }
    done
}
pair get get_thread.lua isso_thread.lua
# Writes get slower as the database grows, fastest at the start: a warm-up of both POSTs first
# (not counted), so that the growth during the measured slices is a small share of the file.
run post_comments.lua >/dev/null
run isso_new.lua >/dev/null
pair post post_comments.lua isso_new.lua

rps() { awk -v r="${REQ[$1]}" -v s="${SEC[$1]}" 'BEGIN { printf "%.0f", r / s }'; }
echo "| route ($C connections, 3 × ${SLICE} s each, A B B A A B) | native req/s | Isso req/s | Isso / native | native p99 ms | Isso p99 ms | errors |"
echo "|---|---|---|---|---|---|---|"
for what in get post; do
    n=$(rps $what.native); i=$(rps $what.isso)
    label=$([ $what = get ] && echo "GET the 50-comment thread" || echo "POST a comment")
    echo "| $label | $n | $i | $(awk -v a="$i" -v b="$n" 'BEGIN { printf "%.0f%%", 100 * a / b }') |" \
         "$(awk -v u="${P99[$what.native]}" 'BEGIN { printf "%.2f", u / 1000 }') |" \
         "$(awk -v u="${P99[$what.isso]}" 'BEGIN { printf "%.2f", u / 1000 }') |" \
         "$(( ${ERR[$what.native]} + ${ERR[$what.isso]} )) |"
done

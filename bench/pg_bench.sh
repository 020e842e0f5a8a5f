#!/usr/bin/env bash
# Vokter on PostgreSQL against Vokter on SQLite, in one run on this machine: POST /api/comments
# and GET a 50-comment thread page at 32 connections, one `vokter serve` (release build, default
# rules, durable commits: SQLite durability=full, PostgreSQL synchronous_commit=on with fsync on)
# on each store, in alternating slices (SQLite, PostgreSQL, PostgreSQL, SQLite, SQLite,
# PostgreSQL) so that a change in the shared machine's speed, or the databases' growth, falls on
# both alike. Then two replicas on the one PostgreSQL database, 16 connections each at the same
# time, against one replica with 32, in the same order. PostgreSQL is a throwaway cluster
# (scripts/pg-cluster.sh) on the same disk and cores.
# Prints requests per second, p99 and errors, and the ratios the issue sets: PostgreSQL POST
# >= 70% of SQLite's, two replicas >= one, GET >= 50%, p99 < 20 ms, no errors.
# Usage: bench/pg_bench.sh [SECONDS_PER_SLICE]     (uses build/release/vokter; `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SLICE=${1:-5}
C=${CONNECTIONS:-32}
VOKTER=${VOKTER:-$ROOT/build/release/vokter}
[ -x "$VOKTER" ] || { echo "pg_bench: $VOKTER is missing (make build)" >&2; exit 2; }
for tool in wrk curl; do
    command -v $tool >/dev/null || { echo "pg_bench: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
WORK=$(mktemp -d)
PG_DIR=/tmp/vokter-bench-pg-$$
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
chmod 755 "$WORK"
PG=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")

start() {  # NAME DB: starts `vokter serve` in this shell (not a subshell: its pid is kept for
          # the cleanup), and sets PORT
    : >"$WORK/$1.log"  # made here: the server's own redirection may come after the first read
    VOKTER_RATE_LIMIT_PER_MINUTE=0 VOKTER_LOG_REQUESTS=false \
        "$VOKTER" serve --listen 127.0.0.1:0 --db "$2" 2>"$WORK/$1.log" &
    PIDS+=($!)
    PORT=""
    for _ in $(seq 1 400); do
        PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/$1.log")
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || { echo "pg_bench: vokter ($1) did not start:" >&2; cat "$WORK/$1.log" >&2; exit 1; }
}

# The thread the GETs read: 50 comments, approved by a moderator, on each store.
seed() {  # DB PORT
    local token ids=()
    token=$("$VOKTER" moderator add "bench$RANDOM" --db "$1" 2>/dev/null | grep -E '^[0-9a-f]{64}$')
    for i in $(seq 1 50); do
        ids+=("$(curl -s -XPOST "http://127.0.0.1:$2/api/comments" -H 'Content-Type: application/json' \
            -d "{\"thread\":\"/blogg/lesverdig\",\"name\":\"Leser $i\",\"body\":\"Kommentar nummer $i: takk for et godt og grundig innlegg om blåbær og æøå.\"}" |
            grep -oE '"id":[0-9]+' | head -1 | cut -d: -f2)")
    done
    curl -s -o /dev/null -XPOST "http://127.0.0.1:$2/api/moderation/decisions" \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"ids\":[$(IFS=,; echo "${ids[*]}")],\"action\":\"approve\"}"
    local shown
    shown=$(curl -s "http://127.0.0.1:$2/api/comments?thread=/blogg/lesverdig&limit=50" | grep -o '"body"' | wc -l)
    [ "$shown" = 50 ] || { echo "pg_bench: the thread shows $shown comments, not 50" >&2; exit 1; }
}

start sqlite "$WORK/bench.db"
SQLITE_PORT=$PORT
start postgresql "$PG"
PG_PORT=$PORT
seed "$WORK/bench.db" "$SQLITE_PORT"
seed "$PG" "$PG_PORT"

run() {  # SCRIPT PORT CONNECTIONS -> the RESULT fields
    wrk -t2 -c"$3" -d"${SLICE}s" --timeout 5s -s "$ROOT/bench/wrk/$1" "http://127.0.0.1:$2" -- "$(date +%s%N)" |
        grep '^RESULT' | sed 's/^RESULT //'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
declare -A REQ SEC P99 ERR
add() {  # KEY RESULT
    REQ[$1]=$(( ${REQ[$1]:-0} + $(field "$2" requests) ))
    SEC[$1]=$(awk -v a="${SEC[$1]:-0}" -v b="$(field "$2" seconds)" 'BEGIN { print a + b }')
    local p
    p=$(field "$2" p99_us)
    [ "$p" -gt "${P99[$1]:-0}" ] && P99[$1]=$p
    ERR[$1]=$(( ${ERR[$1]:-0} + $(field "$2" errors) + $(field "$2" non2xx) ))
}
pair() {  # LABEL SCRIPT: A B B A A B over the two stores
    for side in sqlite postgresql postgresql sqlite sqlite postgresql; do
        add "$1.$side" "$(run "$2" "$([ $side = sqlite ] && echo "$SQLITE_PORT" || echo "$PG_PORT")" "$C")"
    done
}
pair get get_thread.lua
# Writes get slower as a database grows: a warm-up of both first (not counted).
run post_comments.lua "$SQLITE_PORT" "$C" >/dev/null
run post_comments.lua "$PG_PORT" "$C" >/dev/null
pair post post_comments.lua

# Two replicas on the one database: the second starts now, and each takes half the connections.
start postgresql-2 "$PG"
PG2_PORT=$PORT
for side in one two two one one two; do
    if [ $side = one ]; then
        add "replicas.one" "$(run post_comments.lua "$PG_PORT" "$C")"
    else
        run post_comments.lua "$PG_PORT" $(( C / 2 )) >"$WORK/a.result" &
        run post_comments.lua "$PG2_PORT" $(( C / 2 )) >"$WORK/b.result"
        wait $!
        a=$(cat "$WORK/a.result"); b=$(cat "$WORK/b.result")
        # The slices ran side by side: their requests add up over one slice's time.
        REQ[replicas.two]=$(( ${REQ[replicas.two]:-0} + $(field "$a" requests) + $(field "$b" requests) ))
        SEC[replicas.two]=$(awk -v s="${SEC[replicas.two]:-0}" -v x="$(field "$a" seconds)" -v y="$(field "$b" seconds)" \
            'BEGIN { print s + (x > y ? x : y) }')
        for r in "$a" "$b"; do
            p=$(field "$r" p99_us)
            [ "$p" -gt "${P99[replicas.two]:-0}" ] && P99[replicas.two]=$p
            ERR[replicas.two]=$(( ${ERR[replicas.two]:-0} + $(field "$r" errors) + $(field "$r" non2xx) ))
        done
    fi
done

rps() { awk -v r="${REQ[$1]}" -v s="${SEC[$1]}" 'BEGIN { printf "%.0f", r / s }'; }
ms() { awk -v u="${P99[$1]}" 'BEGIN { printf "%.2f", u / 1000 }'; }
ratio() { awk -v a="$(rps "$1")" -v b="$(rps "$2")" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
echo "| what ($C connections, 3 × ${SLICE} s each side, A B B A A B) | SQLite req/s | PostgreSQL req/s | PostgreSQL / SQLite | SQLite p99 ms | PostgreSQL p99 ms | errors |"
echo "|---|---|---|---|---|---|---|"
for what in get post; do
    label=$([ $what = get ] && echo "GET the 50-comment thread" || echo "POST a comment")
    echo "| $label | $(rps $what.sqlite) | $(rps $what.postgresql) | $(ratio $what.postgresql $what.sqlite) |" \
         "$(ms $what.sqlite) | $(ms $what.postgresql) | $(( ${ERR[$what.sqlite]} + ${ERR[$what.postgresql]} )) |"
done
echo
echo "| POST on PostgreSQL ($C connections in all) | req/s | p99 ms | errors |"
echo "|---|---|---|---|"
echo "| one replica, $C connections | $(rps replicas.one) | $(ms replicas.one) | ${ERR[replicas.one]} |"
echo "| two replicas, $(( C / 2 )) connections each | $(rps replicas.two) | $(ms replicas.two) | ${ERR[replicas.two]} |"
echo "| two / one | $(ratio replicas.two replicas.one) | | |"

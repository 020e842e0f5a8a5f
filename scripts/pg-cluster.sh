#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests and the benchmarks: initdb in DIR as an
# unprivileged user (PostgreSQL refuses to run as root), listening only on a Unix socket in DIR,
# fsync on. Prints the libpq connection string of its `postgres` database on standard output.
# Usage: scripts/pg-cluster.sh start DIR    (DIR is made; an existing cluster there is reused)
#        scripts/pg-cluster.sh stop DIR     (stops it and removes DIR)
#        scripts/pg-cluster.sh halt DIR     (stops the server, keeping its data: start again)
#        scripts/pg-cluster.sh crash DIR    (stops it as a crash would: no checkpoint, sessions
#                                            cut; the next start recovers from the WAL)
#        scripts/pg-cluster.sh conninfo DIR
set -euo pipefail

command="${1:-}"
dir="${2:-}"
if [ -z "$command" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop|halt|crash|conninfo DIR" >&2
    exit 2
fi
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "pg-cluster: PostgreSQL's server is not installed (scripts/install-deps.sh postgresql)" >&2
    exit 1
fi

# Whom the cluster runs as: the caller, or, for root, the postgres user Debian's package makes.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
fi
owner="$(if [ ${#as_owner[@]} -gt 0 ]; then echo postgres; else id -un; fi)"

conninfo() {
    echo "host=$dir port=5432 user=$owner dbname=postgres"
}

case "$command" in
    start)
        mkdir -p "$dir"
        dir="$(cd "$dir" && pwd)"
        [ ${#as_owner[@]} -gt 0 ] && chown postgres: "$dir"
        if [ ! -f "$dir/data/PG_VERSION" ]; then
            "${as_owner[@]}" "$bin/initdb" --pgdata="$dir/data" --auth=trust --encoding=UTF8 \
                --locale=C.UTF-8 --username="$owner" >"$dir/initdb.log" 2>&1 ||
                { cat "$dir/initdb.log" >&2; exit 1; }
        fi
        # A cluster a run that was stopped half-way left running: use it as it is.
        if "${as_owner[@]}" "$bin/pg_ctl" --pgdata="$dir/data" status >/dev/null 2>&1; then
            conninfo
            exit 0
        fi
        # Only the socket: nothing listens on the network. fsync stays on (the default), so a
        # commit the tests see acknowledged is on the disk as in production.
        "${as_owner[@]}" "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
            --options="-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=on \
                       -c max_connections=300 -c shared_buffers=256MB" start >/dev/null ||
            { cat "$dir/server.log" >&2; exit 1; }
        conninfo
        ;;
    stop)
        [ -d "$dir" ] || exit 0
        if [ -f "$dir/data/postmaster.pid" ]; then
            "${as_owner[@]}" "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop \
                >/dev/null || true
        fi
        rm -rf "$dir"
        ;;
    halt)
        "${as_owner[@]}" "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null
        ;;
    crash)
        "${as_owner[@]}" "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop \
            >/dev/null
        ;;
    conninfo)
        conninfo
        ;;
    *)
        echo "usage: $0 start|stop|halt|crash|conninfo DIR" >&2
        exit 2
        ;;
esac

#!/usr/bin/env bash
# A throwaway Postgres server for the storage tests, on a free loopback port.
#
#   eval "$(scripts/pg.sh start)"   # installs Debian postgresql if missing, starts a server,
#                                   # prints `export STORELYTICS_PG_URL=...` (+ _DATA, _CTL, _DIR)
#   scripts/pg.sh restart           # starts the server of $STORELYTICS_PG_DIR again (crash test)
#   scripts/pg.sh stop              # stops it and removes its files
#
# Postgres refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

cmd=${1:-start}

pgbin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
        echo "installing postgresql (Debian package)" >&2
        if [[ $(id -u) -eq 0 ]]; then
            (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql) >&2
        else
            (sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql) >&2
        fi
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    echo "$bin"
}

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "no free port found" >&2
    exit 1
}

start_server() {
    local dir=$1
    # shellcheck disable=SC1091
    source "$dir/server.env"
    # -t 300: after a kill -9 the restart first syncs the data directory, which can take minutes
    # on a loaded machine.
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" \
        -o "-p $PORT -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" -w -t 300 start >&2
}

case "$cmd" in
start)
    PGBIN=$(pgbin)
    dir=$(mktemp -d /tmp/storelytics-pg.XXXXXX)
    chmod 755 "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
    PORT=$(free_port)
    printf 'PGBIN=%s\nPORT=%s\n' "$PGBIN" "$PORT" | as_pg tee "$dir/server.env" >/dev/null
    start_server "$dir"
    echo "export STORELYTICS_PG_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
    echo "export STORELYTICS_PG_DIR=$dir"
    echo "export STORELYTICS_PG_DATA=$dir/data"
    echo "export STORELYTICS_PG_CTL=$PGBIN/pg_ctl"
    ;;
restart)
    dir=${STORELYTICS_PG_DIR:?set STORELYTICS_PG_DIR (printed by pg.sh start)}
    # After a kill -9, wait until the old postmaster is gone (or a zombie) and its orphaned
    # backends have noticed, then start; retry a few times.
    pidfile="$dir/data/postmaster.pid"
    for _ in $(seq 1 100); do
        [[ -f "$pidfile" ]] || break
        pid=$(head -1 "$pidfile")
        state=$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo gone)
        [[ -z "$state" || "$state" == gone || "$state" == Z ]] && break
        sleep 0.2
    done
    sleep 1
    for attempt in 1 2 3 4 5; do
        if start_server "$dir"; then exit 0; fi
        echo "start attempt $attempt failed; retrying" >&2
        sleep 2
    done
    exit 1
    ;;
stop)
    dir=${STORELYTICS_PG_DIR:?set STORELYTICS_PG_DIR (printed by pg.sh start)}
    # shellcheck disable=SC1091
    source "$dir/server.env"
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|restart|stop" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the tests (study storage, event sources).
#
#   scripts/postgres-test-server.sh start   start it (or reuse the running one); prints its URL on stdout
#   scripts/postgres-test-server.sh url     print the URL of the running server (exit 1 if none)
#   scripts/postgres-test-server.sh stop    stop it and delete its files
#
# The cluster lives in $FLEDGE_PG_DIR (default /tmp/fledge-postgres-test), listens on 127.0.0.1 only, on the
# first free port from $FLEDGE_PG_PORT (default 54329), trusts every loopback connection and has a database
# `fledge_test`: the URL is postgresql://postgres@127.0.0.1:<port>/fledge_test (also written to <dir>/url).
# It uses initdb/pg_ctl of Debian's `postgresql` package (scripts/setup.sh installs it). PostgreSQL refuses
# to run as root, so as root (CI) the server runs as the `postgres` user. Durability is switched off
# (fsync=off): the data is scratch.
#
# Where PostgreSQL is not installed, `start` prints nothing on stdout, explains on stderr and exits 0, so
# `make test` goes on and the PostgreSQL tests skip with a message. Any other failure exits non-zero.
set -euo pipefail

dir=${FLEDGE_PG_DIR:-/tmp/fledge-postgres-test}
first_port=${FLEDGE_PG_PORT:-54329}
database=fledge_test

say() { echo "postgres-test-server: $*" >&2; }

pg_bin=""
for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && pg_bin=$candidate   # the glob sorts ascending: keep the newest version
done
if [ -z "$pg_bin" ] && command -v initdb >/dev/null 2>&1; then
    pg_bin=$(dirname "$(command -v initdb)")
fi

# Runs a PostgreSQL program as the user owning the cluster (postgres when we are root).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() {
    [ -f "$dir/data/PG_VERSION" ] && as_owner "$pg_bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url_of() { echo "postgresql://postgres@127.0.0.1:$1/$database"; }

start() {
    if [ -z "$pg_bin" ]; then
        say "PostgreSQL (initdb, pg_ctl) is not installed: the PostgreSQL tests will skip. Install it with scripts/setup.sh (apt package postgresql)."
        return 0
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        say "running as root but there is no 'postgres' user to run the server as; reinstall the postgresql package"
        return 1
    fi
    if is_running && [ -f "$dir/url" ]; then
        cat "$dir/url"
        return 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    port=$first_port
    while port_in_use "$port"; do
        port=$((port + 1))
        [ "$port" -gt $((first_port + 20)) ] && { say "no free port in $first_port..$((first_port + 20))"; return 1; }
    done
    as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
        say "initdb failed; see $dir/initdb.log"; cat "$dir/initdb.log" >&2; return 1; }
    # 9>&-: the server must not inherit (and so hold forever) the lock taken below.
    as_owner "$pg_bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null 9>&- || { say "the server did not start; see $dir/server.log"; tail -20 "$dir/server.log" >&2; return 1; }
    as_owner "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
    url_of "$port" | as_owner tee "$dir/url" >/dev/null
    say "started PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
    cat "$dir/url"
}

stop() {
    if [ -n "$pg_bin" ] && is_running; then
        as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null
        say "stopped"
    fi
    rm -rf "$dir"
}

command=${1:-}
case "$command" in
    start | stop)
        # One caller at a time: several `make test` runs on one machine share the server.
        exec 9>"/tmp/fledge-postgres-test.lock"
        flock 9
        "$command"
        ;;
    url)
        if [ -n "$pg_bin" ] && is_running && [ -f "$dir/url" ]; then cat "$dir/url"; else exit 1; fi
        ;;
    *)
        echo "usage: $0 start|url|stop" >&2
        exit 2
        ;;
esac

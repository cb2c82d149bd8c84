#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   scripts/with-postgres.sh CMD ARGS...
#
# Creates a cluster in a temp dir (owned by the `postgres` user when run as
# root, since initdb refuses root), listening on a free port on 127.0.0.1,
# with a superuser role and database both named `impactlog`. Exports
# DATABASE_URL (and PGHOST/PGPORT/PGUSER/PGDATABASE) for CMD, then always
# stops the cluster and deletes the temp dir. Exits with CMD's exit code.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

is_root() { [ "$(id -u)" -eq 0 ]; }

# Locate the server binaries: pg_config, then Debian's versioned dirs, then PATH.
find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir)
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    return 1
}

if ! bindir=$(find_bindir); then
    if ! is_root; then
        echo "$0: PostgreSQL server binaries not found; install Debian package 'postgresql'" >&2
        exit 1
    fi
    echo "$0: installing Debian package postgresql" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    bindir=$(find_bindir)
fi

tmp=$(mktemp -d -t impactlog-pg.XXXXXX)
data="$tmp/data"
started=""

# Run a server-side command as the cluster owner, from a dir it can read.
as_owner() {
    if is_root; then
        (cd "$tmp" && runuser -u postgres -- "$@")
    else
        (cd "$tmp" && "$@")
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$started" ]; then
        as_owner "$bindir/pg_ctl" -D "$data" stop -m fast -s >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if is_root; then chown postgres: "$tmp"; fi

as_owner "$bindir/initdb" -D "$data" -A trust -U impactlog \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null

# Ask the kernel for a free port (tiny race until the server binds it).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Durability is pointless for a throwaway cluster: turn it off for speed.
started=1
if ! as_owner "$bindir/pg_ctl" -D "$data" -l "$tmp/server.log" -w -s start \
    -o "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c listen_addresses=127.0.0.1 -p $port -k $tmp"; then
    echo "$0: PostgreSQL failed to start:" >&2
    cat "$tmp/server.log" >&2 || true
    exit 1
fi

for _ in $(seq 50); do
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.1
done
"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U impactlog impactlog

export DATABASE_URL="postgres://impactlog@127.0.0.1:$port/impactlog"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=impactlog PGDATABASE=impactlog

# Run CMD in the background (keeping our stdin) so that a signal to this
# script is forwarded to it and the cleanup runs without waiting for it.
"$@" <&0 &
child=$!
forward() { kill -"$1" "$child" 2>/dev/null || true; wait "$child" || true; exit "$2"; }
trap 'forward INT 130' INT
trap 'forward TERM 143' TERM
wait "$child"

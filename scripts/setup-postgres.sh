#!/usr/bin/env bash
# A private PostgreSQL for the store's tests (and for trying `--db postgres://…` by hand):
# Debian's postgresql, its data in a folder of its own owned by a non-root user, listening on
# 127.0.0.1 and a socket in that folder only. Idempotent: installs what is missing, initialises
# once, starts the server when it is not running. Prints the database URL on its last line.
#   scripts/setup-postgres.sh            install, initialise, start; print the URL
#   scripts/setup-postgres.sh install    only install the package (scripts/setup.sh calls this)
#   scripts/setup-postgres.sh stop       stop the server
# COLDBENCH_PG_DIR (default /var/tmp/coldbench-postgres-$UID) and COLDBENCH_PG_PORT (default 54329).
set -euo pipefail
. "$(dirname "$0")/lib/as-root.sh"

DIR=${COLDBENCH_PG_DIR:-/var/tmp/coldbench-postgres-$(id -u)}
PORT=${COLDBENCH_PG_PORT:-54329}
DATABASE=coldbench
ROLE=coldbench

say() { echo "setup-postgres: $*" >&2; }

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_package() {
  if [ -n "$(bin_dir)" ] && [ -x "$(bin_dir)/pg_ctl" ]; then return 0; fi
  if ! can_be_root || ! command -v apt-get >/dev/null; then
    say "PostgreSQL is not installed and only root can install it: sudo apt-get install -y postgresql"
    return 1
  fi
  say "installing postgresql"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

# PostgreSQL refuses to run as root: as root, the server runs as Debian's "postgres" user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  install) install_package; exit $? ;;
  stop)
    BIN=$(bin_dir)
    [ -f "$DIR/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null || true
    exit 0 ;;
  start) ;;
  *) say "unknown action \"$1\", expected start, install or stop"; exit 2 ;;
esac

install_package
BIN=$(bin_dir)
if [ "$(id -u)" = 0 ]; then OWNER=postgres; else OWNER=$(id -un); fi
mkdir -p "$DIR"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"
if [ ! -f "$DIR/data/PG_VERSION" ]; then
  say "initialising $DIR/data"
  rm -rf "$DIR/data"
  as_owner "$BIN/initdb" -D "$DIR/data" -U "$ROLE" --auth=trust --encoding=UTF8 --no-instructions >/dev/null
fi
if ! as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  say "starting PostgreSQL on 127.0.0.1:$PORT (log $DIR/server.log)"
  # setsid: the server outlives this script and the test run that started it.
  as_owner setsid "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=on" start >/dev/null </dev/null
fi
if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$ROLE" "$DATABASE"
fi
echo "postgres://$ROLE@127.0.0.1:$PORT/$DATABASE"

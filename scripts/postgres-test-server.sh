#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks (issue 14):
#
#   eval "$(scripts/postgres-test-server.sh start [--durable])"   # sets SLOWREG_TEST_POSTGRES*
#   scripts/postgres-test-server.sh stop "$SLOWREG_TEST_POSTGRES_DIR"
#
# `start` installs Debian's postgresql when its programs are missing, makes a
# cluster in a new temporary directory as an unprivileged user (the
# `postgres` account when run as root), listens on loopback only at a free
# port with password authentication, creates the database slowreg_test, and
# prints the shell assignments of
#   SLOWREG_TEST_POSTGRES       postgresql://slowreg:slowreg@127.0.0.1:PORT/slowreg_test
#   SLOWREG_TEST_POSTGRES_BIN   the server's bin directory (createdb, psql, …)
#   SLOWREG_TEST_POSTGRES_DIR   the directory to give `stop`
# Without --durable the server skips fsync (nothing in it outlives the run).
# `stop` shuts the server down and deletes the directory.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$OWNER" -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  durable=0; [ "${2:-}" = "--durable" ] && durable=1
  BIN=$(find_bin)
  if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "postgres-test-server: installing postgresql" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    BIN=$(find_bin)
  fi
  OWNER=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    OWNER=postgres
    id "$OWNER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER"
  fi
  DIR=$(mktemp -d /tmp/slowreg-pg.XXXXXX)
  chmod 755 "$DIR"
  echo slowreg > "$DIR/password"
  chown -R "$OWNER" "$DIR"
  as_owner "$BIN/initdb" -D "$DIR/data" -U slowreg --pwfile="$DIR/password" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  options="-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200"
  [ "$durable" -eq 1 ] || options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -o "$options" -l "$DIR/server.log" -w -t 60 start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
  PGPASSWORD=slowreg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U slowreg slowreg_test
  echo "export SLOWREG_TEST_POSTGRES=postgresql://slowreg:slowreg@127.0.0.1:$PORT/slowreg_test"
  echo "export SLOWREG_TEST_POSTGRES_BIN=$BIN"
  echo "export SLOWREG_TEST_POSTGRES_DIR=$DIR"
  ;;
stop)
  DIR=${2:?usage: postgres-test-server.sh stop DIR}
  BIN=$(find_bin)
  OWNER=$(stat -c %U "$DIR/data" 2>/dev/null || id -un)
  if [ -d "$DIR/data" ]; then as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"
  ;;
*)
  echo "usage: postgres-test-server.sh start [--durable] | stop DIR" >&2
  exit 2
  ;;
esac

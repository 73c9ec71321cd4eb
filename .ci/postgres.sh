#!/usr/bin/env bash
# Installs PostgreSQL's server binaries (Debian's `postgresql` package) for
# the store's PostgreSQL tests when `initdb` is not found; does nothing
# otherwise. Idempotent. The tests start their own throwaway server
# (crates/rasd-store/tests/pg) as the `postgres` user the package creates.
set -euo pipefail

found() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && return 0
  done
  return 1
}

if found; then
  echo "postgres.sh: PostgreSQL server binaries present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "postgres.sh: installing Debian's postgresql package"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# The package starts a cluster of its own; the tests do not use it.
$SUDO service postgresql stop >/dev/null 2>&1 || true
found || { echo "postgres.sh: initdb still not found" >&2; exit 1; }
echo "postgres.sh: installed"

#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries are on this machine, for the
# embedded default database and for the tests. Already there: nothing to
# do. Missing, as root on Debian/Ubuntu: installs Debian's `postgresql`
# package (without the distribution's own "main" cluster and service).
# Otherwise: says exactly what to run, and fails.
set -euo pipefail

found() {
  local dirs=()
  if command -v postgres >/dev/null 2>&1; then dirs+=("$(dirname "$(readlink -f "$(command -v postgres)")")"); fi
  if command -v pg_config >/dev/null 2>&1; then dirs+=("$(pg_config --bindir)"); fi
  dirs+=(/usr/lib/postgresql/*/bin)
  for d in "${dirs[@]}"; do
    if [ -x "$d/postgres" ] && [ -x "$d/initdb" ]; then
      return 0
    fi
  done
  return 1
}

if found; then
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
  mkdir -p /etc/postgresql-common
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  found && exit 0
fi

cat >&2 <<'MSG'
PostgreSQL server binaries not found: install PostgreSQL 15 or newer, or set DATABASE_URL.
On Debian/Ubuntu run:  sudo apt-get install postgresql
MSG
exit 1

#!/usr/bin/env bash
# Makes sure a PostgreSQL server accepts trust connections as postgres on 127.0.0.1:5432:
# starts the installed cluster, or installs Debian's server when there is none.
set -uo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
command -v pg_isready >/dev/null && ready && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-postgres: no PostgreSQL on 127.0.0.1:5432 and not root to start one" >&2
  exit 0   # the tests then report it (and fail under CI)
fi
if ! command -v pg_ctlcluster >/dev/null; then
  echo "ensure-postgres: installing PostgreSQL"
  [ -f /tmp/.counterdesk-apt-updated ] || { apt-get update -qq >/dev/null && touch /tmp/.counterdesk-apt-updated; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || exit 0
fi
ver=$(ls /etc/postgresql | sort -V | tail -1)
hba=/etc/postgresql/$ver/main/pg_hba.conf
if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
  sed -i '0,/^host/s//host    all             all             127.0.0.1\/32            trust\nhost/' "$hba"
fi
pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$ver" main reload 2>/dev/null
for _ in $(seq 30); do ready && exit 0; sleep 1; done
echo "ensure-postgres: PostgreSQL did not come up" >&2
exit 0

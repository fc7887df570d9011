#!/usr/bin/env bash
# The update test with real packages (root):
#
#   packaging/test-update.sh [--from REF] [--new-deb FILE]
#
# 1. The previous release: a git worktree of REF (default below), i.e. that commit's program and schema,
#    built into a .deb by TODAY's packaging scripts (build-deb.sh, the spec and icons.py are copied into
#    the worktree: the older tree has none or older ones) and labelled <version>~prev.<commit>, which
#    dpkg orders before today's version.
# 2. It is installed with dpkg, and the older program makes the data, as an ordinary user: its demo
#    data (customers, readings, bills, payments in shifts, matters) written into the store
#    counterdesk.sqlite of a temporary data folder. Its schema revision, the row count of every table
#    and a customer search are written down.
# 3. Today's package (built, or --new-deb FILE) is installed over it with dpkg (an upgrade).
# 4. Today's program starts the window on that store offscreen until ready: it migrates the store on
#    this first start, after a copy into backups/ (app/db/migrate.py).
# 5. Checked: the schema is today's head; every table of the older schema has the rows it had; the
#    backup copy is there and still at the older revision; the audit chains verify; the same search
#    finds the same accounts; then the package is purged and the data is still there.
# What this shows and what not: a real older build with a real older schema migrated by the newer
# build; the older program is built with today's Python packages (the venv), not the ones it shipped with.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# The previous release: the tree before issue 16 (installers) began, schema 0015_report_indexes.
from=decb6bf
new_deb=
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from=$2; shift 2 ;;
    --new-deb) new_deb=$(realpath "$2"); shift 2 ;;
    *) echo "usage: test-update.sh [--from REF] [--new-deb FILE]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "test-update.sh: run as root (it installs packages)" >&2; exit 2; }
dpkg -s counterdesk >/dev/null 2>&1 && { echo "test-update.sh: counterdesk is installed here; remove it first" >&2; exit 2; }
PY=$ROOT/.venv/bin/python
fail() { echo "test-update.sh: FAILED: $*" >&2; exit 1; }
say() { echo "test-update.sh: $*" >&2; }

tmp=$(mktemp -d /tmp/counterdesk-update.XXXXXX)
chmod 755 "$tmp"
wt=$tmp/previous
cleanup() {
  dpkg -s counterdesk >/dev/null 2>&1 && dpkg --purge counterdesk >/dev/null 2>&1 || true
  git -C "$ROOT" worktree remove --force "$wt" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

commit=$(git rev-parse --short "$from")
version=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
old_version="${version}~prev.${commit}"
git worktree add --detach "$wt" "$commit" >/dev/null 2>&1 || fail "git worktree add $commit"
cp packaging/build-deb.sh packaging/counterdesk.spec packaging/icons.py "$wt/packaging/"
mkdir -p "$wt/resources/icons"
cp resources/icons/counterdesk.svg "$wt/resources/icons/"
head_of() { # a migrations/versions folder -> its head revision (the one no other names as its parent)
  "$PY" - "$1" <<'EOF'
import re, sys
from pathlib import Path
revisions, parents = set(), set()
for path in Path(sys.argv[1]).glob("*.py"):
    source = path.read_text(encoding="utf-8")
    revisions.update(re.findall(r"^revision = [\"']([^\"']+)[\"']", source, re.M))
    parents.update(re.findall(r"^down_revision = [\"']([^\"']+)[\"']", source, re.M))
(head,) = revisions - parents
print(head)
EOF
}
old_head=$(head_of "$wt/app/db/migrations/versions")
say "previous release: $commit (schema $old_head) as $old_version; today: $version"

SECONDS=0
# PYTHONPATH: the worktree's app package, not the checkout's (installed in the venv as editable)
old_deb=$(PYTHONPATH="$wt" COUNTERDESK_PYTHON="$PY" bash "$wt/packaging/build-deb.sh" --fast --version "$old_version" --out "$tmp/out" | tail -1)
say "previous release built in ${SECONDS} s: $(du -h "$old_deb" | cut -f1)"
if [ -z "$new_deb" ]; then
  SECONDS=0
  new_deb=$(bash packaging/build-deb.sh --fast --out "$tmp/out" | tail -1)
  say "today's package built in ${SECONDS} s: $(du -h "$new_deb" | cut -f1)"
fi

dpkg -i "$old_deb" >"$tmp/dpkg-old.log" 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >>"$tmp/dpkg-old.log" 2>&1 || { cat "$tmp/dpkg-old.log" >&2; fail "installing the previous release"; }; }
bundled=$(ls /opt/counterdesk/_internal/app/db/migrations/versions | grep -c '\.py$')
[ "$bundled" = "$(ls "$wt/app/db/migrations/versions" | grep -c '\.py$')" ] || fail "the installed previous release does not carry $commit's migrations"

data=$tmp/data
install -d -o nobody -g nogroup "$data" "$tmp/home"
as_user() { runuser -u nobody -- env HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/home" COUNTERDESK_DATA_DIR="$data" QT_QPA_PLATFORM=offscreen "$@"; }
store=$data/counterdesk.sqlite

SECONDS=0
as_user counterdesk --demo --db "sqlite:///$store" find 王 --json >"$tmp/find-before.json" 2>"$tmp/make.err" || { cat "$tmp/make.err" >&2; fail "the previous release could not make its data"; }
say "previous release made its data in ${SECONDS} s"

snapshot() { # FILE -> JSON {"revision": ..., "tables": {name: rows}}
  "$PY" - "$1" <<'EOF'
import json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
print(json.dumps({"revision": conn.execute("SELECT version_num FROM alembic_version").fetchone()[0],
                  "tables": {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}}))
EOF
}
snapshot "$store" >"$tmp/before.json"
say "data: $("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["tables"]; print(d["revision"], "|", ", ".join(f"{k} {t[k]}" for k in ("customers", "accounts", "bills", "payments", "matters") if k in t))' "$tmp/before.json")"
[ "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["revision"])' "$tmp/before.json")" = "$old_head" ] || fail "the data is not at the previous release's schema"

SECONDS=0
dpkg -i "$new_deb" >"$tmp/dpkg-new.log" 2>&1 || { cat "$tmp/dpkg-new.log" >&2; fail "installing today's package over the previous release"; }
[ "$(dpkg-query -W -f '${Version}' counterdesk)" = "$version" ] || fail "not upgraded"
[ "$(counterdesk --version)" = "counterdesk $version" ] || fail "the upgraded program is not today's"
[ -f "$store" ] || fail "the upgrade touched the data"
new_head=$(head_of /opt/counterdesk/_internal/app/db/migrations/versions)
say "upgraded with dpkg in ${SECONDS} s; today's package carries schema $new_head"
[ "$old_head" != "$new_head" ] || say "note: $commit has today's schema ($new_head): no migration will run"

SECONDS=0
out=$(as_user env COUNTERDESK_EXIT_WHEN_READY=1 COUNTERDESK_AUTOLOGIN=zhangli:clerk123 timeout 300 counterdesk 2>"$tmp/gui.err") || { cat "$tmp/gui.err" >&2; fail "today's window did not start on the older data"; }
echo "$out" | grep -q '^ready ' || { echo "$out" >&2; cat "$tmp/gui.err" >&2; fail "window not ready"; }
say "first start of today's program (migration included): ${SECONDS} s; $out"

snapshot "$store" >"$tmp/after.json"
as_user counterdesk find 王 --json >"$tmp/find-after.json" 2>"$tmp/find.err" || { cat "$tmp/find.err" >&2; fail "find after the update"; }
as_user counterdesk audit verify >"$tmp/audit.log" 2>&1 || { cat "$tmp/audit.log" >&2; fail "audit verify after the update"; }
"$PY" - "$tmp" "$old_head" "$new_head" "$data/backups" <<'EOF' || fail "the data after the update"
import json, sqlite3, sys
from pathlib import Path
tmp, old_head, new_head, backups = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
before, after = (json.loads((tmp / f).read_text()) for f in ("before.json", "after.json"))
problems = []
if after["revision"] != new_head:
    problems.append(f"schema {after['revision']}, expected {new_head}")
for table, rows in before["tables"].items():
    if table == "alembic_version":
        continue
    if table not in after["tables"]:
        problems.append(f"table {table} is gone")
    elif after["tables"][table] < rows:
        problems.append(f"{table}: {rows} rows before, {after['tables'][table]} after")
accounts = lambda f: sorted(r["account_no"] for r in json.loads((tmp / f).read_text()))  # noqa: E731
if accounts("find-before.json") != accounts("find-after.json"):
    problems.append("the same search finds other accounts")
copies = sorted(backups.glob("*.sqlite*")) if backups.is_dir() else []
old_copies = [c for c in copies if c.suffix == ".sqlite" and sqlite3.connect(f"file:{c}?mode=ro", uri=True).execute("SELECT version_num FROM alembic_version").fetchone()[0] == old_head]
if old_head != new_head and not old_copies:
    problems.append(f"no copy at the older revision in {backups} ({[c.name for c in copies]})")
changed = {t: (before["tables"][t], after["tables"][t]) for t in before["tables"] if t in after["tables"] and after["tables"][t] != before["tables"][t]}
print(f"schema {before['revision']} -> {after['revision']}; {len(before['tables'])} tables kept their rows"
      f" (grew on first start: {changed or 'none'}); new tables: {sorted(set(after['tables']) - set(before['tables']))}; "
      f"backup before migrating: {[c.name for c in old_copies]}; search: {len(accounts('find-after.json'))} accounts as before")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
EOF

dpkg --purge counterdesk >/dev/null 2>&1 || fail "dpkg --purge"
[ -f "$store" ] || fail "purging the package took the data"
say "all checks passed"

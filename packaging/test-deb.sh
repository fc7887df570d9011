#!/usr/bin/env bash
# Builds the .deb, installs it with dpkg on this machine (root), and proves the installed program works:
#
#   packaging/test-deb.sh [--deb FILE] [--out DIR]   (--deb: test that package instead of building one;
#                                                     --out: keep the package built in DIR)
#
# 1. packaging/build-deb.sh (timed)          5. a store set up in a temporary data folder, as a user
# 2. dpkg -i (missing dependencies: apt-get)    who cannot write to /opt (the folder is read-only),
# 3. files: /usr/bin/counterdesk, menu entry,    and the demo store filled (printing included)
#    icon, folder under 250 MB               6. the window started offscreen until it is ready
# 4. counterdesk --version = pyproject.toml's 7. dpkg --purge: program gone, the user's data kept
# Leaves the machine as it found it (the package removed; dependencies apt-get added stay).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
deb=
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=$(realpath "$2"); shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: test-deb.sh [--deb FILE] [--out DIR]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "test-deb.sh: run as root (it installs a package)" >&2; exit 2; }
if dpkg -s counterdesk >/dev/null 2>&1; then
  echo "test-deb.sh: counterdesk is already installed here; remove it first (dpkg -r counterdesk)" >&2
  exit 2
fi
fail() { echo "test-deb.sh: FAILED: $*" >&2; exit 1; }
step() { printf '%-48s' "$1" >&2; }
took() { echo "ok ($(($(date +%s%N) / 1000000 - $1)) ms)" >&2; }
now() { echo $(($(date +%s%N) / 1000000)); }

tmp=$(mktemp -d /tmp/counterdesk-deb.XXXXXX)
chmod 755 "$tmp"
cleanup() {
  dpkg -s counterdesk >/dev/null 2>&1 && dpkg --purge counterdesk >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "$deb" ]; then
  step "build (bundle + package)"
  t=$(now)
  deb=$(bash packaging/build-deb.sh --out "${out:-$tmp/out}" | tail -1)
  took "$t"
fi
echo "package: $deb, $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)" >&2

step "dpkg -i"
t=$(now)
if ! dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
  # Dependencies not on this machine yet (Qt's XCB helpers, the font): let apt-get bring them.
  DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >>"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -i"; }
fi
dpkg -s counterdesk | grep -q '^Status: install ok installed' || fail "not installed"
took "$t"

step "installed files"
[ "$(command -v counterdesk)" = /usr/bin/counterdesk ] || fail "counterdesk is not on the PATH"
[ "$(readlink /usr/bin/counterdesk)" = /opt/counterdesk/counterdesk ] || fail "/usr/bin/counterdesk does not point into /opt"
desktop=/usr/share/applications/counterdesk.desktop
grep -q '^Name\[zh_CN\]=营业厅柜台$' $desktop || fail "menu entry without its Chinese name"
grep -q '^Icon=counterdesk$' $desktop || fail "menu entry without its icon"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate $desktop || fail "desktop entry"; fi
[ -f /usr/share/icons/hicolor/scalable/apps/counterdesk.svg ] && [ -f /usr/share/icons/hicolor/48x48/apps/counterdesk.png ] || fail "icon"
mb=$(du -sm /opt/counterdesk | cut -f1)
[ "$mb" -lt 250 ] || fail "/opt/counterdesk is $mb MB (limit 250)"
echo "ok (/opt/counterdesk: $mb MB)" >&2

step "counterdesk --version"
t=$(now)
want=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
got=$(counterdesk --version)
[ "$got" = "counterdesk $want" ] || fail "--version says '$got', pyproject.toml '$want'"
took "$t"

# The rest runs as an ordinary user (nobody), so anything that tries to write into /opt fails here.
data=$tmp/data
install -d -o nobody -g nogroup "$data" "$tmp/home"
as_user() { runuser -u nobody -- env HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/home" COUNTERDESK_DATA_DIR="$data" "$@"; }

step "set up a store (init) as a user"
t=$(now)
as_user env COUNTERDESK_ADMIN_PASSWORD=admin123 counterdesk init --admin admin --station-code 3301 \
  --station-name 城东营业厅 --company 示例供电公司 >"$tmp/init.log" 2>&1 || { cat "$tmp/init.log" >&2; fail "init"; }
[ -f "$data/counterdesk.sqlite" ] || fail "no store in the data folder"
as_user counterdesk audit verify >"$tmp/audit.log" 2>&1 || { cat "$tmp/audit.log" >&2; fail "audit verify"; }
took "$t"

# The demo store exercises most of the program: customers, readings, bills, payments in shifts with
# their printed shift reports (ReportLab, barcodes, the CJK font), matters. Anything the bundle
# lacks (a module imported by name, a data file) shows here.
step "demo store filled and searched"
t=$(now)
as_user counterdesk --demo find 王 --json >"$tmp/demo.json" 2>"$tmp/demo.err" || { cat "$tmp/demo.err" >&2; fail "the demo store"; }
grep -q '"account_no"' "$tmp/demo.json" || fail "the demo store's search found nothing"
took "$t"

step "window offscreen until ready"
t=$(now)
out=$(as_user env QT_QPA_PLATFORM=offscreen COUNTERDESK_EXIT_WHEN_READY=1 COUNTERDESK_AUTOLOGIN=admin:admin123 \
  timeout 120 counterdesk 2>"$tmp/gui.err") || { cat "$tmp/gui.err" >&2; fail "the window did not start"; }
echo "$out" | grep -q '^ready .* focus=search$' || { echo "$out" >&2; cat "$tmp/gui.err" >&2; fail "window not ready"; }
# the offscreen platform's own notice is the only line allowed (pyproject.toml's qt_log_ignore says the same)
if grep -v 'This plugin does not support propagateSizeHints()' "$tmp/gui.err" | grep -q .; then
  cat "$tmp/gui.err" >&2
  fail "the window wrote to stderr"
fi
took "$t"
echo "  $out" >&2

step "dpkg --purge"
t=$(now)
dpkg --purge counterdesk >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log" >&2; fail "dpkg --purge"; }
[ ! -e /opt/counterdesk ] && [ ! -e /usr/bin/counterdesk ] && [ ! -e $desktop ] || fail "files left after removal"
[ -f "$data/counterdesk.sqlite" ] || fail "the user's data went with the package"
took "$t"
echo "test-deb.sh: all checks passed" >&2

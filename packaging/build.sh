#!/usr/bin/env bash
# Builds the CounterDesk bundle (dist/counterdesk/) with PyInstaller, then runs it once:
# sets up a throwaway store, checks the audit log and starts the window offscreen.
# The installers are built from the same spec: packaging/build-deb.sh, the Windows workflow (docs/INSTALL.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -c 'import PyInstaller' 2>/dev/null || .venv/bin/python -m pip install -q "pyinstaller>=6.0"
.venv/bin/python -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/counterdesk.spec
bin=dist/counterdesk/counterdesk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export COUNTERDESK_DATA_DIR="$tmp"
COUNTERDESK_ADMIN_PASSWORD=admin123 "$bin" init --admin admin --station-code 3301 --station-name 城东营业厅
"$bin" audit verify
if [ -f resources/tariffs/README.md ] || ls resources/tariffs/*.toml >/dev/null 2>&1; then
  "$bin" quote --tariff-file "$(ls resources/tariffs/*.toml | head -1)" --help >/dev/null
fi
QT_QPA_PLATFORM=offscreen COUNTERDESK_EXIT_WHEN_READY=1 COUNTERDESK_AUTOLOGIN=admin:admin123 timeout 60 "$bin" || {
  echo "build.sh: the bundled window did not start" >&2; exit 1; }
echo "build.sh: bundle OK at $bin"

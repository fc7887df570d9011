#!/usr/bin/env bash
# Builds the Debian package of CounterDesk from the one PyInstaller spec (packaging/counterdesk.spec):
#
#   packaging/build-deb.sh [--out DIR] [--version DEBVERSION] [--no-build] [--fast]
#
# /opt/counterdesk          the bundle (onedir)
# /usr/bin/counterdesk      a symbolic link to /opt/counterdesk/counterdesk (the command and the window)
# /usr/share/applications/counterdesk.desktop   the menu entry 营业厅柜台 / CounterDesk
# /usr/share/icons/hicolor/*/apps/counterdesk.* the icon (drawn from resources/icons/counterdesk.svg)
#
# The architecture is this machine's (dpkg --print-architecture): build on an ARM64 machine for ARM64.
# The version is the program's own (pyproject.toml, read back from the bundle's `--version`); --version
# overrides the package's version only (packaging/test-update.sh labels an older build with it).
# The package is compressed with xz (the smallest file; a few minutes); --fast uses gzip for test builds.
# Removing or purging the package never touches the users' data (~/.local/share/CounterDesk).
# Prints the path of the .deb as its last line. docs/INSTALL.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
out=$ROOT/dist
deb_version=
build=1
compress=(-Zxz)
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --version) deb_version=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --fast) compress=(-Zgzip -z1); shift ;;
    *) echo "usage: build-deb.sh [--out DIR] [--version DEBVERSION] [--no-build] [--fast]" >&2; exit 2 ;;
  esac
done
PY=${COUNTERDESK_PYTHON:-$ROOT/.venv/bin/python}
work=$ROOT/build/deb
bundle=$work/dist/counterdesk

if [ "$build" = 1 ]; then
  "$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q "pyinstaller>=6.0"
  "$PY" scripts/i18n.py build >/dev/null # the .qm files the bundle carries
  rm -rf "$work"
  t0=$SECONDS
  "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$work/dist" --workpath "$work/pyinstaller" packaging/counterdesk.spec
  echo "build-deb.sh: bundle built in $((SECONDS - t0)) s" >&2
fi
[ -x "$bundle/counterdesk" ] || { echo "build-deb.sh: no bundle at $bundle" >&2; exit 1; }

[ -n "$deb_version" ] || deb_version=$("$bundle/counterdesk" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)

stage=$work/root
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/usr/share/doc/counterdesk"
cp -a "$bundle" "$stage/opt/counterdesk"
# Alembic imports the migrations from source: compile them now, as /opt is not writable at run time.
"$PY" -m compileall -q "$stage/opt/counterdesk/_internal/app/db/migrations" >/dev/null
ln -s /opt/counterdesk/counterdesk "$stage/usr/bin/counterdesk"

icons=$work/icons
"$PY" packaging/icons.py "$icons" >/dev/null
install -D -m 644 resources/icons/counterdesk.svg "$stage/usr/share/icons/hicolor/scalable/apps/counterdesk.svg"
for size in 16 32 48 64 128 256; do
  install -D -m 644 "$icons/counterdesk-$size.png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/counterdesk.png"
done

cat >"$stage/usr/share/applications/counterdesk.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Version=1.5
Name=CounterDesk
Name[zh_CN]=营业厅柜台
GenericName=Utility service counter
GenericName[zh_CN]=供电供水营业厅柜台
Comment=Find customers, take payments, print bills and receipts, register customer matters
Comment[zh_CN]=查询客户、收费、打印账单和收据、受理客户诉求
Exec=/usr/bin/counterdesk
TryExec=/usr/bin/counterdesk
Icon=counterdesk
Terminal=false
Categories=Office;Finance;
Keywords=utility;payment;bill;receipt;counter;营业厅;收费;电费;水费;
StartupWMClass=counterdesk
EOF

cat >"$stage/usr/share/doc/counterdesk/README.Debian" <<'EOF'
CounterDesk keeps each user's data in ~/.local/share/CounterDesk (or the folder given by
COUNTERDESK_DATA_DIR / --data-dir). Removing or purging this package leaves that folder alone;
delete it by hand only when the station's data is no longer needed (keep a backup).
EOF

# The glibc the bundle needs: the newest GLIBC_x.y symbol version any of its files asks for.
glibc=$(find "$stage/opt/counterdesk" -type f \( -name '*.so*' -o -name counterdesk \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
# What the bundle does not carry: glibc, OpenGL/EGL (the machine's own drivers), two XCB helpers Qt's X11
# platform links, and a Chinese TrueType font with digits and Latin letters (app/printing/fonts.py and
# app/views/window_font.py look for WenQuanYi first; Noto CJK's .ttc is CFF, which ReportLab cannot embed).
depends="libc6 (>= ${glibc}), libegl1, libgl1, libxcb1, libxcb-icccm4, libxcb-keysyms1, libxkbcommon0, fontconfig, fonts-wqy-microhei | fonts-wqy-zenhei"
installed_kb=$(du -sk "$stage" | cut -f1)

cat >"$stage/DEBIAN/control" <<EOF
Package: counterdesk
Version: ${deb_version}
Architecture: ${arch}
Maintainer: CounterDesk maintainers <counterdesk@localhost>
Installed-Size: ${installed_kb}
Depends: ${depends}
Recommends: libwayland-cursor0, libwayland-egl1
Section: misc
Priority: optional
Description: service counter for electricity and water supply companies
 CounterDesk (营业厅柜台) is the desktop program of a utility's business hall or
 rural supply station: find any customer in one keystroke, take payments, print
 itemized bills and receipts, and register customer matters. It works with no
 network at all; several counters of one hall can share a PostgreSQL server.
 .
 Qt 6 does not run on Windows 7; this package is for Debian-based systems
 (Debian, UOS, Kylin) of the architecture it was built on.
EOF

# Menus and icon caches are refreshed when the tools are there; nothing else happens on install or removal.
cat >"$stage/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
EOF
cat >"$stage/DEBIAN/postrm" <<'EOF'
#!/bin/sh
# Removing or purging CounterDesk never deletes the users' data folders (~/.local/share/CounterDesk):
# they hold the station's financial records. Only the menu and icon caches are refreshed.
set -e
case "$1" in
  remove | purge)
    command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
    ;;
esac
exit 0
EOF
chmod 755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/postrm"

mkdir -p "$out"
deb=$out/counterdesk_${deb_version}_${arch}.deb
t0=$SECONDS
dpkg-deb --root-owner-group "${compress[@]}" --build "$stage" "$deb" >/dev/null
echo "build-deb.sh: package compressed in $((SECONDS - t0)) s" >&2
echo "build-deb.sh: $(du -h "$deb" | cut -f1) package, $((installed_kb / 1024)) MB installed, Depends: $depends" >&2
echo "$deb"

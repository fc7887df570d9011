#!/usr/bin/env bash
# Sets up a fresh machine for CounterDesk: a virtual environment with the program and its
# test tools, the system libraries Qt and the PDFs need (a CJK font), and the compiled
# translations. Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CounterDesk needs Python 3.11 or newer")'

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    if [ ! -f /tmp/.counterdesk-apt-updated ]; then apt-get update -qq >/dev/null && touch /tmp/.counterdesk-apt-updated; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "setup: please install these system packages: $*" >&2
  fi
}

# A Chinese TrueType font for the screen and the printed PDFs that also has digits, Latin letters,
# '*', '-' and ¥ (DroidSansFallbackFull, the only Chinese font on some machines, has none of them:
# receipts printed with it lost their numbers). Any Chinese font is not enough: fontconfig is asked
# for one covering those characters too (app/printing/fonts.py checks every character again).
COMPLETE_CJK=':lang=zh:charset=2a 2d 30-39 41-5a 61-7a a5'
if ! (command -v fc-list >/dev/null && fc-list "$COMPLETE_CJK" file | grep -qi '\.tt[fc]'); then
  echo "setup: installing a Chinese font with digits and Latin letters (fonts-wqy-microhei)"
  apt_install fonts-wqy-microhei fontconfig
fi
# PDF text tools used by the tests and for looking at documents.
command -v pdftotext >/dev/null || apt_install poppler-utils
# qpdf joins the parts of a route's bill PDF without holding them in memory.
command -v qpdf >/dev/null || apt_install qpdf

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing CounterDesk and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# Qt needs a few system libraries even offscreen (EGL, fontconfig, xkbcommon).
if ! QT_QPA_PLATFORM=offscreen .venv/bin/python -c 'from PySide6.QtWidgets import QApplication; QApplication([])' >/dev/null 2>&1; then
  echo "setup: installing the system libraries Qt needs"
  apt_install libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
fi
if [ -n "${DISPLAY:-}" ] && ! .venv/bin/python -c 'from PySide6.QtWidgets import QApplication; QApplication([])' >/dev/null 2>&1; then
  apt_install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxkbcommon-x11-0 \
    libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
fi

.venv/bin/python scripts/i18n.py build

# The program's bytecode, compiled once: an environment that sets PYTHONDONTWRITEBYTECODE (this one
# does) keeps Python from writing __pycache__ for the editable install, so every module would be
# compiled again at each start (about 0.3 s of the window's start-up). Python still reads the .pyc
# files written here; a module edited since is compiled in memory until setup runs again.
.venv/bin/python -m compileall -q -j 0 app bench >/dev/null

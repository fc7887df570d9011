"""Draws the program's icon files from resources/icons/counterdesk.svg at build time (none is committed).

    python packaging/icons.py OUTDIR    -> OUTDIR/counterdesk-48.png, -256.png, counterdesk.ico

The .deb installs the SVG and the PNGs into the hicolor theme; the Windows program and installer take the .ico.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "counterdesk.svg"
PNG_SIZES = (16, 32, 48, 64, 128, 256)


def render(out_dir: Path) -> dict[str, Path]:
    """Write the PNGs and the multi-size .ico into out_dir; returns {"png<size>": path, "ico": path}."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (QPainter needs one)
    out_dir.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"icons: {SVG} is not a valid SVG")
    made: dict[str, Path] = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"counterdesk-{size}.png"
        image.save(str(path))
        made[f"png{size}"] = path
    ico = out_dir / "counterdesk.ico"
    Image.open(made["png256"]).save(ico, sizes=[(s, s) for s in PNG_SIZES])
    made["ico"] = ico
    return made


if __name__ == "__main__":
    for key, path in render(Path(sys.argv[1] if len(sys.argv) > 1 else "build/icons")).items():
        print(key, path)

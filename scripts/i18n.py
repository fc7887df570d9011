#!/usr/bin/env python3
"""Translations: one Qt Linguist .ts per area in resources/translations/, .qm built, never committed.

  python scripts/i18n.py update          # run pyside6-lupdate for every area
  python scripts/i18n.py missing [AREA]  # list strings without a finished zh_CN translation
  python scripts/i18n.py apply FILE.json # fill translations: {"context": {"source": "译文"}}
  python scripts/i18n.py build           # pyside6-lrelease every .ts into .qm
  python scripts/i18n.py check           # exit 1 if any string in the code lacks a translation

A source file belongs to an area when a folder in its path, or the first word of its
file name (before "_"), is the area's name; everything else is "core".
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
AREAS = ["core", "billing", "payments", "handling", "reports", "counter", "sync", "interfaces"]
LANG = "zh_CN"


def tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else name


def area_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    for area in AREAS[1:]:
        if area in parts[:-1] or Path(parts[-1]).stem.split("_")[0] == area:
            return area
    return "core"


def sources() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {a: [] for a in AREAS}
    for folder in ("app", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            found[area_of(path)].append(path)
    return found


def ts_path(area: str, folder: Path = TS_DIR) -> Path:
    return folder / f"{area}_{LANG}.ts"


def lupdate(folder: Path = TS_DIR) -> None:
    for area, files in sources().items():
        if not files:
            continue
        target = ts_path(area, folder)
        cmd = [
            tool("pyside6-lupdate"),
            *map(str, files),
            "-ts",
            str(target),
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "en",
            "-target-language",
            LANG,
            "-silent",
        ]
        subprocess.run(cmd, check=True)


def missing(folder: Path = TS_DIR, only: str | None = None) -> list[tuple[str, str, str]]:
    out = []
    for ts in sorted(folder.glob(f"*_{LANG}.ts")):
        area = ts.name.rsplit("_", 2)[0]
        if only and area != only:
            continue
        for ctx in ET.parse(ts).getroot().iter("context"):
            name = ctx.findtext("name")
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                if tr is None or tr.get("type") in ("unfinished",) or not (tr.text or "").strip():
                    if tr is not None and tr.get("type") == "vanished":
                        continue
                    out.append((area, name, msg.findtext("source")))
    return out


def apply(mapping_file: Path) -> int:
    data = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    changed = 0
    for ts in sorted(TS_DIR.glob(f"*_{LANG}.ts")):
        tree = ET.parse(ts)
        dirty = False
        for ctx in tree.getroot().iter("context"):
            table = data.get(ctx.findtext("name"), {})
            for msg in ctx.iter("message"):
                src = msg.findtext("source")
                if src in table:
                    tr = msg.find("translation")
                    tr.text = table[src]
                    tr.attrib.pop("type", None)
                    dirty = True
                    changed += 1
        if dirty:
            tree.write(ts, encoding="utf-8", xml_declaration=True)
    return changed


def build(folder: Path = TS_DIR) -> None:
    for ts in sorted(folder.glob("*.ts")):
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "build"
    if cmd == "update":
        lupdate()
    elif cmd == "build":
        build()
    elif cmd == "missing":
        for area, ctx, src in missing(only=argv[1] if len(argv) > 1 else None):
            print(f"{area}\t{ctx}\t{src}")
    elif cmd == "apply":
        print(f"{apply(Path(argv[1]))} translations set")
    elif cmd == "check":
        with tempfile.TemporaryDirectory() as tmp:
            for ts in TS_DIR.glob("*.ts"):
                shutil.copy(ts, tmp)
            lupdate(Path(tmp))
            gaps = missing(Path(tmp))
        for area, ctx, src in gaps:
            print(f"untranslated ({area}) {ctx}: {src}")
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

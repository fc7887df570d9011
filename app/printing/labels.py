"""Translating the words on paper without Qt: reads the same zh_CN .ts files the window uses.

Documents take a `tr(context, text)` callable. The window and the CLI pass Qt's
QCoreApplication.translate; code without Qt (services, tests, benchmarks) passes
`ts_translator("zh_CN")`, which looks the strings up in resources/translations/*.ts.
Mark printed labels with QT_TRANSLATE_NOOP("printing", "...") so lupdate finds them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Callable

from app.paths import resource_path

Translate = Callable[[str, str], str]


def identity(context: str, text: str) -> str:
    return text


@lru_cache(maxsize=4)
def _table(lang: str) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for ts in sorted(resource_path("translations").glob(f"*_{lang}.ts")):
        for ctx in ET.parse(ts).getroot().iter("context"):
            name = ctx.findtext("name")
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                if tr is not None and tr.text and tr.get("type") not in ("unfinished", "vanished", "obsolete"):
                    table[(name, msg.findtext("source"))] = tr.text
    return table


def ts_translator(lang: str = "zh_CN") -> Translate:
    if lang == "en":
        return identity
    table = _table(lang)

    def translate(context: str, text: str) -> str:
        return table.get((context, text), text)

    return translate


class Words:
    """A translation fixed in advance, for worker processes: Qt's translate cannot cross a process
    boundary (the workers load no .qm), so the parent asks its `tr` for every source text of the
    given contexts once and the workers look them up here. Picklable."""

    def __init__(self, tr: Translate, contexts: tuple[str, ...] = ("printing",)) -> None:
        self.words = {(c, text): tr(c, text) for (c, text) in _table("zh_CN") if c in contexts}

    def __call__(self, context: str, text: str) -> str:
        return self.words.get((context, text), text)

"""One-time notice (一次性告知) checklists per application type, from resources/handling/checklists.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from app.paths import resource_path
from app.services.errors import NotFound
from app.services.messages import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Checklist:
    type: str
    title: str
    items: tuple[str, ...]


@lru_cache(maxsize=1)
def load() -> dict[str, Checklist]:
    data = tomllib.loads(resource_path("handling", "checklists.toml").read_text(encoding="utf-8"))
    return {k: Checklist(k, v["title"], tuple(v["items"])) for k, v in data.items()}


def checklist(matter_type: str) -> Checklist:
    try:
        return load()[matter_type]
    except KeyError:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "There is no checklist for “{type}”."), type=matter_type) from None

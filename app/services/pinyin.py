"""Pinyin keys of a name for search: 张三丰 -> ("zhangsanfeng", "zsf"). Loaded lazily (pypinyin is big)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _lazy():
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin, Style


def pinyin_keys(name: str) -> tuple[str, str]:
    """Full pinyin without tones and the initials, lower case, letters and digits only."""
    lazy_pinyin, style = _lazy()
    parts = [p.lower() for p in lazy_pinyin(name or "", style=style.NORMAL, errors="ignore")]
    parts = ["".join(ch for ch in p if ch.isascii() and ch.isalnum()) for p in parts]
    parts = [p for p in parts if p]
    return "".join(parts), "".join(p[0] for p in parts)

"""The handling data files an administrator may change: where they are read from and how a broken one is said.

Every file is looked for first in the user data folder (`app.paths.data_dir()`: COUNTERDESK_DATA_DIR,
`--data-dir`, or the platform's folder), then in the shipped resources, so an installed (bundled)
program can be given its own time limits, checklists and calendar corrections:

    <data dir>/handling/time_limits.toml   replaces resources/handling/time_limits.toml
    <data dir>/handling/checklists.toml    replaces resources/handling/checklists.toml
    <data dir>/calendar/YEAR.toml          replaces the shipped file of the same year, adds any other year

A file is read again when it changes (its modification time or size), so an edit counts from the next
deadline on. A damaged file is a DataFileError naming the file and the key or line at fault; nothing
in it is guessed or skipped.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Callable

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.paths import data_dir, resource_path


class DataFileError(UserError):
    """A data file that cannot be used as it is: `file` is its full path, `key` the entry at fault."""


def user_folder(*parts: str) -> Path:
    return data_dir().joinpath(*parts)


def shipped_folder(*parts: str) -> Path:
    return resource_path(*parts)


def locate(*parts: str) -> Path:
    """The administrator's copy in the user data folder when there is one, else the shipped file."""
    own = user_folder(*parts)
    return own if own.is_file() else shipped_folder(*parts)


_cache: dict[tuple, Any] = {}


def signature(paths: list[Path]) -> tuple:
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


def cached(name: str, paths: list[Path], build: Callable[[], Any]) -> Any:
    """`build()` once per version of the files (path, mtime, size); a failed build is not kept."""
    key = (name, signature(paths))
    if key not in _cache:
        for old in [k for k in _cache if k[0] == name]:
            del _cache[old]
        _cache[key] = build()
    return _cache[key]


def clear_cache() -> None:
    _cache.clear()


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def read_toml(path: Path) -> tuple[dict, str]:
    """The parsed file and its text; any reason it cannot be read is a DataFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataFileError(
            QT_TRANSLATE_NOOP("messages", "{file}: the file is not UTF-8 text; save it as UTF-8."), file=str(path)
        ) from None
    except OSError as exc:
        raise DataFileError(
            QT_TRANSLATE_NOOP("messages", "{file} cannot be read: {reason}"), file=str(path), reason=exc.strerror or str(exc)
        ) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        m = _AT.search(detail)
        if m:
            raise DataFileError(
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}: this is not valid TOML ({detail})."),
                file=str(path),
                line=int(m.group(1)),
                detail=_AT.sub("", detail),
            ) from None
        raise DataFileError(
            QT_TRANSLATE_NOOP("messages", "{file}: this is not valid TOML ({detail})."), file=str(path), detail=_AT_END.sub("", detail)
        ) from None


def shown(value: Any) -> str:
    """A value as it is written in the file: "1" for a text, 2.5, true, [1, 2]."""
    return json.dumps(value, ensure_ascii=False, default=str)


class Checker:
    """Checks the values of one parsed file; every complaint names the file, the key and (when it can be
    found) the line the key is written on."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def line_of(self, key: str) -> int | None:
        """The line `key` (dotted, items as key[N]) is written on: a line assigning its last part under a
        table header or inline table that names the rest; comments are skipped. None when not found."""
        parts = [p.split("[")[0] for p in key.split(".")]
        last, parents = parts[-1], parts[:-1]
        header, first = "", None
        assign = re.compile(rf'(^|[\s{{,.])"?{re.escape(last)}"?\s*=')
        for no, raw in enumerate(self.text.splitlines(), start=1):
            line = raw.split("#", 1)[0]
            h = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
            if h:
                header = h.group(1).replace(" ", "")
                if header == ".".join(parts):
                    return no
                continue
            if assign.search(line):
                words = set(re.findall(r"[\w-]+", f"{header} {line}"))
                if all(p in words for p in parents):
                    return no
                first = first or no
        return first

    def fail(self, key: str, message: str, **params) -> DataFileError:
        line = self.line_of(key)
        return DataFileError(message, file=str(self.path), key=key, line=line if line is not None else "?", **params)

    # messages: "{file}, line {line}: “{key}” ..." — line is "?" when the key is missing from the text

    def missing(self, key: str) -> DataFileError:
        return DataFileError(QT_TRANSLATE_NOOP("messages", "{file}: “{key}” is missing."), file=str(self.path), key=key)

    def unknown_keys(self, table: dict, where: str, allowed: tuple[str, ...] | list[str]) -> None:
        for k in table:
            if k not in allowed:
                name = f"{where}.{k}" if where else k
                raise self.fail(
                    name,
                    QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” is not known here; expected one of: {allowed}."),
                    allowed=", ".join(allowed),
                )

    def table(self, value: Any, key: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” must be a table."))
        return value

    def whole(self, value: Any, key: str, lowest: int = 1, highest: int = 100_000) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
            raise self.fail(
                key,
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” must be a whole number from {low} to {high}; it is {value}."),
                low=lowest,
                high=highest,
                value=shown(value),
            )
        return value

    def text_value(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” must be a text in quotes, not empty."))
        return value.strip()

    def text_list(self, value: Any, key: str, allow_empty: bool = False) -> list[str]:
        if not isinstance(value, list) or (not value and not allow_empty):
            raise self.fail(key, QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” must be a list of texts in quotes."))
        return [self.text_value(v, f"{key}[{i}]") for i, v in enumerate(value, start=1)]

    def day(self, value: Any, key: str) -> date:
        """A TOML date (2027-01-01) or the same written as a text ("2027-01-01")."""
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(
            key,
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” must be a date such as 2027-01-01; {value} is not."),
            value=f"“{value}”" if isinstance(value, str) else shown(value),
        )

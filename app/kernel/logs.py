"""The log file for support: one place sets it up, and nothing in it gives away a password or an ID number.

`setup(folder)` puts a rotating `counterdesk.log` in the data folder (1 MB a file, five old files
kept) on the root logger, once per process (called again with another folder, it moves there). Every
record passes `MaskingFilter` on its way into the file: the message, its arguments and the traceback
are formatted first and then masked, so a password or an ID number never reaches the disk whichever
way it was logged (an exception's text, an SQL statement's parameters, a database URL).

Stdlib only (the kernel imports nothing of the program but app.kernel): the caller gives the folder.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from app.kernel.masking import mask_id

FILE_NAME = "counterdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"

# A resident ID number: 18 characters (17 digits and a digit or X) or the old 15 digits, standing alone.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# password=..., "passphrase": "...", PASSWORD: ... (the value up to a space, quote, comma or bracket).
_SECRET = re.compile(
    r"""(?P<key>\b[\w-]*(?:password|passwd|passphrase|secret|pwd)[\w-]*\b["']?\s*[:=]\s*["']?)(?P<value>[^\s"',;)}\]]+)""",
    re.IGNORECASE,
)
# scheme://user:password@host (a database or printer URL)
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<value>[^@\s]+)(?=@)", re.IGNORECASE)
MASK = "***"


def mask_text(text: str) -> str:
    """`text` with passwords replaced by *** and ID numbers shown as the lists show them (first 6, last 4)."""
    if not text:
        return text
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    text = _SECRET.sub(lambda m: m.group("key") + MASK, text)
    return _ID_NUMBER.sub(lambda m: mask_id(m.group(1)), text)


class MaskingFilter(logging.Filter):
    """Formats the record's message and traceback and masks them; the record then carries only the masked text."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a bad format string: keep what can be shown)
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = mask_text(message), ()
        if record.exc_info:
            record.exc_text = mask_text(self._formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


_handler: logging.handlers.RotatingFileHandler | None = None


def log_path(folder: Path) -> Path:
    return Path(folder) / FILE_NAME


def setup(folder: Path, level: int = logging.INFO) -> Path:
    """Log INFO and above of the whole program to `folder`/counterdesk.log (rotating), masked. Idempotent."""
    global _handler
    path = log_path(folder).resolve()
    root = logging.getLogger()
    if _handler is not None:
        if Path(_handler.baseFilename) == path:
            return path
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskingFilter())
    handler.setLevel(level)
    root.addHandler(handler)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plug-in at every migration
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    _handler = handler
    return path


def close() -> None:
    """Flush and close the log file (at the end of the program, or of a test)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None

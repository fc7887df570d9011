"""This counter's customer display, satisfaction pad and queue calling: kept per machine in counter.toml.

Like the receipt printer (app/services/payments/printer_settings.py), these belong to the machine, not
to the shared database: which screen faces the customer differs from counter to counter. They live in
their own sections of the same `counter.toml` in the user data folder; writing one section keeps the
others (`toml_with_section`, used by the receipt printer's settings too).

    [customer_display]
    screen = "HDMI-2"      # a screen's name as Qt reports it; "" = no customer display
    pad_timeout = 30       # seconds the satisfaction pad waits; 0 = no pad

    [queue]
    counter = "3"          # this counter's name as the display calls it ("to counter 3")
    kinds = "AB"           # ticket letters this counter calls (A payments, B applications and matters)
    machine_file = ""      # the ticket machine's file; "" = tickets.csv in the data folder
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import UserError, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.paths import data_dir
from app.services import audit

FILE_NAME = "counter.toml"
DISPLAY = "customer_display"
QUEUE = "queue"
MACHINE_FILE = "tickets.csv"
DEFAULT_TIMEOUT = 30
MAX_TIMEOUT = 300
KINDS = re.compile(r"^[A-Z]{1,8}$")


@dataclass(frozen=True)
class CounterDisplay:
    screen: str = ""  # "" = none chosen: the display does not open
    pad_timeout: int = DEFAULT_TIMEOUT
    counter: str = ""  # "" = this machine's host name
    kinds: str = "AB"
    machine_file: str = ""

    @property
    def counter_name(self) -> str:
        return self.counter or machine()

    @property
    def machine_path(self) -> Path:
        return Path(self.machine_file) if self.machine_file else data_dir() / MACHINE_FILE


def machine() -> str:
    import socket

    return socket.gethostname() or "counter"


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def _scalar(value) -> str:
    # A JSON string, number, boolean or list of them is valid TOML (same escapes), so no TOML writer is needed.
    return json.dumps(value, ensure_ascii=False)


def render(sections: dict) -> str:
    """counter.toml's text from {section: {key: value}} (values: str, int, bool or lists of them)."""
    lines = ["# This counter's settings (CounterDesk: Tools > Receipt printer…, Tools > Customer display and queue…)."]
    for name, values in sections.items():
        if not isinstance(values, dict):
            continue
        lines += ["", f"[{name}]"] + [f"{k} = {_scalar(v)}" for k, v in values.items() if not isinstance(v, dict)]
    return "\n".join(lines) + "\n"


def read_sections(path: Path | None = None) -> dict:
    """Every section of counter.toml; {} when there is no file or it cannot be parsed (it is rewritten whole then)."""
    try:
        return tomllib.loads((path or settings_path()).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def toml_with_section(section: str, values: dict, path: Path | None = None) -> str:
    """The file's text with `section` replaced by `values` and every other section kept."""
    sections = read_sections(path)
    sections[section] = dict(values)
    return render(sections)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(".toml.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "messages", "The settings could not be saved in {path} ({reason}). Check that the disk is not full and try again."
            ),
            path=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None


def validate(screen: str, pad_timeout, counter: str, kinds: str, machine_file: str) -> CounterDisplay:
    errors: dict[str, UserError] = {}
    screen, counter, machine_file = (screen or "").strip(), (counter or "").strip(), (machine_file or "").strip()
    kinds = (kinds or "").strip().upper().replace(",", "").replace(" ", "")
    try:
        timeout = int(str(pad_timeout).strip())
        if not 0 <= timeout <= MAX_TIMEOUT:
            raise ValueError
    except ValueError:
        errors["pad_timeout"] = UserError(
            QT_TRANSLATE_NOOP("messages", "Give the seconds the pad waits: a whole number from 0 (no pad) to {max}."),
            field="pad_timeout",
            max=MAX_TIMEOUT,
        )
        timeout = DEFAULT_TIMEOUT
    if len(counter) > 20:
        errors["counter"] = UserError(QT_TRANSLATE_NOOP("messages", "At most {count} characters."), field="counter", count=20)
    if not KINDS.match(kinds):
        errors["kinds"] = UserError(
            QT_TRANSLATE_NOOP("messages", "Give the letters of the tickets this counter calls, e.g. AB."), field="kinds"
        )
    if len(screen) > 100:
        errors["screen"] = UserError(QT_TRANSLATE_NOOP("messages", "At most {count} characters."), field="screen", count=100)
    if errors:
        raise ValidationError(errors)
    return CounterDisplay(screen, timeout, counter, kinds, machine_file)


def load() -> CounterDisplay:
    """This counter's display and queue settings; the defaults (no display) without a file or section."""
    path = settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return CounterDisplay()
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "messages",
                "The counter settings file {path} cannot be read ({reason}). "
                "Open Tools > Customer display and queue… and save the settings again.",
            ),
            path=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None
    try:
        data = tomllib.loads(text)
        display, queue = data.get(DISPLAY, {}), data.get(QUEUE, {})
        if not isinstance(display, dict) or not isinstance(queue, dict):
            raise ValueError
        d = CounterDisplay()
        return validate(
            str(display.get("screen", d.screen)),
            display.get("pad_timeout", d.pad_timeout),
            str(queue.get("counter", d.counter)),
            str(queue.get("kinds", d.kinds)),
            str(queue.get("machine_file", d.machine_file)),
        )
    except (tomllib.TOMLDecodeError, ValueError, UserError):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "messages",
                "The counter settings file {path} is damaged. Open Tools > Customer display and queue… and save the settings again.",
            ),
            path=str(path),
        ) from None


def save(db: Database, actor: Actor, config: CounterDisplay) -> CounterDisplay:
    """Check, write both sections into counter.toml (keeping the receipt printer's) and audit the change."""
    config = validate(config.screen, config.pad_timeout, config.counter, config.kinds, config.machine_file)
    try:
        before = asdict(load())
    except UserError:
        before = None
    path = settings_path()
    sections = read_sections(path)
    sections[DISPLAY] = {"screen": config.screen, "pad_timeout": config.pad_timeout}
    sections[QUEUE] = {"counter": config.counter, "kinds": config.kinds, "machine_file": config.machine_file}
    with db.write() as s:
        audit.record(s, actor, "configure", "customer_display", machine(), before=before, after=asdict(config))
        write_atomic(path, render(sections))
    return config

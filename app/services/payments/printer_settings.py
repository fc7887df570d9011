"""This counter's receipt printer: kept per machine in counter.toml, not in the shared database.

Several counters share one PostgreSQL database and one station code, and each has its own
printer (a USB thermal printer on /dev/usb/lp0 here, a network printer there, none at a rural
station). So the target, paper, ESC/POS device and mode live in `counter.toml` in the user data
folder of the machine (app.paths.data_dir()); a change is still written to the audit log of the
shared database (who changed which counter's printer, before and after).

    [receipt_printer]
    target = "escpos"          # preview | system | escpos | pdf
    paper = "80mm"             # 80mm | 58mm | a5
    device = "/dev/usb/lp0"    # a device path, or tcp://HOST:PORT
    mode = "text"              # text (GB18030) | raster
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import UserError, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.printing.payments.output import parse_device
from app.services import audit

# counter.toml is one file for the machine: its path, the host name and the atomic write are the
# counter settings' own (app/services/counter/settings.py)
from app.services.counter.settings import machine, settings_path, toml_with_section, write_atomic

SECTION = "receipt_printer"
TARGETS = ("preview", "system", "escpos", "pdf")
PAPERS = ("80mm", "58mm", "a5")
MODES = ("text", "raster")
ROLL_PAPERS = ("80mm", "58mm")
LAYOUT_PAPER = {"80mm": "80mm", "58mm": "58mm", "a5": "A5"}  # setting value -> app.printing.layout paper


@dataclass(frozen=True)
class ReceiptPrinter:
    target: str = "preview"
    paper: str = "80mm"
    device: str = ""
    mode: str = "text"

    @property
    def layout_paper(self) -> str:
        return LAYOUT_PAPER.get(self.paper, "80mm")


def validate(target: str, paper: str, device: str, mode: str) -> ReceiptPrinter:
    """The settings as entered, checked field by field; ValidationError names every bad field."""
    errors: dict[str, UserError] = {}
    target, paper, device, mode = (target or "").strip(), (paper or "").strip(), (device or "").strip(), (mode or "").strip()
    if target not in TARGETS:
        errors["target"] = UserError(QT_TRANSLATE_NOOP("messages", "Choose where receipts go."), field="target")
    if paper not in PAPERS:
        errors["paper"] = UserError(QT_TRANSLATE_NOOP("messages", "Choose the paper: 80 mm roll, 58 mm roll or A5."), field="paper")
    if mode not in MODES:
        errors["mode"] = UserError(QT_TRANSLATE_NOOP("messages", "Choose text or picture mode."), field="mode")
    if target == "escpos" and paper in PAPERS and paper not in ROLL_PAPERS:
        errors["paper"] = UserError(
            QT_TRANSLATE_NOOP("messages", "A thermal receipt printer takes 80 mm or 58 mm rolls; choose one of them."), field="paper"
        )
    if target == "escpos" or device:  # needed for ESC/POS; otherwise kept for later, so it must still make sense
        try:
            parse_device(device)
        except UserError as err:
            errors["device"] = err
    if errors:
        raise ValidationError(errors)
    return ReceiptPrinter(target, paper, device, mode)


def load() -> ReceiptPrinter:
    """This counter's settings; the defaults (preview on 80 mm) when the file does not exist yet."""
    path = settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ReceiptPrinter()
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "messages",
                "The counter settings file {path} cannot be read ({reason}). Open Tools > Receipt printer… and save the settings again.",
            ),
            path=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None
    try:
        data = tomllib.loads(text).get(SECTION, {})
        if not isinstance(data, dict):
            raise ValueError(SECTION)
        default = ReceiptPrinter()
        return validate(*(str(data.get(k, getattr(default, k))) for k in ("target", "paper", "device", "mode")))
    except (tomllib.TOMLDecodeError, ValueError, UserError):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "messages", "The counter settings file {path} is damaged. Open Tools > Receipt printer… and save the settings again."
            ),
            path=str(path),
        ) from None


def _toml(config: ReceiptPrinter) -> str:
    # counter.toml's other sections (the customer display and queue) are kept.
    return toml_with_section(SECTION, asdict(config), settings_path())


def save(db: Database, actor: Actor, config: ReceiptPrinter) -> ReceiptPrinter:
    """Check, write counter.toml atomically and record the change (with this machine's name) in the audit log."""
    config = validate(config.target, config.paper, config.device, config.mode)
    try:
        before = load()
    except UserError:
        before = None
    path = settings_path()
    with db.write() as s:
        audit.record(s, actor, "configure", "receipt_printer", machine(), before=asdict(before) if before else None, after=asdict(config))
        write_atomic(path, _toml(config))
    return config

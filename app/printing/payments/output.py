"""Getting a receipt onto this counter's ESC/POS printer, without Qt, and saying why when it does not.

A device is an absolute path (a USB or parallel printer, /dev/usb/lp0, opened with python-escpos
`File`) or `tcp://HOST:PORT` (a network printer, python-escpos `Network`). Every failure (no such
device, no answer, no permission, out of paper, any python-escpos or OS error) becomes a
`PrinterProblem`, a UserError whose text is the reason in the clerk's words; the caller then
knows the receipt did not reach the paper and leaves it in the unprinted queue.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.printing.labels import Translate, ts_translator

log = logging.getLogger(__name__)

C = "printing"
CONNECT_TIMEOUT = 5.0  # seconds for a network printer to answer and to take the data
STATUS_WAIT = 0.5  # seconds to wait for the answer to "paper status?"; printers that do not answer are not held up
DLE_EOT_PAPER = b"\x10\x04\x04"  # DLE EOT 4: real-time roll paper sensor status
_TCP = re.compile(r"^tcp://(?P<host>[^:/\s\[\]]+)(?::(?P<port>[^/\s]*))?/?$", re.IGNORECASE)


class PrinterProblem(UserError):
    """The printer did not take the document. The text is the reason, to be put in a sentence such as
    "The receipt was not printed: {reason}."."""


@dataclass(frozen=True)
class Device:
    kind: str  # "file" | "tcp"
    path: str = ""
    host: str = ""
    port: int = 0

    def __str__(self) -> str:
        return self.path if self.kind == "file" else f"tcp://{self.host}:{self.port}"


def parse_device(text: str) -> Device:
    """`tcp://HOST:PORT` (a network printer) or an absolute device path (/dev/usb/lp0; COM3 or LPT1 on Windows)."""
    device = (text or "").strip()
    if not device:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "messages", "Enter the printer's device: a path such as /dev/usb/lp0, or tcp://HOST:PORT for a network printer."
            ),
            field="device",
        )
    if device.lower().startswith("tcp:"):
        m = _TCP.match(device)
        if not m:
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "Write a network printer as tcp://HOST:PORT, for example tcp://192.168.1.50:9100."),
                field="device",
            )
        port = m.group("port")
        if not port:
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "Add the port after the address, for example tcp://{host}:9100."),
                field="device",
                host=m.group("host"),
            )
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "The port must be a number from 1 to 65535 (most receipt printers use 9100)."), field="device"
            )
        return Device("tcp", host=m.group("host"), port=int(port))
    if "://" in device:
        raise UserError(
            QT_TRANSLATE_NOOP("messages", "Write a network printer as tcp://HOST:PORT, for example tcp://192.168.1.50:9100."),
            field="device",
        )
    if re.fullmatch(r"(?i)(COM|LPT)\d{1,3}", device) or device.startswith("\\\\.\\"):
        return Device("file", path=device)
    if not os.path.isabs(device):
        raise UserError(
            QT_TRANSLATE_NOOP("messages", "Give the full path of the printer's device, for example /dev/usb/lp0."), field="device"
        )
    return Device("file", path=device)


# --------------------------------------------------------------------------- why it failed

_UNREACHABLE = {
    errno.ECONNREFUSED,
    errno.ETIMEDOUT,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.EHOSTDOWN,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EPIPE,
    errno.ENETDOWN,
}
_ABSENT = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ENOTDIR}


def not_reachable(device: Device) -> PrinterProblem:
    if device.kind == "tcp":
        return PrinterProblem(QT_TRANSLATE_NOOP("messages", "the printer at {device} cannot be reached"), device=str(device))
    return PrinterProblem(QT_TRANSLATE_NOOP("messages", "the printer at {device} is not connected or is switched off"), device=str(device))


def out_of_paper(device: Device) -> PrinterProblem:
    return PrinterProblem(QT_TRANSLATE_NOOP("messages", "the printer at {device} is out of paper"), device=str(device))


def problem_for(device: Device, exc: BaseException) -> PrinterProblem:
    """The clerk's words for an OS or python-escpos error (the original is logged, never shown)."""
    log.warning("printer %s: %r", device, exc)
    os_error = exc if isinstance(exc, OSError) else None
    cause = exc.__cause__ or exc.__context__
    if os_error is None and isinstance(cause, OSError):  # python-escpos wraps the OS error when it opens a device
        os_error = cause
    if isinstance(os_error, (socket.timeout, socket.gaierror)):
        return not_reachable(device)
    code = getattr(os_error, "errno", None)
    if code == errno.ENOSPC:  # the Linux usblp driver's answer when the printer reports paper out
        return out_of_paper(device)
    if code in (errno.EACCES, errno.EPERM):
        return PrinterProblem(
            QT_TRANSLATE_NOOP(
                "messages", "this computer's user may not use the printer at {device}; ask your technician to give it access"
            ),
            device=str(device),
        )
    if code == errno.EBUSY:
        return PrinterProblem(QT_TRANSLATE_NOOP("messages", "the printer at {device} is busy with another program"), device=str(device))
    if code in _UNREACHABLE or code in _ABSENT:
        return not_reachable(device)
    if type(exc).__name__ == "DeviceNotFoundError":
        return not_reachable(device)
    return PrinterProblem(
        QT_TRANSLATE_NOOP(
            "messages", "the printer at {device} reported an error; check that it is on, its cover is closed and it has paper"
        ),
        device=str(device),
    )


# --------------------------------------------------------------------------- sending


def open_printer(device: Device, timeout: float = CONNECT_TIMEOUT):
    """An open python-escpos printer for the device; PrinterProblem when there is none to open."""
    from escpos.exceptions import Error as EscposError
    from escpos.printer import File, Network

    if device.kind == "tcp":
        printer = Network(device.host, device.port, timeout=timeout)
        # Connected here rather than by printer.open(): python-escpos drops the socket of a refused
        # connection without closing it (create_connection closes it).
        try:
            printer.device = socket.create_connection((device.host, device.port), timeout=timeout)
        except OSError as exc:
            raise problem_for(device, exc) from None
        return printer
    else:
        # A printer that is off or unplugged has no device file: never create a plain file in its place.
        if not (os.path.exists(device.path) or re.fullmatch(r"(?i)(COM|LPT)\d{1,3}", device.path) or device.path.startswith("\\\\.\\")):
            raise not_reachable(device)
        if os.path.isdir(device.path):
            raise not_reachable(device)
        printer = File(device.path)
    try:
        printer.open()
    except (OSError, EscposError) as exc:
        raise problem_for(device, exc) from None
    return printer


def paper_is_out(printer) -> bool | None:
    """Ask a network printer for its paper sensor (DLE EOT 4). None when it does not answer in time."""
    sock = printer.device
    old = sock.gettimeout()
    try:
        sock.settimeout(STATUS_WAIT)
        sock.sendall(DLE_EOT_PAPER)
        answer = sock.recv(1)
    except socket.timeout:
        return None
    finally:
        sock.settimeout(old)
    if not answer:
        raise ConnectionResetError(errno.ECONNRESET, "closed")
    status = answer[0]
    if status & 0x93 != 0x12:  # not a status byte (fixed bits 0xx1xx10)
        return None
    return status & 0x60 == 0x60  # bits 5 and 6: paper end


def send(device_text: str, write: Callable[[object], None], check_paper: bool = True) -> None:
    """Open the device, let `write(printer)` send the document, close. PrinterProblem on any failure."""
    from escpos.exceptions import Error as EscposError

    device = parse_device(device_text)
    printer = open_printer(device)
    try:
        if device.kind == "tcp" and check_paper and paper_is_out(printer):
            raise out_of_paper(device)
        write(printer)
        if hasattr(printer, "flush"):
            printer.flush()
    except PrinterProblem:
        raise
    except (OSError, EscposError) as exc:
        raise problem_for(device, exc) from None
    finally:
        try:
            printer.close()
        except (OSError, EscposError) as exc:  # the data went out before; a failing close loses nothing
            log.warning("printer %s: closing: %r", device, exc)


def send_receipt_to(device_text: str, doc, paper: str, mode: str, tr: Translate | None = None, pdf: bytes | None = None) -> None:
    """The receipt on the ESC/POS printer at `device_text` (paper "80mm" or "58mm")."""
    from app.printing.payments.escpos_backend import send_receipt

    send(device_text, lambda printer: send_receipt(printer, doc, paper, mode, tr, pdf))


# --------------------------------------------------------------------------- the test page


@dataclass(frozen=True)
class SamplePage:
    station: str
    paper: str  # layout paper: "80mm", "58mm", "A5"
    device: str
    mode: str
    at: datetime


SAMPLE = "中文测试：收费收据 ¥1,234.56 壹仟贰佰叁拾肆元伍角陆分"


def sample_page_lines(page: SamplePage, width: int, tr: Translate) -> list[str]:
    t = lambda s: tr(C, s)  # noqa: E731  (marked below for lupdate)
    mode = (
        t(QT_TRANSLATE_NOOP("printing", "text (GB18030)")) if page.mode == "text" else t(QT_TRANSLATE_NOOP("printing", "picture (raster)"))
    )
    ruler = "".join(str(i % 10) for i in range(1, width + 1))
    return [
        "CounterDesk",
        t(QT_TRANSLATE_NOOP("printing", "Printer test page")),
        page.station,
        t(QT_TRANSLATE_NOOP("printing", "Time: %1")).replace("%1", page.at.strftime("%Y-%m-%d %H:%M")),
        t(QT_TRANSLATE_NOOP("printing", "Paper: %1")).replace("%1", page.paper),
        t(QT_TRANSLATE_NOOP("printing", "Device: %1")).replace("%1", page.device or "-"),
        t(QT_TRANSLATE_NOOP("printing", "Mode: %1")).replace("%1", mode),
        ruler[:width],
        SAMPLE,
        t(QT_TRANSLATE_NOOP("printing", "When every line is complete and the Chinese is readable, receipts will print well.")),
    ]


def render_sample_page(page: SamplePage, tr: Translate | None = None) -> bytes:
    from app.printing.layout import Styles, build_pdf, para

    tr = tr or ts_translator("zh_CN")

    def story(p):
        st = Styles(p.base_size)
        width = max(16, int(p.frame_width / (p.base_size * 0.6)))
        lines = sample_page_lines(page, width, tr)
        return [para(lines[0], st.subtitle), para(lines[1], st.title)] + [para(line, st.body) for line in lines[2:]]

    return build_pdf(page.paper, story, title="CounterDesk test page")


def send_sample_page(printer, page: SamplePage, tr: Translate | None = None) -> None:
    """The test page on a python-escpos printer, in the page's mode, ending with a cut."""
    from app.printing.payments.escpos_backend import send_page

    tr = tr or ts_translator("zh_CN")
    send_page(printer, page.paper, page.mode, lambda: render_sample_page(page, tr), lambda width: sample_page_lines(page, width, tr))
    printer.cut()

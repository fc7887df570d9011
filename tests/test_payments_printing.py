"""The receipt on this counter's printer: ESC/POS on a device file or a network printer (a local
TCP server here), the paper from the counter's settings, and a printer failure that keeps the
payment and leaves its receipt in the unprinted queue. Only loopback addresses."""

from __future__ import annotations

import errno
import io
import socket
import threading
import time
from datetime import date

import pytest
from PySide6.QtWidgets import QDialog
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from app.kernel.errors import UserError, ValidationError
from app.printing.payments import output
from app.printing.payments.output import PrinterProblem
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting, printer_settings, queries, receipt_output
from app.services.payments.printer_settings import ReceiptPrinter

RECEIPT = "R-3301-2026-000001"


def _owing_account(db, clerk):
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y", due_days="60"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1180")
    bills.issue_accounts(db, clerk, ["3301000001"], "2026-10", today=date(2026, 11, 4))
    posting.open_shift(db, clerk, "200")
    return aid


@pytest.fixture
def paid(db, clerk):
    """A committed cash payment of ¥50.00 whose receipt has not been printed yet."""
    aid = _owing_account(db, clerk)
    p = posting.post_payment(db, clerk, aid, "50", "cash", "print-test", "50", today=date(2026, 11, 20))
    assert p.receipt_no == RECEIPT
    return p.payment_id


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then let go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NetworkPrinter(threading.Thread):
    """A receipt printer on 127.0.0.1 for one connection: answers the paper query with `status`
    (None: stays silent like many printers), keeps what it receives, and stops by itself."""

    def __init__(self, status: bytes | None = None, limit: float = 10.0) -> None:
        super().__init__(daemon=True)
        self.status = status
        self.limit = limit
        self.data = bytearray()
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.settimeout(limit)
        self.port = self.server.getsockname()[1]
        self.start()

    @property
    def device(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def run(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            self.server.close()
            return
        deadline = time.monotonic() + self.limit
        answered = False
        with conn:
            conn.settimeout(1.0)
            while time.monotonic() < deadline:
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                self.data += chunk
                if self.status is not None and not answered and output.DLE_EOT_PAPER in self.data:
                    conn.sendall(self.status)
                    answered = True
        self.server.close()

    def received(self) -> bytes:
        self.join(self.limit + 2)
        assert not self.is_alive()
        return bytes(self.data)


def escpos(device: str, paper: str = "80mm", mode: str = "text") -> ReceiptPrinter:
    return ReceiptPrinter("escpos", paper, device, mode)


def page_width_mm(data: bytes) -> float:
    from pypdf import PdfReader

    return float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) / mm


# ------------------------------------------------------------------------------------------ services


def test_escpos_device_file_gets_the_receipt_in_gb18030_and_only_then_it_counts_as_printed(db, clerk, paid, tmp_path):
    device = tmp_path / "lp0"
    device.touch()  # the device node of a printer that is plugged in
    assert queries.next_print(db, paid) == 0
    receipt_output.print_receipt(db, clerk, paid, escpos(str(device), "58mm"))
    text = device.read_bytes().decode("gb18030")
    assert RECEIPT in text and "¥50.00" in text and "伍拾元整" in text and "缴费收据" in text
    assert "重打" not in text  # the first paper
    assert device.read_bytes().endswith(b"\x1dVA\x00") or b"\x1dV" in device.read_bytes()[-8:]
    assert queries.unprinted(db, clerk) == []
    assert queries.next_print(db, paid) == 1


@pytest.mark.parametrize("where", ["missing directory", "refused port"])
def test_an_unreachable_printer_keeps_the_payment_and_the_receipt_unprinted(db, clerk, paid, tmp_path, where):
    device = str(tmp_path / "no-such-folder" / "lp0") if where == "missing directory" else f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(PrinterProblem) as err:
        receipt_output.print_receipt(db, clerk, paid, escpos(device))
    reason = err.value.text()
    assert device in reason
    assert ("cannot be reached" if device.startswith("tcp") else "not connected or is switched off") in reason
    assert "Traceback" not in reason and "Errno" not in reason
    assert queries.find_payment(db, RECEIPT) == paid  # the payment is saved
    assert [r.receipt_no for r in queries.unprinted(db, clerk)] == [RECEIPT]
    assert queries.next_print(db, paid) == 0  # nothing counted: the reprint later is still the first paper
    assert not (tmp_path / "no-such-folder").exists()  # no file made in the printer's place


def test_a_plugged_out_usb_printer_is_not_replaced_by_a_plain_file(db, clerk, paid, tmp_path):
    device = tmp_path / "lp0"  # the folder exists, the device node does not
    with pytest.raises(PrinterProblem):
        receipt_output.print_receipt(db, clerk, paid, escpos(str(device)))
    assert not device.exists()
    assert [r.receipt_no for r in queries.unprinted(db, clerk)] == [RECEIPT]


@pytest.mark.parametrize("mode", ["text", "raster"])
def test_network_printer_receives_the_receipt(db, clerk, paid, mode):
    printer = NetworkPrinter()
    receipt_output.print_receipt(db, clerk, paid, escpos(printer.device, "80mm", mode))
    data = printer.received()
    assert data.startswith(output.DLE_EOT_PAPER)  # asked for paper first
    assert b"{B" + RECEIPT.encode() in data  # the barcode
    if mode == "text":
        text = data.decode("gb18030", errors="replace")
        assert RECEIPT in text and "¥50.00" in text and "张*丰" in text
    else:
        assert b"\x1dv0" in data  # GS v 0: a raster image
    assert queries.unprinted(db, clerk) == []


def test_network_printer_out_of_paper_is_told_and_nothing_is_counted(db, clerk, paid):
    printer = NetworkPrinter(status=bytes([0x12 | 0x60]))  # DLE EOT 4 answer: paper end
    with pytest.raises(PrinterProblem) as err:
        receipt_output.print_receipt(db, clerk, paid, escpos(printer.device))
    assert "out of paper" in err.value.text() and printer.device in err.value.text()
    assert printer.received() == output.DLE_EOT_PAPER  # not a byte of the receipt
    assert [r.receipt_no for r in queries.unprinted(db, clerk)] == [RECEIPT]
    ok = NetworkPrinter(status=bytes([0x12]))  # paper loaded again: the reprint from the queue goes out
    receipt_output.print_receipt(db, clerk, paid, escpos(ok.device))
    assert RECEIPT in ok.received().decode("gb18030", errors="replace")
    assert queries.unprinted(db, clerk) == []


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "out of paper"),
        (errno.EACCES, "may not use"),
        (errno.EBUSY, "busy"),
        (errno.ENODEV, "not connected"),
        (errno.EIO, "reported an error"),
    ],
)
def test_os_errors_become_the_clerks_words(code, words):
    problem = output.problem_for(output.parse_device("/dev/usb/lp0"), OSError(code, "x"))
    assert words in problem.text() and "/dev/usb/lp0" in problem.text()


@pytest.mark.parametrize("paper, width", [("80mm", 80), ("58mm", 58), ("a5", A5[0] / mm)])
def test_the_counters_paper_sets_the_page_width(db, clerk, paid, paper, width, _data_dir):
    config = ReceiptPrinter("pdf", paper)
    job = receipt_output.print_receipt(db, clerk, paid, config)
    assert abs(page_width_mm(job.pdf) - width) < 0.5
    assert job.archived.read_bytes() == job.pdf and job.archived.is_relative_to(_data_dir / "archive" / "receipt")
    assert queries.unprinted(db, clerk) == []


# ------------------------------------------------------------------------------------------ settings


def test_settings_are_kept_per_counter_and_their_change_is_audited(db, admin, _data_dir):
    from sqlalchemy import select

    from app.models import AuditEntry

    assert printer_settings.load() == ReceiptPrinter()  # a new counter: preview on 80 mm
    saved = printer_settings.save(db, admin, ReceiptPrinter("escpos", "58mm", " tcp://127.0.0.1:9100 ", "raster"))
    assert saved == ReceiptPrinter("escpos", "58mm", "tcp://127.0.0.1:9100", "raster")
    assert (_data_dir / "counter.toml").is_file()
    assert printer_settings.load() == saved
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert (entry.action, entry.entity, entry.entity_id) == ("configure", "receipt_printer", printer_settings.machine())
        assert "tcp://127.0.0.1:9100" in entry.after and "preview" in entry.before


@pytest.mark.parametrize(
    "values, field, words",
    [
        (("escpos", "80mm", "tcp://127.0.0.1", "text"), "device", "port"),
        (("escpos", "80mm", "tcp://127.0.0.1:99999", "text"), "device", "1 to 65535"),
        (("escpos", "80mm", "", "text"), "device", "Enter the printer's device"),
        (("escpos", "80mm", "usb/lp0", "text"), "device", "full path"),
        (("escpos", "a5", "/dev/usb/lp0", "text"), "paper", "80 mm or 58 mm"),
        (("fax", "80mm", "", "text"), "target", "where receipts go"),
        (("pdf", "a4", "", "text"), "paper", "Choose the paper"),
        (("pdf", "80mm", "", "bold"), "mode", "text or picture"),
    ],
)
def test_bad_settings_are_refused_at_their_field(values, field, words, db, admin, _data_dir):
    with pytest.raises(ValidationError) as err:
        printer_settings.save(db, admin, ReceiptPrinter(*values))
    assert field in err.value.errors and words in err.value.errors[field].text()
    assert not (_data_dir / "counter.toml").exists()


def test_a_damaged_settings_file_is_said_not_guessed(_data_dir):
    (_data_dir / "counter.toml").write_text('[receipt_printer]\ntarget = "escpos"\ndevice = "tcp://x"\n', encoding="utf-8")
    with pytest.raises(UserError) as err:
        printer_settings.load()
    assert "damaged" in err.value.text() and "counter.toml" in err.value.text()


def test_pay_command_prints_on_the_counters_paper_unless_told(db, clerk, tmp_path, _data_dir):
    from app.cli import main
    from tests.cliauth import as_

    _owing_account(db, clerk)
    printer_settings.save(db, clerk, ReceiptPrinter("pdf", "a5"))
    out = tmp_path / "r1.pdf"
    assert (
        main(
            ["--db", db.url, "pay", *as_("zhangli"), "--account", "3301000001", "--amount", "10", "--tendered", "10", "--receipt", str(out)]
        )
        == 0
    )
    assert abs(page_width_mm(out.read_bytes()) - A5[0] / mm) < 0.5
    out2 = tmp_path / "r2.pdf"
    assert (
        main(
            [
                "--db",
                db.url,
                "pay",
                *as_("zhangli"),
                "--account",
                "3301000001",
                "--amount",
                "10",
                "--tendered",
                "10",
                "--receipt",
                str(out2),
                "--paper",
                "58mm",
            ]
        )
        == 0
    )
    assert abs(page_width_mm(out2.read_bytes()) - 58) < 0.5
    assert queries.unprinted(db, clerk) == []  # written out, so counted


# ------------------------------------------------------------------------------------------ window


@pytest.fixture
def window(qtbot, sqlite_db):
    from app.services import auth
    from app.views.context import AppContext
    from app.views.main_window import MainWindow
    from app.views.plugins import load_registry

    admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(sqlite_db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(sqlite_db, "zhangli")
    aid = _owing_account(sqlite_db, clerk)
    p = posting.post_payment(sqlite_db, clerk, aid, "50", "cash", "gui-print", "50", today=date(2026, 11, 20))
    w = MainWindow(AppContext(sqlite_db, clerk), load_registry())
    qtbot.addWidget(w)
    w.payment_id = p.payment_id
    return w


@pytest.fixture
def warnings(monkeypatch):
    from app.views.payments import receipts

    said = []
    monkeypatch.setattr(receipts.QMessageBox, "warning", staticmethod(lambda parent, title, text: said.append(text)))
    return said


def test_window_says_why_the_receipt_was_not_printed_and_the_queue_prints_it_later(window, warnings, tmp_path):
    from app.views.payments.receipts import print_receipt
    from app.views.payments_plugin import _unprinted

    ctx = window.ctx
    device = tmp_path / "lp0"
    printer_settings.save(ctx.db, ctx.actor, escpos(str(device)))
    assert print_receipt(ctx, window, window.payment_id) is False
    assert len(warnings) == 1
    assert f"The receipt was not printed: the printer at {device} is not connected or is switched off." in warnings[0]
    assert "The payment is saved; reprint it from Unprinted receipts once the printer is ready." in warnings[0]
    assert [r.receipt_no for r in queries.unprinted(ctx.db, ctx.actor)] == [RECEIPT]
    device.touch()  # plugged in again
    _unprinted(ctx, window)
    assert RECEIPT in device.read_bytes().decode("gb18030")
    assert queries.unprinted(ctx.db, ctx.actor) == [] and len(warnings) == 1


def test_window_sends_to_a_network_printer_and_keeps_painting(window, warnings):
    from app.views.payments.receipts import print_receipt

    printer = NetworkPrinter()
    printer_settings.save(window.ctx.db, window.ctx.actor, escpos(printer.device, "58mm"))
    assert print_receipt(window.ctx, window, window.payment_id) is True
    assert RECEIPT in printer.received().decode("gb18030", errors="replace")
    assert warnings == [] and queries.unprinted(window.ctx.db, window.ctx.actor) == []


def test_window_pdf_target_says_where_the_receipt_is(window, warnings, _data_dir):
    from app.views.payments.receipts import print_receipt

    printer_settings.save(window.ctx.db, window.ctx.actor, ReceiptPrinter("pdf", "58mm"))
    assert print_receipt(window.ctx, window, window.payment_id) is True
    message = window.statusBar().currentMessage()
    archived = next((_data_dir / "archive" / "receipt").rglob("*.pdf"))
    assert RECEIPT in message and str(archived) in message
    assert abs(page_width_mm(archived.read_bytes()) - 58) < 0.5
    assert warnings == [] and queries.unprinted(window.ctx.db, window.ctx.actor) == []


def test_window_system_target_without_a_printer_keeps_the_receipt(window, warnings, monkeypatch):
    from PySide6.QtPrintSupport import QPrinterInfo

    from app.views.payments.receipts import print_receipt

    monkeypatch.setattr(QPrinterInfo, "defaultPrinter", staticmethod(lambda: QPrinterInfo()))  # no printer installed
    printer_settings.save(window.ctx.db, window.ctx.actor, ReceiptPrinter("system", "80mm"))
    assert print_receipt(window.ctx, window, window.payment_id) is False
    assert "no default printer" in warnings[0] and "The payment is saved" in warnings[0]
    assert [r.receipt_no for r in queries.unprinted(window.ctx.db, window.ctx.actor)] == [RECEIPT]


def test_printer_dialog_marks_a_bad_device_at_the_field_and_saves_a_good_one(window, qtbot, tmp_path, _data_dir, monkeypatch):
    from PySide6.QtGui import QAction

    from app.views.payments.printer_dialog import ReceiptPrinterDialog

    assert window.findChild(QAction, "actionReceiptPrinter") is not None
    dialog = ReceiptPrinterDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    form = dialog.form
    target = dialog.findChild(object, "field_target")
    target.setCurrentIndex(target.findData("escpos"))
    assert dialog.findChild(object, "field_device").isEnabled()
    device = dialog.findChild(object, "field_device")
    device.setText("tcp://127.0.0.1")
    dialog.findChild(object, "saveButton").click()
    error = dialog.findChild(object, "error_device")
    assert not error.isHidden() and "port" in error.text() and device.property("invalid") is True
    assert dialog.result() != QDialog.DialogCode.Accepted and not (_data_dir / "counter.toml").exists()

    # The test page shows a printer that is not there at the field too, and then goes out on one that is.
    device.setText(f"tcp://127.0.0.1:{free_port()}")
    assert dialog.print_test_page() is False
    assert "cannot be reached" in dialog.findChild(object, "error_device").text()
    assert "not printed" in dialog.findChild(object, "dialogMessage").text()
    lp = tmp_path / "lp0"
    lp.touch()
    device.setText(str(lp))
    paper = dialog.findChild(object, "field_paper")
    paper.setCurrentIndex(paper.findData("58mm"))
    dialog.findChild(object, "testPageButton").click()
    assert output.SAMPLE in lp.read_bytes().decode("gb18030")
    assert dialog.findChild(object, "error_device").isHidden()
    dialog.findChild(object, "saveButton").click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert printer_settings.load() == escpos(str(lp), "58mm")
    assert form.value("mode") == "text"

"""Shows a printed document (PDF bytes) as the paper will look, and sends it to a printer or a file;
`output_document` is the window's side of the document protocol (app.services.documents): every
document the window prints goes out through it, wherever it goes."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
CTX = "Printing"


def page_images(data: bytes, scale: float = 1.4) -> list[QImage]:
    """Render each page with PDFium (shipped in the pypdfium2 wheel)."""
    import io

    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    images = []
    try:
        for i in range(len(doc)):
            pil = doc[i].render(scale=scale).to_pil()
            buf = io.BytesIO()
            pil.save(buf, format="PNG")
            images.append(QImage.fromData(buf.getvalue(), "PNG"))
    finally:
        doc.close()
    return images


def print_pdf(data: bytes, parent=None, printer=None) -> bool:
    """Print through Qt print support (the system's printers); False when the clerk cancels."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer")
    try:
        for i, img in enumerate(page_images(data, scale=3.0)):
            if i:
                printer.newPage()
            rect = painter.viewport()
            size = img.size().scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(rect.x(), rect.y(), size.width(), size.height())
            painter.setWindow(img.rect())
            painter.drawImage(0, 0, img)
            painter.setViewport(rect)
    finally:
        painter.end()
    return True


class PdfPreviewDialog(QDialog):
    def __init__(self, title: str, data: bytes, file_name: str, parent=None, on_delivered=None) -> None:
        """`on_delivered(target)` runs once the document went to a printer ("system") or was saved to a
        file ("pdf"): a document is counted as printed then, so a preview alone counts nothing."""
        super().__init__(parent)
        self.on_delivered = on_delivered
        self.delivered = ""
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.resize(820, 700)
        self.data = data
        self.file_name = file_name
        box = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        pages = QWidget()
        pv = QVBoxLayout(pages)
        for img in page_images(data):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(img))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setStyleSheet("background: white; border: 1px solid #999;")
            pv.addWidget(label)
        scroll.setWidget(pages)
        box.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print… (Ctrl+P)"))
        self.print_button.setObjectName("printButton")
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(self._print)
        save = QPushButton(self.tr("Save as PDF…"))
        save.setObjectName("savePdfButton")
        save.clicked.connect(self._save)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.accept)
        row.addWidget(self.print_button)
        row.addWidget(save)
        row.addStretch(1)
        row.addWidget(close)
        box.addLayout(row)

    def _output(self, target: str = "pdf") -> bytes:
        """The document went out (printed or saved): tell the caller, once per dialog."""
        if not self.delivered:
            self.delivered = target
            if self.on_delivered is not None:
                self.on_delivered(target)
        return self.data

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_pdf(self.data, self, printer)
        except OSError:
            QMessageBox.warning(
                self,
                self.tr("Not printed"),
                self.tr(
                    "The printer cannot be used. Check that it is on and has paper; the document is kept in the archive and can be printed again."
                ),
            )
            return
        self._output("system")
        self.accept()

    def _save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), self.file_name, "PDF (*.pdf)")
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            with open(path, "wb") as f:
                f.write(self.data)
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Not saved"),
                self.tr("The PDF cannot be written to %1: %2").replace("%1", path).replace("%2", exc.strerror or str(exc)),
            )
            return False
        self._output("pdf")
        return True


# --------------------------------------------------------------------------- the window's side of the protocol


def run_off_ui(fn, window=None, note: str = ""):
    """Run `fn` (device I/O only, no database) on a helper thread; the window keeps painting and the
    clerk's keys wait until it is done. Returns fn's result or raises its exception."""
    from PySide6.QtWidgets import QApplication

    box: dict = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001  (handed back to the caller's thread)
            box["error"] = exc

    status = status_bar(window)
    if status is not None and note:
        status.showMessage(note)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    thread = threading.Thread(target=work, name="printer", daemon=True)
    try:
        thread.start()
        while thread.is_alive():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 30)
            thread.join(0.02)
    finally:
        QApplication.restoreOverrideCursor()
        if status is not None and note:
            status.clearMessage()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def status_bar(window):
    top = window.window() if window is not None else None
    return top.statusBar() if top is not None and hasattr(top, "statusBar") else None


def pdf_page_size(data: bytes):
    """The first page's size in points (a roll receipt is as long as its content)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].get_size()
    finally:
        document.close()


def print_on_system_printer(data: bytes, window=None) -> str:
    """Print at once on the system's default printer, on a page the size of the document.
    Returns "" when it went out, otherwise the reason in the clerk's words."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        return QCoreApplication.translate(
            "Receipts",
            "this computer has no default printer (set one up in the system's printer settings, or choose another target under Tools > Receipt printer…)",
        )
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    width, height = pdf_page_size(data)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    try:
        print_pdf(data, window, printer)
    except OSError:
        return QCoreApplication.translate("Receipts", "the printer %1 cannot be used; check that it is on and has paper").replace(
            "%1", info.printerName()
        )
    return ""


def _not_printed(window, reason: str) -> None:
    QMessageBox.warning(
        window,
        QCoreApplication.translate("Printing", "Not printed"),
        QCoreApplication.translate(
            "Printing", "The document was not printed: %1. It can be printed again once the printer is ready."
        ).replace("%1", reason),
    )


def _mark(ctx, window, prepared, said) -> bool:
    """Count the print that went out (archived first if it was not yet); False, said, when that failed."""
    from app.i18n import error_text
    from app.kernel.errors import UserError
    from app.services import documents

    try:
        documents.mark_printed(ctx.db, ctx.actor, prepared)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("Printing", "Not printed"), error_text(err))
        return False
    except OSError as exc:
        log.warning("archive: %r", exc)
        said(window, QCoreApplication.translate("Printing", "the archive cannot be written (is the disk full?)"))
        return False
    return True


def output_document(
    ctx,
    window,
    kind: str,
    ref,
    target: str = "preview",
    paper: str | None = None,
    device: str = "",
    mode: str = "text",
    shown_counts: bool = False,
    not_printed=None,
    area: str = "",
    refused=None,
) -> bool:
    """Print a document from the window through the protocol: prepare (its copy number from the database),
    deliver where `target` says, mark printed once it is out. This is the one place the window decides
    where paper goes:

    - preview: shown as the paper will look; counted when printed or saved from there (or, with
      `shown_counts`, once shown: a counter whose receipts go to the screen);
    - system: at once on the system's default printer;
    - escpos: the counter's roll printer at `device` (device I/O off the window's thread);
    - pdf: the archived PDF only.

    True when it went out and was counted; False when it did not (the clerk was told why, or looked
    and closed). `not_printed(window, reason)` says a failure in the kind's words; `refused(err)`, when
    given, shows a UserError of preparing (a wrong input) at the caller's field instead of a box."""
    from app.i18n import error_text
    from app.kernel.errors import UserError
    from app.services import documents

    tr = QCoreApplication.translate
    said = not_printed or _not_printed
    look_first = target == "preview" and not shown_counts
    try:
        prepared = documents.prepare(ctx.db, ctx.actor, kind, ref, paper, tr, archive=not look_first)
    except UserError as err:
        if refused is not None:
            refused(err)
        else:
            QMessageBox.warning(window, QCoreApplication.translate("Printing", "Not printed"), error_text(err))
        return False
    except OSError as exc:  # the archive folder cannot be written
        log.warning("archive: %r", exc)
        said(window, QCoreApplication.translate("Printing", "the archive cannot be written (is the disk full?)"))
        return False
    if target in ("escpos", "pdf"):
        try:
            run_off_ui(
                lambda: documents.deliver(prepared, documents.Delivery(target, device, mode), tr),
                window,
                QCoreApplication.translate("Printing", "Printing %1…").replace("%1", prepared.number),
            )
        except UserError as err:
            said(window, error_text(err))
            return False
        except Exception:  # noqa: BLE001  (a fault in a printer library: what was saved is safe, say so)
            log.exception("%s %s on %s", kind, prepared.number, device)
            said(window, QCoreApplication.translate("Printing", "the printer at %1 reported an error").replace("%1", device))
            return False
        if target == "pdf":
            status = status_bar(window)
            if status is not None:
                status.showMessage(
                    QCoreApplication.translate("Printing", "%1 saved as PDF: %2")
                    .replace("%1", prepared.number)
                    .replace("%2", str(prepared.archived)),
                    30000,
                )
    elif target == "system":
        reason = print_on_system_printer(prepared.pdf, window)
        if reason:
            said(window, reason)
            return False
        prepared.delivered = "system"
    else:
        counted: list[bool] = []

        def delivered(how: str) -> None:  # printed or saved from the preview: counted at once
            prepared.delivered = how
            counted.append(_mark(ctx, window, prepared, said))

        dialog = PdfPreviewDialog(
            prepared.title, prepared.pdf, prepared.file_name, window, on_delivered=None if shown_counts else delivered
        )
        dialog.exec()
        if not shown_counts:
            if counted and counted[0] and area and hasattr(ctx, "data_changed"):
                ctx.data_changed.emit(area)
            return bool(counted and counted[0])  # looked at and closed: nothing went out, nothing is counted
        prepared.delivered = "preview"
    if not _mark(ctx, window, prepared, said):
        return False
    if area and hasattr(ctx, "data_changed"):
        ctx.data_changed.emit(area)
    return True

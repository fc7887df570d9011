"""Shows a printed document (PDF bytes) as the paper will look, and sends it to a printer or a file."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
    def __init__(self, title: str, data: bytes, file_name: str, parent=None, on_output=None) -> None:
        """`on_output()` runs before the document goes to a printer or a file, and may return new
        bytes (a bill counts the print and archives it there, so a preview alone counts nothing)."""
        super().__init__(parent)
        self.on_output = on_output
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

    def _output(self) -> bytes:
        if self.on_output is not None:
            data = self.on_output()
            if data is not None:
                self.data = data
            self.on_output = None  # counted once per dialog
        return self.data

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_pdf(self._output(), self, printer)
            self.accept()
        except OSError:
            QMessageBox.warning(self, self.tr("Not printed"), self.tr("The printer cannot be used. Check that it is on and has paper; the document is kept in the archive and can be printed again."))

    def _save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), self.file_name, "PDF (*.pdf)")
        if path:
            data = self._output()
            with open(path, "wb") as f:
                f.write(data)

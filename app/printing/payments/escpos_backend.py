"""ESC/POS thermal printers (58/80 mm): the receipt as GB18030 text, or as one raster image.

Text mode sends the characters and lets the printer's own Chinese font draw them (fast; needs
a printer with GB18030 support). Raster mode draws the PDF page with PDFium and sends the
picture (slower; works on any printer). The counter's receipt printer settings choose
(counter.toml, app/services/payments/printer_settings.py); app/printing/payments/output.py opens the device.
"""

from __future__ import annotations

from typing import Callable

from app.kernel.money import chinese_capitals, format_yuan
from app.printing.labels import Translate, ts_translator
from app.printing.payments.receipt import METHODS, ReceiptDocument, quantity_text

C = "printing"
WIDTH_CHARS = {"58mm": 32, "80mm": 48}  # half-width columns per line
GS_CHINESE_ON = b"\x1c\x26"  # FS & : Chinese character mode


def _cols(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(left: str, right: str, width: int) -> str:
    return left + " " * max(1, width - _cols(left) - _cols(right)) + right


def receipt_text(doc: ReceiptDocument, width: int, tr: Translate) -> list[str]:
    t = lambda s: tr(C, s)  # noqa: E731  (all labels are the receipt PDF's, already marked)
    lines = [doc.hall, t("Payment receipt")]
    if doc.reversal_of:
        lines.append(t("REVERSAL of %1").replace("%1", doc.reversal_of))
    if doc.reprint:
        lines.append(t("REPRINT (%1)").replace("%1", str(doc.reprint)))
    lines += [
        _line(t("Receipt no."), doc.receipt_no, width),
        _line(t("Time"), doc.at.strftime("%Y-%m-%d %H:%M"), width),
        _line(t("Account no."), doc.account_no, width),
        _line(t("Account name"), doc.account_name, width),
        _line(t("Clerk"), f"{doc.clerk} ({doc.staff_no or doc.station_code})", width),
        "-" * width,
    ]
    for b in doc.bills:
        lines.append(f"{b.period} {b.readings} {quantity_text(b.quantity)}{b.unit}")
        lines.append(_line(t("Late fee"), format_yuan(b.late_fee), width))
        lines.append(_line(t("Charges"), format_yuan(b.principal), width))
    if doc.to_balance:
        lines.append(_line(t("Prepaid to balance"), format_yuan(doc.to_balance), width))
    lines += [
        "-" * width,
        _line(t("Total"), format_yuan(doc.total), width),
        chinese_capitals(doc.total),
        _line(t("Paid by"), t(METHODS.get(doc.method, doc.method)), width),
    ]
    if doc.method == "cash":
        lines += [_line(t("Tendered"), format_yuan(doc.tendered), width), _line(t("Change"), format_yuan(doc.change), width)]
    elif doc.reference:
        lines.append(_line(t("Reference no."), doc.reference, width))
    if doc.still_owed > 0:
        lines.append(_line(t("Still owed"), format_yuan(doc.still_owed), width))
    lines += [_line(t("Balance after"), format_yuan(doc.balance_after), width), _line(t("Verification code"), doc.verification, width)]
    return lines


def send_page(printer, paper: str, mode: str, pdf: Callable[[], bytes], lines: Callable[[int], list[str]]) -> None:
    """One page on a python-escpos printer: in raster mode the PDF page drawn by PDFium at the
    roll's printable width, otherwise the text lines (for that many half-width columns) in GB18030."""
    if mode == "raster":
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf())
        try:
            dots = 384 if paper == "58mm" else 576  # printable dots at 203 dpi
            page = document[0]
            image = page.render(scale=dots / page.get_width()).to_pil().convert("L")
        finally:
            document.close()
        printer.image(image, impl="bitImageRaster")
    else:
        printer._raw(GS_CHINESE_ON)  # noqa: SLF001  (python-escpos has no call for FS &)
        for line in lines(WIDTH_CHARS.get(paper, 48)):
            printer._raw(line.encode("gb18030") + b"\n")  # noqa: SLF001


def send_receipt(
    printer, doc: ReceiptDocument, paper: str = "80mm", mode: str = "text", tr: Translate | None = None, pdf: bytes | None = None
) -> None:
    """Write the receipt to a python-escpos printer object (Usb, Network, Serial, File or Dummy)."""
    from app.printing.payments.receipt import render_receipt

    tr = tr or ts_translator("zh_CN")
    send_page(
        printer, paper, mode, lambda: pdf if pdf is not None else render_receipt(doc, paper, tr), lambda width: receipt_text(doc, width, tr)
    )
    printer.barcode("{B" + doc.receipt_no, "CODE128", function_type="B", pos="BELOW")  # {B: code set B, dashes kept
    printer.cut()

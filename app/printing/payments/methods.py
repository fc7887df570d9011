"""The payment methods' names as printed and shown (context "printing"); no ReportLab, so the window
can name them without loading the document code at start-up."""

from __future__ import annotations

from app.kernel.messages import QT_TRANSLATE_NOOP

METHODS = {"cash": QT_TRANSLATE_NOOP("printing", "Cash"), "card": QT_TRANSLATE_NOOP("printing", "Bank card"),
           "qr": QT_TRANSLATE_NOOP("printing", "QR code payment"), "transfer": QT_TRANSLATE_NOOP("printing", "Bank transfer")}


def method_name(method: str, translate) -> str:
    """The method's name through a translate(context, text) function (Qt's, or app.printing.labels')."""
    return translate("printing", METHODS[method]) if method in METHODS else method

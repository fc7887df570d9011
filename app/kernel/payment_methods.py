"""The ways a customer pays, defined once: the services check a method against METHOD_CODES and total
a shift by it, the window offers PAYMENT_METHODS in this order (F4, Alt+1…4) and names them with
method_name, the printed receipts and shift reports use the same names.

The names are marked in the "printing" context: the receipt and the screen say the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.messages import QT_TRANSLATE_NOOP

LABEL_CONTEXT = "printing"


@dataclass(frozen=True)
class PaymentMethod:
    code: str  # stored in payments.method
    label: str  # English source text in LABEL_CONTEXT
    cash: bool  # cash has a tendered amount and change; the others a terminal or transaction reference
    counter: bool = True  # offered at the counter (the payment dialog, `counterdesk pay`); bank collection is not


PAYMENT_METHODS: tuple[PaymentMethod, ...] = (
    PaymentMethod("cash", QT_TRANSLATE_NOOP("printing", "Cash"), True),
    PaymentMethod("card", QT_TRANSLATE_NOOP("printing", "Bank card"), False),
    PaymentMethod("qr", QT_TRANSLATE_NOOP("printing", "QR code payment"), False),
    PaymentMethod("transfer", QT_TRANSLATE_NOOP("printing", "Bank transfer"), False),
    # 代扣: posted from a bank's return file (app/services/interfaces/bank_collection.py), never typed at the counter
    PaymentMethod("bank", QT_TRANSLATE_NOOP("printing", "Bank collection"), False, counter=False),
)
METHOD_CODES: tuple[str, ...] = tuple(m.code for m in PAYMENT_METHODS)
METHOD_LABELS: dict[str, str] = {m.code: m.label for m in PAYMENT_METHODS}
COUNTER_METHODS: tuple[PaymentMethod, ...] = tuple(m for m in PAYMENT_METHODS if m.counter)
COUNTER_METHOD_CODES: tuple[str, ...] = tuple(m.code for m in COUNTER_METHODS)


def method_name(code: str, translate) -> str:
    """The method's name through a translate(context, text) function (Qt's, or app.printing.labels')."""
    return translate(LABEL_CONTEXT, METHOD_LABELS[code]) if code in METHOD_LABELS else code

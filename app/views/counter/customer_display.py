"""The customer display: a second window on the screen that faces the customer, and its satisfaction pad.

It is a view: it listens to the AppContext's signals (the F4 dialog's payment_progress and finished(),
matter_registered) and to the queue calls of app/views/counter_plugin.py, and shows what the clerk's
screen shows, for the customer: while idle the hall and the clerk (name and staff number); during a
payment the bills with periods and quantities, the amount, cash tendered and change in large figures;
after a registered matter its number, owner and promised date. Names are masked with
app.kernel.masking and an ID number or a phone is never shown unmasked.

After a payment or a matter the pad asks the customer to rate the service (keys 1-4 on the display,
touch or click, or Ctrl+1…Ctrl+4 anywhere in the program for a keypad evaluator); after `pad_timeout`
seconds, or when the next customer's payment starts, the service is stored as not rated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.masking import mask_name, mask_phone
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan, parse_amount, to_fen

CTX = "CustomerDisplay"
RATING_LABELS = (
    ("very_satisfied", QT_TRANSLATE_NOOP("CustomerDisplay", "Very satisfied")),
    ("satisfied", QT_TRANSLATE_NOOP("CustomerDisplay", "Satisfied")),
    ("neutral", QT_TRANSLATE_NOOP("CustomerDisplay", "Neutral")),
    ("dissatisfied", QT_TRANSLATE_NOOP("CustomerDisplay", "Dissatisfied")),
)
RATING_COLORS = ("#1b7f3b", "#3f9b4f", "#b08900", "#b3261e")
UNITS = {"electricity": "kWh", "water": "m³"}
THANKS_MS = 3000


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


@dataclass
class BillLine:
    period: str
    usage: str  # with its unit
    charges_fen: int
    late_fee_fen: int

    @property
    def total_fen(self) -> int:
        return self.charges_fen + self.late_fee_fen


@dataclass
class PaymentShown:
    """What the customer sees of the F4 dialog: plain values, names masked."""

    account_no: str
    name_masked: str
    bills: list[BillLine] = field(default_factory=list)
    amount_fen: int | None = None
    cash: bool = True
    tendered_fen: int | None = None

    @property
    def change_fen(self) -> int | None:
        if not self.cash or self.amount_fen is None or self.tendered_fen is None or self.tendered_fen < self.amount_fen:
            return None
        return self.tendered_fen - self.amount_fen


def _fen(text: str, name: str = "amount") -> int | None:
    try:
        return to_fen(parse_amount(text, name))
    except (ValidationError, UserError, ValueError, ArithmeticError):
        return None


def payment_shown(dialog) -> PaymentShown:
    """Read the open F4 dialog (app/views/payments/payment_dialog.py): its account, the owed bills and the
    amount, method and cash as typed so far."""
    account = dialog.account
    unit = UNITS.get(getattr(account, "service", ""), "")
    bills = [
        BillLine(o.period, f"{format(o.usage.normalize(), 'f')} {unit}".strip(), o.principal_fen, o.late_fee_fen)
        for o in getattr(dialog, "owed", [])
    ]
    cash = dialog.method.currentData() == "cash"
    amount = _fen(dialog.amount.text())
    tendered = _fen(dialog.tendered.text() or dialog.amount.text(), "tendered") if cash else None
    return PaymentShown(account.account_no, mask_name(account.account_name), bills, amount, cash, tendered)


def _label(name: str, role: str, parent=None, align=Qt.AlignmentFlag.AlignCenter) -> QLabel:
    w = QLabel(parent)
    w.setObjectName(name)
    w.setProperty("displayRole", role)
    w.setAlignment(align)
    w.setWordWrap(True)
    return w


class CustomerDisplay(QWidget):
    """The customer's window. `rated(ref_id, rating)` after each stored rating (not_rated included)."""

    rated = Signal(object, str)

    # The size of each role's text as a share of the window's height.
    SIZES = {"hall": 0.07, "huge": 0.13, "big": 0.075, "text": 0.042, "small": 0.032, "ticket": 0.09}

    def __init__(self, ctx, pad_timeout: int = 30, counter: str = "", parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.pad_timeout = pad_timeout
        self.counter = counter
        self.pending: tuple[uuid.UUID, str] | None = None  # (ref_id, kind) the pad is asking about
        self._dialog = None
        self.ticket: str | None = None
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("CounterDesk — customer display"))
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # the clerk keeps the keyboard
        self.setStyleSheet(
            "#customerDisplay { background: #f4f7fb; } "
            'QLabel[displayRole="hall"] { color: #0b3d91; font-weight: bold; } '
            'QLabel[displayRole="huge"] { color: #0b3d91; font-weight: bold; } '
            'QLabel[displayRole="ticket"] { color: #b3261e; font-weight: bold; } '
            "#displayHeader { background: #0b3d91; } #displayHeader QLabel { color: white; }"
        )
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)

        header = QWidget()
        header.setObjectName("displayHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        hb = QHBoxLayout(header)
        self.header_hall = _label("displayHeaderHall", "text", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.header_ticket = _label("displayHeaderTicket", "text", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hb.addWidget(self.header_hall, 1)
        hb.addWidget(self.header_ticket)
        box.addWidget(header)

        self.pages = QStackedWidget()
        box.addWidget(self.pages, 1)
        self.pages.addWidget(self._idle_page())
        self.pages.addWidget(self._payment_page())
        self.pages.addWidget(self._done_page())

        footer = QWidget()
        fb = QHBoxLayout(footer)
        self.footer_clerk = _label("displayClerk", "small", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.footer_note = _label("displayNote", "small", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        fb.addWidget(self.footer_clerk, 1)
        fb.addWidget(self.footer_note)
        box.addWidget(footer)

        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self.timed_out)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._countdown)
        self._thanks = QTimer(self)
        self._thanks.setSingleShot(True)
        self._thanks.timeout.connect(self.show_idle)
        self._shortcuts = []
        for i, (rating, _text) in enumerate(RATING_LABELS):
            # A keypad evaluator at the counter (or the clerk's keyboard): Ctrl+1..4 anywhere in the program.
            sc = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            sc.setContext(Qt.ShortcutContext.ApplicationShortcut)
            sc.setEnabled(False)
            sc.activated.connect(lambda r=rating: self.rate(r))
            self._shortcuts.append(sc)

        ctx.payment_progress.connect(self.payment_progress)
        ctx.matter_registered.connect(self.matter_registered)
        ctx.actor_changed.connect(self.show_idle)
        self.show_idle()
        self._scale()

    # ------------------------------------------------------------- pages
    def _idle_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addStretch(2)
        self.idle_hall = _label("displayHall", "hall")
        self.idle_welcome = _label("displayWelcome", "big")
        self.idle_ticket = _label("displayCall", "ticket")
        self.idle_clerk = _label("displayIdleClerk", "big")
        for w in (self.idle_hall, self.idle_welcome, self.idle_ticket, self.idle_clerk):
            v.addWidget(w)
            v.addSpacing(12)
        v.addStretch(3)
        return page

    def _payment_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(30, 16, 30, 8)
        self.pay_account = _label("displayAccount", "text", align=Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.pay_account)
        self.bills_grid = QGridLayout()
        self.bills_grid.setHorizontalSpacing(30)
        v.addLayout(self.bills_grid)
        v.addStretch(1)
        figures = QGridLayout()
        self.pay_amount = _label("displayAmount", "huge", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pay_tendered = _label("displayTendered", "big", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pay_change = _label("displayChange", "huge", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pay_amount_label = _label("displayAmountLabel", "big", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.pay_tendered_label = _label("displayTenderedLabel", "big", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.pay_change_label = _label("displayChangeLabel", "big", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for r, (a, b) in enumerate(
            (
                (self.pay_amount_label, self.pay_amount),
                (self.pay_tendered_label, self.pay_tendered),
                (self.pay_change_label, self.pay_change),
            )
        ):
            figures.addWidget(a, r, 0)
            figures.addWidget(b, r, 1)
        figures.setColumnStretch(1, 1)
        v.addLayout(figures)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(30, 16, 30, 16)
        self.done_title = _label("displayDoneTitle", "big")
        self.done_lines = _label("displayDoneLines", "text")
        v.addWidget(self.done_title)
        v.addWidget(self.done_lines)
        v.addStretch(1)
        self.pad = QWidget()
        self.pad.setObjectName("satisfactionPad")
        pv = QVBoxLayout(self.pad)
        self.pad_question = _label("padQuestion", "big")
        pv.addWidget(self.pad_question)
        row = QHBoxLayout()
        self.pad_buttons = {}
        for i, ((rating, text), color) in enumerate(zip(RATING_LABELS, RATING_COLORS)):
            b = QPushButton(f"{i + 1}  {tr(text)}")
            b.setObjectName(f"rate_{rating}")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.setStyleSheet(f"QPushButton {{ background: {color}; color: white; border-radius: 10px; font-weight: bold; }}")
            b.clicked.connect(lambda _c=False, r=rating: self.rate(r))
            self.pad_buttons[rating] = b
            row.addWidget(b)
        pv.addLayout(row, 1)
        self.pad_countdown = _label("padCountdown", "small")
        pv.addWidget(self.pad_countdown)
        v.addWidget(self.pad, 2)
        return page

    def _scale(self) -> None:
        h = max(self.height(), 300)
        for w in self.findChildren(QLabel):
            share = self.SIZES.get(w.property("displayRole") or "")
            if share:
                f = w.font()
                f.setPixelSize(max(int(h * share), 12))
                w.setFont(f)
        for b in getattr(self, "pad_buttons", {}).values():
            f = QFont(b.font())
            f.setPixelSize(max(int(h * 0.045), 12))
            b.setFont(f)
            b.setMinimumHeight(int(h * 0.14))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._scale()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        """Keys 1-4 when the display itself has the keyboard (a touch screen that was tapped)."""
        digit = event.key() - Qt.Key.Key_1
        if self.pending is not None and 0 <= digit < len(RATING_LABELS):
            self.rate(RATING_LABELS[digit][0])
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------- what the clerk does
    def show_idle(self) -> None:
        if self.pending is not None:
            return  # the pad is still asking
        actor = self.ctx.actor
        self.header_hall.setText(actor.station_name)
        self.idle_hall.setText(actor.station_name)
        self.idle_welcome.setText(self.tr("Welcome"))
        self.idle_clerk.setText(self.tr("Clerk %1 · No. %2").replace("%1", actor.clerk_name).replace("%2", actor.staff_no))
        self.footer_clerk.setText(self.tr("Serving you: %1, No. %2").replace("%1", actor.clerk_name).replace("%2", actor.staff_no))
        self.footer_note.setText("")
        self._show_ticket()
        self.pages.setCurrentIndex(0)

    def show_ticket(self, ticket_no: str | None) -> None:
        """The ticket this counter called (None: the service ended)."""
        self.ticket = ticket_no
        self._show_ticket()

    def _show_ticket(self) -> None:
        if self.ticket:
            where = self.counter
            call = self.tr("Ticket %1, please come to counter %2") if where.isdigit() else self.tr("Ticket %1, please come to %2")
            self.idle_ticket.setText(call.replace("%1", self.ticket).replace("%2", where))
            self.header_ticket.setText(self.tr("Now serving %1").replace("%1", self.ticket))
        else:
            self.idle_ticket.setText("")
            self.header_ticket.setText(self.tr("Counter %1").replace("%1", self.counter) if self.counter else "")

    def payment_progress(self, dialog) -> None:
        if dialog is not self._dialog:
            self._dialog = dialog
            self.finish_pending()  # a new customer's payment: the last one did not rate
            self._thanks.stop()
            dialog.finished.connect(lambda result, d=dialog: self.payment_finished(d, result))
        try:
            shown = payment_shown(dialog)
        except (AttributeError, TypeError):
            return  # the dialog changed shape: the display stays as it was rather than break the payment
        self.show_payment(shown)

    def show_payment(self, shown: PaymentShown) -> None:
        self.pay_account.setText(self.tr("Account %1 · %2").replace("%1", shown.account_no).replace("%2", shown.name_masked))
        while self.bills_grid.count():
            item = self.bills_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        heads = (self.tr("Period"), self.tr("Usage"), self.tr("Charges"), self.tr("Late fee"))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for c, h in enumerate(heads):
            w = _label(f"billHead{c}", "small", align=right if c else Qt.AlignmentFlag.AlignLeft)
            w.setText(h)
            self.bills_grid.addWidget(w, 0, c)
        for r, b in enumerate(shown.bills[:6], 1):
            for c, text in enumerate((b.period, b.usage, format_yuan(b.charges_fen), format_yuan(b.late_fee_fen))):
                w = _label(f"billCell{r}_{c}", "text", align=right if c else Qt.AlignmentFlag.AlignLeft)
                w.setText(text)
                self.bills_grid.addWidget(w, r, c)
        if len(shown.bills) > 6:
            more = _label("billMore", "small", align=Qt.AlignmentFlag.AlignLeft)
            more.setText(self.tr("and %1 more bills").replace("%1", str(len(shown.bills) - 6)))
            self.bills_grid.addWidget(more, 7, 0, 1, 4)
        if not shown.bills:
            none = _label("billNone", "text", align=Qt.AlignmentFlag.AlignLeft)
            none.setText(self.tr("Nothing owed: the amount goes to the prepaid balance."))
            self.bills_grid.addWidget(none, 1, 0, 1, 4)
        self.pay_amount_label.setText(self.tr("Amount"))
        self.pay_amount.setText(format_yuan(shown.amount_fen) if shown.amount_fen is not None else "—")
        self.pay_tendered_label.setText(self.tr("Cash tendered") if shown.cash else "")
        self.pay_tendered.setText(format_yuan(shown.tendered_fen) if shown.cash and shown.tendered_fen is not None else "")
        change = shown.change_fen
        self.pay_change_label.setText(self.tr("Change") if change is not None else "")
        self.pay_change.setText(format_yuan(change) if change is not None else "")
        self.footer_note.setText(self.tr("Please check the amount"))
        self._scale()
        self.pages.setCurrentIndex(1)

    def payment_finished(self, dialog, _result) -> None:
        if dialog is self._dialog:
            self._dialog = None
        posted = getattr(dialog, "posted", None)
        if posted is None:
            self.show_idle()  # cancelled
            return
        lines = [self.tr("Paid %1").replace("%1", format_yuan(posted.amount_fen))]
        if posted.change_fen:
            lines.append(self.tr("Change %1").replace("%1", format_yuan(posted.change_fen)))
        lines.append(self.tr("Receipt %1").replace("%1", posted.receipt_no))
        self.ask_rating(posted.payment_id, "payment", self.tr("Payment received, thank you"), "\n".join(lines))

    def matter_registered(self, registered) -> None:
        self.finish_pending()
        actor = self.ctx.actor
        lines = [
            self.tr("Number %1").replace("%1", registered.matter_no),
            self.tr("Owner %1 (No. %2)").replace("%1", actor.clerk_name).replace("%2", actor.staff_no),
            self.tr("Promised by %1").replace("%1", registered.deadline.strftime("%Y-%m-%d %H:%M")),
        ]
        contact = self._customer_contact()
        if contact:
            lines.append(contact)
        self.ask_rating(registered.matter_id, "matter", self.tr("Your matter is registered"), "\n".join(lines))

    def _customer_contact(self) -> str:
        """The open customer's masked name and phone (the customer checks the number we will call)."""
        cid = getattr(self.ctx, "current_customer_id", None)
        if cid is None:
            return ""
        from app.services import customers as cs

        try:
            f = cs.load_customer_file(self.ctx.db, self.ctx.actor, cid)
        except UserError:
            return ""
        phone = mask_phone(f.phone_masked)  # masked by the service already; masking again changes nothing
        return self.tr("%1 · phone %2").replace("%1", mask_name(f.name)).replace("%2", phone) if phone else mask_name(f.name)

    # ------------------------------------------------------------- the satisfaction pad
    def ask_rating(self, ref_id: uuid.UUID, kind: str, title: str, text: str) -> None:
        self.done_title.setText(title)
        self.done_lines.setText(text)
        self.footer_note.setText("")
        self.pages.setCurrentIndex(2)
        if self.pad_timeout <= 0:  # no pad at this counter
            self.pad.hide()
            self._thanks.start(THANKS_MS * 2)
            return
        self.pending = (ref_id, kind)
        self.pad.show()
        for b in self.pad_buttons.values():
            b.setEnabled(True)
        for sc in self._shortcuts:
            sc.setEnabled(True)
        self.pad_question.setText(self.tr("Please rate our service"))
        self._left = self.pad_timeout
        self._countdown(start=True)
        self._timeout.start(self.pad_timeout * 1000)
        self._tick.start()

    def _countdown(self, start: bool = False) -> None:
        if not start:
            self._left = max(self._left - 1, 0)
        self.pad_countdown.setText(self.tr("Press 1-4 or touch a button (%1 s)").replace("%1", str(self._left)))

    def rate(self, rating: str) -> None:
        if self.pending is None:
            return
        self._store(rating)
        self.pad_question.setText(self.tr("Thank you for your rating!") if rating != "not_rated" else self.tr("Thank you!"))
        self._thanks.start(THANKS_MS)

    def timed_out(self) -> None:
        if self.pending is not None:
            self._store("not_rated")
            self.show_idle()

    def finish_pending(self) -> None:
        """The pad is asking and the next thing begins: store it as not rated."""
        if self.pending is not None:
            self._store("not_rated")

    def _store(self, rating: str) -> None:
        from app.services.counter import service_quality as sq

        ref_id, _kind = self.pending
        self.pending = None
        self._timeout.stop()
        self._tick.stop()
        for sc in self._shortcuts:
            sc.setEnabled(False)
        for b in self.pad_buttons.values():
            b.setEnabled(False)
        try:
            sq.rate(self.ctx.db, self.ctx.actor, ref_id, rating, counter=self.counter)
        except UserError as err:  # the clerk's work goes on: the problem is said on the display's footer
            self.footer_note.setText(error_text(err))
            return
        self.rated.emit(ref_id, rating)

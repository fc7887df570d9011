"""Payments on the main window: F4 take payment, the payments panel, shifts, receipts, reversals."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.kernel.payment_methods import method_name
from app.views.plugins import CustomerPanel, FunctionKey, MenuAction, StatusItem
from app.views.tables import Column, model_table

CTX = "PaymentsPlugin"


def ensure_open_shift(ctx, window, why: str) -> bool:
    """The clerk's shift is open, or the clerk is offered to open it now (`why` says what needs it)."""
    from app.services.payments import queries
    from app.views.payments.shift_dialogs import open_shift

    if queries.open_shift_of(ctx.db, ctx.actor) is not None:
        return True
    answer = QMessageBox.question(
        window,
        QCoreApplication.translate("PaymentsPlugin", "No open shift"),
        why + "\n\n" + QCoreApplication.translate("PaymentsPlugin", "Open your shift now?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    return open_shift(ctx, window)


def take_payment(ctx, window) -> None:
    from app.views.payments.payment_dialog import PaymentDialog
    from app.views.payments.receipts import print_receipt

    account = window.customer.selected_account() if ctx.current_customer_id else None
    if account is None:
        return
    if not ensure_open_shift(
        ctx,
        window,
        QCoreApplication.translate(
            "PaymentsPlugin", "Payments are taken in your shift, and your shift is not open: the float is counted at its close."
        ),
    ):
        return
    customer = window.customer.file.name if window.customer.file else ""
    dialog = PaymentDialog(ctx, account, window, customer_name=customer)
    if dialog.exec() and dialog.posted:
        print_receipt(ctx, window, dialog.posted.payment_id)
        ctx.data_changed.emit("payments")
        window.focus_search()


def _state_text(p) -> str:
    if p.reversed:
        return QCoreApplication.translate("PaymentsPlugin", "reversed")
    return QCoreApplication.translate("PaymentsPlugin", "reversal") if p.kind == "reversal" else ""


class PaymentsPanel(QWidget):
    """The customer's payments and reversals (app.services.payments.queries.PaymentRow), newest first."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        # Receipt number, time and amount keep their width; the note gives way first.
        t = QCoreApplication.translate
        self.table = model_table(
            "paymentsTable",
            [
                Column(t(CTX, HEADERS[0]), lambda p: p.receipt_no),
                Column(t(CTX, HEADERS[1]), lambda p: p.at.strftime("%m-%d %H:%M")),
                Column(t(CTX, HEADERS[2]), lambda p: format_yuan(p.amount_fen), right=True),
                Column(t(CTX, HEADERS[3]), lambda p: method_name(p.method, QCoreApplication.translate)),
                Column(t(CTX, HEADERS[4]), _state_text),
            ],
            elastic=(4,),
            keep=(0, 1, 2),
        )
        self.table.setMinimumHeight(100)
        box.addWidget(self.table)
        row = QHBoxLayout()
        for name, text, fn in (
            ("reprintReceiptButton", QT_TRANSLATE_NOOP("PaymentsPlugin", "Reprint receipt"), self.reprint),
            ("reverseButton", QT_TRANSLATE_NOOP("PaymentsPlugin", "Reverse…"), self.reverse),
        ):
            b = QPushButton(QCoreApplication.translate("PaymentsPlugin", text))
            b.setObjectName(name)
            b.clicked.connect(fn)
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)

    def load(self, customer_id) -> None:
        from app.services.payments import queries

        self.table.set_rows(queries.customer_payments(self.ctx.db, customer_id) if customer_id else [], key=lambda p: p.id)

    @property
    def rows(self) -> list:
        return self.table.rows()

    def selected(self):
        return self.table.selected()

    def reprint(self) -> None:
        from app.views.payments.receipts import print_receipt

        p = self.selected()
        if p:
            print_receipt(self.ctx, self.window(), p.id)  # on this counter's receipt printer

    def reverse(self) -> None:
        from app.views.payments.receipts import print_receipt
        from app.views.payments.reversal_dialog import ReversalDialog

        p = self.selected()
        if p is None:
            return
        if not ensure_open_shift(
            self.ctx,
            self.window(),
            QCoreApplication.translate(
                "PaymentsPlugin", "A reversal is taken in your shift (its receipt and its money belong to it), and your shift is not open."
            ),
        ):
            return
        dialog = ReversalDialog(self.ctx, p, self.window())
        if dialog.exec() and dialog.posted:
            print_receipt(self.ctx, self.window(), dialog.posted.payment_id)
            self.ctx.data_changed.emit("payments")


HEADERS = (
    QT_TRANSLATE_NOOP("PaymentsPlugin", "Receipt"),
    QT_TRANSLATE_NOOP("PaymentsPlugin", "Time"),
    QT_TRANSLATE_NOOP("PaymentsPlugin", "Amount"),
    QT_TRANSLATE_NOOP("PaymentsPlugin", "Method"),
    QT_TRANSLATE_NOOP("PaymentsPlugin", "Note"),
)


class ShiftStatus(QLabel):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        from app.kernel.localtime import to_local
        from app.services.payments import queries

        opened = queries.open_shift_of(self.ctx.db, self.ctx.actor)
        self.setText(
            QCoreApplication.translate("PaymentsPlugin", "Shift open since %1").replace("%1", to_local(opened).strftime("%H:%M"))
            if opened
            else QCoreApplication.translate("PaymentsPlugin", "Shift closed")
        )


def _open_shift(ctx, window):
    from app.views.payments.shift_dialogs import open_shift

    open_shift(ctx, window)


def _close_shift(ctx, window):
    from app.views.payments.shift_dialogs import ShiftCloseDialog

    ShiftCloseDialog(ctx, window).exec()


def _unprinted(ctx, window):
    from app.services.payments import queries
    from app.views.payments.receipts import print_receipt

    rows = queries.unprinted(ctx.db, ctx.actor)
    if not rows:
        QMessageBox.information(
            window,
            QCoreApplication.translate("PaymentsPlugin", "Unprinted receipts"),
            QCoreApplication.translate("PaymentsPlugin", "Every receipt has been printed."),
        )
        return
    for p in rows:  # on this counter's receipt printer, oldest first; stop at the first that does not print
        if not print_receipt(ctx, window, p.id):
            break


def _receipt_printer(ctx, window):
    from app.views.payments.printer_dialog import open_receipt_printer

    open_receipt_printer(ctx, window)


def _balance_panel(ctx, parent):
    from app.views.payments.balance_panel import BalancePanel

    return BalancePanel(ctx, parent)


def _register(ctx, window):
    from app.views.payments.register_dialog import ReceiptRegisterDialog

    ReceiptRegisterDialog(ctx, window).exec()
    ctx.data_changed.emit("payments")
    window.focus_search()


def _shift_review(ctx, window):
    from app.views.payments.shift_review import ShiftReviewDialog

    ShiftReviewDialog(ctx, window).exec()
    window.focus_search()


def warm_up(db, actor) -> None:
    """The status bar's shift, read once in the start-up loader's thread (app.views.startup)."""
    from app.services.payments import queries

    queries.open_shift_of(db, actor)


def contribute(registry) -> None:
    registry.add_function_key(FunctionKey("F4", QT_TRANSLATE_NOOP("PaymentsPlugin", "Take payment"), CTX, "keyTakePayment", take_payment))
    registry.add_panel(
        CustomerPanel(
            "paymentsPanel",
            QT_TRANSLATE_NOOP("PaymentsPlugin", "Payments"),
            CTX,
            lambda ctx, parent: PaymentsPanel(ctx, parent),
            order=30,
            areas=("payments",),
        )
    )
    registry.add_panel(
        CustomerPanel(
            "balancePanel",
            QT_TRANSLATE_NOOP("PaymentsPlugin", "Prepaid balance"),
            CTX,
            _balance_panel,
            order=40,
            column="left",
            areas=("payments", "billing"),
        )
    )
    registry.add_status_item(StatusItem("statusShift", lambda ctx, parent: ShiftStatus(ctx, parent), order=10))
    registry.add_menu_action(MenuAction("counter", QT_TRANSLATE_NOOP("PaymentsPlugin", "Open shift…"), CTX, "actionOpenShift", _open_shift))
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("PaymentsPlugin", "Close shift (blind count)…"), CTX, "actionCloseShift", _close_shift)
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("PaymentsPlugin", "Unprinted receipts…"), CTX, "actionUnprinted", _unprinted)
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("PaymentsPlugin", "Receipt register…"), CTX, "actionReceiptRegister", _register, "Ctrl+L")
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("PaymentsPlugin", "Shifts to sign off…"), CTX, "actionShiftReview", _shift_review)
    )
    registry.add_menu_action(
        MenuAction("tools", QT_TRANSLATE_NOOP("PaymentsPlugin", "Receipt printer…"), CTX, "actionReceiptPrinter", _receipt_printer)
    )

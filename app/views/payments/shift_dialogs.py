"""Opening a shift with a float; closing it with a blind cash count; the supervisor's sign-off."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.money import format_yuan
from app.printing.payments.methods import method_name
from app.services.payments import posting
from app.views.forms import FieldForm


def open_shift(ctx, window, why: str = "") -> bool:
    """Open the clerk's shift with a float; True when it was opened. A bad float is said at its field
    and the dialog stays open for the correction."""
    dialog = OpenShiftDialog(ctx, window, why)
    return bool(dialog.exec()) and dialog.opened


class OpenShiftDialog(QDialog):
    def __init__(self, ctx, parent=None, why: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.opened = False
        self.setObjectName("openShiftDialog")
        self.setWindowTitle(self.tr("Open shift"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 28)  # room for a message under the float
        box = QVBoxLayout(self)
        if why:
            intro = QLabel(why)
            intro.setObjectName("openShiftWhy")
            intro.setWordWrap(True)
            box.addWidget(intro)
        self.form = FieldForm(self)
        self.float_field = self.form.line("float", self.tr("Opening float (yuan):"), "0", max_len=20)
        box.addWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open shift"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("openShiftButton")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.float_field.setFocus()
        self.float_field.selectAll()

    def submit(self) -> None:
        try:
            posting.open_shift(self.ctx.db, self.ctx.actor, self.float_field.text())
        except ValidationError as err:
            if not self.form.show_errors(err.errors):
                self.form.show_errors({"float": err})
            self.float_field.selectAll()
            self.adjustSize()
            return
        except UserError as err:
            from app.services.payments import queries

            QMessageBox.warning(self, self.tr("Open shift"), error_text(err))
            if queries.open_shift_of(self.ctx.db, self.ctx.actor) is None:
                return  # not opened: the clerk may try again or cancel
        self.opened = True
        self.ctx.data_changed.emit("payments")
        self.accept()


class ShiftCloseDialog(QDialog):
    """The count is entered first; only then are the expected totals and the difference shown."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: posting.CloseResult | None = None
        self.setObjectName("shiftCloseDialog")
        self.setWindowTitle(self.tr("Close shift: blind cash count"))
        box = QVBoxLayout(self)
        box.addWidget(QLabel(self.tr("Count the cash in the drawer, including the float. The expected totals are shown after the count.")))
        # Notes (¥1 and up) on the left, coins (¥0.50 down to ¥0.01) on the right; the running total below them.
        grid = QGridLayout()
        self.pieces: dict[int, QSpinBox] = {}
        notes = [fen for fen in posting.DENOMINATIONS_FEN if fen >= 100]
        coins = [fen for fen in posting.DENOMINATIONS_FEN if fen < 100]
        for column, group in ((0, notes), (3, coins)):
            for row, fen in enumerate(group):
                spin = QSpinBox()
                spin.setRange(0, 100_000)
                spin.setObjectName(f"count_{fen}")
                spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
                spin.setAlignment(Qt.AlignmentFlag.AlignRight)
                spin.setMinimumWidth(70)
                spin.valueChanged.connect(self._count_changed)
                grid.addWidget(QLabel(self.tr("%1 yuan notes/coins").replace("%1", format_yuan(fen, sign=False))), row, column)
                grid.addWidget(spin, row, column + 1)
                self.pieces[fen] = spin
        grid.setColumnMinimumWidth(2, 24)
        box.addLayout(grid)
        self.cash_total = QLabel()
        self.cash_total.setObjectName("cashCountTotal")
        self.cash_total.setProperty("role", "title")
        box.addWidget(self.cash_total)
        form = QFormLayout()
        self.others: dict[str, QLineEdit] = {}
        for method, label in (
            ("card", self.tr("Bank card total")),
            ("qr", self.tr("QR code total")),
            ("transfer", self.tr("Transfer total")),
        ):
            field = QLineEdit("0")
            field.setObjectName(f"counted_{method}")
            form.addRow(label, field)
            self.others[method] = field
        self.note = QLineEdit()
        self.note.setObjectName("closeNote")
        form.addRow(self.tr("Note on any difference"), self.note)
        box.addLayout(form)
        self.result_label = QLabel()
        self.result_label.setObjectName("closeResult")
        self.result_label.setWordWrap(True)
        box.addWidget(self.result_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Close the shift"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("closeShiftButton")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for button in self.buttons.buttons():  # Enter while counting goes to the next field; it never closes the shift
            button.setAutoDefault(False)
            button.setDefault(False)
        box.addWidget(self.buttons)
        self._count_changed()

    def counted_cash_fen(self) -> int:
        return sum(fen * spin.value() for fen, spin in self.pieces.items())

    def _count_changed(self, *_args) -> None:
        pieces = sum(spin.value() for spin in self.pieces.values())
        self.cash_total.setText(
            self.tr("Cash counted: %1 (%2 pieces)").replace("%1", format_yuan(self.counted_cash_fen())).replace("%2", str(pieces))
        )

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.result_value is None:
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        if self.result_value is not None:
            self.accept()
            return
        try:
            self.result_value = posting.close_shift(
                self.ctx.db,
                self.ctx.actor,
                {f: s.value() for f, s in self.pieces.items()},
                {m: f.text() for m, f in self.others.items()},
                self.note.text(),
            )
        except UserError as err:
            self.result_label.setText(error_text(err))
            return
        r = self.result_value
        lines = [
            self.tr("%1: expected %2, counted %3, difference %4")
            .replace("%1", method_name(m, QCoreApplication.translate))
            .replace("%2", format_yuan(r.expected[m]))
            .replace("%3", format_yuan(r.counted[m]))
            .replace("%4", format_yuan(r.difference[m]))
            for m in posting.METHODS
        ]
        lines.append(self.tr("A supervisor signs off the difference."))
        self.result_label.setText("\n".join(lines))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Done"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        self.ctx.data_changed.emit("payments")

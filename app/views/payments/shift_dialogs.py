"""Opening a shift with a float; closing it with a blind cash count; the supervisor's sign-off."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QInputDialog, QLabel, QLineEdit, QMessageBox, QSpinBox, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.money import format_yuan
from app.services.payments import posting


def open_shift(ctx, window) -> bool:
    text, ok = QInputDialog.getText(window, ShiftCloseDialog.tr("Open shift"),
                                    ShiftCloseDialog.tr("Opening float (yuan):"), text="0")
    if not ok:
        return False
    try:
        posting.open_shift(ctx.db, ctx.actor, text)
    except UserError as err:
        QMessageBox.warning(window, ShiftCloseDialog.tr("Open shift"), error_text(err))
        return False
    ctx.data_changed.emit("payments")
    return True


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
        form = QFormLayout()
        self.pieces: dict[int, QSpinBox] = {}
        for fen in posting.DENOMINATIONS_FEN:
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            spin.setObjectName(f"count_{fen}")
            form.addRow(self.tr("%1 yuan notes/coins").replace("%1", format_yuan(fen, sign=False)), spin)
            self.pieces[fen] = spin
        self.others: dict[str, QLineEdit] = {}
        for method, label in (("card", self.tr("Bank card total")), ("qr", self.tr("QR code total")), ("transfer", self.tr("Transfer total"))):
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
        box.addWidget(self.buttons)

    def submit(self) -> None:
        if self.result_value is not None:
            self.accept()
            return
        try:
            self.result_value = posting.close_shift(self.ctx.db, self.ctx.actor, {f: s.value() for f, s in self.pieces.items()},
                                                    {m: f.text() for m, f in self.others.items()}, self.note.text())
        except UserError as err:
            self.result_label.setText(error_text(err))
            return
        r = self.result_value
        lines = [self.tr("%1: expected %2, counted %3, difference %4").replace("%1", m).replace("%2", format_yuan(r.expected[m]))
                 .replace("%3", format_yuan(r.counted[m])).replace("%4", format_yuan(r.difference[m])) for m in posting.METHODS]
        lines.append(self.tr("A supervisor signs off the difference."))
        self.result_label.setText("\n".join(lines))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Done"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        self.ctx.data_changed.emit("payments")

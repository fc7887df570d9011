"""Payment-channel statements for supervisors: import a channel's daily statement, see each day's
state and the differences that wait, resolve one with a note (docs/INTERFACES.md)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.money import format_yuan
from app.services.interfaces import statements
from app.views.tables import Column, model_table

DANGER = QColor("#b00020")
OK = QColor("#1b5e20")


def _t(text: str) -> str:
    return QCoreApplication.translate("reconcile", text)


class ReconcileDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reconcileDialog")
        self.setWindowTitle(self.tr("Payment-channel statements"))
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Channel")))
        self.channel = QComboBox()
        self.channel.setObjectName("reconcileChannel")
        for name in statements.channel_names():
            try:
                label = statements.channel(name).label
            except UserError:
                label = name
            self.channel.addItem(f"{label} ({name})", name)
        top.addWidget(self.channel)
        self.import_button = QPushButton(self.tr("Import statement…"))
        self.import_button.setObjectName("reconcileImport")
        top.addWidget(self.import_button)
        top.addStretch(1)
        self.show_resolved = QCheckBox(self.tr("Show resolved"))
        self.show_resolved.setObjectName("reconcileShowResolved")
        top.addWidget(self.show_resolved)
        layout.addLayout(top)

        layout.addWidget(QLabel(self.tr("Days")))
        self.days = model_table(
            "reconcileDays",
            [
                Column(self.tr("Day"), lambda d: d.day.isoformat()),
                Column(self.tr("Channel"), lambda d: d.channel),
                Column(self.tr("Statements"), lambda d: str(d.statements), right=True),
                Column(self.tr("Open"), lambda d: str(d.open), right=True),
                Column(self.tr("Resolved"), lambda d: str(d.resolved), right=True),
                Column(self.tr("State"), self._day_state, colour=lambda d: OK if d.reconciled else DANGER),
            ],
            elastic=(5,),
            keep=(0, 2, 3, 4),
        )
        self.days.setMaximumHeight(150)
        layout.addWidget(self.days)

        layout.addWidget(QLabel(self.tr("Differences")))
        self.items = model_table(
            "reconcileDifferences",
            [
                Column(self.tr("Day"), lambda d: d.day.isoformat()),
                Column(self.tr("Channel"), lambda d: d.channel),
                Column(self.tr("Difference"), lambda d: _t(statements.KIND_LABELS[d.kind])),
                Column(self.tr("Reference"), lambda d: d.reference or "—"),
                Column(self.tr("Receipt"), lambda d: d.receipt_no or "—"),
                Column(self.tr("Statement"), lambda d: format_yuan(d.statement_fen), right=True),
                Column(self.tr("Counter"), lambda d: format_yuan(d.counter_fen), right=True),
                Column(
                    self.tr("Status"),
                    lambda d: _t(statements.STATUS_LABELS[d.status]),
                    colour=lambda d: DANGER if d.status == "open" else None,
                ),
                Column(self.tr("Note"), lambda d: d.note),
            ],
            elastic=(3, 8),
            keep=(0, 5, 6),
        )
        layout.addWidget(self.items, 1)

        resolve_row = QHBoxLayout()
        resolve_row.addWidget(QLabel(self.tr("Note")))
        self.note = QLineEdit()
        self.note.setObjectName("reconcileNote")
        self.note.setPlaceholderText(self.tr("What was done: refunded by the platform, payment entered late …"))
        resolve_row.addWidget(self.note, 1)
        self.resolve_button = QPushButton(self.tr("Resolve"))
        self.resolve_button.setObjectName("reconcileResolve")
        resolve_row.addWidget(self.resolve_button)
        layout.addLayout(resolve_row)
        self.message = QLabel()
        self.message.setObjectName("reconcileMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.import_button.clicked.connect(self.choose_file)
        self.resolve_button.clicked.connect(self.resolve)
        # Enter in the note resolves (the dialog's default button); it never opens the file chooser
        self.import_button.setAutoDefault(False)
        self.resolve_button.setDefault(True)
        self.show_resolved.toggled.connect(lambda _on: self.load())
        self.load()
        self.resize(1200, 640)

    def _day_state(self, d) -> str:
        if d.reconciled:
            return self.tr("Reconciled")
        return self.tr("%1 differences open").replace("%1", str(d.open))

    def load(self) -> None:
        self.days.set_rows(statements.days(self.ctx.db), key=lambda d: (d.channel, d.day))
        self.items.set_rows(
            statements.differences(self.ctx.db, open_only=not self.show_resolved.isChecked()), key=lambda d: d.id, select_first=True
        )

    def _say(self, text: str, bad: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("level", "danger" if bad else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("The channel's statement"), "", self.tr("Statements (*.csv *.txt)"))
        if name:
            self.import_file(name)

    def import_file(self, path: str) -> None:
        try:
            result = statements.import_statement(self.ctx.db, self.ctx.actor, path, self.channel.currentData() or "")
        except UserError as err:
            self._say(error_text(err), bad=True)
            return
        if result.duplicate:
            text = _t("%1 was imported before; nothing was added.").replace("%1", result.file)
        else:
            text = (
                _t("%1 (%2, %3): %4 lines, %5 new, %6 matched, %7 without money taken")
                .replace("%1", result.file)
                .replace("%2", result.channel)
                .replace("%3", result.day.isoformat())
                .replace("%4", str(result.lines))
                .replace("%5", str(result.new_lines))
                .replace("%6", str(result.matched))
                .replace("%7", str(result.ignored))
            )
        self._say(text)
        self.load()

    def resolve(self) -> None:
        item = self.items.selected()
        if item is None:
            self._say(self.tr("Choose a difference in the list first."), bad=True)
            return
        try:
            done = statements.resolve(self.ctx.db, self.ctx.actor, item.id, self.note.text())
        except UserError as err:
            self._say(error_text(err), bad=True)
            self.note.setFocus()
            return
        self.note.clear()
        self._say(_t("Resolved: %1").replace("%1", f"{done.day} {done.channel} {done.reference}"))
        self.load()
        self.items.setFocus()

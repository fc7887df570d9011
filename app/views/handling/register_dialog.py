"""F6: register any matter at the counter; the clerk becomes its owner and the receipt prints at once."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.services.handling import deadlines, kinds
from app.services.handling import matters as mt
from app.views.forms import FieldForm
from app.views.handling.labels import type_name
from app.views.labels import choices


class RegisterMatterDialog(QDialog):
    def __init__(self, ctx, parent=None, customer_id=None, account_id=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = customer_id
        self.account_id = account_id
        self.registered: mt.Registered | None = None
        self.setObjectName("registerMatterDialog")
        self.setWindowTitle(self.tr("Register a matter (F6)"))
        self.setMinimumWidth(620)
        box = QVBoxLayout(self)
        f = self.form = FieldForm(self)
        if customer_id is None:
            box.addWidget(QLabel(self.tr("Walk-in without an account: registered as a potential customer.")))
            f.line("new_customer_name", self.tr("Name"), max_len=100)
            f.line("new_customer_phone", self.tr("Phone"), max_len=30)
        f.combo("type", self.tr("Matter"), [(t, type_name(t)) for t in kinds.names()], "inquiry")
        f.combo("complaint_type", self.tr("Kind of complaint"), [], "")
        f.combo("severity", self.tr("Severity"), [(t, type_name(t)) for t in kinds.SEVERITIES], "general")
        self._subtypes_of = None
        f.combo("scope", self.tr("Time limit for"), [])
        self._scope_type = None
        f.combo("channel", self.tr("Channel"), choices("channel", mt.CHANNELS), "counter")
        text = f.text("description", self.tr("The customer's request, in their words"))
        text.setMaximumHeight(140)
        box.addWidget(f)
        self.promise = QLabel()
        self.promise.setObjectName("promisedDate")
        self.promise.setProperty("role", "title")
        self.promise.setWordWrap(True)  # a damaged data file's message is long
        box.addWidget(self.promise)
        self.repeat = QLabel()
        self.repeat.setObjectName("repeatFlag")
        self.repeat.setProperty("role", "warnings")
        self.repeat.hide()
        box.addWidget(self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Register and print receipt"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("registerButton")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        for name in ("type", "complaint_type", "severity", "scope"):
            f.fields[name].currentIndexChanged.connect(self.refresh)
        self.refresh()
        text.setFocus()

    def data(self) -> mt.MatterInput:
        f = self.form
        return mt.MatterInput(
            type=f.value("type"),
            description=f.value("description"),
            customer_id=self.customer_id,
            account_id=self.account_id,
            channel=f.value("channel"),
            complaint_type=f.value("complaint_type"),
            severity=f.value("severity"),
            scope=f.value("scope"),
            new_customer_name=f.value("new_customer_name") if "new_customer_name" in f.fields else "",
            new_customer_phone=f.value("new_customer_phone") if "new_customer_phone" in f.fields else "",
        )

    def _fill_scopes(self) -> None:
        """The scopes of the chosen type (new connection, fault report), the account's suggestion selected."""
        kind = self.form.value("type")
        if kind == self._scope_type:
            return
        self._scope_type = kind
        combo = self.form.fields["scope"]
        combo.blockSignals(True)
        combo.clear()
        try:
            names = deadlines.scopes_of(kind)
            suggested = mt.suggested_scope(self.ctx.db, kind, self.account_id) if names else ""
        except UserError:
            names, suggested = [], ""
        for name in names:
            combo.addItem(deadlines.scope_label(kind, name, QCoreApplication.translate), name)
        if not names:
            combo.addItem("—", "")
        combo.setCurrentIndex(max(combo.findData(suggested), 0))
        combo.setEnabled(bool(names))
        combo.blockSignals(False)

    def _fill_subtypes(self, kind: kinds.MatterKind | None) -> None:
        """The chosen kind's sub-kinds (a complaint's: service, business / billing, …)."""
        names = kind.complaint_types if kind else ()
        if names == self._subtypes_of:
            return
        self._subtypes_of = names
        combo = self.form.fields["complaint_type"]
        combo.blockSignals(True)
        keep = combo.currentData()
        combo.clear()
        for name in names:
            combo.addItem(type_name(name), name)
        if not names:
            combo.addItem("—", "")
        combo.setCurrentIndex(max(combo.findData(keep if keep in names else "business"), 0))
        combo.setEnabled(bool(names))
        combo.blockSignals(False)

    def refresh(self) -> None:
        kind = kinds.find(self.form.value("type"))
        self._fill_subtypes(kind)
        self.form.fields["severity"].setEnabled(bool(kind and kind.severities))
        complaint = bool(kind and kind.repeats)
        self._fill_scopes()
        try:
            due, repeats = mt.preview(self.ctx.db, self.data())
        except UserError as err:
            self.promise.setText(error_text(err))
            return
        rule = rule_text(due.count, due.unit)
        text = self.tr("Promised by %1 (%2)").replace("%1", due.at.strftime("%Y-%m-%d %H:%M")).replace("%2", rule)
        if due.contact_by:
            text += "\n" + self.tr("Contact the customer by %1").replace("%1", due.contact_by.strftime("%Y-%m-%d %H:%M"))
        if due.unknown_years:
            text += "\n" + self.tr("The holiday calendar of %1 is unknown: weekdays were counted.").replace(
                "%1", ", ".join(map(str, due.unknown_years))
            )
        self.promise.setText(text)
        if complaint and repeats:
            msg = self.tr("Repeat complaint: %1 earlier of this kind within the window.").replace("%1", str(repeats))
            if repeats >= 2:
                msg += " " + self.tr("It goes to the supervisors at once.")
            self.repeat.setText(msg)
            self.repeat.show()
        else:
            self.repeat.hide()

    def submit(self) -> None:
        try:
            self.registered = mt.register(self.ctx.db, self.ctx.actor, self.data())
        except ValidationError as err:
            if not self.form.show_errors(err.errors):
                QMessageBox.warning(self, self.tr("Not registered"), error_text(err))
            return
        except UserError as err:
            QMessageBox.warning(self, self.tr("Not registered"), error_text(err))
            return
        self.ctx.matter_registered.emit(self.registered)  # the customer display shows it (app/views/counter)
        self.accept()


def rule_text(count: int, unit: str) -> str:
    return deadlines.rule_label(count, unit, QCoreApplication.translate)


def print_matter_receipt(ctx, window, matter_id, paper: str = "A5") -> None:
    from app.views.pdf_preview import PdfPreviewDialog

    try:
        data, _path = mt.print_receipt(ctx.db, ctx.actor, matter_id, paper, tr=QCoreApplication.translate)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("RegisterMatterDialog", "Not printed"), error_text(err))
        return
    PdfPreviewDialog(QCoreApplication.translate("RegisterMatterDialog", "Receipt"), data, "receipt.pdf", window).exec()

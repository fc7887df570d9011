"""Supervisor: register a planned outage and print its notice; print a one-time-notice checklist."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog, QMessageBox, QVBoxLayout

from app.i18n import error_text
from app.services.errors import UserError, ValidationError
from app.services.handling import checklists, outages
from app.views.forms import FieldForm
from app.views.handling.labels import type_name


class OutageDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.outage_id = None
        self.setObjectName("outageDialog")
        self.setWindowTitle(self.tr("Register a planned outage"))
        self.setMinimumWidth(560)
        box = QVBoxLayout(self)
        f = self.form = FieldForm(self)
        f.line("routes", self.tr("Reading routes (comma-separated)"))
        f.line("areas", self.tr("Transformer areas (comma-separated)"))
        f.line("starts_at", self.tr("Starts (YYYY-MM-DD HH:MM)"))
        f.line("ends_at", self.tr("Ends (YYYY-MM-DD HH:MM)"))
        f.text("reason", self.tr("Reason"))
        box.addWidget(f)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def _time(self, name: str) -> datetime | None:
        try:
            return datetime.strptime(self.form.value(name).strip(), "%Y-%m-%d %H:%M")
        except ValueError:
            self.form.show_errors({name: UserError(self.tr("Enter a time as YYYY-MM-DD HH:MM."))})
            return None

    def submit(self) -> None:
        start = self._time("starts_at")
        end = self._time("ends_at") if start else None
        if not (start and end):
            return
        try:
            self.outage_id = outages.register_outage(self.ctx.db, self.ctx.actor, self.form.value("routes"), self.form.value("areas"),
                                                     start, end, self.form.value("reason"))
        except ValidationError as err:
            if not self.form.show_errors(err.errors):
                QMessageBox.warning(self, self.tr("Not registered"), error_text(err))
            return
        except UserError as err:
            QMessageBox.warning(self, self.tr("Not registered"), error_text(err))
            return
        self.accept()


def print_outage_notice(ctx, window, outage_id) -> None:
    from app.printing.archive import archive_pdf
    from app.printing.handling.documents import OutageNotice, render_outage_notice
    from app.views.pdf_preview import PdfPreviewDialog

    view, accounts = outages.affected_accounts(ctx.db, outage_id)
    doc = OutageNotice(ctx.actor.station_name, view.starts_at, view.ends_at, view.reason, view.routes, view.areas,
                       [(a.account_no, a.name, a.address) for a in accounts])
    data = render_outage_notice(doc, tr=QCoreApplication.translate)
    archive_pdf("outage", f"{view.starts_at:%Y%m%d%H%M}-{str(outage_id)[:8]}", data)
    PdfPreviewDialog(QCoreApplication.translate("OutageDialog", "Planned outage notice"), data, "outage.pdf", window).exec()


def print_checklist(ctx, window) -> None:
    from app.printing.handling.documents import render_checklist
    from app.views.pdf_preview import PdfPreviewDialog

    lists = checklists.load()
    names = [type_name(k) for k in lists]
    choice, ok = QInputDialog.getItem(window, QCoreApplication.translate("OutageDialog", "One-time notice"),
                                      QCoreApplication.translate("OutageDialog", "Application:"), names, 0, False)
    if not ok:
        return
    item = list(lists.values())[names.index(choice)]
    data = render_checklist(item.title, list(item.items), ctx.actor.station_name, "", tr=QCoreApplication.translate)
    PdfPreviewDialog(item.title, data, "checklist.pdf", window).exec()

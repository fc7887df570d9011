"""Planned outages: the list of current and coming ones (print or reprint a notice), registration by a
supervisor; and the one-time-notice checklist."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.localtime import local_now
from app.services.handling import checklists, outages
from app.views.forms import FieldForm
from app.views.handling.labels import type_name
from app.views.tables import fill_table, fit_table


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
        self.short_notice = f.add(
            "short_notice",
            "",
            QCheckBox(
                self.tr("Short notice: an urgent outage announced fewer than %1 days ahead").replace("%1", str(outages.notice_days(ctx.db)))
            ),
        )
        f.text("reason", self.tr("Reason"))
        box.addWidget(f)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("registerOutageButton")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def _time(self, name: str) -> datetime | None:
        try:
            return datetime.strptime(self.form.value(name).strip(), "%Y-%m-%d %H:%M")
        except ValueError:
            return None

    def submit(self) -> None:
        self.form.clear_errors()
        bad = {
            name: UserError(self.tr("Enter a time as YYYY-MM-DD HH:MM.")) for name in ("starts_at", "ends_at") if self._time(name) is None
        }
        if bad:
            self.form.show_errors(bad)
            self.adjustSize()  # room for the messages under the fields
            return
        try:
            self.outage_id = outages.register_outage(
                self.ctx.db,
                self.ctx.actor,
                self.form.value("routes"),
                self.form.value("areas"),
                self._time("starts_at"),
                self._time("ends_at"),
                self.form.value("reason"),
                short_notice=self.short_notice.isChecked(),
            )
        except ValidationError as err:
            if not self.form.show_errors(err.errors):
                QMessageBox.warning(self, self.tr("Not registered"), error_text(err))
            self.adjustSize()
            return
        except UserError as err:
            QMessageBox.warning(self, self.tr("Not registered"), error_text(err))
            return
        self.accept()


def print_outage_notice(ctx, window, outage_id) -> bool:
    """Print (or reprint: marked, counted for the whole hall) the notice, archived; False when refused."""
    from app.views.pdf_preview import PdfPreviewDialog

    try:
        data, _path = outages.print_notice(ctx.db, ctx.actor, outage_id, tr=QCoreApplication.translate)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("OutageDialog", "Not printed"), error_text(err))
        return False
    PdfPreviewDialog(QCoreApplication.translate("OutageDialog", "Planned outage notice"), data, "outage.pdf", window).exec()
    return True


class OutagesWindow(QDialog):
    """Outages going on or still to come, soonest first; F8 prints the selected one's notice again."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("outagesWindow")
        self.setWindowTitle(self.tr("Planned outages"))
        self.resize(980, 460)
        box = QVBoxLayout(self)
        # times and the account count whole; routes and the reason give way
        self.table = fit_table(
            "outagesTable",
            [
                self.tr("Starts"),
                self.tr("Ends"),
                self.tr("State"),
                self.tr("Notice"),
                self.tr("Routes / areas"),
                self.tr("Accounts"),
                self.tr("Reason"),
            ],
            elastic=(4, 6),
            keep=(0, 1, 3, 5),
        )
        self.table.doubleClicked.connect(self.print_selected)
        box.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("No planned outage is going on or coming."))
        self.empty.setObjectName("noOutages")
        box.addWidget(self.empty)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print notice (F8)"))
        self.print_button.setObjectName("printNoticeButton")
        self.print_button.clicked.connect(self.print_selected)
        row.addWidget(self.print_button)
        if ctx.actor.is_supervisor:
            reg = QPushButton(self.tr("Register an outage…"))
            reg.setObjectName("registerOutage")
            reg.clicked.connect(self.register)
            row.addWidget(reg)
        row.addStretch(1)
        close = QPushButton(self.tr("Close (Esc)"))
        close.setObjectName("closeOutages")
        close.clicked.connect(self.reject)
        row.addWidget(close)
        box.addLayout(row)
        self.refresh()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F8 and self.print_button.isEnabled():
            self.print_selected()
            return
        super().keyPressEvent(event)

    def refresh(self, select_id=None) -> None:
        now = local_now()
        try:
            rows = outages.current_outages(self.ctx.db, now, station_id=self.ctx.actor.station_id)
        except UserError as err:
            QMessageBox.warning(self, self.tr("Planned outages"), error_text(err))
            rows = []
        states = {"current": self.tr("Going on"), "coming": self.tr("Coming")}

        def notice(o) -> str:  # days announced ahead; fewer than pledged says so
            text = self.tr("%1 days").replace("%1", str(max(o.notice_days, 0)))
            return self.tr("%1 (short notice)").replace("%1", text) if o.short_notice else text

        fill_table(
            self.table,
            [
                [
                    o.starts_at.strftime("%Y-%m-%d %H:%M"),
                    o.ends_at.strftime("%Y-%m-%d %H:%M"),
                    states.get(o.state(now), ""),
                    notice(o),
                    "、".join(o.routes + o.areas),
                    str(o.accounts),
                    o.reason,
                ]
                for o in rows
            ],
            right_cols=(5,),
        )
        for r, o in enumerate(rows):
            self.table.item(r, 0).setData(Qt.ItemDataRole.UserRole, o.id)
            if o.id == select_id:
                self.table.selectRow(r)
        if rows and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self.empty.setVisible(not rows)
        self.print_button.setEnabled(bool(rows))

    def selected_id(self):
        item = self.table.item(self.table.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def print_selected(self) -> None:
        outage_id = self.selected_id()
        if outage_id is not None:
            print_outage_notice(self.ctx, self, outage_id)

    def register(self) -> None:
        dialog = OutageDialog(self.ctx, self)
        if dialog.exec() and dialog.outage_id:
            self.refresh(dialog.outage_id)
            print_outage_notice(self.ctx, self, dialog.outage_id)
            self.ctx.data_changed.emit("matters")


def print_checklist(ctx, window) -> None:
    """Choose an application type; its checklist prints with the hall's phone and is archived."""
    from app.views.pdf_preview import PdfPreviewDialog

    try:
        lists = checklists.load()
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("OutageDialog", "One-time notice"), error_text(err))
        return
    keys = list(lists)
    names = [type_name(k) for k in keys]
    choice, ok = QInputDialog.getItem(
        window,
        QCoreApplication.translate("OutageDialog", "One-time notice"),
        QCoreApplication.translate("OutageDialog", "Application:"),
        names,
        0,
        False,
    )
    if not ok or choice not in names:
        return
    key = keys[names.index(choice)]
    try:
        data, _path = checklists.print_checklist(ctx.db, ctx.actor, key, tr=QCoreApplication.translate)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("OutageDialog", "Not printed"), error_text(err))
        return
    PdfPreviewDialog(lists[key].title, data, "checklist.pdf", window).exec()

"""Administration > Company settings…: every company setting with its value; an administrator
changes one at a time through settings.set_setting, the reason for a refusal shown at the field."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.services import settings


def _label(text: str) -> str:
    return QCoreApplication.translate(settings.LABEL_CONTEXT, text)


class SettingsDialog(QDialog):
    COL_LABEL, COL_VALUE, COL_ALLOWED = range(3)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.views: list[settings.SettingView] = []
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Company settings"))
        self.resize(980, 660)
        box = QVBoxLayout(self)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("settingsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Value"), self.tr("Allowed values")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_ALLOWED, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.activated.connect(lambda _i: self._focus_editor())
        box.addWidget(self.table, 1)
        legend = QLabel(self.tr("● changed from the default"))
        legend.setObjectName("settingsLegend")
        box.addWidget(legend)

        edit = QGroupBox(self.tr("Change the selected setting"))
        form = QFormLayout(edit)
        self.name_label = QLabel()
        self.name_label.setObjectName("settingName")
        self.key_label = QLabel()
        self.key_label.setObjectName("settingKey")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.line = QLineEdit()
        self.line.setObjectName("field_value")
        self.line.setMaxLength(200)
        self.line.returnPressed.connect(self.save)
        self.switch = QComboBox()
        self.switch.setObjectName("field_value_bool")
        self.switch.addItem(self.tr("On"), "true")
        self.switch.addItem(self.tr("Off"), "false")
        self.hint = QLabel()
        self.hint.setObjectName("settingHint")
        self.error = QLabel()
        self.error.setObjectName("error_value")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.saved = QLabel()
        self.saved.setObjectName("settingSaved")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveSettingButton")
        self.save_button.clicked.connect(self.save)
        form.addRow(self.tr("Setting:"), self.name_label)
        form.addRow(self.tr("Key:"), self.key_label)
        form.addRow(self.tr("New value:"), self.line)
        form.addRow("", self.switch)
        form.addRow("", self.hint)
        form.addRow("", self.error)
        form.addRow(self.save_button, self.saved)
        box.addWidget(edit)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

        if not ctx.actor.is_admin:  # the menu shows this to administrators only; say so anyway
            self.save_button.setEnabled(False)
            self.saved.setText(self.tr("Only an administrator can change these settings."))
        self.load()
        self.table.selectRow(0)
        self.table.setFocus()

    # ---- reading
    def _shown(self, view: settings.SettingView) -> str:
        if view.kind == "bool":
            return self.tr("On") if view.value else self.tr("Off")
        return view.text

    def load(self) -> None:
        row = max(self.table.currentRow(), 0)
        self.views = settings.list_settings(self.ctx.db)
        self.table.setRowCount(len(self.views))
        for r, v in enumerate(self.views):
            label = QTableWidgetItem(_label(v.label))
            label.setToolTip(v.key)
            value = QTableWidgetItem(self._shown(v) + ("" if v.is_default else "  ●"))
            value.setToolTip(self.tr("Default value") if v.is_default else self.tr("Changed from the default"))
            allowed = QTableWidgetItem(_label(v.hint))
            allowed.setToolTip(_label(v.hint))
            for c, item in enumerate((label, value, allowed)):
                self.table.setItem(r, c, item)
        if self.views:
            self.table.selectRow(min(row, len(self.views) - 1))

    def current(self) -> settings.SettingView | None:
        row = self.table.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _selected(self) -> None:
        v = self.current()
        self._clear_error()
        if v is None:
            return
        self.name_label.setText(_label(v.label))
        self.key_label.setText(v.key)
        self.hint.setText(_label(v.hint))
        is_bool = v.kind == "bool"
        self.line.setVisible(not is_bool)
        self.switch.setVisible(is_bool)
        if is_bool:
            self.switch.setCurrentIndex(0 if v.value else 1)
        else:
            secret = v.kind == "secret"  # a key is typed anew, never shown
            self.line.setEchoMode(QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal)
            self.line.setText("" if secret else v.text)

    def _editor(self, v: settings.SettingView):
        """Where the value is typed: the on/off switch for a boolean, else the line."""
        return self.switch if v.kind == "bool" else self.line

    def _focus_editor(self) -> None:
        v = self.current()
        if v is None:
            return
        editor = self._editor(v)
        editor.setFocus()
        if editor is self.line:
            self.line.selectAll()

    # ---- saving
    def typed(self) -> str:
        v = self.current()
        return self.switch.currentData() if v is not None and v.kind == "bool" else self.line.text()

    def save(self) -> None:
        v = self.current()
        if v is None:
            return
        self._clear_error()
        self.saved.clear()
        try:
            done = settings.set_setting(self.ctx.db, self.ctx.actor, v.key, self.typed())
        except UserError as err:
            self.error.setText(error_text(err))
            self.error.show()
            editor = self._editor(v)
            self._mark(editor, True)
            editor.setFocus()
            return
        self.load()
        self.saved.setText(self.tr("Saved: %1 = %2").replace("%1", _label(done.label)).replace("%2", self._shown(done)))
        self.ctx.data_changed.emit("settings")

    def _clear_error(self) -> None:
        self.error.hide()
        self.error.clear()
        for editor in (self.line, self.switch):
            if editor.property("invalid"):
                self._mark(editor, False)

    @staticmethod
    def _mark(editor, invalid: bool) -> None:
        editor.setProperty("invalid", invalid)
        editor.style().unpolish(editor)
        editor.style().polish(editor)

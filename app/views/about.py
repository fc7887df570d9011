"""Help → About CounterDesk: version, store location, database and schema revision (app/services/about.py),
with a button that copies the lines for support. Windows 7 is named as not supported (docs/INSTALL.md)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout

from app.services.about import AboutInfo, about


def rows(info: AboutInfo) -> list[tuple[str, str, str]]:
    """(name, label, value), the label translated: the dialog's form and the text copied for support."""
    if info.schema_revision is None:
        schema = QCoreApplication.translate("AboutDialog", "none yet (empty store)")
    elif info.schema_current:
        schema = QCoreApplication.translate("AboutDialog", "{revision} (up to date)").format(revision=info.schema_revision)
    else:
        schema = QCoreApplication.translate("AboutDialog", "{revision} (this program expects {expected})").format(
            revision=info.schema_revision, expected=info.expected_revision
        )
    kind = (
        QCoreApplication.translate("AboutDialog", "SQLite file")
        if info.database_kind == "sqlite"
        else QCoreApplication.translate("AboutDialog", "PostgreSQL server")
    )
    return [
        ("version", QCoreApplication.translate("AboutDialog", "Version"), info.version),
        ("dataFolder", QCoreApplication.translate("AboutDialog", "Data folder"), info.data_folder),
        ("database", QCoreApplication.translate("AboutDialog", "Database"), f"{kind}: {info.database}"),
        ("schema", QCoreApplication.translate("AboutDialog", "Schema revision"), schema),
        ("program", QCoreApplication.translate("AboutDialog", "Program"), info.program),
        ("runtime", QCoreApplication.translate("AboutDialog", "Python / Qt"), f"{info.python} / {qVersion()}"),
        ("system", QCoreApplication.translate("AboutDialog", "System"), info.system),
    ]


class AboutDialog(QDialog):
    def __init__(self, db, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About CounterDesk"))
        self.info = about(db)
        self.rows = rows(self.info)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("CounterDesk {version}").format(version=self.info.version))
        title.setObjectName("aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        form = QFormLayout()
        for name, label, value in self.rows:
            field = QLabel(value)
            field.setObjectName(f"about_{name}")
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, field)
        layout.addLayout(form)
        note = QLabel(self.tr("Runs on Windows 10 and 11 and on Debian-based Linux (UOS, Kylin); Windows 7 is not supported."))
        note.setObjectName("aboutSystems")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy for support"))
        copy.setObjectName("aboutCopy")
        copy.clicked.connect(self.copy)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def text(self) -> str:
        return "\n".join(f"{label}: {value}" for _name, label, value in self.rows)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def show_about(window) -> None:
    AboutDialog(window.ctx.db, window).exec()

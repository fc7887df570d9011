"""Help → About: version, store location, database (never a password) and schema revision."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel

from app import paths
from app.db.migrate import head_from_files
from app.services.about import about, describe_database
from app.views.about import AboutDialog
from app.views.context import AppContext
from app.views.main_window import MainWindow
from app.views.plugins import load_registry

pytestmark = pytest.mark.gui


def test_database_is_described_without_its_password():
    assert describe_database("sqlite:////srv/counter/counterdesk.sqlite") == ("sqlite", "/srv/counter/counterdesk.sqlite")
    kind, where = describe_database("postgresql+psycopg://counter:s3cret-pw@10.1.2.3:5433/hall")
    assert (kind, where) == ("postgresql", "10.1.2.3:5433/hall (counter)")
    assert "s3cret" not in where


def test_about_dialog_shows_version_store_database_and_schema(qtbot, db, admin, tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERDESK_DATA_DIR", str(tmp_path))
    info = about(db)
    assert info.version == version("counterdesk")
    assert info.schema_revision == head_from_files() and info.schema_current
    dialog = AboutDialog(db)
    qtbot.addWidget(dialog)
    shown = {w.objectName(): w.text() for w in dialog.findChildren(QLabel)}
    assert shown["about_version"] == version("counterdesk")
    assert shown["about_dataFolder"] == str(paths.data_dir()) == str(tmp_path)
    assert head_from_files() in shown["about_schema"]
    if db.is_sqlite:
        assert shown["about_database"].endswith(str(db.engine.url.database))
    else:
        assert f"/{db.engine.url.database}" in shown["about_database"]
    assert "Windows 7" in shown["aboutSystems"]
    dialog.copy()
    assert QApplication.clipboard().text() == dialog.text()
    assert version("counterdesk") in dialog.text() and head_from_files() in dialog.text()


def test_help_menu_opens_about(qtbot, db, admin):
    window = MainWindow(AppContext(db, admin), load_registry())
    qtbot.addWidget(window)
    seen = []

    def close_it():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.objectName() if dialog else None)
        if dialog:
            dialog.reject()

    QTimer.singleShot(0, close_it)
    window.findChild(QAction, "actionAbout").trigger()
    assert seen == ["aboutDialog"]

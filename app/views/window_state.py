"""The main window as each clerk left it: size and place (or maximised) and the customer screen's
splitter, kept per clerk in window.ini in this counter's data folder (COUNTERDESK_DATA_DIR or
--data-dir), so two clerks sharing a counter each get their own. The first time: maximised."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication

from app.paths import data_dir


def _settings(window) -> QSettings:
    s = QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)
    s.beginGroup(f"clerk-{window.ctx.actor.clerk_id}")
    return s


def save_window(window) -> None:
    if not window.isVisible():
        return  # never shown (or already closed): nothing to remember
    s = _settings(window)
    s.setValue("maximized", window.isMaximized())
    s.setValue("geometry", window.saveGeometry())
    s.setValue("splitter", window.customer.splitter.saveState())
    s.endGroup()
    s.sync()


def restore_window(window) -> None:
    """Show `window`: as this clerk left it, or maximised when nothing is remembered."""
    s = _settings(window)
    geometry = s.value("geometry")
    maximized = s.value("maximized", True, type=bool)
    splitter = s.value("splitter")
    s.endGroup()
    if splitter:
        window.customer.splitter.restoreState(splitter)
    # restoreGeometry moves a window that would be off every screen back onto the available area.
    if geometry and window.restoreGeometry(geometry) and not maximized:
        window.show()
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None and not geometry:
        # The whole available area also where nothing maximises (no window manager, a kiosk session).
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()

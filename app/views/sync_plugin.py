"""Sync's entries in the main window: Tools → Sync… (everyone) and Sync conflicts… (supervisors)."""

from __future__ import annotations

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import MenuAction


def _open_sync(ctx, window) -> None:
    from app.views.sync_dialog import SyncDialog

    SyncDialog(ctx, window).exec()
    if hasattr(window, "status_sync") and hasattr(window.status_sync, "refresh"):
        window.status_sync.refresh()


def _open_conflicts(ctx, window) -> None:
    from app.views.sync_dialog import ConflictsDialog

    ConflictsDialog(ctx, window).exec()


def contribute(registry) -> None:
    registry.add_menu_action(MenuAction("tools", QT_TRANSLATE_NOOP("SyncPlugin", "Sync…"), "SyncPlugin", "actionSync", _open_sync))
    registry.add_menu_action(
        MenuAction(
            "tools",
            QT_TRANSLATE_NOOP("SyncPlugin", "Sync conflicts…"),
            "SyncPlugin",
            "actionSyncConflicts",
            _open_conflicts,
            roles=("supervisor", "admin"),
        )
    )

"""Customer notices in the main window: Tools → Customer notices… (the outbox screen) and the
status-bar item whose background sender posts what waits (docs/INTERFACES.md, "Customer notices")."""

from __future__ import annotations

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import MenuAction, StatusItem


def _open(ctx, window) -> None:
    from app.views.interfaces.notices_dialog import NoticesDialog

    NoticesDialog(ctx, window).exec()


def _sender_item(ctx, parent):
    from app.views.interfaces.notices_worker import NoticesStatusLabel

    return NoticesStatusLabel(ctx, parent)


def warm_up(db, actor) -> None:
    """The status bar's sender state, read once in the start-up loader's thread (app.views.startup)."""
    from app.services.interfaces import notices

    notices.sender_state(db)


def contribute(registry) -> None:
    registry.add_status_item(StatusItem("statusNotices", _sender_item, order=910))
    registry.add_menu_action(
        MenuAction(
            "tools",
            QT_TRANSLATE_NOOP("NoticesPlugin", "Customer notices…"),
            "NoticesPlugin",
            "actionNotices",
            _open,
        )
    )

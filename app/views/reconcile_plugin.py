"""Payment-channel statements in the main window: Tools → Payment-channel statements… (supervisors)."""

from __future__ import annotations

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import MenuAction


def _open(ctx, window) -> None:
    from app.views.interfaces.reconcile_dialog import ReconcileDialog

    ReconcileDialog(ctx, window).exec()


def contribute(registry) -> None:
    registry.add_menu_action(
        MenuAction(
            "tools",
            QT_TRANSLATE_NOOP("ReconcilePlugin", "Payment-channel statements…"),
            "ReconcilePlugin",
            "actionReconcile",
            _open,
            roles=("supervisor", "admin"),
        )
    )

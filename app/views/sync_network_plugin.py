"""Sync over the network in the main window: the station's link item in the status bar (with the
background exchange) and Tools → Stations and their sync… for the centre's supervisors."""

from __future__ import annotations

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import MenuAction, StatusItem


def _link_item(ctx, parent):
    from app.views.sync_worker import SyncLinkLabel

    return SyncLinkLabel(ctx, parent)


def _open_stations(ctx, window) -> None:
    from app.views.sync_worker import StationsDialog

    StationsDialog(ctx, window).exec()


def contribute(registry) -> None:
    registry.add_status_item(StatusItem("statusSyncLink", _link_item, order=900))
    registry.add_menu_action(
        MenuAction(
            "tools",
            QT_TRANSLATE_NOOP("SyncNetworkPlugin", "Stations and their sync…"),
            "SyncNetworkPlugin",
            "actionSyncStations",
            _open_stations,
            roles=("supervisor", "admin"),
        )
    )

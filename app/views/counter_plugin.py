"""The customer's side of the counter on the main window: the customer display with its satisfaction
pad, the day's satisfaction on the status bar, and queue calling (F12).

The status bar's satisfaction item owns a CounterSide (object name "counterSide"): it opens the
customer display on the screen chosen for this counter (counter.toml), calls tickets and ends their
service when the window closes. With no screen chosen, or only one screen, the display does not open
and the rest works the same (ratings are then not asked).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import FunctionKey, MenuAction, StatusItem

CTX = "CounterPlugin"
WINDOW_ENV = "COUNTERDESK_CUSTOMER_DISPLAY"  # "window": open the display as a normal window (one screen, screenshots)


class CounterSide(QObject):
    """This counter's display, pad and queue, for the main window it lives in."""

    def __init__(self, ctx, window, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("counterSide")
        self.ctx = ctx
        self.window = window
        self.display = None
        self.problem = ""  # why the display is not open, for the status bar's tooltip
        self.ticket_status: TicketStatus | None = None
        self.satisfaction_status: SatisfactionStatus | None = None
        self.load_settings()
        if window is not None:
            window.installEventFilter(self)
        self.open_display(as_window=os.environ.get(WINDOW_ENV) == "window")

    def load_settings(self) -> None:
        from app.services.counter import settings as cset

        try:
            self.settings = cset.load()
            self.problem = ""
        except UserError as err:
            self.settings = cset.CounterDisplay()
            self.problem = error_text(err)

    # ------------------------------------------------------------- the display
    def target_screen(self):
        """The screen chosen for the customer, or None (none chosen, not connected, or only one screen)."""
        name = self.settings.screen
        screens = QGuiApplication.screens()
        if not name:
            self.problem = self.problem or self.tr("No customer display chosen (Tools > Customer display and queue…).")
            return None
        if len(screens) < 2:
            self.problem = self.tr("Only one screen: the customer display does not open.")
            return None
        from app.views.counter.dialogs import find_screen

        found = find_screen(screens, name)
        if found is not None:
            return found
        self.problem = self.tr("The customer's screen %1 is not connected.").replace("%1", name)
        return None

    def open_display(self, as_window: bool = False):
        """Open the display on the chosen screen, full screen; `as_window` opens it as a normal window on
        any screen (tests, screenshots). Returns the display or None."""
        from app.views.counter.customer_display import CustomerDisplay

        self.close_display()
        screen = None if as_window else self.target_screen()
        if screen is None and not as_window:
            return None
        self.display = CustomerDisplay(self.ctx, self.settings.pad_timeout, self.settings.counter_name, self.window)
        self.display.rated.connect(self._rated)
        if self.ticket_status is not None:
            self.display.show_ticket(self.ticket_status.ticket)
        if screen is not None:
            self.display.setScreen(screen)
            self.display.setGeometry(screen.geometry())
            self.display.showFullScreen()
        else:
            self.display.resize(1024, 600)
            self.display.show()
        self.problem = ""
        return self.display

    def close_display(self) -> None:
        if self.display is not None:
            self.display.finish_pending()
            self.display.close()
            self.display.deleteLater()
            self.display = None

    def reconfigure(self) -> None:
        as_window = self.display is not None and not self.display.isFullScreen()
        self.load_settings()
        self.open_display(as_window=as_window)
        self.refresh()

    def _rated(self, _ref, _rating) -> None:
        if self.satisfaction_status is not None:
            self.satisfaction_status.refresh()

    def refresh(self) -> None:
        for w in (self.satisfaction_status, self.ticket_status):
            if w is not None:
                w.refresh()

    # ------------------------------------------------------------- the queue
    def call(self, typed: str = "", issued_at=None):
        """Call the next ticket (from the machine's file) or the typed one; the display and status bar show it."""
        from app.services.counter import service_quality as sq

        s = self.settings
        called = sq.call_next(self.ctx.db, self.ctx.actor, s.counter_name, s.kinds, s.machine_path, typed=typed, issued_at=issued_at)
        self.show_ticket(called.ticket_no)
        return called

    def finish(self) -> list[str]:
        from app.services.counter import service_quality as sq

        closed = sq.finish_current(self.ctx.db, self.ctx.actor, self.settings.counter_name)
        self.show_ticket(None)
        return closed

    def show_ticket(self, ticket_no) -> None:
        if self.ticket_status is not None:
            self.ticket_status.ticket = ticket_no
            self.ticket_status.show_ticket()
        if self.display is not None:
            self.display.show_ticket(ticket_no)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        # The window closes (quit) or is put away (log out hides it; minimising is a spontaneous hide and
        # does not count): the ticket being served ends now, the pad stores what it has, the display goes.
        leaving = event.type() == QEvent.Type.Close or (event.type() == QEvent.Type.Hide and not event.spontaneous())
        if obj is self.window and leaving:
            if self.ticket_status is not None and self.ticket_status.ticket:
                try:
                    self.finish()
                except UserError:
                    pass
            self.close_display()
        return False


class SatisfactionStatus(QLabel):
    """Today's ratings of the logged-in clerk: how many, and the share satisfied."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        from app.services.counter import service_quality as sq

        try:
            day = sq.clerk_day(self.ctx.db, self.ctx.actor.clerk_id)
        except UserError:
            return
        share = day.share_satisfied
        # Short: the status bar must stay readable at 1366 px; the tooltip says it in full.
        self.setText(self.tr("Sat. %1 (%2)").replace("%1", f"{share:.0f}%" if share is not None else "—").replace("%2", str(day.rated)))
        side = self.findChild(CounterSide, "counterSide")
        tip = (
            self.tr("Today: %1 ratings, %2 satisfied or very satisfied, %3 not rated.")
            .replace("%1", str(day.rated))
            .replace("%2", str(day.satisfied))
            .replace("%3", str(day.not_rated))
        )
        if side is not None and side.display is None and side.problem:
            tip += "\n" + side.problem
        self.setToolTip(tip)


class TicketStatus(QLabel):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ticket = None
        self.refresh()

    def refresh(self) -> None:
        from app.services.counter import service_quality as sq

        side = self.window().findChild(CounterSide, "counterSide") if self.window() else None
        if side is not None:
            try:
                self.ticket = sq.current_ticket(self.ctx.db, self.ctx.actor, side.settings.counter_name)
            except UserError:
                pass
        self.show_ticket()

    def show_ticket(self) -> None:
        self.setText(self.tr("No. %1").replace("%1", self.ticket) if self.ticket else "")
        self.setVisible(bool(self.ticket))  # no room taken while no ticket is served: the F12 key says how to call
        self.setToolTip(self.tr("Queue: F12 calls the next ticket, Shift+F12 a number you type."))


def _satisfaction_item(ctx, parent):
    label = SatisfactionStatus(ctx, parent)
    side = CounterSide(ctx, parent.window() if parent is not None else None, label)
    side.satisfaction_status = label
    label.refresh()
    return label


def _ticket_item(ctx, parent):
    label = TicketStatus(ctx, parent)
    side = parent.window().findChild(CounterSide, "counterSide") if parent is not None else None
    if side is not None:
        side.ticket_status = label
        label.refresh()
        side.show_ticket(label.ticket)
    return label


def side_of(window) -> CounterSide | None:
    return window.findChild(CounterSide, "counterSide")


def call_next(ctx, window) -> None:
    """F12: the oldest waiting ticket of this counter's kinds from the ticket machine's file; with none
    (or no machine), the clerk types the number from the customer's ticket."""
    side = side_of(window)
    if side is None:
        return
    note = ""
    if side.settings.machine_path.exists():
        try:
            side.call()
            return
        except UserError as err:
            note = error_text(err)
    call_typed(ctx, window, note)


def call_typed(ctx, window, note: str = "") -> None:
    from app.services.counter import service_quality as sq
    from app.views.counter.dialogs import CallTicketDialog

    side = side_of(window)
    if side is None:
        return
    kind = (side.settings.kinds or "A")[0]
    try:
        suggested = sq.suggested_number(ctx.db, ctx.actor, kind)
    except UserError:
        suggested = ""
    CallTicketDialog(ctx, side, suggested, note, window).exec()
    window.focus_search()


def finish_ticket(ctx, window) -> None:
    side = side_of(window)
    if side is None:
        return
    try:
        closed = side.finish()
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("CounterPlugin", "Queue"), error_text(err))
        return
    if not closed:
        QMessageBox.information(
            window,
            QCoreApplication.translate("CounterPlugin", "Queue"),
            QCoreApplication.translate("CounterPlugin", "No ticket is being served at this counter."),
        )


def display_settings(ctx, window) -> None:
    from app.views.counter.dialogs import CounterDisplayDialog

    dialog = CounterDisplayDialog(ctx, window)
    if dialog.exec():
        side = side_of(window)
        if side is not None:
            side.reconfigure()


def warm_up(db, actor) -> None:
    """The status bar's satisfaction and ticket, read once in the start-up loader's thread (app.views.startup)."""
    from app.services.counter import service_quality as sq

    sq.clerk_day(db, actor.clerk_id)
    sq.current_ticket(db, actor, "")


def contribute(registry) -> None:
    registry.add_function_key(
        FunctionKey("F12", QT_TRANSLATE_NOOP("CounterPlugin", "Call next"), CTX, "keyCallNext", call_next, needs_customer=False)
    )
    registry.add_status_item(StatusItem("statusSatisfaction", _satisfaction_item, order=60))
    registry.add_status_item(StatusItem("statusTicket", _ticket_item, order=61))
    registry.add_menu_action(
        MenuAction(
            "counter",
            QT_TRANSLATE_NOOP("CounterPlugin", "Call a ticket by number…"),
            CTX,
            "actionCallTicket",
            lambda ctx, w: call_typed(ctx, w),
            "Shift+F12",
        )
    )
    registry.add_menu_action(
        MenuAction(
            "counter", QT_TRANSLATE_NOOP("CounterPlugin", "End the current ticket's service"), CTX, "actionFinishTicket", finish_ticket
        )
    )
    registry.add_menu_action(
        MenuAction(
            "tools", QT_TRANSLATE_NOOP("CounterPlugin", "Customer display and queue…"), CTX, "actionCustomerDisplay", display_settings
        )
    )

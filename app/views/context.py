"""What every view gets: the database handle, the logged-in actor, and app-wide signals."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal


class AppContext(QObject):
    """Passed into windows, dialogs and plug-in factories instead of any global.

    `db` is an app.db.engine.Database; views hand it to service functions and never use
    it for queries themselves.
    """

    customer_opened = Signal(object)  # uuid.UUID | None
    data_changed = Signal(str)  # area that changed: "customers", "billing", "payments", "matters"
    actor_changed = Signal()
    # The customer display (app/views/counter/customer_display.py) mirrors these: the open F4 dialog on every
    # change of its amount, method or cash (and it watches the dialog's finished()), and a registered matter.
    payment_progress = Signal(object)  # app.views.payments.payment_dialog.PaymentDialog
    matter_registered = Signal(object)  # app.services.handling.matters.Registered

    def __init__(self, db, actor, lang: str = "zh_CN", demo: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.lang = lang
        self.demo = demo
        self.current_customer_id: uuid.UUID | None = None

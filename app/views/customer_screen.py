"""The customer screen: identity, accounts and meters, contacts, warnings and the areas' panels at once."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.money import format_yuan
from app.services import customers as cs
from app.views.labels import label
from app.views.tables import Column, model_table


class CustomerScreen(QWidget):
    """Everything about one customer; edits go through dialogs that call the customers service."""

    edit_customer = Signal()
    new_account = Signal()
    edit_account = Signal(object)  # AccountView
    new_meter = Signal(object)  # AccountView
    edit_meter = Signal(object)  # MeterView
    record_contact = Signal()

    def __init__(self, ctx, registry, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.registry = registry
        self.file: cs.CustomerFile | None = None
        self.setObjectName("customerScreen")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        self.warnings = QLabel()
        self.warnings.setObjectName("warningsStrip")
        self.warnings.setProperty("role", "warnings")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        outer.addWidget(self.warnings)

        split = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(split, 1)

        # ---- left: identity, accounts, meters
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 4, 0)
        ident = QGroupBox(self.tr("Customer"))
        ident.setObjectName("identityBox")
        grid = QGridLayout(ident)
        self.fields: dict[str, QLabel] = {}
        rows = [
            ("name", self.tr("Name")),
            ("kind", self.tr("Kind")),
            ("id", self.tr("ID number")),
            ("phone", self.tr("Phone")),
            ("address", self.tr("Address")),
            ("relationship", self.tr("Relationship")),
            ("vip", self.tr("Important customer")),
            ("credit", self.tr("Credit")),
            ("since", self.tr("Customer since")),
        ]
        for i, (key, text) in enumerate(rows):
            grid.addWidget(QLabel(text + "："), i // 2, (i % 2) * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = QLabel()
            value.setObjectName(f"customer_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            grid.addWidget(value, i // 2, (i % 2) * 2 + 1)
            self.fields[key] = value
        self.fields["name"].setProperty("role", "customerName")
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        lv.addWidget(ident)

        buttons = QHBoxLayout()
        for name, text, signal in [
            ("editCustomerButton", self.tr("Edit customer (F9)"), self.edit_customer),
            ("newAccountButton", self.tr("New account"), self.new_account),
            ("recordContactButton", self.tr("Record contact (F7)"), self.record_contact),
        ]:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(signal.emit)
            buttons.addWidget(b)
        buttons.addStretch(1)
        lv.addLayout(buttons)

        accounts_box = QGroupBox(self.tr("Accounts"))
        av = QVBoxLayout(accounts_box)
        # Money and status first; the reading route and transformer area of the selected account
        # are on the line under the table, so every column stays readable at 1366 px.
        self.accounts = model_table(
            "accountsTable",
            [
                Column(self.tr("Account no."), lambda a: a.account_no),
                Column(self.tr("Service"), lambda a: label("service", a.service)),
                Column(self.tr("Category"), lambda a: label("usage_category", a.usage_category)),
                Column(self.tr("Status"), lambda a: label("status", a.status)),
                Column(self.tr("Balance"), lambda a: format_yuan(a.balance_fen), right=True),
                Column(self.tr("Voltage"), lambda a: a.voltage_level),
                Column(self.tr("Supply address"), lambda a: a.supply_address),
            ],
            elastic=(6,),
            keep=(0, 4),
        )
        self.accounts.setMaximumHeight(150)
        self.accounts.selectionModel().currentRowChanged.connect(lambda *_: self._show_meters())
        self.accounts.doubleClicked.connect(lambda _i: self._emit_account(self.edit_account))
        av.addWidget(self.accounts)
        self.account_detail = QLabel()
        self.account_detail.setObjectName("accountDetail")
        self.account_detail.setWordWrap(True)
        self.account_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        av.addWidget(self.account_detail)
        ab = QHBoxLayout()
        for name, text, handler in [
            ("editAccountButton", self.tr("Edit account"), lambda: self._emit_account(self.edit_account)),
            ("newMeterButton", self.tr("New meter"), lambda: self._emit_account(self.new_meter)),
            ("editMeterButton", self.tr("Edit meter"), self._emit_meter),
        ]:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(handler)
            ab.addWidget(b)
        ab.addStretch(1)
        av.addLayout(ab)
        self.meters = model_table(
            "metersTable",
            [
                Column(self.tr("Meter no."), lambda m: m.meter_no),
                Column(self.tr("Registers"), lambda m: label("registers", m.registers)),
                Column(self.tr("Digits"), lambda m: str(m.digits), right=True),
                Column(self.tr("Multiplier"), lambda m: f"{m.multiplier.normalize():f}", right=True),
                Column(self.tr("Installed"), lambda m: m.installed_on.isoformat() if m.installed_on else ""),
                Column(self.tr("Status"), lambda m: label("status", m.status)),
            ],
            keep=(0, 2, 3),
        )
        self.meters.doubleClicked.connect(lambda _i: self._emit_meter())
        av.addWidget(self.meters)
        lv.addWidget(accounts_box, 1)

        # Every area panel, left and right, loaded with the customer; by object name, with the areas
        # whose changes it shows (ctx.data_changed refreshes only those).
        self.panels: dict[str, QWidget] = {}
        self._panel_areas: dict[str, tuple[str, ...]] = {}
        for panel in [p for p in registry.panels if p.column == "left"]:
            lv.addWidget(self._panel_box(panel), 1)
        # The left half scrolls too, so the window fits a 1366x768 screen with a taskbar (issue 11).
        left_scroll = QScrollArea()
        left_scroll.setObjectName("customerLeftScroll")
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setWidget(left)
        split.addWidget(left_scroll)

        # ---- right: contacts and the areas' panels, all visible (scrolls if tall)
        right = QWidget()
        self.right_layout = QVBoxLayout(right)
        self.right_layout.setContentsMargins(4, 0, 0, 0)
        # Equal stretch: every panel (and the contact history) keeps a few rows in view at
        # 1366x768 instead of the first tables taking all the height.
        for panel in [p for p in registry.panels if p.column != "left"]:
            self.right_layout.addWidget(self._panel_box(panel), 1)
        contacts_box = QGroupBox(self.tr("Contact history"))
        cv = QVBoxLayout(contacts_box)
        self.contacts = model_table(
            "contactsTable",
            [
                Column(self.tr("Time"), lambda c: c.at.strftime("%Y-%m-%d %H:%M")),
                Column(self.tr("Channel"), lambda c: label("channel", c.channel)),
                Column(self.tr("Kind"), lambda c: label("contact_kind", c.kind)),
                Column(self.tr("Clerk"), lambda c: c.clerk_name),
                Column(self.tr("What"), lambda c: c.summary),
            ],
            elastic=(4,),
            keep=(0,),
        )
        self.contacts.setMinimumHeight(120)
        cv.addWidget(self.contacts)
        self.right_layout.addWidget(contacts_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(right)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        # Half and half from the start (not by the halves' size hints, which gave the left side
        # more in English and cut the areas' money columns on the right).
        split.setSizes([1000, 1000])
        self.splitter = split
        ctx.data_changed.connect(self.refresh)

    def _panel_box(self, panel) -> QWidget:
        box = QGroupBox(QCoreApplication.translate(panel.context, panel.title))
        box.setObjectName(panel.object_name + "Box")
        v = QVBoxLayout(box)
        widget = panel.factory(self.ctx, box)
        widget.setObjectName(panel.object_name)
        v.addWidget(widget)
        self.panels[panel.object_name] = widget
        self._panel_areas[panel.object_name] = tuple(panel.areas)
        return box

    @property
    def panel_widgets(self) -> list[QWidget]:
        return list(self.panels.values())

    def panel(self, object_name: str) -> QWidget | None:
        """An area's panel by its object name (e.g. "billsPanel"), or None when that area is not loaded."""
        return self.panels.get(object_name)

    # ---- loading
    def load(self, customer_id: uuid.UUID, account_id: uuid.UUID | None = None) -> None:
        with self.ctx.db.one_read():  # the file, every panel and the warnings from one read transaction
            self._load(customer_id, account_id, None)

    def refresh(self, area: str) -> None:
        """An area changed something (ctx.data_changed): the file, the panels that show that area and
        the warnings are read again for the customer on screen; the selected account stays selected."""
        if self.file is None or self.ctx.current_customer_id != self.file.id:
            return
        acc = self.selected_account()
        account_id = getattr(self.ctx, "current_account_id", None) or (acc.id if acc else None)  # a new account is chosen
        with self.ctx.db.one_read():
            self._load(self.file.id, account_id, area)

    def clear(self) -> None:
        """No customer on screen (closed, or the search list is shown again)."""
        self.file = None

    def _load(self, customer_id: uuid.UUID, account_id: uuid.UUID | None, area: str | None) -> None:
        self.file = f = cs.load_customer_file(self.ctx.db, self.ctx.actor, customer_id)
        self.fields["name"].setText(f.name)
        self.fields["kind"].setText(label("kind", f.kind))
        self.fields["id"].setText(f"{label('id_type', f.id_type)} {f.id_number or f.id_number_masked}".strip())
        phones = f.phone or f.phone_masked
        if f.phone2_masked:
            phones += " / " + f.phone2_masked
        self.fields["phone"].setText(phones)
        self.fields["address"].setText(f.address)
        self.fields["relationship"].setText(label("relationship_status", f.relationship_status))
        self.fields["vip"].setText(label("vip_level", f.vip_level))
        self.fields["credit"].setText(f"{f.credit_rating} ({f.credit_score})")
        self.fields["since"].setText(f.created_at.strftime("%Y-%m-%d"))
        self.accounts.model().set_rows(f.accounts)
        row = next((i for i, a in enumerate(f.accounts) if a.id == account_id), 0)
        if f.accounts:
            self.accounts.selectRow(row)
        self._show_meters()
        self.contacts.set_rows(f.contacts)
        for name, w in self.panels.items():
            if area is not None and area not in self._panel_areas[name]:
                continue
            try:
                w.load(customer_id)
                w.setToolTip("")
            except UserError as err:
                w.setToolTip(error_text(err))
        self._warnings(customer_id)

    def _warnings(self, customer_id) -> None:
        items = []
        for source in self.registry.warning_sources:
            items.extend(source(self.ctx, customer_id))
        if self.file and self.file.vip_level and not any(level == "vip" for level, _ in items):
            items.insert(0, ("info", label("vip_level", self.file.vip_level)))
        if self.file and self.file.relationship_status == "troublesome":
            items.append(("warn", label("relationship_status", "troublesome")))
        if items:
            self.warnings.setText("  ⚠ " + "   ⚠ ".join(text for _, text in items))
            self.warnings.setProperty("level", "danger" if any(lv == "danger" for lv, _ in items) else "warn")
            self.warnings.style().unpolish(self.warnings)
            self.warnings.style().polish(self.warnings)
            self.warnings.show()
        else:
            self.warnings.hide()

    def selected_account(self):
        if not self.file or not self.file.accounts:
            return None
        return self.accounts.selected() or self.file.accounts[0]

    def _show_meters(self) -> None:
        acc = self.selected_account()
        meters = acc.meters if acc else []
        self.account_detail.setText(
            self.tr("%1: route %2 · transformer area %3 · %4")
            .replace("%1", acc.account_no)
            .replace("%2", acc.reading_route or "—")
            .replace("%3", acc.transformer_area or "—")
            .replace("%4", acc.supply_address or "—")
            if acc
            else ""
        )
        self.meters.set_rows(meters, select_first=True)
        if acc is not None:
            self.ctx.current_account_id = acc.id

    def _emit_account(self, signal) -> None:
        acc = self.selected_account()
        if acc is not None:
            signal.emit(acc)

    def _emit_meter(self) -> None:
        meter = self.meters.selected()
        if self.selected_account() is not None and meter is not None:
            self.edit_meter.emit(meter)

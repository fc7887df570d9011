"""The price calculator (电费/水费试算): a tariff, a usage (or a quantity per register), the lines and total, live.
With a customer open it starts from the selected account: its tariff, the usage billed in its tier year so
far, and its own tier rules."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.localtime import local_today
from app.kernel.money import chinese_capitals, format_yuan
from app.services.billing import quote as quote_start
from app.services.billing import tariffs
from app.services.billing.pricing import ITEM_LABELS, LABEL_CONTEXT, item_label, parse_quantity, parse_quote_input, price
from app.services.billing.readings import quantity_text

REGISTER_ORDER = ("sharp", "peak", "flat", "valley")


class QuoteDialog(QDialog):
    def __init__(self, ctx, parent=None, account_id=None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteDialog")
        self.resize(680, 560)
        tariffs.ensure_default_tariffs(ctx.db, ctx.actor)
        self.book = tariffs.load_book(ctx.db)
        self.today = local_today()
        if account_id is None and getattr(ctx, "current_customer_id", None) is not None:
            account_id = getattr(ctx, "current_account_id", None)
        self.start = quote_start.account_start(ctx.db, account_id, self.today)
        box = QVBoxLayout(self)
        self.account = QLabel()
        self.account.setObjectName("quoteAccount")
        self.account.setWordWrap(True)
        box.addWidget(self.account)
        form = QFormLayout()
        self.tariff = QComboBox()
        self.tariff.setObjectName("tariffCombo")
        for code in self.book.codes():
            try:
                t = self.book.in_force(code, self.today)
            except UserError:
                continue
            self.tariff.addItem(f"{code}  {t.name}", code)
        self.tariff_label = QLabel(self.tr("Tariff"))
        form.addRow(self.tariff_label, self.tariff)
        self.usage = QLineEdit()
        self.usage.setObjectName("usageField")
        self.usage_label = QLabel(self.tr("Usage"))
        form.addRow(self.usage_label, self.usage)
        self.ytd = QLineEdit("0")
        self.ytd.setObjectName("ytdField")
        self.ytd_label = QLabel(self.tr("Already used this tier year"))
        form.addRow(self.ytd_label, self.ytd)
        box.addLayout(form)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("quoteLines")
        self.table.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Quantity"), self.tr("Unit price"), self.tr("Amount")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.table, 1)
        self.total = QLabel()
        self.total.setObjectName("quoteTotal")
        self.total.setProperty("role", "title")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        box.addWidget(self.total)
        self.message = QLabel()
        self.message.setObjectName("quoteMessage")
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        if self.start is not None:
            index = self.tariff.findData(self.start.tariff_code)
            if index >= 0:
                self.tariff.setCurrentIndex(index)
        self._tariff_changed()
        for w in (self.usage, self.ytd):
            w.textChanged.connect(self.recalc)
        self.tariff.currentIndexChanged.connect(self._tariff_changed)
        self.usage.setFocus()

    # ------------------------------------------------------------------ tariff
    def current_tariff(self):
        code = self.tariff.currentData()
        return self.book.in_force(code, self.today) if code is not None else None

    @staticmethod
    def register_name(register: str) -> str:
        return QCoreApplication.translate(LABEL_CONTEXT, ITEM_LABELS[register])

    def unit_text(self, tariff) -> str:
        return "m³" if tariff is not None and tariff.service == "water" else "kWh"

    def _tariff_changed(self, *_args) -> None:
        """Title, units, the example in the usage box and the year-to-date usage follow the tariff."""
        t = self.current_tariff()
        water = t is not None and t.service == "water"
        self.setWindowTitle(self.tr("Water price calculator") if water else self.tr("Electricity price calculator"))
        self.tariff_label.setText(self.tr("Water tariff") if water else self.tr("Electricity tariff"))
        unit = self.unit_text(t)
        self.usage_label.setText(self.tr("Usage (%1)").replace("%1", unit))
        if t is not None and t.tou:
            names = [r for r in REGISTER_ORDER if r in t.tou]
            example = " ".join(f"{self.register_name(r)}={q}" for r, q in zip(names, ("200", "150", "120", "80")))
            self.usage.setPlaceholderText(self.tr("a quantity per register, e.g. %1").replace("%1", example))
        else:
            self.usage.setPlaceholderText(self.tr("e.g. %1").replace("%1", "350"))
        yearly = t is not None and t.tiers is not None and t.tiers.period == "year"
        self.ytd.setEnabled(yearly)
        self.ytd_label.setText(
            self.tr("Already used this tier year (%1)").replace("%1", unit)
            if yearly
            else self.tr("Already used this tier year (monthly tiers: not used)")
        )
        self.ytd.setText(format(self.start.ytd.normalize(), "f") if yearly and self.start is not None else "0")
        self._show_account(t)
        self.recalc()

    def _show_account(self, t) -> None:
        s = self.start
        if s is None:
            self.account.setText(self.tr("No customer is open: choose a tariff and type the usage."))
            return
        unit = "m³" if s.service == "water" else "kWh"
        try:
            tariff_name = self.book.in_force(s.tariff_code, self.today).name if s.tariff_code else "—"
        except UserError:
            tariff_name = s.tariff_code
        text = self.tr("Account %1 (%2), tariff %3.").replace("%1", s.account_no).replace("%2", s.account_name).replace("%3", tariff_name)
        if t is not None and t.tiers is not None and t.tiers.period == "year":
            text += " " + (
                self.tr("Used in the tier year since %1: %2 %3.")
                .replace("%1", s.tier_year_from.isoformat())
                .replace("%2", quantity_text(s.ytd))
                .replace("%3", unit)
            )
        if s.bound_extra:
            text += " " + self.tr("Larger household: +%1 %2 on every tier bound a month.").replace(
                "%1", quantity_text(s.bound_extra)
            ).replace("%2", unit)
        if s.free_quantity:
            text += " " + self.tr("Low-income free quota: %1 %2.").replace("%1", quantity_text(s.free_quantity)).replace("%2", unit)
        if t is not None and s.tariff_code and t.code != s.tariff_code:
            text += " " + self.tr("(Another tariff than the account's is chosen.)")
        self.account.setText(text)

    # ------------------------------------------------------------------ price
    def _aliases(self) -> dict[str, str]:
        """The register names as this dialog shows them (in either language) are accepted as typed."""
        return {self.register_name(r): r for r in REGISTER_ORDER}

    def recalc(self) -> None:
        self.table.setRowCount(0)
        self.total.clear()
        self.message.clear()
        t = self.current_tariff()
        if not self.usage.text().strip() or t is None:
            return
        try:
            usage, regs = parse_quote_input(self.usage.text(), self._aliases())
            ytd_value = parse_quantity(self.ytd.text().strip() or "0", "ytd")
            extra = self.start.bound_extra if self.start is not None else Decimal(0)
            free = self.start.free_quantity if self.start is not None else Decimal(0)
            quote = price(t, usage=usage, registers=regs, ytd=ytd_value, bound_extra=extra, free_quantity=free)
        except UserError as err:
            self.message.setText(error_text(err))
            return
        self.table.setRowCount(len(quote.lines))
        for r, ln in enumerate(quote.lines):
            for c, v in enumerate(
                [
                    item_label(ln, QCoreApplication.translate, t.service),
                    quantity_text(ln.quantity),
                    format(ln.unit_price.normalize(), "f"),
                    format_yuan(ln.amount),
                ]
            ):
                item = QTableWidgetItem(v)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.total.setText(self.tr("Total %1  (%2)").replace("%1", format_yuan(quote.total)).replace("%2", chinese_capitals(quote.total)))

"""The price calculator (电费试算): a tariff, a usage (or a quantity per register), the lines and total, live."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout

from app.i18n import error_text
from app.services.billing import tariffs
from app.services.billing.pricing import item_label, price
from app.kernel.errors import UserError
from app.kernel.localtime import local_today
from app.kernel.money import chinese_capitals, format_yuan


class QuoteDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteDialog")
        self.setWindowTitle(self.tr("Price calculator"))
        self.resize(640, 520)
        tariffs.ensure_default_tariffs(ctx.db, ctx.actor)
        self.book = tariffs.load_book(ctx.db)
        box = QVBoxLayout(self)
        form = QFormLayout()
        self.tariff = QComboBox()
        self.tariff.setObjectName("tariffCombo")
        for code in self.book.codes():
            try:
                t = self.book.in_force(code, local_today())
            except UserError:
                continue
            self.tariff.addItem(f"{code}  {t.name}", code)
        form.addRow(self.tr("Tariff"), self.tariff)
        self.usage = QLineEdit()
        self.usage.setObjectName("usageField")
        self.usage.setPlaceholderText(self.tr("e.g. 350, or peak=200 valley=150"))
        form.addRow(self.tr("Usage"), self.usage)
        self.ytd = QLineEdit("0")
        self.ytd.setObjectName("ytdField")
        form.addRow(self.tr("Already used this tier year"), self.ytd)
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
        box.addWidget(self.message)
        for w in (self.usage, self.ytd):
            w.textChanged.connect(self.recalc)
        self.tariff.currentIndexChanged.connect(self.recalc)
        self.usage.setFocus()

    def _parse(self):
        text = self.usage.text().replace("，", ",").replace(",", " ").strip()
        if "=" in text:
            regs = {}
            for part in text.split():
                name, _, value = part.partition("=")
                regs[name.strip()] = Decimal(value)
            return None, regs
        return Decimal(text), None

    def recalc(self) -> None:
        self.table.setRowCount(0)
        self.total.clear()
        self.message.clear()
        if not self.usage.text().strip() or self.tariff.currentData() is None:
            return
        try:
            usage, regs = self._parse()
            ytd = Decimal(self.ytd.text().strip() or "0")
            quote = price(self.book.in_force(self.tariff.currentData(), local_today()), usage=usage, registers=regs, ytd=ytd)
        except (InvalidOperation, ValueError):
            self.message.setText(self.tr("Type a number, or register=quantity pairs."))
            return
        except UserError as err:
            self.message.setText(error_text(err))
            return
        self.table.setRowCount(len(quote.lines))
        for r, ln in enumerate(quote.lines):
            for c, v in enumerate([item_label(ln, QCoreApplication.translate), format(ln.quantity.normalize(), "f"),
                                   format(ln.unit_price.normalize(), "f"), format_yuan(ln.amount)]):
                item = QTableWidgetItem(v)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.total.setText(self.tr("Total %1  (%2)").replace("%1", format_yuan(quote.total)).replace("%2", chinese_capitals(quote.total)))

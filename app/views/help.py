"""The built-in guide: a short text per screen (F1, Help menu), translated like every other string."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from app.kernel.messages import QT_TRANSLATE_NOOP

CTX = "Help"

TITLES = {
    "search": QT_TRANSLATE_NOOP("Help", "Finding a customer"),
    "customer": QT_TRANSLATE_NOOP("Help", "The customer screen"),
    "payment": QT_TRANSLATE_NOOP("Help", "Taking a payment (F4)"),
    "keys": QT_TRANSLATE_NOOP("Help", "Keys at the counter"),
}

# Simple HTML: paragraphs and lists only. One text per screen, as short as a clerk reads at the counter.
GUIDES = {
    "search": QT_TRANSLATE_NOOP(
        "Help",
        """<p>Type anything the customer gives you: account number, name, pinyin initials (zsf for 张三丰) or full pinyin, phone number or its last 4 digits, the last digits of the ID number, meter number or part of the address. Results appear as you type.</p>
<ul>
<li><b>Scan</b> a bill, receipt, work order or account barcode: the customer opens at once.</li>
<li><b>Enter</b> opens the customer when only one matches; with several, the list gets the keyboard: ↑↓ choose, Enter opens.</li>
<li><b>Esc</b> clears the search field.</li>
<li><b>F5</b> registers a new customer; <b>F6</b> registers a matter even without a customer.</li>
</ul>""",
    ),
    "customer": QT_TRANSLATE_NOOP(
        "Help",
        """<p>The left half shows who the customer is (ID number and phone masked), the accounts with their balance and the meters of the selected account, and the prepaid balance. The right half shows open matters, bills, payments and the contact history. The strip on top warns of arrears, overdue matters, complaints waiting for a first contact, important customers and planned outages: read it first.</p>
<ul>
<li><b>F4</b> takes a payment for the selected account; <b>F8</b> prints the selected bill.</li>
<li><b>F7</b> records a contact; <b>F6</b> registers a matter; <b>F9</b> edits the customer.</li>
<li>Reprint a receipt or reverse a payment (冲正) with the buttons under the payments.</li>
<li><b>Esc</b> closes the customer and goes back to the search field.</li>
</ul>""",
    ),
    "payment": QT_TRANSLATE_NOOP(
        "Help",
        """<p>What is owed is listed oldest first, late fees counted to today. The amount starts at the whole of it; type less for a part payment or more for a prepayment.</p>
<ul>
<li><b>Alt+1…4</b> choose cash, bank card, QR code or transfer. For cash, type what the customer hands over: the change is shown large. For the others, type the terminal or transaction reference.</li>
<li><b>Enter</b> shows a one-screen summary with the customer's name; check it with the customer, then Enter again posts the payment and prints the receipt.</li>
<li>A printer problem never loses a payment: the receipt waits in Counter → Unprinted receipts.</li>
</ul>""",
    ),
    "keys": QT_TRANSLATE_NOOP(
        "Help",
        """<ul>
<li><b>F1</b> this guide · <b>F2</b> find · <b>Esc</b> close the customer or clear the search</li>
<li><b>F4</b> take a payment · <b>F5</b> new customer · <b>F6</b> register a matter · <b>F7</b> record a contact</li>
<li><b>F8</b> print a bill · <b>F9</b> edit the customer · <b>F10</b> price calculator</li>
<li><b>Ctrl+L</b> receipt register · <b>Ctrl+Q</b> matter queues · <b>Ctrl+R</b> meter readings</li>
<li>Counter → Log out hands the counter to the next clerk.</li>
</ul>""",
    ),
}


def guide_text(screen: str) -> tuple[str, str]:
    """The translated title and text of a screen's guide."""
    return (QCoreApplication.translate(CTX, TITLES[screen]), QCoreApplication.translate(CTX, GUIDES[screen]))


class GuideDialog(QDialog):
    def __init__(self, screen: str, parent=None) -> None:
        super().__init__(parent)
        title, text = guide_text(screen)
        self.setObjectName("guideDialog")
        self.setWindowTitle(title)
        self.resize(640, 420)
        box = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setObjectName("guideText")
        self.text.setHtml(f"<h3>{title}</h3>{text}")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        box.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)


def show_guide(parent, screen: str) -> None:
    GuideDialog(screen, parent).exec()

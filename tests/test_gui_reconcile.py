"""The supervisors' statement screen: Tools → Payment-channel statements… imports a file, lists
each day's state and the differences, and resolves one with a note typed at the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.kernel.localtime import local_today
from app.services import customers as cs
from app.services.payments import posting
from app.views.context import AppContext
from app.views.interfaces.reconcile_dialog import ReconcileDialog
from app.views.main_window import MainWindow
from app.views.plugins import load_registry


def test_statement_screen_imports_lists_and_resolves(qtbot, db, clerk, supervisor, tmp_path):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号"))
    posting.open_shift(db, clerk, "0")
    posting.post_payment(db, clerk, aid, "100.00", "qr", "k-1", reference="QR-A")
    posting.post_payment(db, clerk, aid, "30.00", "qr", "k-2", reference="QR-D")
    day = local_today().isoformat()
    path = tmp_path / "qr-statement.csv"
    path.write_text(
        f"商户订单号,交易时间,交易金额,交易状态\nQR-A,{day} 09:00:00,100.00,成功\nQR-X,{day} 10:00:00,20.00,成功\n合计,2,120.00,\n",
        encoding="utf-8",
    )

    window = MainWindow(AppContext(db, clerk), load_registry())
    qtbot.addWidget(window)
    assert window.findChild(QAction, "actionReconcile") is None  # a clerk does not reconcile
    boss = MainWindow(AppContext(db, supervisor), load_registry())
    qtbot.addWidget(boss)
    assert boss.findChild(QAction, "actionReconcile").text() == "Payment-channel statements…"

    dialog = ReconcileDialog(AppContext(db, supervisor, lang="en"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.channel.setCurrentIndex(dialog.channel.findData("qr"))
    dialog.import_file(str(path))
    assert "2 lines, 2 new, 1 matched" in dialog.message.text()
    assert dialog.days.rowCount() == 1 and dialog.days.cell(0, 5) == "2 differences open"
    kinds = sorted(dialog.items.cell(r, 2) for r in range(dialog.items.rowCount()))
    assert kinds == ["Counter payment not on the statement", "On the statement, no counter payment"]

    dialog.import_file(str(path))
    assert "imported before; nothing was added" in dialog.message.text()

    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # no note: said, nothing resolved
    assert "Say what was done" in dialog.message.text() and dialog.items.rowCount() == 2
    for _ in range(2):
        dialog.items.selectRow(0)
        qtbot.keyClicks(dialog.note, "refunded by the platform")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        assert dialog.message.text().startswith("Resolved:")
    assert dialog.items.rowCount() == 0 and dialog.days.cell(0, 5) == "Reconciled"
    dialog.show_resolved.setChecked(True)
    assert dialog.items.rowCount() == 2 and dialog.items.cell(0, 8) == "refunded by the platform"

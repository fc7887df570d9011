"""Payment-channel statements: a QR platform's and a bank's daily CSV matched to counter payments by
reference and amount; unmatched lines on either side and amount differences wait for a supervisor,
who resolves each with a note (audited); a day is reconciled only when nothing is left; the same
file twice adds nothing; a file that does not add up is refused whole, naming file, line and column."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.kernel.errors import PermissionDenied, UserError, ValidationError
from app.kernel.ids import short_id
from app.kernel.localtime import local_today
from app.models import AuditEntry, ChannelStatement, ReconcileItem, StatementLine
from app.services import customers as cs
from app.services.interfaces import statements
from app.services.payments import posting
from tests.cliauth import as_

HEADER = "商户订单号,交易时间,交易金额,交易状态\n"


@pytest.fixture
def counter(db, clerk):
    """Today's QR payments at the counter: QR-A 100.00, QR-B 55.00, QR-D 30.00; a card payment POS-1 88.00."""
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰", phone="13812345678"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号"))
    posting.open_shift(db, clerk, "0")
    paid = {}
    for ref, amount, method in (("QR-A", "100.00", "qr"), ("QR-B", "55.00", "qr"), ("QR-D", "30.00", "qr"), ("POS-1", "88.00", "card")):
        paid[ref] = posting.post_payment(db, clerk, aid, amount, method, f"k-{ref}", reference=ref)
    return paid


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8-sig") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def _qr_file(tmp_path, name="qr.csv", lines=None, total=None, count=None, encoding="utf-8-sig") -> str:
    day = local_today().isoformat()
    lines = lines or [
        ("QR-A", f"{day} 09:15:00", "100.00", "成功"),
        ("QR-B", f"{day} 10:02:11", "50.00", "成功"),  # the counter took 55.00
        ("QR-X", f"{day} 11:30:00", "20.00", "成功"),  # no counter payment
        ("QR-C", f"{day} 12:00:00", "9.00", "已关闭"),  # took no money
    ]
    body = "".join(f'{r},{t},"{a}",{s}\n' for r, t, a, s in lines)
    fen = sum(int(round(float(a.replace(",", "")) * 100)) for _, _, a, _ in lines)
    total = total if total is not None else f"{fen / 100:.2f}"
    count = count if count is not None else len(lines)
    return _write(tmp_path, name, HEADER + body + f"合计,{count},{total},\n", encoding)


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_statement_matches_lists_differences_and_a_day_reconciles_only_when_nothing_is_left(db, clerk, supervisor, counter, tmp_path):
    path = _qr_file(tmp_path)
    with pytest.raises(PermissionDenied):
        statements.import_statement(db, clerk, path, "qr")
    result = statements.import_statement(db, supervisor, path, "qr")
    assert (result.lines, result.new_lines, result.matched, result.ignored, result.duplicate) == (4, 4, 1, 1, False)
    assert result.day == local_today() and not result.reconciled
    found = {(d.kind, d.reference, d.statement_fen, d.counter_fen) for d in result.differences}
    assert found == {("amount", "QR-B", 5000, 5500), ("line_only", "QR-X", 2000, 0), ("payment_only", "QR-D", 0, 3000)}
    assert next(d for d in result.differences if d.kind == "payment_only").receipt_no == counter["QR-D"].receipt_no
    assert not statements.day_state(db, "qr", local_today()).reconciled

    # the same file again adds nothing
    again = statements.import_statement(db, supervisor, path, "qr")
    assert again.duplicate and len(again.differences) == 3
    assert (_count(db, ChannelStatement), _count(db, StatementLine), _count(db, ReconcileItem)) == (1, 4, 3)

    with pytest.raises(PermissionDenied):
        statements.resolve(db, clerk, result.differences[0].id, "checked")
    with pytest.raises(ValidationError) as err:
        statements.resolve(db, supervisor, result.differences[0].id, "  ")
    assert err.value.field == "note"
    for d in result.differences[:-1]:
        statements.resolve(db, supervisor, d.id, f"{d.reference}: checked with the platform")
    assert not statements.day_state(db, "qr", local_today()).reconciled
    last = statements.resolve(db, supervisor, result.differences[-1].id, "退款已由平台处理")
    assert last.status == "resolved" and last.note == "退款已由平台处理"
    with pytest.raises(UserError):
        statements.resolve(db, supervisor, last.id, "again")
    state = statements.day_state(db, "qr", local_today())
    assert state.reconciled and (state.open, state.resolved) == (0, 3)
    assert [s.reconciled for s in statements.days(db)] == [True]
    with db.read() as s:
        notes = list(s.scalars(select(AuditEntry.after).where(AuditEntry.entity == "reconcile_item")))
        imports = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "statement"))
    assert len(notes) == 3 and any("退款已由平台处理" in n for n in notes) and imports == 1


def test_a_later_file_settles_a_payment_it_lists_and_known_lines_are_not_stored_twice(db, supervisor, counter, tmp_path):
    day = local_today().isoformat()
    first = statements.import_statement(db, supervisor, _qr_file(tmp_path, lines=[("QR-A", f"{day} 09:15:00", "100.00", "成功")]), "qr")
    assert {d.reference for d in first.differences} == {"QR-B", "QR-D"}
    rest = [
        ("QR-A", f"{day} 09:15:00", "100.00", "成功"),
        ("QR-B", f"{day} 10:02:11", "55.00", "成功"),
        ("QR-D", f"{day} 16:40:00", "30.00", "SUCCESS"),
    ]
    second = statements.import_statement(db, supervisor, _qr_file(tmp_path, "qr-full.csv", lines=rest), "qr")
    assert (second.new_lines, second.known_lines, second.matched) == (2, 1, 2)
    assert second.reconciled and second.differences == []
    with db.read() as s:
        assert set(s.scalars(select(ReconcileItem.status))) == {"settled"}
    assert _count(db, StatementLine) == 3


def test_a_gbk_bank_file_with_thousands_separators(db, supervisor, counter, tmp_path):
    day = local_today().isoformat()
    text = (
        "参考号,交易日期时间,交易金额(元),交易类型\n"
        f"POS-1,{day} 10:00:00,88.00,消费\n"
        f'POS-9,{day} 11:00:00,"1,200.50",消费\n'
        f'合计,2,"1,288.50",\n'
    )
    result = statements.import_statement(db, supervisor, _write(tmp_path, "bank.csv", text, "gbk"), "bank_pos")
    assert result.matched == 1
    assert [(d.kind, d.reference, d.statement_fen) for d in result.differences] == [("line_only", "POS-9", 120050)]


@pytest.mark.parametrize(
    "case, expected",
    [
        ("cut", "the total line (合计) is missing; the file seems cut off"),
        ("total", "line 4: the total line says 2 lines and 130.00 yuan, the file has 2 lines and 150.00 yuan"),
        ("columns", "line 3: 3 cells where the header has 4"),
        ("amount", "line 3, column 交易金额 (3): “5O.00” is not an amount of money"),
        ("twice", "line 3, column 商户订单号 (1): reference QR-A is on line 2 already"),
        ("days", "line 3, column 交易时间 (2): 2020-01-02 is not the statement's day"),
        ("when", "line 2, column 交易时间 (2): “yesterday” is not a date and time"),
    ],
)
def test_a_file_that_does_not_add_up_is_refused_whole(db, supervisor, counter, tmp_path, case, expected):
    day = local_today().isoformat()
    good = f"QR-A,{day} 09:15:00,100.00,成功\n"
    bodies = {
        "cut": HEADER + good + f"QR-B,{day} 10:02:11,55.00,成功\n",
        "total": HEADER + good + f"QR-B,{day} 10:02:11,50.00,成功\n合计,2,130.00,\n",
        "columns": HEADER + good + f"QR-B,{day} 10:02:11,55.00\n合计,2,155.00,\n",
        "amount": HEADER + good + f"QR-B,{day} 10:02:11,5O.00,成功\n合计,2,155.00,\n",
        "twice": HEADER + good + good + "合计,2,200.00,\n",
        "days": HEADER + good + "QR-B,2020-01-02 10:02:11,55.00,成功\n合计,2,155.00,\n",
        "when": HEADER + "QR-A,yesterday,100.00,成功\n合计,1,100.00,\n",
    }
    path = _write(tmp_path, f"{case}.csv", bodies[case])
    with pytest.raises(UserError) as err:
        statements.import_statement(db, supervisor, path, "qr")
    assert f"{case}.csv" in err.value.text() and expected in err.value.text()
    assert (_count(db, ChannelStatement), _count(db, StatementLine), _count(db, ReconcileItem)) == (0, 0, 0)


def test_unknown_channel_names_the_known_ones(db, supervisor, tmp_path):
    with pytest.raises(UserError) as err:
        statements.import_statement(db, supervisor, _qr_file(tmp_path), "alipay")
    assert err.value.field == "channel" and "bank_pos, qr" in err.value.text()


def test_command_line_import_list_and_resolve(db, supervisor, counter, tmp_path, capsys):
    url = db.engine.url.render_as_string(hide_password=False)
    path = _qr_file(tmp_path)
    assert main(["--db", url, "reconcile", "import", path, "--channel", "qr", "--json"] + as_("wangqiang")) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["matched"] == 1 and not out["reconciled"] and len(out["differences"]) == 3
    assert main(["--db", url, "reconcile", "import", path, "--channel", "qr"] + as_("wangqiang")) == 0
    text = capsys.readouterr().out
    assert "imported before; nothing was added" in text and "3 differences wait" in text
    for d in out["differences"]:
        assert main(["--db", url, "reconcile", "resolve", short_id(d["id"]), "--note", "checked"] + as_("wangqiang")) == 0
    capsys.readouterr()
    assert main(["--db", url, "reconcile", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    bad = _write(tmp_path, "cut.csv", HEADER + "QR-A,2026-01-01 09:00:00,100.00,成功\n")
    assert main(["--db", url, "reconcile", "import", bad, "--channel", "qr"] + as_("wangqiang")) != 0
    assert "cut.csv" in capsys.readouterr().err

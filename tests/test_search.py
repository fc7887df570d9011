"""Search per key kind, scans, and hostile input — on SQLite (FTS5) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.services import customers as cs
from app.services import search


@pytest.fixture
def people(db, clerk):
    def add(name, phone, id_number, address, meter):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=name, phone=phone, id_number=id_number, address=address))
        aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address=address))
        cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=meter))
        return cid

    return {
        "zsf": add("张三丰", "13812345678", "11010519491231002X", "城东街道幸福路18号", "3301990000001"),
        "zs": add("张三", "13900005678", "", "城西镇和平村3组", "3301990000002"),
        "ww": add("王伟", "0571-88881234", "", "城东街道幸福路20号", "3301990000003"),
    }


def _names(db, q):
    return [r.name for r in search.search(db, q)]


def _explained(db, r, q) -> bool:
    """Whether result `r` really matches what was typed, by the rule of its match kind (no stray rows)."""
    from app.services.pinyin import pinyin_keys

    q = search.normalize(q)
    from sqlalchemy import select

    from app.models import Meter, SearchEntry

    with db.read() as s:
        e = s.scalar(select(SearchEntry).where(SearchEntry.account_id == r.account_id))
        meters = list(s.scalars(select(Meter.meter_no).where(Meter.account_id == r.account_id)))
    digits = q.replace(" ", "").replace("-", "")
    low = q.replace(" ", "").lower()
    full, initials = pinyin_keys(e.name)
    rules = {
        "account": e.account_no.startswith(digits),
        "meter": any(m.startswith(digits) or m.startswith(q.upper()) for m in meters),
        "phone": bool(e.phone) and e.phone == digits,
        "phone_tail": any(p and p.endswith(digits) for p in (e.phone_rev[::-1], e.phone2_rev[::-1])),
        "id_tail": bool(e.id_rev) and e.id_rev[::-1].upper().endswith(q.replace(" ", "").upper()),
        "name": e.name.startswith(q),
        "initials": initials.startswith(low) and e.name_initials == initials,
        "pinyin": full.startswith(low) and e.name_pinyin == full,
        "fragment": q.lower() in e.name.lower() or q.lower() in e.address.lower(),
    }
    return bool(q) and rules[r.match]


def test_each_key_kind(db, people):
    assert _names(db, "3301000001")[0] == "张三丰"  # account number
    assert _names(db, "zsf") == ["张三丰"]  # initials
    assert _names(db, "zhangsanfeng") == ["张三丰"]
    assert set(_names(db, "zhangsan")) == {"张三丰", "张三"}  # full pinyin prefix
    assert _names(db, "13812345678") == ["张三丰"]  # whole phone
    assert set(_names(db, "5678")) == {"张三丰", "张三"}  # phone tail
    assert _names(db, "1234")[0] == "王伟"  # landline tail
    assert _names(db, "002X") == ["张三丰"]  # ID tail
    assert _names(db, "3301990000003") == ["王伟"]  # meter number
    assert set(_names(db, "幸福路")) == {"张三丰", "王伟"}  # address fragment
    assert _names(db, "和平村") == ["张三"]
    assert _names(db, "张三丰") == ["张三丰"]
    assert _names(db, "张三")[0] == "张三"  # exact name first, then prefix
    assert set(_names(db, "张")) == {"张三丰", "张三"}


def test_results_are_masked(db, people):
    r = search.search(db, "zsf")[0]
    assert r.phone_masked == "138****5678" and r.id_masked == "110105********002X"
    assert r.account_no == "3301000001" and r.match == "initials"


def test_edit_updates_index(db, clerk, people):
    data = cs.load_customer_for_edit(db, clerk, people["ww"])
    data.name = "王小伟"
    cs.update_customer(db, clerk, people["ww"], data)
    assert _names(db, "wxw") == ["王小伟"] and _names(db, "ww") == []


def test_scan_opens_exact_account_only(db, people):
    hit = search.exact_account(db, "3301000002")
    assert hit and hit.name == "张三"
    assert search.exact_account(db, "330100000") is None
    assert search.resolve_scan(db, "3301990000003").name == "王伟"


def test_registered_resolver_opens_other_numbers(db, people):
    def resolver(session, text):
        return search.result_for_customer(session, people["zs"], "receipt") if text == "R-3301-2026-000001" else None

    search.register_number_resolver(resolver)
    try:
        assert search.resolve_scan(db, "R-3301-2026-000001").name == "张三"
    finally:
        search._resolvers.remove(resolver)


HOSTILE = [
    "",
    " ",
    "'",
    '"',
    "%",
    "_",
    "*",
    "\\",
    "OR",
    "NEAR(",
    "a OR b",
    '"unterminated',
    "x' OR '1'='1",
    "张三 AND NOT",
    "^start",
    "😀😀😀",
    "幸福路%",
    "100%_*",
    "a" * 10_000,
    "\x00\x01",
    "--",
    ";DROP TABLE customers;",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_never_errors(db, people, q):
    results = search.search(db, q)
    assert all(_explained(db, r, q) for r in results), [(r.name, r.match) for r in results]
    if q in ("%", "_", "*", "幸福路%", "100%_*", "", " ", "'", "\\", "a OR b", "x' OR '1'='1", ";DROP TABLE customers;"):
        assert results == []  # wildcards and quotes are text, not patterns: nobody's name or address holds them
    if q == "张三 AND NOT":
        assert results == []


def test_results_are_in_pinyin_order_within_each_kind(db, clerk):
    # Code-point order would be 安 张 李 王 陈; pinyin order is an chen li wang zhang.
    for name in ("张敏", "陈红", "王芳", "李娜", "安琪"):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=name, address=f"幸福路{len(name)}号"))
        cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路"))
    found = search.search(db, "幸福路")
    assert {r.match for r in found} == {"fragment"}
    assert [r.name for r in found] == ["安琪", "陈红", "李娜", "王芳", "张敏"]
    by_account = search.search(db, "3301")  # account-number prefix: every account, still in pinyin order
    assert [r.name for r in by_account] == ["安琪", "陈红", "李娜", "王芳", "张敏"]
    assert [r.match for r in search.search(db, "3301000003")][:1] == ["account"]  # the exact number first
    assert search.search(db, "3301000003")[0].name == "王芳"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
@example("3301000001")
@example("zsf")
@example("张三丰")
@example("幸福路")
def test_any_text_finds_only_what_it_matches(sqlite_db, q):
    """Whatever is typed, every row that comes back matches it by the rule of its kind (the store holds
    one customer; most random text finds nobody)."""
    from app.services import auth

    if auth.needs_setup(sqlite_db):
        admin = auth.initialize(sqlite_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
        cid = cs.create_customer(
            sqlite_db,
            admin,
            cs.CustomerInput(name="张三丰", phone="13812345678", id_number="11010519491231002X", address="城东街道幸福路18号"),
        )
        aid = cs.create_account(sqlite_db, admin, cid, cs.AccountInput(supply_address="城东街道幸福路18号"))
        cs.create_meter(sqlite_db, admin, aid, cs.MeterInput(meter_no="3301990000001"))
    results = search.search(sqlite_db, q)
    assert all(_explained(sqlite_db, r, q) for r in results), (q, [(r.name, r.match) for r in results])
    for key in ("3301000001", "zsf", "张三丰", "幸福路"):  # and what does match is found
        if q == key:
            assert [r.name for r in results] == ["张三丰"]

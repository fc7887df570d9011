"""Readings only move forward, count only significant decimals, and the newest one can be corrected (with a
reason, while no bill stands on it) — on SQLite and PostgreSQL, and from the command line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from app.cli import main
from app.kernel.errors import UserError, ValidationError
from app.models import AuditEntry, Bill, Reading
from app.services.billing import bills, readings, tariffs
from app.services.billing.readings import NeedsConfirmation
from tests.cliauth import as_
from tests.test_billing_bills import home, read  # noqa: F401  (the fixture and helper of the billing tests)
from tests.test_billing_cli import _store


def _readings(db, meter_id):
    with db.read() as s:
        return [
            (r.period, r.current_reading, r.usage)
            for r in s.scalars(select(Reading).where(Reading.meter_id == meter_id).order_by(Reading.period))
        ]


def test_a_backdated_reading_is_refused_naming_the_latest_period(db, clerk, home):
    for period, value in [("2026-08", "1100"), ("2026-09", "1200"), ("2026-10", "1300")]:
        read(db, clerk, home, period, value)
    for period in ("2025-03", "2026-09"):  # long before, and just before the newest
        with pytest.raises(ValidationError) as err:
            read(db, clerk, home, period, "1050")
        assert err.value.field == "period" and "2026-10" in err.value.text() and period in err.value.text()
    with pytest.raises(ValidationError) as err:  # the newest period itself: there is one already
        read(db, clerk, home, "2026-10", "1350")
    assert "already has a reading for 2026-10" in err.value.text()
    assert [p for p, _, _ in _readings(db, home["meter"])] == ["2026-08", "2026-09", "2026-10"]
    # and so nothing is billed twice: the 2025-03 bill the audit found cannot exist
    result = bills.issue_accounts(db, clerk, [home["account_no"]], "2025-03")
    assert result.issued == [] and "no total reading for 2025-03" in result.failed[0].reason
    assert read(db, clerk, home, "2026-11", "1400").previous == 1300  # the next period goes on from the newest


def test_trailing_zeros_are_not_decimals(db, clerk, home):
    assert read(db, clerk, home, "2026-01", "2545.000").current == D("2545")
    assert read(db, clerk, home, "2026-02", "2546.100").usage == D("1.1")
    with pytest.raises(ValidationError) as err:
        read(db, clerk, home, "2026-03", "2545.0001")
    assert "2 decimals" in err.value.text()


def _correct(db, actor, home, period, value, reason="抄错了", **kw):
    return readings.correct_reading(db, actor, home["meter"], "total", period, value, reason, **kw)


def test_correcting_the_newest_reading_is_audited_with_before_after_and_reason(db, clerk, home):
    read(db, clerk, home, "2026-01", "1100")
    read(db, clerk, home, "2026-02", "1250")
    r = _correct(db, clerk, home, "2026-02", "1205", read_on=date(2026, 2, 27), source="estimated")
    assert (r.previous, r.current, r.usage) == (1100, 1205, 105)
    assert _readings(db, home["meter"])[-1] == ("2026-02", 1205, 105)
    with db.read() as s:
        fixed = s.scalar(select(Reading).where(Reading.period == "2026-02"))
        assert fixed.read_on == date(2026, 2, 27) and fixed.source == "estimated"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "correct")).one()
        before, after = json.loads(entry.before), json.loads(entry.after)
        assert [D(before[k]) for k in ("previous", "current", "usage")] == [1100, 1250, 150]
        assert [D(after[k]) for k in ("previous", "current", "usage")] == [1100, 1205, 105]
        assert (before["source"], after["source"], after["read_on"]) == ("read", "estimated", "2026-02-27")
        assert after["reason"] == "抄错了" and entry.clerk_id == clerk.clerk_id and entry.entity_id == str(fixed.id)
    # an older reading cannot be corrected any more: the newer one was computed from it
    with pytest.raises(ValidationError) as err:
        _correct(db, clerk, home, "2026-01", "1110")
    assert "newest" in err.value.text() and "2026-02" in err.value.text()
    assert _readings(db, home["meter"])[0] == ("2026-01", 1100, 100)


def test_correction_has_the_same_checks_as_recording(db, clerk, home):
    read(db, clerk, home, "2026-01", "999950")
    read(db, clerk, home, "2026-02", "999990")
    for bad, word in [("abc", "not a meter reading"), ("-1", "negative"), ("999990.001", "2 decimals"), ("1000000", "6 digits")]:
        with pytest.raises(ValidationError) as err:
            _correct(db, clerk, home, "2026-02", bad)
        assert word in err.value.text()
    with pytest.raises(ValidationError) as err:
        _correct(db, clerk, home, "2026-02", "999990.000")
    assert "nothing to correct" in err.value.text()
    with pytest.raises(ValidationError) as err:
        _correct(db, clerk, home, "2026-02", "999980", reason=" ")
    assert err.value.field == "reason"
    with pytest.raises(NeedsConfirmation) as err:  # below the previous reading: roll-over or typo?
        _correct(db, clerk, home, "2026-02", "30")
    assert err.value.kind == "rollover"
    with pytest.raises(ValidationError) as err:  # not below the previous one: no roll-over
        _correct(db, clerk, home, "2026-02", "999995", rolled_over=True)
    assert "did not roll over" in err.value.text()
    assert _correct(db, clerk, home, "2026-02", "30", rolled_over=True).usage == 80  # 30 + 1,000,000 - 999,950
    with pytest.raises(ValidationError) as err:
        _correct(db, clerk, home, "2026-03", "31")
    assert "no reading for 2026-03" in err.value.text()
    assert _readings(db, home["meter"])[-1] == ("2026-02", 30, 80)


def test_a_corrected_usage_far_above_the_average_asks_first(db, clerk, home):
    for period, value in [("2026-01", "1100"), ("2026-02", "1200"), ("2026-03", "1300")]:
        read(db, clerk, home, period, value)
    with pytest.raises(NeedsConfirmation) as err:
        _correct(db, clerk, home, "2026-03", "1800")  # 600 against an average of 100
    assert err.value.kind == "high_usage" and _readings(db, home["meter"])[-1] == ("2026-03", 1300, 100)
    assert _correct(db, clerk, home, "2026-03", "1800", confirm_high=True).usage == 600


def test_a_billed_reading_is_corrected_only_after_the_bill_is_voided(db, clerk, supervisor, home):
    read(db, clerk, home, "2026-01", "1180")
    bills.issue_accounts(db, clerk, [home["account_no"]], "2026-01", today=date(2026, 2, 1))
    bill_id = bills.find_bill(db, "B330100000120260101")
    with pytest.raises(UserError) as err:
        _correct(db, clerk, home, "2026-01", "1100")
    assert "B330100000120260101" in err.value.text() and "void" in err.value.text()
    assert _readings(db, home["meter"]) == [("2026-01", 1180, 180)]
    bills.void_bill(db, supervisor, bill_id, "读数录错")
    _correct(db, clerk, home, "2026-01", "1100")
    new_no = bills.reissue_bill(db, clerk, bill_id, today=date(2026, 2, 2))
    with db.read() as s:
        new = s.scalar(select(Bill).where(Bill.bill_no == new_no))
        assert new.usage == 100 and new.amount_fen == 5380 and new.replaces_bill_id == bill_id  # 100 x 0.538
        assert json.loads(new.readings)[0]["current"] == "1100.000"


def test_reading_correct_command(tmp_path, capsys):
    from app.services import auth
    from app.services import customers as cs
    from app.services.billing import bills

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    db, admin = _store(url)
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, admin, cs.CustomerInput(name="客户1"))
    aid = cs.create_account(
        db, admin, cid, cs.AccountInput(supply_address="1号", reading_route="R5", route_order="1", tariff_code="SD-RES-M")
    )
    mid = cs.create_meter(db, admin, aid, cs.MeterInput(meter_no="330199000001", initial_reading="100"))
    readings.record_reading(db, admin, mid, "total", "2026-10", "250")
    args = [
        "--lang",
        "en",
        "--db",
        url,
        "reading",
        "correct",
        "--meter",
        "330199000001",
        "--period",
        "2026-10",
        "--value",
        "260",
        "--reason",
        "抄表员看错",
        *as_("zhangli"),
    ]
    assert main(args) == 0
    assert "330199000001 total 2026-10: 100 -> 260, usage 160" in capsys.readouterr().out
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "correct")).one()
        assert '"current":"250.000"' in entry.before and '"current":"260"' in entry.after and "抄表员看错" in entry.after
        assert entry.clerk_id == auth.get_actor(db, "zhangli").clerk_id
    # a roll-over is asked on the command line too: nothing saved until --rolled-over
    assert main(args[:11] + ["50"] + args[12:]) == 2
    err = capsys.readouterr().err
    assert "roll-over" in err and "--rolled-over --as SUPERVISOR" in err and _readings(db, mid) == [("2026-10", 260, 160)]
    assert main(args[:11] + ["50", "--rolled-over"] + args[12:]) == 2  # the clerk's --rolled-over is not enough here
    assert "Only a supervisor" in capsys.readouterr().err and _readings(db, mid) == [("2026-10", 260, 160)]
    # billed: refused until a supervisor voids the bill
    bills.issue_accounts(db, admin, ["3301000001"], "2026-10")
    assert main(args[:11] + ["270"] + args[12:]) == 2
    err = capsys.readouterr().err
    assert "B330100000120261001" in err and "void the bill first" in err
    assert main(args[:11] + ["270.001"] + args[12:]) == 2
    assert "at most 2 decimals" in capsys.readouterr().err
    assert main(args[:7] + ["NO-SUCH"] + args[8:]) == 2
    assert "No meter has the number NO-SUCH" in capsys.readouterr().err
    db.dispose()


def test_an_implausible_rollover_needs_a_supervisor_and_quantities_are_formatted(db, clerk, supervisor, home):
    from app.models import Meter

    # 1,000 -> 900 "through the top" of a 6-digit dial is 999,900 units: far more than a tenth of the dial
    with pytest.raises(NeedsConfirmation) as err:
        read(db, clerk, home, "2026-01", "900")
    assert err.value.kind == "rollover_supervisor" and err.value.needs_supervisor
    assert "999,900 kWh" in err.value.text() and "1,000" in err.value.text() and "6 digits" in err.value.text()
    with pytest.raises(NeedsConfirmation) as err:  # the clerk's own "yes, it rolled over" is not enough
        read(db, clerk, home, "2026-01", "900", rolled_over=True)
    assert err.value.kind == "rollover_supervisor"
    with pytest.raises(NeedsConfirmation):  # nor is a clerk passed as the approver
        read(db, clerk, home, "2026-01", "900", rolled_over=True, approver=clerk)
    assert _readings(db, home["meter"]) == []
    r = read(db, clerk, home, "2026-01", "900", rolled_over=True, approver=supervisor)
    assert r.usage == 999900 and r.rolled_over
    with db.read() as s:
        entry = json.loads(s.scalars(select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.entity == "reading")).one().after)
    assert entry["approved_by"] == str(supervisor.clerk_id) and entry["approved_by_name"] == "王强"
    # big multipliers: the question shows grouped whole numbers, not "3999960240.000000"
    with db.write() as s:
        s.get(Meter, home["meter"]).multiplier = D("4000")
    with pytest.raises(NeedsConfirmation) as err:
        read(db, clerk, home, "2026-02", "890")
    assert "3,999,960,000 kWh" in err.value.text() and ".000" not in err.value.text()


def test_a_rollover_far_above_the_accounts_history_needs_a_supervisor(db, clerk, supervisor, home):
    for period, value in [("2026-01", "999700"), ("2026-02", "999800"), ("2026-03", "999900")]:
        read(db, clerk, home, period, value)  # 998,700 on the first (installed at 1,000), then 100 a month
    # 999,900 -> 50 is 150 units: a plausible roll-over the clerk may confirm
    with pytest.raises(NeedsConfirmation) as err:
        read(db, clerk, home, "2026-04", "50")
    assert err.value.kind == "rollover" and "150 kWh" in err.value.text()
    # 999,900 -> 60,000: 60,100 units is within a tenth of the dial, but far above this meter's history
    with db.write() as s:
        from app.models import Reading

        for r in s.scalars(select(Reading).where(Reading.period == "2026-01")):
            r.usage = D("100")  # as if it had been read every month since it was installed
    with pytest.raises(NeedsConfirmation) as err:
        read(db, clerk, home, "2026-04", "60000", rolled_over=True)
    assert err.value.kind == "rollover_supervisor" and "60,100 kWh" in err.value.text() and "average of 100 kWh" in err.value.text()
    r = read(db, clerk, home, "2026-04", "60000", rolled_over=True, approver=supervisor)  # no separate high-usage question
    assert r.usage == 60100


def test_reading_correct_command_asks_a_supervisor_for_an_implausible_rollover(db, clerk, supervisor, home):
    read(db, clerk, home, "2026-01", "1100")
    with pytest.raises(NeedsConfirmation) as err:
        _correct(db, clerk, home, "2026-01", "900", rolled_over=True)
    assert err.value.kind == "rollover_supervisor"
    assert _correct(db, supervisor, home, "2026-01", "900", rolled_over=True, approver=supervisor).usage == 999900

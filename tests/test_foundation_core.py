"""Core rules: migrations, audit chain, log-in lock-out, numbering, money, masking, ID checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text, update

from app.kernel.errors import AuthError, ValidationError
from app.kernel.masking import mask_id, mask_name, mask_phone
from app.kernel.money import chinese_capitals, format_yuan, parse_amount, round_fen, to_fen
from app.models import AuditEntry
from app.services import audit, auth, numbering
from app.services.validation import id_check_digit, is_valid_resident_id, phone_error, resident_id_error


def test_setup_writes_audit_chain_that_verifies(db, admin):
    with db.read() as s:
        result = audit.verify(s)
    assert result.ok and result.checked == 2


def test_tampered_audit_entry_is_named(db, admin, clerk):
    with db.write() as s:
        second = s.scalar(select(AuditEntry).where(AuditEntry.seq == 2))
        s.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(after='{"login":"mallory"}'))
    with db.read() as s:
        result = audit.verify(s)
    assert not result.ok
    assert result.first_broken_seq == 2 and result.first_broken_id == str(second.id)
    assert "hash" in result.reason


def test_deleted_audit_entry_is_detected(db, admin, clerk):
    with db.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with db.read() as s:
        result = audit.verify(s)
    assert not result.ok and result.first_broken_seq == 2


def _guess_until_locked(attempt, unknown) -> None:
    """Five wrong passwords lock the login; each gets the message an unknown login gets (no count of
    tries left, nothing that tells a guesser the login exists)."""
    with pytest.raises(AuthError) as other:
        unknown()
    for _ in range(5):
        with pytest.raises(AuthError) as err:
            attempt()
        assert (err.value.message, err.value.params) == (other.value.message, other.value.params)
        assert "left" not in err.value.params


def test_login_locks_after_five_failures(db, clerk):
    _guess_until_locked(lambda: auth.login(db, "zhangli", "wrong"), lambda: auth.login(db, "nobody", "wrong"))
    with pytest.raises(AuthError) as err:
        auth.login(db, "zhangli", "clerk123")  # the right password no longer helps; only it learns of the lock
    assert "locked" in err.value.message


def test_supervisor_approval_counts_wrong_passwords_like_a_login(db, clerk, supervisor):
    from app.kernel.errors import PermissionDenied

    with pytest.raises(AuthError) as err:
        auth.verify_supervisor(db, "wangqiang", "guess1")
    assert "left" not in err.value.params
    assert auth.verify_supervisor(db, "wangqiang", "super123").clerk_name == "王强"  # a right one resets the count
    _guess_until_locked(lambda: auth.verify_supervisor(db, "wangqiang", "guess"), lambda: auth.verify_supervisor(db, "nobody", "guess"))
    with pytest.raises(AuthError):
        auth.verify_supervisor(db, "wangqiang", "super123")  # locked: not even the right password
    with pytest.raises(AuthError):
        auth.login(db, "wangqiang", "super123")
    with pytest.raises(PermissionDenied):  # a clerk's own right password approves nothing
        auth.verify_supervisor(db, "zhangli", "clerk123")


def test_unlock_restores_login(db, admin, clerk):
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.login(db, "zhangli", "wrong")
    auth.unlock(db, admin, "zhangli")
    assert auth.login(db, "zhangli", "clerk123").clerk_name == "张丽"


def test_password_is_hashed_not_stored(db, clerk):
    from app.models import Clerk

    with db.read() as s:
        stored = s.scalar(select(Clerk.password_hash).where(Clerk.login == "zhangli"))
    assert "clerk123" not in stored and stored.startswith("$argon2")


def test_duplicate_login_refused(db, admin, clerk):
    with pytest.raises(ValidationError) as err:
        auth.create_clerk(db, admin, "zhangli", "另一个", "secret99", "clerk", "1999")
    assert err.value.field == "login"


def test_numbering_is_sequential_and_rolls_back(db, admin):
    with db.write() as s:
        assert numbering.next_value(s, admin.station_id, "receipt", 2026) == 1
        assert numbering.next_value(s, admin.station_id, "receipt", 2026) == 2
    with pytest.raises(RuntimeError):
        with db.write() as s:
            assert numbering.next_value(s, admin.station_id, "receipt", 2026) == 3
            raise RuntimeError("printer fire")
    with db.write() as s:
        assert numbering.next_value(s, admin.station_id, "receipt", 2026) == 3
        assert numbering.next_value(s, admin.station_id, "receipt", 2027) == 1
    assert numbering.format_number("3301", 2026, 42, "R") == "R-3301-2026-000042"


@pytest.mark.parametrize(
    "fen, words",
    [
        (0, "零元整"),
        (5, "伍分"),
        (56, "伍角陆分"),
        (10000, "壹佰元整"),
        (100530, "壹仟零伍元叁角整"),
        (1005, "壹拾元零伍分"),
        (123456, "壹仟贰佰叁拾肆元伍角陆分"),
        (11460, "壹佰壹拾肆元陆角整"),
        (10000000, "壹拾万元整"),
        (100010000, "壹佰万零壹佰元整"),
        (10000000100, "壹亿零壹元整"),
        (2000500000, "贰仟万伍仟元整"),
        (-5200, "负伍拾贰元整"),
    ],
)
def test_chinese_capitals(fen, words):
    assert chinese_capitals(fen) == words


def test_money_rounding_and_parsing():
    assert round_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_fen(Decimal("32.275")) == Decimal("32.28")
    assert to_fen(Decimal("114.60")) == 11460
    assert parse_amount("1,234.5") == Decimal("1234.50")
    assert parse_amount("¥ 12") == Decimal("12.00")
    assert format_yuan(123456789) == "¥1,234,567.89"
    for bad in ["", "abc", "12a", "1.234", "0", "-5", "10000000.01", "1,23"]:
        with pytest.raises(ValidationError):
            parse_amount(bad)


def test_masks():
    assert mask_id("110101199003071234") == "110101********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0571-88881234") == "0571-****1234"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("张三") == "张*"


def _make_id(region: str, birth: date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)), st.integers(0, 999))
def test_generated_ids_are_valid_and_any_single_digit_change_is_caught(birth, seq):
    number = _make_id("330102", birth, seq)
    assert is_valid_resident_id(number)
    for pos in (0, 7, 15, 17):
        ch = number[pos]
        replacement = "3" if ch != "3" else "4"
        assert not is_valid_resident_id(number[:pos] + replacement + number[pos + 1 :])


def test_known_id_check_digits():
    assert is_valid_resident_id("11010519491231002X")
    assert is_valid_resident_id("11010519491231002x")
    assert resident_id_error("110105194912310021") is not None
    assert "18" in resident_id_error("12345").message
    assert "birth" in resident_id_error("110105194902300021").message


def test_phone_checks():
    assert phone_error("13812345678") is None
    assert phone_error("0571-88881234") is None
    assert phone_error("88881234") is None
    assert phone_error("12345678901") is not None
    assert phone_error("phone") is not None


def test_id_number_region_code_must_be_a_province():
    for region in ("000000", "990105", "100105", "840101"):
        err = resident_id_error(_make_id(region, date(1980, 5, 1), 12))
        assert err is not None and "region code" in err.message, region
    for region in ("110105", "330112", "650102", "820000", "710000"):
        assert resident_id_error(_make_id(region, date(1980, 5, 1), 12)) is None, region


def test_id_number_birth_date_not_in_the_future_nor_before_1900():
    assert "future" in resident_id_error(_make_id("110105", date(3000, 1, 1), 1)).message
    assert "future" in resident_id_error(_make_id("110105", date(2026, 6, 2), 1), today=date(2026, 6, 1)).message
    assert resident_id_error(_make_id("110105", date(2026, 6, 1), 1), today=date(2026, 6, 1)) is None
    assert "1900" in resident_id_error(_make_id("110105", date(1899, 12, 31), 1)).message
    assert resident_id_error(_make_id("110105", date(1900, 1, 1), 1)) is None


@pytest.mark.parametrize(
    "written",
    [
        "+8613812345678",
        "+86 138 1234 5678",
        "8613812345678",
        "008613812345678",
        "+86-138-1234-5678",
        "138-1234-5678",
        "(+86) 13812345678",
        "＋86 13812345678",
    ],
)
def test_mobile_with_country_code_is_accepted_and_normalised(written):
    from app.services.validation import normalize_phone

    assert phone_error(written) is None
    assert normalize_phone(written) == "13812345678"


def test_country_code_does_not_rescue_a_wrong_number():
    from app.services.validation import normalize_phone

    assert phone_error("+8612812345678") is not None  # 128… is no mobile prefix
    assert phone_error("+86138123456789") is not None  # 12 digits after +86
    assert normalize_phone("0571-88881234") == "0571-88881234"  # landlines keep their dash


def test_one_read_shares_a_session_per_thread_and_only_inside_the_block(db, admin):
    import threading

    with db.read() as a, db.read() as b:
        assert a is not b
    with db.one_read():
        with db.read() as a, db.read() as b:
            assert a is b
        with db.one_read(), db.read() as c:  # nested: still the same
            assert c is a
        other = []

        def elsewhere() -> None:
            with db.read() as s:
                other.append(s)

        t = threading.Thread(target=elsewhere)
        t.start()
        t.join()
        assert other and other[0] is not a  # another thread has its own
    with db.read() as after:
        assert after is not a

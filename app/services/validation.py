"""Field checks: mainland resident ID numbers (GB 11643), mobile and landline numbers, and the
station's plausible window of days and billing periods.

Digits of other scripts (full-width, Arabic-Indic …) in phone and ID numbers are read as ASCII
digits first (app.kernel.text.ascii_digits), like every number a clerk types."""

from __future__ import annotations

import re
from datetime import date

from app.kernel.errors import UserError, ValidationError
from app.kernel.localtime import local_today
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.text import ascii_digits

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_LANDLINE = re.compile(r"^(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?$", re.ASCII)
# A mobile number, with or without the country code (+86 / 0086 / 86) in front; dashes removed first.
_MOBILE_ANY = re.compile(r"^(?:\+86|0086|86)?(1[3-9]\d{9})$", re.ASCII)
# GB/T 2260 province-level codes (the first two digits of a resident ID number); 71 Taiwan,
# 81 Hong Kong, 82 Macao, 83 residence permits of Taiwan residents.
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def resident_id_error(number: str, today: date | None = None) -> UserError | None:
    """None when `number` is a valid 18-character resident ID number, else the reason: length,
    characters, a province code that exists, a real date of birth from 1900 to today, check digit."""
    n = ascii_digits(number or "").strip().upper()
    if len(n) != 18:
        return UserError(QT_TRANSLATE_NOOP("messages", "A resident ID number has 18 characters; this one has {count}."), count=len(n))
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return UserError(QT_TRANSLATE_NOOP("messages", "A resident ID number is 17 digits followed by a digit or X."))
    if n[:2] not in PROVINCE_CODES:
        return UserError(
            QT_TRANSLATE_NOOP(
                "messages",
                "The ID number starts with the region code {region}, which is no province of China; check the number on the card.",
            ),
            region=n[:6],
        )
    try:
        birth = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return UserError(QT_TRANSLATE_NOOP("messages", "The date of birth in the ID number ({birth}) does not exist."), birth=n[6:14])
    if birth > (today or local_today()):
        return UserError(QT_TRANSLATE_NOOP("messages", "The date of birth in the ID number ({birth}) is in the future."), birth=n[6:14])
    if birth < EARLIEST_BIRTH:
        return UserError(QT_TRANSLATE_NOOP("messages", "The date of birth in the ID number ({birth}) is before 1900."), birth=n[6:14])
    if id_check_digit(n[:17]) != n[17]:
        return UserError(QT_TRANSLATE_NOOP("messages", "The ID number's check digit is wrong; check the number on the card."))
    return None


def is_valid_resident_id(number: str) -> bool:
    return resident_id_error(number) is None


def normalize_phone(phone: str) -> str:
    """Spaces and brackets go; a mobile number written with +86, 0086 or 86 in front (and
    dashes, 138-1234-5678) is stored as its 11 digits."""
    p = re.sub(r"[\s()（）]", "", ascii_digits(phone or "")).replace("＋", "+")
    m = _MOBILE_ANY.match(p.replace("-", ""))
    return m.group(1) if m else p


def phone_error(phone: str) -> UserError | None:
    """None for a mainland mobile (11 digits from 13x-19x) or a landline with optional area code."""
    p = normalize_phone(phone)
    if _MOBILE.match(p) or _LANDLINE.match(p):
        return None
    return UserError(QT_TRANSLATE_NOOP("messages", "“{phone}” is not a mobile number (11 digits) or a landline number."), phone=p[:30])


# The station's plausible window: what happened at a counter (a meter read, a billing period, a
# shift's day) lies between EARLIEST_DAY and today (station time). A date outside it is a typing
# error (0001-01-01, 1900, 9999-12) and is refused at its field, never stored: a reading for 9999-12
# would block its meter for ever.
EARLIEST_DAY = date(2000, 1, 1)
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)


def plausible_day(day: date, field: str, today: date | None = None) -> date:
    """`day`, or a ValidationError at `field` when it is before EARLIEST_DAY or after today."""
    today = today or local_today()
    if day < EARLIEST_DAY or day > today:
        raise ValidationError.single(
            field,
            QT_TRANSLATE_NOOP("messages", "{day} is outside the dates this station works with ({first} to {last})."),
            day=day.isoformat(),
            first=EARLIEST_DAY.isoformat(),
            last=today.isoformat(),
        )
    return day


def plausible_period(period: str, field: str = "period", today: date | None = None) -> str:
    """A billing period YYYY-MM from EARLIEST_DAY's month to the current month (station time)."""
    m = _PERIOD.match(ascii_digits(period or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "A billing period is written YYYY-MM, e.g. 2026-11."))
    today = today or local_today()
    first, last = f"{EARLIEST_DAY:%Y-%m}", f"{today:%Y-%m}"
    value = m.group(0)
    if not first <= value <= last:
        raise ValidationError.single(
            field,
            QT_TRANSLATE_NOOP("messages", "The period {period} is outside the periods this station works with ({first} to {last})."),
            period=value,
            first=first,
            last=last,
        )
    return value

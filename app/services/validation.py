"""Field checks: mainland resident ID numbers (GB 11643), mobile and landline numbers."""

from __future__ import annotations

import re
from datetime import date

from app.services.errors import UserError
from app.services.messages import QT_TRANSLATE_NOOP

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?$")


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def resident_id_error(number: str) -> UserError | None:
    """None when `number` is a valid 18-character resident ID number, else the reason."""
    n = (number or "").strip().upper()
    if len(n) != 18:
        return UserError(QT_TRANSLATE_NOOP("messages", "A resident ID number has 18 characters; this one has {count}."), count=len(n))
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return UserError(QT_TRANSLATE_NOOP("messages", "A resident ID number is 17 digits followed by a digit or X."))
    try:
        date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return UserError(QT_TRANSLATE_NOOP("messages", "The date of birth in the ID number ({birth}) does not exist."), birth=n[6:14])
    if id_check_digit(n[:17]) != n[17]:
        return UserError(QT_TRANSLATE_NOOP("messages", "The ID number's check digit is wrong; check the number on the card."))
    return None


def is_valid_resident_id(number: str) -> bool:
    return resident_id_error(number) is None


def normalize_phone(phone: str) -> str:
    return re.sub(r"[\s()（）]", "", phone or "")


def phone_error(phone: str) -> UserError | None:
    """None for a mainland mobile (11 digits from 13x-19x) or a landline with optional area code."""
    p = normalize_phone(phone)
    if _MOBILE.match(p) or _LANDLINE.match(p):
        return None
    return UserError(QT_TRANSLATE_NOOP("messages", "“{phone}” is not a mobile number (11 digits) or a landline number."), phone=p[:30])

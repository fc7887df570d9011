"""Privacy masks for lists and paper: ID numbers, phones, names."""

from __future__ import annotations


def mask_id(number: str) -> str:
    """First 6 + asterisks + last 4: 110101********1234."""
    n = (number or "").strip()
    if len(n) <= 10:
        return n[:2] + "*" * max(len(n) - 4, 0) + n[-2:] if len(n) > 4 else "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_phone(phone: str) -> str:
    """138****5678 for mobiles; keep the area code and last 4 for landlines."""
    p = (phone or "").strip()
    digits = p.replace("-", "").replace(" ", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 7:
        if "-" in p:
            area, _, local = p.partition("-")
            return area + "-" + "*" * max(len(local) - 4, 0) + local[-4:]
        return "*" * (len(digits) - 4) + digits[-4:]
    return p


def mask_name(name: str) -> str:
    """张三丰 -> 张*丰, 张三 -> 张*; organisation names (longer than 4) keep both ends."""
    n = (name or "").strip()
    if len(n) <= 1:
        return n
    if len(n) == 2:
        return n[0] + "*"
    if len(n) <= 4:
        return n[0] + "*" * (len(n) - 2) + n[-1]
    return n[:2] + "*" * (len(n) - 4) + n[-2:]

"""Money as Decimal yuan in Python and integer fen in storage; parsing, formatting, 大写."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.kernel.errors import ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.text import ascii_digits

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000")  # 10 million yuan: above this an amount is a typing error


def round_fen(value: Decimal) -> Decimal:
    """Half-up to the fen, as docs/TARIFFS.md prescribes."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(yuan: Decimal) -> int:
    """Exact conversion; refuses a value with fractions of a fen."""
    value = Decimal(yuan)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{yuan} is not a whole number of fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(FEN)


_AMOUNT = re.compile(r"^\s*[¥￥]?\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)?(\.[0-9]*)?\s*$")


def parse_amount(text: str, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A clerk-typed amount: digits, optional thousands commas, at most two decimals. Digits of any
    script (１２３, ١٢٣) are read as ASCII digits (app.kernel.text.ascii_digits)."""
    raw = ascii_digits(text or "").strip()
    if not raw:
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "Enter an amount."))
    m = _AMOUNT.match(raw)
    if not m or (m.group(1) is None and not (m.group(3) or "").strip(".")):
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "“{text}” is not an amount of money."), text=raw[:40])
    decimals = (m.group(3) or ".")[1:]
    if len(decimals) > 2:
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "An amount has at most two decimals (fen)."))
    try:
        value = Decimal(raw.replace(",", "").lstrip("¥￥").strip() or "0")
    except InvalidOperation:
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "“{text}” is not an amount of money."), text=raw[:40])
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "The amount must be greater than zero."))
    if value > MAX_AMOUNT:
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "The amount is above 10,000,000 yuan; check what was typed."))
    return value.quantize(FEN)


def format_yuan(value: Decimal | int, sign: bool = True) -> str:
    """¥1,234.56 (an int is taken as fen)."""
    amount = from_fen(value) if isinstance(value, int) else round_fen(Decimal(value))
    text = f"{amount:,.2f}"
    return ("¥" + text if not text.startswith("-") else "-¥" + text[1:]) if sign else text


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def _group(n: int) -> str:
    out, zero = "", False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _SMALL[pos]
    return out


def _integer_capitals(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, pending_zero = "", False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out += "零"
        out += _group(g) + _BIG[i]
        pending_zero = False
    return out


def chinese_capitals(value: Decimal | int) -> str:
    """Amount in Chinese capital figures (大写), e.g. 1005.30 -> 壹仟零伍元叁角整."""
    amount = from_fen(value) if isinstance(value, int) else round_fen(Decimal(value))
    negative = amount < 0
    fen_total = abs(to_fen(amount))
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if fen_total == 0:
        return "零元整"
    out = _integer_capitals(yuan) + "元" if yuan else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            out += "零"
        out += _DIGITS[fen] + "分"
    else:
        out += "整"
    return ("负" if negative else "") + out

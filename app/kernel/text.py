"""What a typed value may contain: digits in one script, no hidden characters, plain decimals.

One place for three rules every field follows (docs/SECURITY.md, "Input rules"):

- Where a number is meant (amounts, quantities, account, meter, phone and ID numbers, a
  search), digits of any script (full-width １２３, Arabic-Indic ١٢٣, Devanagari १२३ …) are
  read as the ASCII digits they stand for, so the same number is stored and found the same way
  however it was typed: `ascii_digits`.
- Free text (names, addresses, descriptions, summaries, routes, reasons) may not contain
  control characters (NUL, escape …), bidirectional overrides (U+202E prints a name
  backwards), zero-width or other invisible format characters, or line/paragraph separators:
  `text_problem` / `check_text`. Multi-line fields may keep newlines and tabs.
- A decimal typed as a number is plain digits with an optional point: no exponent (1e30), no
  NaN or infinity, no more places than the field keeps, and below the field's upper bound:
  `parse_plain_decimal`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.kernel.errors import ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP

# Usage of one meter register or one bill, in kWh or m3: above this a quantity is a typing error.
MAX_QUANTITY = Decimal("1000000000")
# A tariff price per kWh or m3 (yuan): above this a price is a typing error.
MAX_UNIT_PRICE = Decimal("1000")

# Full-width forms of ASCII punctuation that appear in numbers typed with a Chinese input method.
_FULL_WIDTH = {0xFF0E: ".", 0xFF0C: ",", 0xFF0D: "-", 0xFF0B: "+", 0x066B: ".", 0x066C: ",", 0x3002: "."}


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of any script as its ASCII digit (and the full-width point,
    comma, plus and minus as ASCII); everything else unchanged."""
    if text is None:
        return ""
    if text.isascii():
        return text
    out = []
    for ch in text:
        mapped = _FULL_WIDTH.get(ord(ch))
        if mapped is not None:
            out.append(mapped)
            continue
        if not ch.isascii():
            value = unicodedata.decimal(ch, None)
            if value is not None:
                out.append(str(value))
                continue
        out.append(ch)
    return "".join(out)


# Characters a free-text field never holds: C0/C1 controls, format characters (bidi overrides and
# isolates, zero-width space/joiners, BOM, soft hyphen, invisible operators), line and paragraph
# separators, surrogates, private use and unassigned code points.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_MULTILINE_OK = {"\n", "\t", "\r"}


def bad_character(text: str, multiline: bool = False) -> str | None:
    """The first character `text` may not contain, or None."""
    if not text:
        return None
    for ch in text:
        if ch.isascii() and ch.isprintable():
            continue
        if multiline and ch in _MULTILINE_OK:
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return ch
    return None


def describe_character(ch: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how a refused character is named in a message."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


INVISIBLE = QT_TRANSLATE_NOOP("messages", "This text contains a hidden control character {character}; type it again without it.")


def text_problem(text: str, field: str, multiline: bool = False) -> ValidationError | None:
    ch = bad_character(text, multiline)
    if ch is None:
        return None
    return ValidationError.single(field, INVISIBLE, character=describe_character(ch))


def check_text(text: str, field: str, multiline: bool = False) -> str:
    """`text` unchanged, or a ValidationError at `field` naming the hidden character."""
    err = text_problem(text, field, multiline)
    if err is not None:
        raise err
    return text


_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)

NOT_PLAIN = QT_TRANSLATE_NOOP("messages", "“{text}” is not a number (write digits with an optional decimal point, e.g. 120.5).")
TOO_MANY_PLACES = QT_TRANSLATE_NOOP("messages", "“{text}” has more than {places} decimals.")
TOO_LARGE = QT_TRANSLATE_NOOP("messages", "“{text}” is above {maximum}; check what was typed.")
NEGATIVE = QT_TRANSLATE_NOOP("messages", "“{text}” must be zero or more.")


def parse_plain_decimal(text: str, field: str, places: int, maximum: Decimal, allow_negative: bool = False) -> Decimal:
    """A typed decimal: digits of any script, an optional point, at most `places` decimals (trailing
    zeros do not count), at most `maximum`; no exponent, NaN, infinity or thousands separators."""
    raw = ascii_digits(str(text if text is not None else "")).strip()
    shown = raw[:40]
    if not _PLAIN.match(raw):
        raise ValidationError.single(field, NOT_PLAIN, text=shown)
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover  (the pattern admits only plain decimals)
        raise ValidationError.single(field, NOT_PLAIN, text=shown) from None
    if value < 0 and not allow_negative:
        raise ValidationError.single(field, NEGATIVE, text=shown)
    if abs(value) > maximum:
        raise ValidationError.single(field, TOO_LARGE, text=shown, maximum=f"{maximum:,}")
    if value != value.to_integral_value() and -value.normalize().as_tuple().exponent > places:
        raise ValidationError.single(field, TOO_MANY_PLACES, text=shown, places=places)
    return value

"""Read an amount of money from a spreadsheet cell or a form field as a Decimal, refusing anything ambiguous.

Finance exports write amounts in several ways; these are accepted:
    1234   1234.5   1234.56   1,234   1,234.56   £1,234   -1,234   -£1,234   £-1,234
    (1,234)   (£1,234)   £(1,234)      brackets mean a negative amount, as accountants write it
and numbers that a spreadsheet stores as numbers (int, Decimal, float with at most two decimals).

Refused, because a person could read them two ways or they are not amounts of pounds:
    1.234 (thousands separator in some countries; pounds have two decimals),
    1,23 / 12,34 / 1,2345 (a comma that does not separate groups of three),
    1.234,56 (continental decimal comma), 1 234 (space grouping), -(1,234) (two signs),
    (1,234 (unbalanced bracket), 1,234- (trailing sign), 1e3, 1.5m, £8.692m, $1,234, € ...,
    NaN, Infinity, true/false, and text that is not a number at all.
Every refusal says what is wrong so that an import can name the cell and the reason.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation

PENNY = Decimal("0.01")
# What a money column holds (14 digits, 2 of them pence): a larger figure is a typing or export error.
LIMIT = Decimal("1000000000000")

# Digits either plain (1234) or grouped in threes with commas (1,234,567); at most two decimals.
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")


class AmountError(ValueError):
    """An amount that cannot be read without guessing; the message says why, for a person to fix."""


def parse_amount(value, *, blank_ok: bool = False) -> Decimal | None:
    """The amount in pounds as a Decimal to the penny; None for a blank when `blank_ok`."""
    try:
        amount = _parse(value, blank_ok=blank_ok)
    except InvalidOperation as exc:
        # Only a figure with more digits than Decimal arithmetic keeps (28) gets here: far beyond the limit.
        raise AmountError(f"{value!r} is too large to be an amount here (a trillion pounds or more)") from exc
    if amount is not None and abs(amount) >= LIMIT:
        raise AmountError(f"{value!r} is too large to be an amount here (a trillion pounds or more)")
    return amount


def _parse(value, *, blank_ok: bool) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank_ok:
            return None
        raise AmountError("is blank; an amount is needed")
    if isinstance(value, bool):
        raise AmountError(f"{value!r} is not an amount")
    if isinstance(value, int):
        return Decimal(value).quantize(PENNY)
    if isinstance(value, Decimal):
        return _whole_pennies(value, str(value))
    if isinstance(value, float):
        # A spreadsheet number: repr gives the shortest decimal that round-trips, so 1234.56 stays 1234.56.
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError(f"{value!r} is not an amount")
        return _whole_pennies(Decimal(repr(value)), repr(value))
    if not isinstance(value, str):
        raise AmountError(f"{value!r} is not an amount")
    return _parse_text(value.strip())


def _whole_pennies(amount: Decimal, shown: str) -> Decimal:
    if not amount.is_finite():
        raise AmountError(f"{shown!r} is not an amount")
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(PENNY, rounding=ROUND_DOWN):
        raise AmountError(f"{shown!r} has more than two decimal places; pounds have pence, not fractions of pence")
    return amount.quantize(PENNY)


def _parse_text(text: str) -> Decimal:
    original = text
    negative = False
    if text.startswith("-"):
        negative, text = True, text[1:]
    if text.startswith("£"):
        text = text[1:]
    if text.startswith("-"):
        if negative:
            raise AmountError(f"{original!r} has two minus signs")
        negative, text = True, text[1:]
    if text.startswith("(") or text.endswith(")"):
        if not (text.startswith("(") and text.endswith(")")):
            raise AmountError(f"{original!r} has an unmatched bracket")
        if negative:
            raise AmountError(f"{original!r} is negative twice: a minus sign and brackets")
        negative, text = True, text[1:-1]
        if text.startswith("£"):
            text = text[1:]
    if not text:
        raise AmountError(f"{original!r} has no digits")
    if not _NUMBER.match(text):
        raise AmountError(_why_not(original, text))
    amount = Decimal(text.replace(",", "")).quantize(PENNY)
    return -amount if negative and amount else amount


def _why_not(original: str, text: str) -> str:
    """The most likely reason a piece of text is not an amount, in words a finance officer would use."""
    if re.search(r"[$€¥]", text):
        return f"{original!r} is not in pounds"
    if re.search(r"[kKmMbB]n?$", text):
        return f"{original!r} uses a multiplier (k, m, bn); write the amount in full"
    if re.fullmatch(r"[\d,]*\d\.\d{3,}", text):
        return f"{original!r} has more than two decimal places or a dot as thousands separator; write 1,234 or 1234.56"
    if "," in text and re.fullmatch(r"[\d.,]+", text):
        return f"{original!r} has a comma that does not separate thousands; write 1,234 or 1234.56"
    if " " in text:
        return f"{original!r} contains a space; write 1,234 or 1234"
    if text.startswith("-") or text.endswith("-") or text.endswith("+") or text.startswith("+"):
        return f"{original!r} has its sign in the wrong place; write -1,234 or (1,234)"
    return f"{original!r} is not an amount"

"""Map domain values to what people read: statuses as words and tags, money, numbers and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


@dataclass(frozen=True)
class StatusView:
    code: str
    word: str
    css: str


_STATUSES = {
    "B": StatusView("B", "Blue", "govuk-tag--blue"),
    "G": StatusView("G", "Green", "govuk-tag--green"),
    "A": StatusView("A", "Amber", "govuk-tag--orange"),
    "R": StatusView("R", "Red", "govuk-tag--red"),
}
_NO_STATUS = StatusView("", "No data", "govuk-tag--grey")


def status(code) -> StatusView:
    return _STATUSES.get(code or "", _NO_STATUS)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money(value, places: int = 0) -> str:
    amount = _decimal(value)
    if amount is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.{places}f}"


def number(value, decimals=0) -> str:
    amount = _decimal(value)
    if amount is None:
        return "Not yet available"
    decimals = int(decimals or 0)
    amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{amount:,.{decimals}f}"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# A figure with its unit, in words a report uses. `unit` is a Unit code ("percentage",
# "rate_per_10000", "gbp") or a unit as publishers write it ("%", "£", "Rate per 1,000").
_UNIT_SPELLINGS = {
    "percent": ("percentage", "percent", "per cent", "%", "percentage_change", "% change", "proportion (%)"),
    "points": ("percentage_points", "percentage points", "pp", "% points"),
    "gbp": ("gbp", "£", "pounds", "pounds (£)", "money", "cost (£)"),
    "gbp_thousands": ("gbp_thousands", "£000", "£k", "£'000", "£ thousands"),
    "gbp_millions": ("gbp_millions", "£m", "£ millions", "£million"),
    "days": ("days", "day", "days_ahead_behind"),
    "weeks": ("weeks", "week"),
}
_UNIT_KINDS = {spelling: kind for kind, spellings in _UNIT_SPELLINGS.items() for spelling in spellings}


def unit_kind(unit: str | None) -> str:
    """"percent", "points", "gbp", "gbp_thousands", "gbp_millions", "days", "weeks", "per 1,000" ... or "number"."""
    text = (unit or "").strip().lower()
    if text in _UNIT_KINDS:
        return _UNIT_KINDS[text]
    compact = text.replace(",", "").replace("_", " ")
    for base in ("100000", "10000", "1000", "100"):
        if compact.endswith(f"per {base}") or f"per {base} " in compact:
            return f"per {int(base):,}"
    return "number"


def _count_word(amount: Decimal, decimals: int, singular: str, plural: str) -> str:
    text = number(amount, decimals)
    return f"{text} {singular if text in ('1', '-1') else plural}"


def figure(value, unit: str | None = "", decimals=0) -> str:
    """A figure as a sentence says it: "82%", "£1,234", "£12.3m", "12.5 per 10,000", "3 days"."""
    amount = _decimal(value)
    if amount is None:
        return "no figure"
    decimals = int(decimals or 0)
    kind = unit_kind(unit)
    if kind == "percent":
        return f"{number(amount, decimals)}%"
    if kind == "points":
        return _count_word(amount, decimals, "percentage point", "percentage points")
    if kind == "gbp":
        return money(amount, decimals)
    if kind == "gbp_thousands":
        return f"{money(amount, decimals)}k"
    if kind == "gbp_millions":
        return f"{money(amount, decimals)}m"
    if kind == "days":
        return _count_word(amount, decimals, "day", "days")
    if kind == "weeks":
        return _count_word(amount, decimals, "week", "weeks")
    if kind.startswith("per "):
        return f"{number(amount, decimals)} {kind}"
    return number(amount, decimals)


def difference(value, unit: str | None = "", decimals=0) -> str:
    """The size of a gap between two figures, without its sign: "6 percentage points", "£1,200", "2 days"."""
    amount = _decimal(value)
    if amount is None:
        return ""
    amount = abs(amount)
    if unit_kind(unit) == "percent":
        return _count_word(amount, int(decimals or 0), "percentage point", "percentage points")
    return figure(amount, unit, decimals)

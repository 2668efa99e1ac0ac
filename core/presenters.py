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

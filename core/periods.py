"""Reporting periods: financial years from April, and the keys every file and command uses.

A key is "2006-07" (a calendar month, ISO year-month), "2006/07 Q1" (a financial quarter)
or "2006/07" (a financial year). Prose says "2006-07" for a year; keys never do, because
that cannot be told apart from July 2006.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
KINDS = (MONTH, QUARTER, YEAR)

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})/(\d{2})\s*Q([1-4])$", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")


class PeriodKeyError(ValueError):
    """A period key that cannot be read, with a message a person can act on."""


@dataclass(frozen=True, order=True)
class PeriodKey:
    """A period identified by its financial year (the April it starts) and position in it."""

    fy: int  # the calendar year in which the financial year starts (2006 for 2006-07)
    kind: str
    number: int  # month 1-12 (1 = April), quarter 1-4, or 1 for the year

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            year, month = self.calendar_month
            return f"{year:04d}-{month:02d}"
        if self.kind == QUARTER:
            return f"{fy_label(self.fy, '/')} Q{self.number}"
        return fy_label(self.fy, "/")

    @property
    def calendar_month(self) -> tuple[int, int]:
        """For a month, its (calendar year, calendar month)."""
        month = (self.number + 2) % 12 + 1
        year = self.fy if self.number <= 9 else self.fy + 1
        return year, month

    @property
    def start(self) -> date:
        first = {MONTH: self.number, QUARTER: (self.number - 1) * 3 + 1, YEAR: 1}[self.kind]
        year, month = PeriodKey(self.fy, MONTH, first).calendar_month
        return date(year, month, 1)

    @property
    def end(self) -> date:
        last = {MONTH: self.number, QUARTER: self.number * 3, YEAR: 12}[self.kind]
        year, month = PeriodKey(self.fy, MONTH, last).calendar_month
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def months_elapsed(self) -> int:
        """How many months of the financial year the period's end covers (July = 4)."""
        return {MONTH: self.number, QUARTER: self.number * 3, YEAR: 12}[self.kind]

    @property
    def periods_in_year(self) -> int:
        return {MONTH: 12, QUARTER: 4, YEAR: 1}[self.kind]

    @property
    def label(self) -> str:
        """How people say it: "July 2006", "Q1 2006-07", "2006-07 (year)"."""
        if self.kind == MONTH:
            year, month = self.calendar_month
            return f"{calendar.month_name[month]} {year}"
        if self.kind == QUARTER:
            return f"Q{self.number} {fy_label(self.fy)}"
        # "2006-07" alone reads as July 2006 beside month labels; the word says it is the year.
        return f"{fy_label(self.fy)} (year)"

    @property
    def short_label(self) -> str:
        if self.kind == MONTH:
            year, month = self.calendar_month
            return f"{calendar.month_abbr[month]} {year % 100:02d}"
        return self.label

    def previous(self) -> PeriodKey:
        """The previous period of the same kind (March before April crosses the year)."""
        if self.number > 1:
            return PeriodKey(self.fy, self.kind, self.number - 1)
        return PeriodKey(self.fy - 1, self.kind, self.periods_in_year)

    def next(self) -> PeriodKey:
        if self.number < self.periods_in_year:
            return PeriodKey(self.fy, self.kind, self.number + 1)
        return PeriodKey(self.fy + 1, self.kind, 1)

    def same_period_last_year(self) -> PeriodKey:
        return PeriodKey(self.fy - 1, self.kind, self.number)

    def year(self) -> PeriodKey:
        return PeriodKey(self.fy, YEAR, 1)

    def quarter(self) -> PeriodKey:
        if self.kind == YEAR:
            raise PeriodKeyError("a year has no single quarter")
        if self.kind == QUARTER:
            return self
        return PeriodKey(self.fy, QUARTER, (self.number - 1) // 3 + 1)

    def __str__(self) -> str:
        return self.key


def fy_label(fy: int, sep: str = "-") -> str:
    """2006 -> "2006-07" (prose) or "2006/07" (keys)."""
    return f"{fy:04d}{sep}{(fy + 1) % 100:02d}"


def parse(key: str) -> PeriodKey:
    """Read a period key; raise PeriodKeyError naming what is wrong."""
    if not isinstance(key, str):
        raise PeriodKeyError(f"{key!r} is not a period; use 2006-07, 2006/07 Q1 or 2006/07")
    text = key.strip()
    if m := _MONTH_RE.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodKeyError(f"{text!r} has no month {month}; months are 01 to 12")
        return month_of(date(year, month, 1))
    if m := _QUARTER_RE.match(text):
        return PeriodKey(_fy_from(m[1], m[2], text), QUARTER, int(m[3]))
    if m := _YEAR_RE.match(text):
        return PeriodKey(_fy_from(m[1], m[2], text), YEAR, 1)
    raise PeriodKeyError(
        f"{text!r} is not a period; use 2006-07 for a month, 2006/07 Q1 for a quarter "
        "or 2006/07 for a financial year"
    )


def _fy_from(start: str, end: str, text: str) -> int:
    fy = int(start)
    if (fy + 1) % 100 != int(end):
        raise PeriodKeyError(f"{text!r} is not a financial year: {start} is followed by {(fy + 1) % 100:02d}")
    return fy


def month_of(day: date) -> PeriodKey:
    """The month period that contains a date."""
    fy = day.year if day.month >= 4 else day.year - 1
    return PeriodKey(fy, MONTH, (day.month - 4) % 12 + 1)


def months_of_year(fy: int) -> list[PeriodKey]:
    return [PeriodKey(fy, MONTH, n) for n in range(1, 13)]

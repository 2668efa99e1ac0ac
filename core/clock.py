"""The council's "today": the one date every due date, overdue flag, age and default period reads.

In production it is the real date. A council can fix the "as at" date with
`COUNCILPERF_AS_AT` (an ISO date, e.g. 2006-09-07): the demo council reads as at its Cabinet
meeting of 7 September 2006, so nothing in it looks twenty years late. Tests pin the date
through `pinned`, the same setting. Audit timestamps (who did what, when) are not "today":
they keep the wall clock, `django.utils.timezone.now()`.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone


def as_at() -> date | None:
    """The fixed "as at" date the council set, or None when it runs on the real date."""
    value = getattr(settings, "COUNCILPERF_AS_AT", None)
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def today() -> date:
    """The council's today: the fixed "as at" date if there is one, else the real local date."""
    return as_at() or timezone.localdate()


def now() -> datetime:
    """The council's now, for dates people read as "when" (a report's publication date): the
    "as at" day at the real time of day, else the real time."""
    real = timezone.now()
    fixed = as_at()
    if fixed is None:
        return real
    local = timezone.localtime(real)
    return local.replace(year=fixed.year, month=fixed.month, day=fixed.day)


def days_since(day: date) -> int:
    """Whole days from `day` to today (negative when `day` is still to come)."""
    return (today() - day).days


@contextmanager
def pinned(day: date | str):
    """Run the block as at `day` (tests, and commands that replay a past month)."""
    with override_settings(COUNCILPERF_AS_AT=day if isinstance(day, str) else day.isoformat()):
        yield

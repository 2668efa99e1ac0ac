"""The rules of an improvement plan with no Django in sight: numbering, "by when", overdue and BRAG.

Councils number actions as they please ("1.1", "5a 3", "6.1 a.", "7.2 b)"), write deadlines
as prose ("June / July 2006", "TBC", "May 2006. Assessment of performance - September
2006 ..."), and expect the plan to sort and chase itself. These functions read what they
wrote without asking them to write it differently.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# --- Numbering ------------------------------------------------------------------------

_TOKEN = re.compile(r"\d+|[a-zA-Z]+")
_NUMBER_WIDTH = 6


def number_tokens(number: str) -> tuple:
    """ "5a 10" -> (5, "a", 10); "6.1 a." -> (6, 1, "a"); "5 a)" -> (5, "a"). Punctuation is layout."""
    return tuple(int(t) if t.isdigit() else t.lower() for t in _TOKEN.findall(number or ""))


def natural_key(number: str) -> tuple:
    """A key that sorts numbers as a reader does: "5a 9" before "5a 10", "6.1" before "6.1 a." before "6.2".

    Numbers sort before letters at the same place, so "5.1" would come before "5a 1".
    """
    return tuple((0, t, "") if isinstance(t, int) else (1, 0, t) for t in number_tokens(number))


def sort_key(number: str, *, position: int | None = None) -> str:
    """The natural key as text the database can ORDER BY under any collation.

    Fixed-width tokens of digits and lower-case letters only: PostgreSQL's linguistic
    collations ignore punctuation, so a separator would not be safe. A shorter key that is a
    prefix sorts first, which puts "6.1" before "6.1 a.". An unnumbered sub-step gets its
    position under its parent (`position`).
    """
    parts = []
    for t in number_tokens(number):
        if isinstance(t, int):
            parts.append("0" + str(min(t, 10**_NUMBER_WIDTH - 1)).zfill(_NUMBER_WIDTH))
        else:
            parts.append("1" + t[:_NUMBER_WIDTH].ljust(_NUMBER_WIDTH, "0"))
    if position is not None:
        parts.append("2" + str(position).zfill(_NUMBER_WIDTH))
    return "".join(parts)


def is_under(number: str, parent_number: str) -> bool:
    """True when `number` sits under `parent_number`: "6.1 a." under "6.1", "5a 3" under element "5 a)"."""
    child, parent = number_tokens(number), number_tokens(parent_number)
    return len(child) > len(parent) and child[: len(parent)] == parent


def parent_number(number: str, candidates) -> str | None:
    """The closest of `candidates` that `number` sits under ("7.2 b)" -> "7.2"), or None."""
    best = None
    for candidate in candidates:
        if candidate != number and is_under(number, candidate) and (
            best is None or len(number_tokens(candidate)) > len(number_tokens(best))
        ):
            best = candidate
    return best


def own_label(number: str, parent: str | None) -> str:
    """What to print in a sub-step's row: "a)" for "7.2 a)" under "7.2"; the whole number otherwise."""
    if not parent or not number.startswith(parent):
        return number
    return number[len(parent):].strip() or number


# --- By when --------------------------------------------------------------------------

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<{g}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"

_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})\b")
_DAY_MONTH_YEAR = re.compile(
    r"\b(?P<d>\d{1,2})\s?(?:st|nd|rd|th)?\s+" + _MONTH.format(g="m") + r"\s*,?\s*" + _YEAR.format(g="y"),
    re.IGNORECASE,
)
# "June / July 2006", "June-July 2006", "June to July 2006", "July / August 2006"
_MONTH_RANGE = re.compile(
    r"\b" + _MONTH.format(g="m1") + r"(?:\s*" + _YEAR.format(g="y1") + r")?\s*(?:/|-|–|to)\s*"
    + _MONTH.format(g="m2") + r"\s*" + _YEAR.format(g="y2"),
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(r"\b" + _MONTH.format(g="m") + r"\s*,?\s*" + _YEAR.format(g="y"), re.IGNORECASE)
_UNDECIDED = re.compile(r"^\s*(tbc|tbd|tba|to be (confirmed|decided|agreed))\b", re.IGNORECASE)
_TENTATIVE = re.compile(r"\b(tbc|tbd|tba)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ByWhen:
    """What a "by when" says: the date an action is due, if one can be read, and whether it is firm."""

    text: str
    due: date | None
    tentative: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_by_when(text: str) -> ByWhen:
    """Read the due date from a "by when" as councils write it.

    The first date written is the deadline; later ones are milestones ("May 2006. Assessment
    of performance - September 2006 ..." is due in May). A month means its last day; a range
    of months means the end of the range. "TBC" or "TBD" at the start means no date yet;
    elsewhere ("October 2006 TBC") the date stands but is marked tentative.
    """
    text = (text or "").strip()
    if not text or _UNDECIDED.match(text):
        return ByWhen(text, None, tentative=bool(text))
    tentative = bool(_TENTATIVE.search(text))
    found: list[tuple[int, date]] = []
    for match in _NUMERIC.finditer(text):
        try:
            day = date(_full_year(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        found.append((match.start(), day))
    for match in _DAY_MONTH_YEAR.finditer(text):
        try:
            found.append((match.start(), date(int(match["y"]), MONTHS[match["m"].lower()], int(match["d"]))))
        except ValueError:
            continue
    taken = [(start, end) for start, end in ((m.start(), m.end()) for m in _DAY_MONTH_YEAR.finditer(text))]
    for match in _MONTH_RANGE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        found.append((match.start(), _month_end(int(match["y2"]), MONTHS[match["m2"].lower()])))
        taken.append((match.start(), match.end()))
    for match in _MONTH_YEAR.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        found.append((match.start(), _month_end(int(match["y"]), MONTHS[match["m"].lower()])))
    if not found:
        return ByWhen(text, None, tentative=tentative)
    found.sort(key=lambda pair: pair[0])
    return ByWhen(text, found[0][1], tentative=tentative)


# --- Status, overdue and BRAG ---------------------------------------------------------

NOT_STARTED, IN_PROGRESS, ACHIEVED, COMPLETE, AT_RISK, OVERDUE = (
    "not_started", "in_progress", "achieved", "complete", "at_risk", "overdue",
)
STATUS_WORDS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    ACHIEVED: "Achieved",
    COMPLETE: "Complete",
    AT_RISK: "At risk",
    OVERDUE: "Overdue",
}
# What a lead may choose; overdue is never typed, it is read from the date.
CHOOSABLE = [NOT_STARTED, IN_PROGRESS, AT_RISK, ACHIEVED, COMPLETE]
DONE = frozenset({ACHIEVED, COMPLETE})


def is_overdue(*, due: date | None, status: str, on: date) -> bool:
    """Past its date and not achieved. Due on the 30th means overdue from the 1st, not on the 30th."""
    return due is not None and status not in DONE and on > due


def effective_status(*, due: date | None, status: str, on: date) -> str:
    return OVERDUE if is_overdue(due=due, status=status, on=on) else status


def brag(*, due: date | None, status: str, on: date) -> str:
    """Blue done; Red overdue; Amber at risk; Green under way or not yet due."""
    current = effective_status(due=due, status=status, on=on)
    if current in DONE:
        return "B"
    if current == OVERDUE:
        return "R"
    if current == AT_RISK:
        return "A"
    return "G"


_STATUS_ALIASES = {
    "not started": NOT_STARTED,
    "in progress": IN_PROGRESS,
    "on track": IN_PROGRESS,
    "achieved": ACHIEVED,
    "complete": COMPLETE,
    "completed": COMPLETE,
    "at risk": AT_RISK,
}


def read_status(text: str) -> str | None:
    """A status as written in a workbook ("In progress", "complete"); None when it is not one we know.

    "Overdue" is refused on purpose: it is worked out from the date.
    """
    key = " ".join((text or "").replace("_", " ").split()).lower()
    if not key:
        return NOT_STARTED
    return _STATUS_ALIASES.get(key)


# --- Success criteria and leads ---------------------------------------------------------

_INTERMEDIATE = re.compile(r"\bintermediate\s*:", re.IGNORECASE)
_ULTIMATE = re.compile(r"\bultimate(?:ly)?\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class SuccessCriteria:
    general: str = ""
    intermediate: str = ""
    ultimate: str = ""


def split_success_criteria(text: str) -> SuccessCriteria:
    """ "Intermediate: better plans. Ultimately: better services." -> its two parts; other text stays general."""
    text = (text or "").strip()
    inter, ult = _INTERMEDIATE.search(text), _ULTIMATE.search(text)
    if not inter and not ult:
        return SuccessCriteria(general=text)
    marks = sorted((m.start(), m.end(), kind) for m, kind in ((inter, "i"), (ult, "u")) if m)
    general = text[: marks[0][0]].strip()
    parts = {"i": "", "u": ""}
    for index, (_start, end, kind) in enumerate(marks):
        stop = marks[index + 1][0] if index + 1 < len(marks) else len(text)
        parts[kind] = text[end:stop].strip()
    return SuccessCriteria(general=general, intermediate=parts["i"], ultimate=parts["u"])


def split_leads(text: str) -> list[str]:
    """ "DoCS, Interim Senior Manager" -> ["DoCS", "Interim Senior Manager"]."""
    return [part.strip() for part in re.split(r"[,;]", text or "") if part.strip()]


def looks_like_abbreviation(name: str) -> bool:
    """A glossary role is one word ("HoPP"); a described post has spaces ("Interim Senior Manager")."""
    return " " not in name.strip()


def bullets(text: str) -> list[str]:
    """Commentary as bullet points: one a line, leading bullet marks dropped, blank lines ignored."""
    out = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*[-•*–]\s*", "", line).strip()
        if line:
            out.append(line)
    return out

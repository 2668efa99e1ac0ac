"""Bring a council's KPI workbook in: indicators, targets and actuals, checked whole, written all or nothing.

The workbook has up to three sheets, found by name: `Indicators`, `Targets` and `Actuals`
(headers in any order and any case). Every row is checked before anything is written; any
problem refuses the whole file and every problem is named as sheet, row, column and message.
A blank cell means "not given": it leaves what is already there (or the default for a new
indicator), so a partial sheet never wipes data. Rows upsert by code (and period).

Queries are fixed in number whatever the size of the file: reference tables are read once,
and indicators, targets and readings are written in bulk. Readings go through
`services.readings_import`, the one write path that keeps their history and honours locks.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower

from core import dbstats, periods, spreadsheets
from core.spreadsheets import CellError, ImportRefused, SpreadsheetRefused
from organisation import audit
from organisation.models import Directorate, LeadRole, Period, Portfolio

from . import bulk
from .models import (
    Indicator,
    IndicatorSet,
    Objective,
    Priority,
    Reading,
    ReadingHistory,
    Target,
    Theme,
    units,
)
from .services import PeriodLocked, readings_import

INDICATORS, TARGETS, ACTUALS = "Indicators", "Targets", "Actuals"

INDICATOR_COLUMNS = (
    "unit", "decimals", "polarity", "frequency", "measure", "tolerance_pct", "sets", "theme",
    "priority", "objective", "portfolio", "directorate", "lead", "lead_role", "definition",
    "data_source", "baseline", "baseline_period", "action_plan", "action_plan_robust",
    "action_plan_agreed_on",
)
TARGET_COLUMNS = ("target", "lower", "upper", "agreed_on")
ACTUAL_COLUMNS = ("actual", "commentary", "remedial_action", "data_quality", "status", "status_reason")

# Spellings people use in their workbooks for each choice, all mapped to the stored value.
UNIT_WORDS = {
    "number": Indicator.NUMBER, "count": Indicator.NUMBER, "no": Indicator.NUMBER,
    "percentage": Indicator.PERCENTAGE, "percent": Indicator.PERCENTAGE, "%": Indicator.PERCENTAGE,
    "rate_per_10000": Indicator.RATE, "rate per 10,000": Indicator.RATE, "rate per 10000": Indicator.RATE,
    "rate": Indicator.RATE, "days": Indicator.DAYS, "gbp": Indicator.GBP, "£": Indicator.GBP,
    "pounds": Indicator.GBP,
}
POLARITY_WORDS = {
    "higher": Indicator.HIGHER, "higher is better": Indicator.HIGHER,
    "lower": Indicator.LOWER, "lower is better": Indicator.LOWER,
    "range": Indicator.RANGE, "within a range": Indicator.RANGE,
    "none": Indicator.NONE, "data only": Indicator.NONE,
}
FREQUENCY_WORDS = {"monthly": Indicator.MONTHLY, "quarterly": Indicator.QUARTERLY, "annual": Indicator.ANNUAL}
MEASURE_WORDS = {
    "snapshot": Indicator.SNAPSHOT, "cumulative": Indicator.CUMULATIVE,
    "cumulative year to date": Indicator.CUMULATIVE,
}
STATUS_WORDS = {"g": "G", "green": "G", "a": "A", "amber": "A", "r": "R", "red": "R", "b": "B", "blue": "B"}
DATA_QUALITY_WORDS = {value: value for value, _ in Reading.DATA_QUALITY}
# The period kind an indicator's actuals are given in; targets may also be for the whole year.
KIND_OF_FREQUENCY = {Indicator.MONTHLY: periods.MONTH, Indicator.QUARTERLY: periods.QUARTER, Indicator.ANNUAL: periods.YEAR}

LIMIT = Decimal(10) ** 14  # the columns hold 18 digits, 4 after the point
FOUR_PLACES = Decimal("0.0001")
SHOWN_CHANGES = 500


@dataclass
class Change:
    """One value that an import changes on something that already exists."""

    kind: str  # indicator, target, reading
    code: str
    period: str
    field: str
    old: str
    new: str


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    filename: str
    dry_run: bool
    indicators: Counts = field(default_factory=Counts)
    targets: Counts = field(default_factory=Counts)
    readings: Counts = field(default_factory=Counts)
    created: dict[str, list[str]] = field(default_factory=dict)  # "themes": ["Safer ..."]
    changes: list[Change] = field(default_factory=list)
    changes_total: int = 0

    @property
    def changes_hidden(self) -> int:
        return self.changes_total - len(self.changes)

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        out = []
        for name, counts in (("indicators", self.indicators), ("targets", self.targets), ("readings", self.readings)):
            out.append(f"{name}: {counts.new} new, {counts.changed} changed, {counts.unchanged} unchanged")
        for kind, names in self.created.items():
            if names:
                out.append(f"new {kind} ({len(names)}): {', '.join(names[:10])}{' ...' if len(names) > 10 else ''}")
        out.append(f"{self.changes_total} existing value(s) {verb} changed")
        return out

    def add_change(self, change: Change):
        self.changes_total += 1
        if len(self.changes) < SHOWN_CHANGES:
            self.changes.append(change)


# --- Entry points -------------------------------------------------------------------------

def workbook_import(*, source, filename: str, user, dry_run: bool = False) -> ImportReport:
    """Import an .xlsx (bytes, a file, an upload or a path); raise ImportRefused listing every problem."""
    if isinstance(source, str | Path):
        source = Path(source).read_bytes()
    try:
        workbook = spreadsheets.open_values(source)
    except SpreadsheetRefused as exc:
        raise ImportRefused([CellError("", 0, "", str(exc))]) from exc
    try:
        return sheets_import(workbook=workbook, filename=filename, user=user, dry_run=dry_run)
    finally:
        workbook.close()


BULK_ROWS = 5000  # new targets and readings in one import after which the tables' statistics are refreshed


def sheets_import(*, workbook, filename: str, user, dry_run: bool = False, how: str = "import") -> ImportReport:
    """Import from an opened workbook (an .xlsx, or CSV files read as one); the same checks either way."""
    errors: list[CellError] = []
    try:
        sheets = _read_sheets(workbook, errors)
    except SpreadsheetRefused as exc:  # a part found hostile or damaged only when its rows are read
        raise ImportRefused([CellError("", 0, "", str(exc))]) from exc
    with transaction.atomic():
        plan = _Plan(sheets=sheets, errors=errors, filename=filename)
        plan.check()
        if errors:
            raise ImportRefused(errors)
        report = plan.write(user=user, dry_run=dry_run, how=how)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and report.targets.new + report.readings.new >= BULK_ROWS:
        # A first import of a council's history: the planner's statistics would say the tables are empty.
        dbstats.refresh_planner_statistics(
            [Indicator, Indicator.sets.through, Target, Reading, ReadingHistory]
        )
    return report


def _read_sheets(workbook, errors) -> dict[str, list[dict]]:
    names = {ws.title.strip().lower() for ws in workbook.worksheets}
    if not names & {INDICATORS.lower(), TARGETS.lower(), ACTUALS.lower()}:
        errors.append(CellError("", 0, "", "the workbook has none of the sheets Indicators, Targets or Actuals"))
        return {INDICATORS: [], TARGETS: [], ACTUALS: []}
    spec = {
        INDICATORS: (("code", "title"), INDICATOR_COLUMNS),
        TARGETS: (("code", "period"), TARGET_COLUMNS),
        ACTUALS: (("code", "period"), ACTUAL_COLUMNS),
    }
    sheets = {}
    for name, (required, optional) in spec.items():
        sheets[name] = spreadsheets.read_sheet(
            workbook, name, required=required, optional=optional, errors=errors, must_exist=False
        )
    return sheets


# --- Reading cells ------------------------------------------------------------------------

class _Bad(Exception):
    """A cell's value cannot be used; the message says why."""


def _text(value, *, max_length: int | None = None) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        raise _Bad("is a date; text was expected")
    text = str(value).strip()
    if max_length and len(text) > max_length:
        raise _Bad(f"is {len(text)} characters long; at most {max_length} are allowed")
    return text


def _choice(value, words: dict, what: str) -> str:
    text = _text(value).lower()
    if text in words:
        return words[text]
    allowed = ", ".join(sorted(set(words.values())))
    raise _Bad(f"unknown {what} {_text(value)[:40]!r}; use one of {allowed}")


def _number(value) -> Decimal:
    try:
        number = spreadsheets.parse_decimal(value)
    except ValueError as exc:
        message = str(exc)
        raise _Bad(f"{str(value)[:40]!r} {message}" if message.startswith("is ") else message) from exc
    if not number.is_finite():
        raise _Bad(f"{str(value)[:40]!r} is not a number")
    if abs(number) >= LIMIT:
        raise _Bad(f"{number} is too large")
    if number.as_tuple().exponent < -4:
        number = number.quantize(FOUR_PLACES)
    return number


def _period_key(value) -> periods.PeriodKey:
    # Excel turns a typed "2006-07" into a date; the month it falls in is what was meant.
    if isinstance(value, datetime | date):
        return periods.month_of(value.date() if isinstance(value, datetime) else value)
    try:
        return periods.parse(_text(value))
    except periods.PeriodKeyError as exc:
        raise _Bad(f"unknown period: {exc}") from exc


def _unit_check(number: Decimal, unit: str):
    found = units().get(unit)
    if found is None or not found.out_of_range(number):
        return
    if found.minimum is not None and found.maximum is not None:
        raise _Bad(f"{_shown(number)} is not a {found.name.lower()} {found.bounds_text()}")
    raise _Bad(f"{_shown(number)} {found.out_of_range(number)}; a figure in {found.name.lower()} must be {found.bounds_text()}")


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- The plan: check everything, then write -----------------------------------------------

@dataclass
class _Spec:
    """An indicator as the Indicators sheet gives it: only the columns that had a value."""

    code: str
    row: int
    values: dict = field(default_factory=dict)  # model field -> value
    refs: dict = field(default_factory=dict)  # theme/portfolio/...: name as written
    sets: list[str] | None = None


class _Plan:
    def __init__(self, *, sheets, errors, filename):
        self.sheets = sheets
        self.errors = errors
        self.filename = filename
        self.specs: dict[str, _Spec] = {}
        self.targets: dict[tuple[str, str], dict] = {}
        self.actuals: dict[tuple[str, str], dict] = {}
        self.period_keys: dict[str, periods.PeriodKey] = {}
        self._period_cache: dict = {}
        self.missing_columns = {(e.sheet.strip().lower(), e.column) for e in errors if e.row == 1 and e.message == spreadsheets.MISSING_COLUMN}
        self._facts: dict = {}

    def error(self, sheet, row, column, message):
        self.errors.append(CellError(sheet, row, column, message))

    # ---- reads (a fixed number of queries) ----

    def _load(self):
        codes = {spec.code for spec in self.specs.values()}
        for sheet in (TARGETS, ACTUALS):
            for row in self.sheets[sheet]:
                if row.get("code") is not None:
                    with contextlib.suppress(_Bad):
                        codes.add(_text(row["code"]))
        self.existing = {i.code: i for i in Indicator.all_objects.filter(code__in=codes)}
        self.set_by_code = {s.code.lower(): s for s in IndicatorSet.objects.all()}
        self.theme_by_name = {t.name.lower(): t for t in Theme.objects.all()}
        self.priority_by_name = {p.name.lower(): p for p in Priority.objects.all()}
        self.objectives = list(Objective.objects.select_related("priority"))
        self.portfolio_by_name = {p.name.lower(): p for p in Portfolio.objects.all()}
        directorates = list(Directorate.objects.all())
        self.directorate_by_name = {d.name.lower(): d for d in directorates}
        self.directorate_by_name.update({d.code.lower(): d for d in directorates})
        self.directorate_codes = {d.code.upper() for d in directorates}
        self.role_by_abbreviation = {r.abbreviation.lower(): r for r in LeadRole.objects.all()}

    def _load_users(self):
        names = {spec.refs["lead"].lower() for spec in self.specs.values() if spec.refs.get("lead")}
        self.user_by_name, self.users_by_email = {}, {}
        if not names:
            return
        User = get_user_model()
        found = User.objects.annotate(username_lower=Lower("username"), email_lower=Lower("email")).filter(
            is_active=True
        ).filter(models_q_any(names))
        for user in found:
            self.user_by_name[user.username_lower] = user
            if user.email_lower:
                self.users_by_email.setdefault(user.email_lower, []).append(user)

    def _load_periods(self):
        self.periods = {p.key: p for p in Period.objects.filter(key__in=list(self.period_keys))}

    # ---- checks ----

    def check(self):
        self._check_indicators()
        self._load()
        self._load_users()
        self._check_indicator_references()
        self._check_targets()
        self._check_actuals()
        self._load_periods()
        self._check_periods()

    def _check_indicators(self):
        first_row: dict[str, int] = {}
        for row in self.sheets[INDICATORS]:
            number = row["_row"]
            try:
                code = _text(row.get("code"), max_length=40) if row.get("code") is not None else ""
            except _Bad as exc:
                self.error(INDICATORS, number, "code", str(exc))
                continue
            if not code:
                if ("indicators", "code") not in self.missing_columns:
                    self.error(INDICATORS, number, "code", "the code is missing")
                continue
            if code in first_row:
                self.error(INDICATORS, number, "code", f"duplicate row: {code} is also on row {first_row[code]}")
                continue
            first_row[code] = number
            spec = _Spec(code=code, row=number)
            self.specs[code] = spec
            self._read_indicator_cells(spec, row)

    def _read_indicator_cells(self, spec: _Spec, row: dict):
        def cell(column, reader):
            value = row.get(column)
            if value is None:
                return
            try:
                reader(value)
            except _Bad as exc:
                self.error(INDICATORS, spec.row, column, str(exc))

        def put(name, convert):
            return lambda value: spec.values.__setitem__(name, convert(value))

        if row.get("title") is None and ("indicators", "title") not in self.missing_columns:
            self.error(INDICATORS, spec.row, "title", "the title is missing")
        cell("title", put("title", lambda v: _text(v, max_length=500)))
        cell("definition", put("definition", _text))
        cell("data_source", put("data_source", lambda v: _text(v, max_length=300)))
        cell("action_plan", put("action_plan", _text))
        cell("unit", put("unit", lambda v: _choice(v, UNIT_WORDS, "unit")))
        cell("polarity", put("polarity", lambda v: _choice(v, POLARITY_WORDS, "polarity")))
        cell("frequency", put("frequency", lambda v: _choice(v, FREQUENCY_WORDS, "frequency")))
        cell("measure", put("measure", lambda v: _choice(v, MEASURE_WORDS, "measure")))
        cell("decimals", put("decimals", _decimals))
        cell("tolerance_pct", put("tolerance_pct", _tolerance))
        cell("baseline", put("baseline", _number))
        cell("action_plan_robust", put("action_plan_robust", _yes_no))
        cell("action_plan_agreed_on", put("action_plan_agreed_on", _date))
        cell("baseline_period", lambda v: spec.refs.__setitem__("baseline_period", self._note_period(v)))
        for name, length in (("theme", 200), ("priority", 200), ("objective", 300), ("portfolio", 200),
                             ("directorate", 200), ("lead", 254), ("lead_role", 20)):
            cell(name, lambda v, name=name, length=length: spec.refs.__setitem__(name, _text(v, max_length=length)))
        cell("sets", lambda v: setattr(spec, "sets", _set_codes(v)))
        if "baseline" in spec.values and "unit" in spec.values:
            self._unit(INDICATORS, spec.row, "baseline", spec.values["baseline"], spec.values["unit"])

    def _note_period(self, value) -> periods.PeriodKey:
        cached = self._period_cache.get(value)
        if cached is not None:
            return cached
        key = _period_key(value)
        self.period_keys[key.key] = key
        with contextlib.suppress(TypeError):  # unhashable cells are not cached
            self._period_cache[value] = key
        return key

    def _unit(self, sheet, row, column, number, unit):
        try:
            _unit_check(number, unit)
        except _Bad as exc:
            self.error(sheet, row, column, str(exc))

    def _check_indicator_references(self):
        for spec in self.specs.values():
            existing = self.existing.get(spec.code)
            if existing is not None and existing.deleted_at is not None:
                self.error(INDICATORS, spec.row, "code", f"{spec.code} was deleted; restore it before importing it again")
            refs = spec.refs
            if refs.get("lead"):
                self._resolve_lead(spec)
            if refs.get("lead_role") and refs["lead_role"].lower() not in self.role_by_abbreviation:
                self.error(INDICATORS, spec.row, "lead_role", f"unknown lead role {refs['lead_role']!r}; add it to the glossary first")
            if refs.get("priority") and not refs.get("objective"):
                self.error(INDICATORS, spec.row, "objective", "an indicator belongs to an objective; give the objective under this priority")
            if refs.get("objective") and not refs.get("priority"):
                matches = [o for o in self.objectives if o.name.lower() == refs["objective"].lower()]
                if len(matches) != 1:
                    why = "no objective has" if not matches else "several priorities have an objective with"
                    self.error(INDICATORS, spec.row, "priority", f"{why} that name; give the priority too")
            if existing is None and "title" not in spec.values:
                continue
            # Values that depend on the unit are checked against the unit the indicator will have.
            if "baseline" in spec.values and "unit" not in spec.values and existing is not None:
                self._unit(INDICATORS, spec.row, "baseline", spec.values["baseline"], existing.unit)

    def _resolve_lead(self, spec):
        name = spec.refs["lead"].lower()
        user = self.user_by_name.get(name)
        if user is None:
            matches = self.users_by_email.get(name, [])
            if len(matches) > 1:
                self.error(INDICATORS, spec.row, "lead", f"several people have the e-mail {spec.refs['lead']!r}; give the username")
                return
            user = matches[0] if matches else None
        if user is None:
            self.error(INDICATORS, spec.row, "lead", f"unknown lead {spec.refs['lead']!r}; give a username or e-mail of someone who can sign in")
            return
        spec.values["lead"] = user

    def _indicator_facts(self, code):
        """(polarity, unit, frequency) the indicator will have after the import, or None if unknown."""
        if code not in self._facts:
            self._facts[code] = self._work_out_facts(code)
        return self._facts[code]

    def _work_out_facts(self, code):
        spec, existing = self.specs.get(code), self.existing.get(code)
        if existing is not None and existing.deleted_at is not None:
            return None
        if existing is None and spec is None:
            return None
        values = spec.values if spec else {}

        def pick(name, default):
            if name in values:
                return values[name]
            return getattr(existing, name) if existing is not None else default

        return (
            pick("polarity", Indicator.HIGHER),
            pick("unit", Indicator.NUMBER),
            pick("frequency", Indicator.MONTHLY),
        )

    def _row_key(self, sheet, row, seen):
        """(code, period key, facts) for a Targets or Actuals row, or None when the row is unusable."""
        number = row["_row"]
        usable = True
        code = None
        try:
            code = _text(row["code"], max_length=40) if row.get("code") is not None else None
        except _Bad as exc:
            self.error(sheet, number, "code", str(exc))
            usable = False
        if usable and not code:
            if (sheet.lower(), "code") not in self.missing_columns:
                self.error(sheet, number, "code", "the code is missing")
            usable = False
        facts = None
        if code:
            facts = self._indicator_facts(code)
            if facts is None:
                deleted = code in self.existing and self.existing[code].deleted_at is not None
                self.error(sheet, number, "code", f"{code} was deleted" if deleted else
                           f"unknown indicator code {code!r}; add it on the Indicators sheet")
                usable = False
        key = None
        if row.get("period") is None:
            if (sheet.lower(), "period") not in self.missing_columns:
                self.error(sheet, number, "period", "the period is missing")
            usable = False
        else:
            try:
                key = self._note_period(row["period"])
            except _Bad as exc:
                self.error(sheet, number, "period", str(exc))
                usable = False
        if not usable:
            return None
        if (code, key.key) in seen:
            self.error(sheet, number, "period", f"duplicate row: {code} {key.key} is also on row {seen[(code, key.key)]}")
            return None
        seen[(code, key.key)] = number
        polarity, unit, frequency = facts
        expected = KIND_OF_FREQUENCY[frequency]
        allowed = {expected, periods.YEAR} if sheet == TARGETS else {expected}
        if key.kind not in allowed:
            self.error(sheet, number, "period", f"{code} is {frequency}; {key.key} is a {key.kind}, not a {expected}")
            return None
        return code, key, facts

    def _check_targets(self):
        seen = {}
        for row in self.sheets[TARGETS]:
            found = self._row_key(TARGETS, row, seen)
            number = row["_row"]
            values = {}
            for column in TARGET_COLUMNS:
                if row.get(column) is None:
                    continue
                try:
                    values[column] = _date(row[column]) if column == "agreed_on" else _number(row[column])
                except _Bad as exc:
                    self.error(TARGETS, number, column, str(exc))
            if found is None:
                continue
            code, key, (polarity, unit, _frequency) = found
            for column in ("target", "lower", "upper"):
                if column in values:
                    self._unit(TARGETS, number, column, values[column], unit)
            if polarity == Indicator.RANGE:
                if not {"lower", "upper"} & _given(row):
                    self.error(TARGETS, number, "lower", f"{code} is within a range; give lower, upper or both")
                if "lower" in values and "upper" in values and values["lower"] > values["upper"]:
                    self.error(TARGETS, number, "upper", f"upper {values['upper']} is below lower {values['lower']}")
            else:
                if {"lower", "upper"} & set(values):
                    column = "lower" if "lower" in values else "upper"
                    self.error(TARGETS, number, column, f"lower and upper are for range indicators; {code} is {polarity}")
                if "target" not in values and "target" not in _given(row):
                    self.error(TARGETS, number, "target", "the target is missing")
            self.targets[(code, key.key)] = values

    def _check_actuals(self):
        seen = {}
        for row in self.sheets[ACTUALS]:
            found = self._row_key(ACTUALS, row, seen)
            number = row["_row"]
            values = {}
            unit = found[2][1] if found else None
            if row.get("actual") is not None:
                try:
                    values["actual"] = _number(row["actual"])
                    if unit:
                        _unit_check(values["actual"], unit)
                except _Bad as exc:
                    self.error(ACTUALS, number, "actual", str(exc))
            for column in ("commentary", "remedial_action", "status_reason"):
                if row.get(column) is not None:
                    try:
                        values[column] = _text(row[column])
                    except _Bad as exc:
                        self.error(ACTUALS, number, column, str(exc))
            for column, words, what in (("data_quality", DATA_QUALITY_WORDS, "data quality"), ("status", STATUS_WORDS, "status")):
                if row.get(column) is not None:
                    try:
                        values["status_override" if column == "status" else column] = _choice(row[column], words, what)
                    except _Bad as exc:
                        self.error(ACTUALS, number, column, str(exc))
            if "status_override" in values and not values.get("status_reason"):
                self.error(ACTUALS, number, "status_reason", "a status set by hand needs a reason")
            if found is None:
                continue
            code, key, _facts = found
            self.actuals[(code, key.key)] = values

    def _check_periods(self):
        for row in self.sheets[ACTUALS]:
            if row.get("period") is None:
                continue
            try:
                key = _period_key(row["period"])
            except _Bad:
                continue
            period = self.periods.get(key.key)
            if period is not None and period.state == Period.LOCKED:
                self.error(ACTUALS, row["_row"], "period", f"{period.label} is locked; reopen it before importing figures for it")

    # ---- writes ----

    def write(self, *, user, dry_run, how) -> ImportReport:
        report = ImportReport(filename=self.filename, dry_run=dry_run)
        self._write_periods()
        refs = self._write_references(report)
        indicators = self._write_indicators(report, refs)
        self._write_targets(report, indicators)
        self._write_readings(report, indicators, user, how)
        audit.record(
            user=user, action="workbook_imported" if not dry_run else "workbook_checked",
            summary=f"{self.filename}: " + "; ".join(report.lines()),
        )
        return report

    def _write_periods(self):
        missing = [key for k, key in self.period_keys.items() if k not in self.periods]
        if missing:
            created = Period.objects.bulk_create(
                [Period(key=k.key, kind=k.kind, fy=k.fy, number=k.number, start=k.start, end=k.end) for k in missing]
            )
            if created and created[0].pk is None:
                created = list(Period.objects.filter(key__in=[k.key for k in missing]))
            self.periods.update({p.key: p for p in created})

    def _write_references(self, report) -> dict:
        specs = self.specs.values()

        def wanted(name):
            seen = {}
            for spec in specs:
                value = spec.refs.get(name)
                if value:
                    seen.setdefault(value.lower(), value)
            return seen

        def create(model, lookup, names, build, label):
            new = [build(name) for low, name in names.items() if low not in lookup]
            if new:
                made = model.objects.bulk_create(new)
                if made[0].pk is None:
                    made = list(model.objects.filter(name__in=[m.name for m in new]))
                for obj in made:
                    lookup[obj.name.lower()] = obj
                report.created[label] = [obj.name for obj in new]

        create(Theme, self.theme_by_name, wanted("theme"), lambda n: Theme(name=n), "themes")
        create(Priority, self.priority_by_name, wanted("priority"), lambda n: Priority(name=n), "priorities")
        create(Portfolio, self.portfolio_by_name, wanted("portfolio"), lambda n: Portfolio(name=n), "portfolios")
        self._create_directorates(wanted("directorate"), report)
        self._create_objectives(report)
        set_codes = {}
        for spec in specs:
            for code in spec.sets or ():
                set_codes.setdefault(code.lower(), code)
        new_sets = [IndicatorSet(code=c, name=c) for low, c in set_codes.items() if low not in self.set_by_code]
        if new_sets:
            made = IndicatorSet.objects.bulk_create(new_sets)
            if made[0].pk is None:
                made = list(IndicatorSet.objects.filter(code__in=[s.code for s in new_sets]))
            self.set_by_code.update({s.code.lower(): s for s in made})
            report.created["sets"] = [s.code for s in new_sets]
        return {}

    def _create_directorates(self, names, report):
        new = []
        for low, name in names.items():
            if low in self.directorate_by_name:
                continue
            code = _initials(name, taken=self.directorate_codes)
            self.directorate_codes.add(code)
            new.append(Directorate(code=code, name=name))
        if new:
            made = Directorate.objects.bulk_create(new)
            if made[0].pk is None:
                made = list(Directorate.objects.filter(code__in=[d.code for d in new]))
            self.directorate_by_name.update({d.name.lower(): d for d in made})
            report.created["directorates"] = [d.name for d in new]

    def _objective_for(self, spec):
        name = spec.refs["objective"].lower()
        if spec.refs.get("priority"):
            priority = self.priority_by_name[spec.refs["priority"].lower()]
            return next((o for o in self.objectives if o.priority_id == priority.pk and o.name.lower() == name), None)
        return next(o for o in self.objectives if o.name.lower() == name)

    def _create_objectives(self, report):
        new = {}
        for spec in self.specs.values():
            if not spec.refs.get("objective") or not spec.refs.get("priority"):
                continue
            if self._objective_for(spec) is None:
                priority = self.priority_by_name[spec.refs["priority"].lower()]
                new.setdefault((priority.pk, spec.refs["objective"].lower()), Objective(priority=priority, name=spec.refs["objective"]))
        if new:
            made = Objective.objects.bulk_create(list(new.values()))
            if made[0].pk is None:
                made = list(Objective.objects.filter(priority_id__in={o.priority_id for o in made}).select_related("priority"))
                self.objectives = made
            else:
                self.objectives.extend(made)
            report.created["objectives"] = [o.name for o in new.values()]

    def _resolved(self, spec) -> dict:
        """The spec's values with names turned into the objects they refer to."""
        values = dict(spec.values)
        refs = spec.refs
        if refs.get("theme"):
            values["theme"] = self.theme_by_name[refs["theme"].lower()]
        if refs.get("objective"):
            values["objective"] = self._objective_for(spec)
        if refs.get("portfolio"):
            values["portfolio"] = self.portfolio_by_name[refs["portfolio"].lower()]
        if refs.get("directorate"):
            values["directorate"] = self.directorate_by_name[refs["directorate"].lower()]
        if refs.get("lead_role"):
            values["lead_role"] = self.role_by_abbreviation[refs["lead_role"].lower()]
        if refs.get("baseline_period"):
            values["baseline_period"] = self.periods[refs["baseline_period"].key]
        return values

    FOREIGN_KEYS = ("theme", "objective", "portfolio", "directorate", "lead", "lead_role", "baseline_period")

    def _old_names(self, indicators) -> dict:
        """Names of what existing indicators point at, for the table of changed values (two queries)."""
        names = {
            "theme": {t.pk: t.name for t in self.theme_by_name.values()},
            "objective": {o.pk: o.name for o in self.objectives},
            "portfolio": {p.pk: p.name for p in self.portfolio_by_name.values()},
            "directorate": {d.pk: d.name for d in self.directorate_by_name.values()},
            "lead_role": {r.pk: r.abbreviation for r in self.role_by_abbreviation.values()},
        }
        lead_ids = {i.lead_id for i in indicators if i.lead_id}
        period_ids = {i.baseline_period_id for i in indicators if i.baseline_period_id}
        names["lead"] = dict(get_user_model().objects.filter(pk__in=lead_ids).values_list("pk", "username")) if lead_ids else {}
        names["baseline_period"] = dict(Period.objects.filter(pk__in=period_ids).values_list("pk", "key")) if period_ids else {}
        return names

    def _write_indicators(self, report, _refs) -> dict[str, Indicator]:
        indicators = {code: i for code, i in self.existing.items() if i.deleted_at is None}
        touched_existing = [indicators[c] for c in self.specs if c in indicators]
        old_names = self._old_names(touched_existing) if touched_existing else {}
        through = Indicator.sets.through
        memberships: dict[int, dict[int, int]] = {}
        with_sets = [indicators[c].pk for c, spec in self.specs.items() if c in indicators and spec.sets is not None]
        if with_sets:
            for row_id, indicator_id, set_id in through.objects.filter(indicator_id__in=with_sets).values_list(
                "pk", "indicator_id", "indicatorset_id"
            ):
                memberships.setdefault(indicator_id, {})[set_id] = row_id
        code_of_set = {s.pk: s.code for s in self.set_by_code.values()}
        new, changed, touched = [], [], set()
        add_sets, remove_sets = [], []
        for spec in self.specs.values():
            values = self._resolved(spec)
            indicator = indicators.get(spec.code)
            is_new = indicator is None
            if is_new:
                indicator = Indicator(code=spec.code, order=spec.row, **values)
                new.append(indicator)
                indicators[spec.code] = indicator
            fields_changed = False
            if not is_new:
                for name, value in values.items():
                    if name in self.FOREIGN_KEYS:
                        old_id = getattr(indicator, f"{name}_id")
                        if old_id == (value.pk if value is not None else None):
                            continue
                        old_text = old_names[name].get(old_id, "") if old_id else ""
                    else:
                        old = getattr(indicator, name)
                        if not _differs(old, value):
                            continue
                        old_text = _shown(old)
                    new_text = _shown(getattr(value, "username", None) or getattr(value, "key", None) or value) \
                        if name in ("lead", "baseline_period") else _shown(getattr(value, "abbreviation", None) or value)
                    report.add_change(Change("indicator", spec.code, "", name, old_text, new_text))
                    setattr(indicator, name, value)
                    touched.add(name)
                    fields_changed = True
            sets_changed = False
            if spec.sets is not None:
                want = {self.set_by_code[c.lower()].pk for c in spec.sets}
                have = {} if is_new else memberships.get(indicator.pk, {})
                if want != set(have):
                    sets_changed = True
                    add_sets.append((indicator, want - set(have)))
                    remove_sets += [row_id for set_id, row_id in have.items() if set_id not in want]
                    if not is_new:
                        report.add_change(Change(
                            "indicator", spec.code, "", "sets",
                            "; ".join(sorted(code_of_set.get(s, "?") for s in have)),
                            "; ".join(sorted(code_of_set[s] for s in want)),
                        ))
            if is_new:
                continue
            if fields_changed:
                changed.append(indicator)
            if fields_changed or sets_changed:
                report.indicators.changed += 1
            else:
                report.indicators.unchanged += 1
        if new:
            bulk.insert(Indicator, new)
            ids = dict(Indicator.all_objects.filter(code__in=[i.code for i in new]).values_list("code", "pk"))
            for indicator in new:
                indicator.pk = ids[indicator.code]
        if changed:
            bulk.update(Indicator, changed, sorted(touched))
        report.indicators.new = len(new)
        if remove_sets:
            through.objects.filter(pk__in=remove_sets).delete()
        rows = [through(indicator_id=i.pk, indicatorset_id=s) for i, ids in add_sets for s in ids]
        if rows:
            through.objects.bulk_create(rows, batch_size=1000)
        return indicators

    def _write_targets(self, report, indicators):
        if not self.targets:
            return
        ids = {indicators[code].pk for code, _ in self.targets}
        period_ids = {self.periods[key].pk for _, key in self.targets}
        existing = {
            (t.indicator_id, t.period_id): t
            for t in Target.objects.filter(indicator_id__in=ids, period_id__in=period_ids)
        }
        new, changed, touched = [], [], set()
        for (code, key), values in self.targets.items():
            indicator, period = indicators[code], self.periods[key]
            target = existing.get((indicator.pk, period.pk))
            if target is None:
                new.append({"indicator_id": indicator.pk, "period_id": period.pk, **values})
                continue
            diff = False
            for name, value in values.items():
                old = getattr(target, name)
                if _differs(old, value):
                    report.add_change(Change("target", code, key, name, _shown(old), _shown(value)))
                    setattr(target, name, value)
                    touched.add(name)
                    diff = True
            if diff:
                changed.append(target)
            else:
                report.targets.unchanged += 1
        if new:
            bulk.insert(Target, new)
        if changed:
            bulk.update(Target, changed, sorted(touched))
        report.targets.new, report.targets.changed = len(new), len(changed)

    def _write_readings(self, report, indicators, user, how):
        rows = [
            {"indicator": indicators[code], "period": self.periods[key], **values}
            for (code, key), values in self.actuals.items()
            if values
        ]
        if not rows:
            return
        ids = {r["indicator"].pk for r in rows}
        period_ids = {r["period"].pk for r in rows}
        # Read for the preview's table of changed values; readings_import re-reads under lock.
        fields = sorted({name for row in rows for name in row} - {"indicator", "period"})
        existing = {
            (values[0], values[1]): dict(zip(fields, values[2:], strict=True))
            for values in Reading.objects.filter(indicator_id__in=ids, period_id__in=period_ids).values_list(
                "indicator_id", "period_id", *fields
            )
        }
        for row in rows:
            reading = existing.get((row["indicator"].pk, row["period"].pk))
            if reading is None:
                continue
            for name, value in row.items():
                if name in ("indicator", "period"):
                    continue
                old = reading[name]
                if _differs(old, value):
                    report.add_change(Change("reading", row["indicator"].code, row["period"].key, name, _shown(old), _shown(value)))
        try:
            result = readings_import(rows=rows, user=user, how=how, source=self.filename)
        except PeriodLocked as exc:
            raise ImportRefused([CellError(ACTUALS, 0, "period", str(exc))]) from exc
        report.readings.new, report.readings.changed, report.readings.unchanged = (
            result.created, result.updated, result.unchanged,
        )


# --- Small helpers ------------------------------------------------------------------------

def models_q_any(names):
    from django.db.models import Q

    return Q(username_lower__in=names) | Q(email_lower__in=names)


def _given(row) -> set:
    return {k for k, v in row.items() if v is not None and k != "_row"}


def _decimals(value) -> int:
    number = _number(value)
    if number != number.to_integral() or not 0 <= number <= 6:
        raise _Bad(f"{_shown(number)} is not a whole number of decimal places from 0 to 6")
    return int(number)


def _tolerance(value) -> Decimal:
    try:
        number = spreadsheets.parse_decimal(value, allow_percent=True)
    except ValueError as exc:
        raise _Bad(str(exc)) from exc
    if not 0 <= number <= 100:
        raise _Bad(f"{_shown(number)} is not a tolerance between 0 and 100 (%)")
    return number.quantize(Decimal("0.01"))


def _yes_no(value) -> bool:
    try:
        return spreadsheets.parse_bool(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from exc


def _date(value) -> date:
    try:
        return spreadsheets.parse_date(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from exc


def _set_codes(value) -> list[str]:
    codes = [c.strip() for c in _text(value).split(";") if c.strip()]
    for code in codes:
        if len(code) > 40:
            raise _Bad(f"the set code {code[:20]!r}... is longer than 40 characters")
    return list(dict.fromkeys(codes))


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return (old is None) != (new is None)
        return Decimal(old) != Decimal(new)
    if hasattr(new, "pk") and hasattr(new, "_meta"):
        return getattr(old, "pk", None) != new.pk
    return old != new


def _initials(name: str, *, taken: set) -> str:
    base = "".join(word[0] for word in name.split() if word[:1].isalnum()).upper()[:16] or "DIR"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code

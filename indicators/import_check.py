"""The check half of the indicator import: sheets in, a plan out, every problem named, nothing written.

`check_sheets` reads the workbook's sheets (`Indicators`, `Targets`, `Actuals`: see
docs/import.md) and the reference tables it needs (a fixed number of queries, whatever the size
of the file) and returns an `ImportPlan`: each indicator's given values, each target and actual,
and the names it refers to. Any problem refuses the whole file with `ImportRefused`, naming each
as sheet, row, column and message. Nothing here writes: `import_write.plan_write` does, in one
transaction. A blank cell means "not given" and leaves what is already there.

The `lead` column names who leads an indicator as councils do: a role abbreviation from the
glossary (SMP, HoBI ...), a username or an e-mail. An abbreviation not yet in the glossary is
planned as a new role (its title is its abbreviation until the performance team names it).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from core import periods, spreadsheets
from core.spreadsheets import CellError, ImportRefused
from organisation.models import Directorate, LeadRole, Period, Portfolio

from .models import Indicator, IndicatorSet, Objective, Priority, Reading, Theme, units

INDICATORS, TARGETS, ACTUALS = "Indicators", "Targets", "Actuals"

INDICATOR_COLUMNS = (
    "unit", "decimals", "polarity", "frequency", "measure", "tolerance_pct", "sets", "theme",
    "priority", "objective", "portfolio", "directorate", "lead", "lead_role", "definition",
    "data_source", "baseline", "baseline_period", "action_plan", "action_plan_robust",
    "action_plan_agreed_on",
)
TARGET_COLUMNS = ("target", "lower", "upper", "agreed_on")
ACTUAL_COLUMNS = (
    "actual", "commentary", "remedial_action", "data_quality", "status", "status_reason", "for_information",
)
# Written in the action_plan column, these say the council records the action plan as missing.
MISSING_PLAN_WORDS = {"none", "missing", "no action plan", "not robust"}

# Spellings people use in their workbooks for each choice, all mapped to the stored value.
# Units are read from the Unit table (each unit's code, name and aliases): see _Checker.
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
        raise _Bad(f"{shown(number)} is not a {found.name.lower()} {found.bounds_text()}")
    raise _Bad(f"{shown(number)} {found.out_of_range(number)}; a figure in {found.name.lower()} must be {found.bounds_text()}")


def shown(value) -> str:
    """A value as the preview table of changes shows it (yes/no, ISO dates, plain decimals)."""
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


@dataclass
class ImportPlan:
    """What a checked workbook asks for, with the reference rows the check read (for the write to use)."""

    filename: str
    specs: dict[str, _Spec]
    targets: dict[tuple[str, str], dict]
    actuals: dict[tuple[str, str], dict]
    period_keys: dict[str, periods.PeriodKey]
    periods: dict[str, Period]
    existing: dict[str, Indicator]
    set_by_code: dict
    theme_by_name: dict
    priority_by_name: dict
    objectives: list
    portfolio_by_name: dict
    directorate_by_name: dict
    directorate_codes: set
    role_by_abbreviation: dict
    new_roles: dict[str, str]  # lower-case abbreviation -> as written: roles to add to the glossary

    @property
    def rows(self) -> int:
        return len(self.specs) + len(self.targets) + len(self.actuals)


def check_sheets(*, sheets: dict[str, list[dict]], errors: list[CellError], filename: str) -> ImportPlan:
    """Check every row of the sheets; return the plan, or raise ImportRefused listing every problem."""
    checker = _Checker(sheets=sheets, errors=errors, filename=filename)
    checker.check()
    if errors:
        raise ImportRefused(errors)
    return checker.plan()


class _Checker:
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
        self.unit_words = {word: unit.code for unit in units().values() for word in unit.spellings()}
        self.new_roles: dict[str, str] = {}

    def plan(self) -> ImportPlan:
        return ImportPlan(
            filename=self.filename, specs=self.specs, targets=self.targets, actuals=self.actuals,
            period_keys=self.period_keys, periods=self.periods, existing=self.existing,
            set_by_code=self.set_by_code, theme_by_name=self.theme_by_name,
            priority_by_name=self.priority_by_name, objectives=self.objectives,
            portfolio_by_name=self.portfolio_by_name, directorate_by_name=self.directorate_by_name,
            directorate_codes=self.directorate_codes, role_by_abbreviation=self.role_by_abbreviation,
            new_roles=self.new_roles,
        )

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
        cell("action_plan", lambda v: self._action_plan(spec, v))
        cell("unit", put("unit", lambda v: _choice(v, self.unit_words, "unit")))
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

    def _action_plan(self, spec: _Spec, value):
        text = _text(value)
        if text.lower() in MISSING_PLAN_WORDS:
            # The council records the template's action plan as missing: the indicator is R until it has one.
            spec.values["action_plan"] = ""
            spec.values.setdefault("action_plan_robust", False)
        else:
            spec.values["action_plan"] = text

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
            if refs.get("lead_role"):
                self._note_role(spec, refs["lead_role"], "lead_role")
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
        """A role abbreviation from the glossary, a username or an e-mail; an unknown abbreviation is a new role."""
        written = spec.refs["lead"]
        name = written.lower()
        if "@" in name:
            matches = self.users_by_email.get(name, [])
            if len(matches) > 1:
                self.error(INDICATORS, spec.row, "lead", f"several people have the e-mail {written!r}; give the username")
            elif not matches:
                self.error(INDICATORS, spec.row, "lead", f"no one who can sign in has the e-mail {written!r}")
            else:
                spec.values["lead"] = matches[0]
            return
        if name in self.role_by_abbreviation or name not in self.user_by_name:
            # A role leads: the people holding it update the indicator (organisation glossary, 004).
            if len(written) > 20 or any(c.isspace() for c in written):
                self.error(INDICATORS, spec.row, "lead", f"unknown lead {written[:40]!r}; give a role abbreviation "
                           "(up to 20 characters, no spaces, e.g. HoPP), a username or an e-mail")
                return
            given = spec.refs.get("lead_role")
            if given and given.lower() != name:
                self.error(INDICATORS, spec.row, "lead_role", f"the lead is the role {written!r} but lead_role says "
                           f"{given!r}; give one role")
                return
            spec.refs["lead_role"] = written
            spec.values["lead"] = None
            return
        spec.values["lead"] = self.user_by_name[name]

    def _note_role(self, spec, written: str, column: str):
        low = written.lower()
        if low not in self.role_by_abbreviation:
            self.new_roles.setdefault(low, written)

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
            if row.get("for_information") is not None:
                try:
                    values["for_information"] = _yes_no(row["for_information"])
                except _Bad as exc:
                    self.error(ACTUALS, number, "for_information", str(exc))
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

# --- Small helpers ------------------------------------------------------------------------

def models_q_any(names):
    return Q(username_lower__in=names) | Q(email_lower__in=names)


def _given(row) -> set:
    return {k for k, v in row.items() if v is not None and k != "_row"}


def _decimals(value) -> int:
    number = _number(value)
    if number != number.to_integral() or not 0 <= number <= 6:
        raise _Bad(f"{shown(number)} is not a whole number of decimal places from 0 to 6")
    return int(number)


def _tolerance(value) -> Decimal:
    try:
        number = spreadsheets.parse_decimal(value, allow_percent=True)
    except ValueError as exc:
        raise _Bad(str(exc)) from exc
    if not 0 <= number <= 100:
        raise _Bad(f"{shown(number)} is not a tolerance between 0 and 100 (%)")
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



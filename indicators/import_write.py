"""The write half of the indicator import: a checked plan in, rows out, all in one transaction.

`plan_write` takes the `ImportPlan` that `import_check.check_sheets` made and writes it: the
periods, themes, priorities, objectives, portfolios, directorates, sets and lead roles it names,
then indicators, targets and readings, in bulk (a fixed number of queries whatever the size of
the file). Readings go through `services.readings_import`, the one write path that keeps their
history and honours locks. The caller holds the transaction; a dry run rolls it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from decimal import Decimal

from django.contrib.auth import get_user_model

from core.spreadsheets import CellError, ImportRefused
from organisation import audit
from organisation.models import Directorate, LeadRole, Period, Portfolio

from . import bulk
from .import_check import ACTUALS, ImportPlan, shown
from .models import Indicator, IndicatorSet, Objective, Priority, Reading, Target, Theme
from .services import PeriodLocked, readings_import

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


    @property
    def label(self) -> str:
        """Where the value is in the workbook, in the words of docs/import.md ("Actuals: data_quality")."""
        return f"{SHEET_OF_KIND[self.kind]}: {COLUMN_OF_FIELD.get(self.field, self.field)}"


SHEET_OF_KIND = {"indicator": "Indicators", "target": "Targets", "reading": "Actuals"}
# Model fields whose workbook column has another name.
COLUMN_OF_FIELD = {"status_override": "status"}
SINGULAR = {"themes": "theme", "priorities": "priority", "portfolios": "portfolio", "directorates": "directorate",
            "objectives": "objective", "sets": "set", "lead roles": "lead role"}


def _singular(kind: str) -> str:
    return SINGULAR.get(kind, kind)


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
                out.append(f"{len(names)} new {_singular(kind) if len(names) == 1 else kind}: "
                           f"{', '.join(names[:10])}{' ...' if len(names) > 10 else ''}")
        out.append(f"{self.changes_total} existing value(s) {verb} changed")
        return out

    def add_change(self, change: Change):
        self.changes_total += 1
        if len(self.changes) < SHOWN_CHANGES:
            self.changes.append(change)


def plan_write(*, plan: ImportPlan, user, dry_run: bool, how: str = "import") -> ImportReport:
    """Write what the plan asks for; returns what was (or, for a dry run, would be) done."""
    return _Writer(plan).write(user=user, dry_run=dry_run, how=how)


class _Writer:
    def __init__(self, plan: ImportPlan):
        # The writer works on the plan's own lookups, adding the rows it creates to them.
        for item in dataclass_fields(plan):
            setattr(self, item.name, getattr(plan, item.name))

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
        self._create_roles(report)
        return {}

    def _create_roles(self, report):
        """Roles named as leads and not yet in the glossary: titled by their abbreviation until named."""
        if not self.new_roles:
            return
        made = LeadRole.objects.bulk_create([LeadRole(abbreviation=a, title=a) for a in self.new_roles.values()])
        if made[0].pk is None:
            made = list(LeadRole.objects.filter(abbreviation__in=list(self.new_roles.values())))
        self.role_by_abbreviation.update({r.abbreviation.lower(): r for r in made})
        report.created["lead roles"] = list(self.new_roles.values())

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
                        old_text = shown(old)
                    new_text = shown(getattr(value, "username", None) or getattr(value, "key", None) or value) \
                        if name in ("lead", "baseline_period") else shown(getattr(value, "abbreviation", None) or value)
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
                    report.add_change(Change("target", code, key, name, shown(old), shown(value)))
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
                    report.add_change(Change("reading", row["indicator"].code, row["period"].key, name, shown(old), shown(value)))
        try:
            result = readings_import(rows=rows, user=user, how=how, source=self.filename)
        except PeriodLocked as exc:
            raise ImportRefused([CellError(ACTUALS, 0, "period", str(exc))]) from exc
        report.readings.new, report.readings.changed, report.readings.unchanged = (
            result.created, result.updated, result.unchanged,
        )


# --- Small helpers ------------------------------------------------------------------------

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


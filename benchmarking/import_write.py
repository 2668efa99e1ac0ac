"""The write half of the comparator import: a checked plan in, rows out, in a fixed number of queries.

Councils, metrics and groups named in the file are created when new; group membership is only
ever added to (a file that lists some of a group's members does not remove the others); values are
created or changed. Writing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.functions import Lower

from .import_check import ComparatorPlan, group_kind
from .models import ComparatorCouncil, ComparatorGroup, ComparatorMetric, ComparatorValue

SHOWN_CHANGES = 200
BATCH = 2000


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class ValueChange:
    metric: str
    council: str
    period: str
    old: str
    new: str


@dataclass
class ComparatorReport:
    filename: str
    source: str
    sheet: str
    councils: Counts = field(default_factory=Counts)
    metrics: Counts = field(default_factory=Counts)
    groups: Counts = field(default_factory=Counts)
    memberships_added: int = 0
    values: Counts = field(default_factory=Counts)
    missing_values: int = 0
    periods: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    unmapped_metrics: list[str] = field(default_factory=list)
    us: str = ""  # our council's name, when the file has it
    changes: list[ValueChange] = field(default_factory=list)
    changes_total: int = 0

    @property
    def changes_hidden(self) -> int:
        return self.changes_total - len(self.changes)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.councils.new or self.councils.changed or self.metrics.new or self.metrics.changed
            or self.groups.new or self.memberships_added or self.values.new or self.values.changed
        )


def _shown(value) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _is_us(council: ComparatorCouncil, us: tuple[str, ...]) -> bool:
    names = {council.code.lower(), council.name.lower(), council.name.lower().removesuffix(" council")}
    return any(wanted.strip().lower().removesuffix(" council") in names for wanted in us if wanted.strip())


def plan_write(*, plan: ComparatorPlan, us: tuple[str, ...] = ()) -> ComparatorReport:
    report = ComparatorReport(
        filename=plan.filename, source=plan.source, sheet=plan.sheet, ignored_columns=plan.ignored_columns,
    )
    councils = _write_councils(plan, report, us)
    metrics = _write_metrics(plan, report)
    _write_groups(plan, report, councils)
    _write_values(plan, report, councils, metrics)
    report.unmapped_metrics = sorted(m.metric_id for m in metrics.values() if m.indicator_id is None)
    return report


def _write_councils(plan, report, us) -> dict[str, ComparatorCouncil]:
    """The file's councils by its code for them (an LGBF name matches a council we know by its code too)."""
    existing = list(ComparatorCouncil.objects.all())
    by_code = {c.code: c for c in existing}
    by_name = {c.name.lower(): c for c in existing}
    out: dict[str, ComparatorCouncil] = {}
    new, renamed = [], []
    for row in plan.councils.values():
        council = by_code.get(row.code)
        if council is None and plan.by_name:
            council = by_name.get(row.name.lower())
        if council is None:
            council = ComparatorCouncil(code=row.code, name=row.name, country="Scotland" if plan.source == "LGBF" else "")
            new.append(council)
        elif not plan.by_name and row.name and council.name != row.name:
            council.name = row.name
            renamed.append(council)
        out[row.code] = council
    ComparatorCouncil.objects.bulk_create(new, batch_size=BATCH)
    if renamed:
        ComparatorCouncil.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
    report.councils = Counts(new=len(new), changed=len(renamed), unchanged=len(out) - len(new) - len(renamed))
    if new and not all(c.pk for c in new):  # backends that do not return keys from bulk_create
        fresh = {c.code: c for c in ComparatorCouncil.objects.filter(code__in=[c.code for c in new])}
        out = {code: fresh.get(c.code, c) for code, c in out.items()}
    if us:
        ours = next((c for c in out.values() if _is_us(c, us)), None)
        if ours is not None:
            report.us = ours.name
            if not ours.is_us:
                ComparatorCouncil.objects.filter(is_us=True).exclude(pk=ours.pk).update(is_us=False)
                ComparatorCouncil.objects.filter(pk=ours.pk).update(is_us=True)
                ours.is_us = True
    return out


def _write_metrics(plan, report) -> dict[str, ComparatorMetric]:
    existing = {m.metric_id: m for m in ComparatorMetric.objects.filter(source=plan.source, metric_id__in=list(plan.metrics))}
    new, changed = [], []
    for metric_id, title in plan.metrics.items():
        metric = existing.get(metric_id)
        unit = plan.units.get(metric_id, "")
        if metric is None:
            metric = ComparatorMetric(source=plan.source, metric_id=metric_id, title=title, unit=unit)
            new.append(metric)
            existing[metric_id] = metric
        elif (title and metric.title != title) or (unit and metric.unit != unit):
            metric.title = title or metric.title
            metric.unit = unit or metric.unit
            changed.append(metric)
    ComparatorMetric.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        ComparatorMetric.objects.bulk_update(changed, ["title", "unit"], batch_size=BATCH)
    if new and not all(m.pk for m in new):
        existing = {m.metric_id: m for m in ComparatorMetric.objects.filter(source=plan.source, metric_id__in=list(plan.metrics))}
    report.metrics = Counts(new=len(new), changed=len(changed), unchanged=len(plan.metrics) - len(new) - len(changed))
    return existing


def _write_groups(plan, report, councils):
    if not plan.groups:
        return
    lowered = {name.lower(): name for name in plan.groups}
    existing = {
        g.lower_name: g
        for g in ComparatorGroup.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=list(lowered))
    }
    new = []
    for lower, name in lowered.items():
        if lower not in existing:
            group = ComparatorGroup(name=name, kind=group_kind(name), description=f"From the {plan.source} file {plan.filename}.")
            new.append(group)
            existing[lower] = group
    ComparatorGroup.objects.bulk_create(new)
    if new and not all(g.pk for g in new):
        existing = {
            g.lower_name: g
            for g in ComparatorGroup.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=list(lowered))
        }
    Through = ComparatorGroup.members.through
    group_ids = [g.pk for g in existing.values()]
    have = set(Through.objects.filter(comparatorgroup_id__in=group_ids).values_list("comparatorgroup_id", "comparatorcouncil_id"))
    add = []
    for name, codes in plan.groups.items():
        group = existing[name.lower()]
        for code in sorted(codes):
            pair = (group.pk, councils[code].pk)
            if pair not in have:
                have.add(pair)
                add.append(Through(comparatorgroup_id=pair[0], comparatorcouncil_id=pair[1]))
    Through.objects.bulk_create(add, batch_size=BATCH)
    report.groups = Counts(new=len(new), unchanged=len(plan.groups) - len(new))
    report.memberships_added = len(add)


def _write_values(plan, report, councils, metrics):
    metric_ids = [m.pk for m in metrics.values()]
    existing = {
        (v.metric_id, v.council_id, v.period): v
        for v in ComparatorValue.objects.filter(metric_id__in=metric_ids).only(
            "id", "metric_id", "council_id", "period", "period_end", "value", "note"
        )
    }
    new, changed = [], []
    periods = set()
    counts = Counts()
    for row in plan.values:
        metric, council = metrics[row.metric_id], councils[row.council_code]
        periods.add((row.period_end, row.period))
        if row.value is None:
            report.missing_values += 1
        current = existing.get((metric.pk, council.pk, row.period))
        if current is None:
            new.append(ComparatorValue(
                metric_id=metric.pk, council_id=council.pk, period=row.period, period_end=row.period_end,
                value=row.value, note=row.note,
            ))
            counts.new += 1
        elif current.value != row.value or current.note != row.note or current.period_end != row.period_end:
            counts.changed += 1
            if len(report.changes) < SHOWN_CHANGES:
                report.changes.append(ValueChange(
                    metric=f"{plan.source} {row.metric_id}", council=council.name, period=row.period,
                    old=_shown(current.value) or current.note, new=_shown(row.value) or row.note,
                ))
            current.value, current.note, current.period_end = row.value, row.note, row.period_end
            changed.append(current)
        else:
            counts.unchanged += 1
    ComparatorValue.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        ComparatorValue.objects.bulk_update(changed, ["value", "note", "period_end"], batch_size=BATCH)
    report.values = counts
    report.changes_total = counts.changed
    report.periods = [label for _end, label in sorted(periods)]

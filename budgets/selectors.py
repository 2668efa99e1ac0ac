"""Budget positions for a period, shared by the budget pages and the Cabinet report, in fixed queries.

`revenue_position` gives the lines, directorate totals, the council total and the headline;
`capital_position` the schemes with their changes, the totals and the headline;
`revenue_trend` the council's forecast variance month by month through the financial year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from core import periods

from . import figures
from .figures import Figures, Tolerance
from .models import CapitalChange, CapitalLine, RevenueLine, VarianceTolerance


def tolerance() -> Tolerance:
    row = VarianceTolerance.current()
    return Tolerance(amber_from=row.amber_from_pct, red_above=row.red_above_pct)


def _places(amounts) -> int:
    """Show pence only when some figure has them, so whole-pound tables stay readable."""
    return 2 if any(a != a.to_integral_value() for a in amounts) else 0


@dataclass
class RevenueRow:
    pk: int
    directorate: str
    service: str
    figures: Figures
    commentary: str

    def __getattr__(self, name):
        # Rows read like their figures in templates: row.variance, row.status ...
        if name in {"original", "current", "forecast", "variance", "variance_pct", "status", "direction", "variance_words", "variance_pct_words"}:
            return getattr(self.__dict__["figures"], name)
        raise AttributeError(name)


@dataclass
class DirectorateTotal:
    directorate: str
    code: str
    lines: list[RevenueRow]
    figures: Figures

    def __getattr__(self, name):
        if name in {"original", "current", "forecast", "variance", "variance_pct", "status", "direction", "variance_words", "variance_pct_words"}:
            return getattr(self.__dict__["figures"], name)
        raise AttributeError(name)


@dataclass
class RevenuePosition:
    period: periods.PeriodKey
    lines: list[RevenueRow]
    directorate_totals: list[DirectorateTotal]
    total: Figures
    headline: str
    tolerance: Tolerance
    places: int


def revenue_position(*, period_key: str) -> RevenuePosition:
    """The revenue monitoring position for a period (two queries)."""
    pk = periods.parse(period_key)
    tol = tolerance()
    lines = list(
        RevenueLine.objects.filter(period__key=pk.key)
        .select_related("directorate")
        .order_by("directorate__order", "directorate__name", "order", "service")
    )
    rows = [
        RevenueRow(
            pk=line.pk, directorate=line.directorate.name, service=line.service,
            figures=Figures(line.original_budget, line.current_budget, line.forecast_outturn, tol),
            commentary=line.commentary,
        )
        for line in lines
    ]
    by_directorate: dict[int, DirectorateTotal] = {}
    for line, row in zip(lines, rows, strict=True):
        group = by_directorate.get(line.directorate_id)
        if group is None:
            group = by_directorate[line.directorate_id] = DirectorateTotal(
                line.directorate.name, line.directorate.code, [], None
            )
        group.lines.append(row)
    for group in by_directorate.values():
        group.figures = figures.add_up((r.figures for r in group.lines), tol)
    total = figures.add_up((r.figures for r in rows), tol)
    amounts = [a for r in rows for a in (r.original, r.current, r.forecast)]
    return RevenuePosition(
        period=pk, lines=rows, directorate_totals=list(by_directorate.values()), total=total,
        headline=figures.revenue_headline(total, period_label=pk.label, has_lines=bool(rows)),
        tolerance=tol, places=_places(amounts),
    )


@dataclass
class SchemeRow:
    pk: int
    scheme: str
    directorate: str
    original: Decimal
    changes: list[CapitalChange]
    change: Decimal
    revised: Decimal
    spend_to_date: Decimal

    @property
    def spend_pct(self) -> Decimal | None:
        return figures.variance_pct(self.spend_to_date, self.revised)


@dataclass
class CapitalTotals:
    original: Decimal
    change: Decimal
    revised: Decimal
    spend_to_date: Decimal

    @property
    def spend_pct(self) -> Decimal | None:
        return figures.variance_pct(self.spend_to_date, self.revised)


@dataclass
class CapitalPosition:
    period: periods.PeriodKey
    schemes: list[SchemeRow]
    totals: CapitalTotals
    headline: str
    places: int


def capital_position(*, period_key: str) -> CapitalPosition:
    """The capital programme for a period with every change, its reason and decision (two queries)."""
    pk = periods.parse(period_key)
    lines = (
        CapitalLine.objects.filter(period__key=pk.key)
        .select_related("scheme", "scheme__directorate")
        .prefetch_related(Prefetch("changes", queryset=CapitalChange.objects.order_by("order", "id")))
        .order_by("scheme__order", "scheme__name")
    )
    rows, headline_changes = [], []
    for position, line in enumerate(lines):
        changes = list(line.changes.all())
        change = sum((c.amount for c in changes), figures.ZERO)
        rows.append(SchemeRow(
            pk=line.pk, scheme=line.scheme.name,
            directorate=line.scheme.directorate.name if line.scheme.directorate else "",
            original=line.original_forecast, changes=changes, change=change,
            revised=line.original_forecast + change, spend_to_date=line.spend_to_date,
        ))
        headline_changes.append(figures.SchemeChange(line.scheme.headline_name or line.scheme.name, change, position))
    totals = CapitalTotals(
        original=sum((r.original for r in rows), figures.ZERO),
        change=sum((r.change for r in rows), figures.ZERO),
        revised=sum((r.revised for r in rows), figures.ZERO),
        spend_to_date=sum((r.spend_to_date for r in rows), figures.ZERO),
    )
    if rows:
        headline = figures.capital_headline(
            year_label=pk.year().key, original=totals.original, revised=totals.revised, changes=headline_changes,
        )
    else:
        headline = f"There are no capital programme figures for {pk.label} yet."
    amounts = [a for r in rows for a in (r.original, r.spend_to_date, *(c.amount for c in r.changes))]
    return CapitalPosition(period=pk, schemes=rows, totals=totals, headline=headline, places=_places(amounts))


@dataclass
class TrendPoint:
    period: periods.PeriodKey
    figures: Figures


def revenue_trend(*, period_key: str, tol: Tolerance | None = None) -> list[TrendPoint]:
    """The council's total forecast variance for each month of the year up to the period (one query,
    two without the tolerance)."""
    pk = periods.parse(period_key)
    tol = tolerance() if tol is None else tol
    keys = [m.key for m in periods.months_of_year(pk.fy) if m.start <= pk.end]
    sums: dict[str, list[Decimal]] = {}
    values = RevenueLine.objects.filter(period__key__in=keys).values_list(
        "period__key", "original_budget", "current_budget", "forecast_outturn"
    )
    for key, original, current, forecast in values:
        acc = sums.setdefault(key, [figures.ZERO, figures.ZERO, figures.ZERO])
        acc[0] += original
        acc[1] += current
        acc[2] += forecast
    return [
        TrendPoint(periods.parse(key), Figures(*sums[key], tol))
        for key in keys if key in sums
    ]


def monitoring_periods() -> list[periods.PeriodKey]:
    """Months with revenue or capital figures, latest first (two small queries)."""
    keys = set(RevenueLine.objects.values_list("period__key", flat=True).distinct())
    keys |= set(CapitalLine.objects.values_list("period__key", flat=True).distinct())
    return sorted((periods.parse(k) for k in keys), reverse=True)

"""The arithmetic and the words of budget monitoring: variance, its RAG, totals and the headline sentences.

Plain Python over Decimals. Signs: variance = forecast outturn - current budget, so a positive
variance is an overspend and a negative one an underspend; pages always say which in words.
The variance % is of the current budget, to one decimal place, and the RAG is judged on the
figure as shown: below `amber_from` Green, from `amber_from` up to and including `red_above`
Amber, above it Red. Underspends are Green: the tolerances are about the risk of overspending.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.presenters import money

G, A, R = "G", "A", "R"
ZERO = Decimal("0.00")
TENTH = Decimal("0.1")
OVERSPEND, UNDERSPEND, ON_BUDGET = "overspend", "underspend", "on budget"


@dataclass(frozen=True)
class Tolerance:
    amber_from: Decimal = Decimal("2")
    red_above: Decimal = Decimal("5")


def variance_pct(variance: Decimal, budget: Decimal) -> Decimal | None:
    """Variance as % of budget to one decimal place; None when there is no budget to compare with."""
    if not budget:
        return None
    return (variance * 100 / budget).quantize(TENTH, rounding=ROUND_HALF_UP)


def rag(variance: Decimal, pct: Decimal | None, tolerance: Tolerance) -> str:
    if variance <= 0:
        return G
    if pct is None:  # spending with no budget at all is beyond any tolerance
        return R
    if pct > tolerance.red_above:
        return R
    if pct >= tolerance.amber_from:
        return A
    return G


def direction(variance: Decimal) -> str:
    if variance > 0:
        return OVERSPEND
    if variance < 0:
        return UNDERSPEND
    return ON_BUDGET


def pounds(amount: Decimal) -> str:
    """Money in a sentence: whole pounds when there are no pence, else pounds and pence."""
    return money(amount, 0 if amount == amount.to_integral_value() else 2)


@dataclass(frozen=True)
class Figures:
    """Original and current budget and forecast outturn, with the variance worked out."""

    original: Decimal
    current: Decimal
    forecast: Decimal
    tolerance: Tolerance = field(default_factory=Tolerance, compare=False, repr=False)

    @property
    def variance(self) -> Decimal:
        return self.forecast - self.current

    @property
    def variance_pct(self) -> Decimal | None:
        return variance_pct(self.variance, self.current)

    @property
    def status(self) -> str:
        return rag(self.variance, self.variance_pct, self.tolerance)

    @property
    def direction(self) -> str:
        return direction(self.variance)

    @property
    def variance_words(self) -> str:
        """'£120,000 overspend', '£3,000 underspend' or 'on budget'."""
        if not self.variance:
            return ON_BUDGET
        return f"{pounds(abs(self.variance))} {self.direction}"

    @property
    def variance_pct_words(self) -> str:
        """'3.5% over', '1.2% under', '0.0%' or 'no budget'."""
        pct = self.variance_pct
        if pct is None:
            return "no budget"
        if not self.variance:
            return "0.0%"
        return f"{abs(pct)}% {'over' if self.variance > 0 else 'under'}"


def add_up(items: Iterable[Figures], tolerance: Tolerance) -> Figures:
    """The sum of several lines' figures, exact to the penny."""
    original = current = forecast = ZERO
    for f in items:
        original += f.original
        current += f.current
        forecast += f.forecast
    return Figures(original, current, forecast, tolerance)


def revenue_headline(total: Figures, *, period_label: str, has_lines: bool = True) -> str:
    if not has_lines:
        return f"There are no revenue monitoring figures for {period_label} yet."
    start = f"At the end of {period_label} the forecast outturn shows"
    if total.variance == 0:
        return f"{start} the council on budget."
    return (
        f"{start} a projected {total.direction} of {pounds(abs(total.variance))}, "
        f"{abs(total.variance_pct or 0)}% of base budget."
    )


@dataclass(frozen=True)
class SchemeChange:
    name: str  # how the headline names the scheme
    amount: Decimal
    order: int


def _listing(items: Sequence[SchemeChange]) -> str:
    parts = [f"{c.name} ({pounds(abs(c.amount))})" for c in items]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{parts[0]} and {parts[1]}"
    return "; ".join(parts[:-1]) + f"; and {parts[-1]}"


def capital_headline(*, year_label: str, original: Decimal, revised: Decimal,
                     changes: Sequence[SchemeChange], largest: int = 3) -> str:
    """"The revised forecast for 2006/07 totals £X, which is an increase of £Y above the original forecast.
    This increase is mainly due to A (£a); B (£b); and C (£c)."

    `changes` are each scheme's net additions (or reductions); the sentence names the `largest`
    that go the same way as the total, in programme order.
    """
    change = revised - original
    opening = f"The revised forecast for {year_label} totals {pounds(revised)}"
    if change == 0:
        return f"{opening}, the same as the original forecast."
    word, where = ("increase", "above") if change > 0 else ("decrease", "below")
    sentence = f"{opening}, which is {'an' if word == 'increase' else 'a'} {word} of {pounds(abs(change))} {where} the original forecast."
    same_way = [c for c in changes if (c.amount > 0) == (change > 0) and c.amount != 0]
    biggest = sorted(same_way, key=lambda c: (-abs(c.amount), c.order))[:largest]
    if not biggest:
        return sentence
    return f"{sentence} This {word} is mainly due to {_listing(sorted(biggest, key=lambda c: c.order))}."

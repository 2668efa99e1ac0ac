"""The geometry of the forecast-variance chart: one bar per month above (overspend) or below (underspend) zero.

Plain Python; the template draws the SVG from these numbers and a table beside it says the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 90, 20, 20, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    label_x: float
    direction: str  # overspend, underspend, on budget


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    zero_y: float
    left: int
    right_x: int
    bars: list[Bar]
    top_label: str
    bottom_label: str
    top_y: float
    bottom_y: float


def _nice(value: Decimal) -> Decimal:
    """A round figure at or above `value` for the axis: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return Decimal(1000)
    exponent = len(str(int(value))) - 1
    base = Decimal(10) ** exponent
    for step in (1, 2, 5, 10):
        if value <= base * step:
            return base * step
    return base * 10


def variance_chart(points, *, money) -> Chart:
    """Bars for TrendPoints (period, figures); `money` formats the axis and value labels."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    values = [p.figures.variance for p in points]
    top = _nice(max([v for v in values if v > 0], default=Decimal(0)))
    bottom = _nice(-min([v for v in values if v < 0], default=Decimal(0))) if any(v < 0 for v in values) else Decimal(0)
    span = top + bottom
    zero_y = TOP + float(top / span) * plot_h
    slot = plot_w / max(len(points), 1)
    bar_w = min(60.0, slot * 0.6)
    bars = []
    for i, (point, value) in enumerate(zip(points, values, strict=True)):
        h = float(abs(value) / span) * plot_h
        x = LEFT + i * slot + (slot - bar_w) / 2
        y = zero_y - h if value > 0 else zero_y
        bars.append(Bar(
            x=round(x, 1), y=round(y, 1), width=round(bar_w, 1), height=round(max(h, 1.0), 1),
            label=point.period.short_label, value_text=money(value),
            label_x=round(x + bar_w / 2, 1), direction=point.figures.direction.replace(" ", "-"),
        ))
    return Chart(
        width=WIDTH, height=HEIGHT, zero_y=round(zero_y, 1), left=LEFT, right_x=WIDTH - RIGHT, bars=bars,
        top_label=money(top), bottom_label=money(-bottom) if bottom else "",
        top_y=TOP, bottom_y=TOP + plot_h,
    )

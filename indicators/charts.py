"""Server-rendered SVG charts: an indicator's run chart with target and SPC lines, and sparklines.

No JavaScript and no inline style (the Content Security Policy forbids both): presentation
attributes only. Meaning never rests on colour alone: the target is dashed, process limits
dotted, special-cause points are squares instead of circles, and every chart carries a
<title> and <desc> saying in words what it shows, so it reads in print and to screen readers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.presenters import number
from indicators import spc

INK = "#0b0c0c"
GREY = "#505a5f"
BLUE = "#1d70b8"
ORANGE = "#f47738"


def _floats(values):
    return [None if v is None else float(v) for v in values]


def _scale(lo: float, hi: float, size: float, pad: float, invert: bool = False):
    span = (hi - lo) or 1.0

    def place(v: float) -> float:
        frac = (v - lo) / span
        return pad + (1 - frac if invert else frac) * size

    return place


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def sparkline_svg(values, *, width: int = 120, height: int = 28, label: str = "", decimals: int = 0) -> SafeString:
    """A small trend line of the values (None = no data, a gap), with its text alternative."""
    xs = _floats(values)
    known = [v for v in xs if v is not None]
    words = label or "Trend"
    if not known:
        desc = f"{words}: no data yet"
        return mark_safe(  # noqa: S308 - every interpolated text is escaped
            f'<svg class="app-sparkline" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(desc)}</title></svg>'
        )
    lo, hi = min(known), max(known)
    # The same arithmetic as _scale, written out: a report draws a thousand of these.
    x_step, x_size = max(len(xs) - 1, 1), width - 6
    y_span, y_size = (hi - lo) or 1.0, height - 6
    paths, current, last_i = [], [], 0
    for i, v in enumerate(xs):
        if v is None:
            if current:
                paths.append(current)
            current = []
            continue
        last_i = i
        current.append(f"{3 + i / x_step * x_size:.1f},{3 + (1 - (v - lo) / y_span) * y_size:.1f}")
    if current:
        paths.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(p)}" fill="none" stroke="{INK}" stroke-width="1.5"/>' for p in paths
    )
    v = xs[last_i]
    marker = f'<circle cx="{3 + last_i / x_step * x_size:.1f}" cy="{3 + (1 - (v - lo) / y_span) * y_size:.1f}" r="2.5" fill="{INK}"/>'
    shown: dict = {}

    def said(value):
        if value not in shown:
            shown[value] = number(Decimal(str(value)), decimals)
        return shown[value]

    desc = (f"{words}: {len(known)} figures, from {said(known[0])} to {said(known[-1])} "
            f"(lowest {said(lo)}, highest {said(hi)})")
    return mark_safe(  # noqa: S308 - every interpolated text is escaped
        f'<svg class="app-sparkline" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(desc)}</title>{lines}{marker}</svg>'
    )


def indicator_chart_svg(
    *, labels, actuals, targets=None, analysis: spc.Analysis | None = None, title: str = "",
    decimals: int = 0, width: int = 720, height: int = 320,
    year_starts=None, cumulative: bool = False, year_end_targets=(), y_label: str = "", x_label: str = "Month",
) -> SafeString:
    """The run chart: actuals (line with points), target (dashed), SPC mean (solid grey) and limits (dotted).

    `year_starts`: {position: "2006-07"} where each financial year begins, marked with a rule and the year. A
    `cumulative` measure (year to date) starts again from nothing each April, so its line breaks there
    instead of drawing March's total falling to April's first month as if performance had collapsed.
    `year_end_targets`: (position, value, year label) for each year's target, drawn as a marker at its March.
    """
    xs = _floats(actuals)
    ts = _floats(targets or [None] * len(xs))
    year_starts = year_starts or {}
    starts = sorted(i for i in year_starts if 0 < i < len(xs))
    year_ends = [(i, float(v), year) for i, v, year in year_end_targets if v is not None and 0 <= i < len(xs)]
    left, right, top, bottom = 72, 16, 22, 88
    plot_w, plot_h = width - left - right, height - top - bottom
    candidates = [v for v in xs + ts if v is not None] + [v for _, v, _ in year_ends]
    lim = analysis.limits if analysis is not None else None
    segments = [s for s in (analysis.segments if analysis is not None else []) if s.limits is not None]
    for segment in segments:
        candidates += [segment.limits.upper, segment.limits.lower]
    if not candidates:
        candidates = [0.0, 1.0]
    lo, hi = min(candidates), max(candidates)
    margin = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - margin, hi + margin
    n = len(xs)
    x_at = _scale(0, max(n - 1, 1), plot_w, left)
    y_at = _scale(lo, hi, plot_h, top, invert=True)
    parts = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="{GREY}" stroke-width="1"/>']

    for k in range(5):  # gridlines with their values
        v = lo + (hi - lo) * k / 4
        y = _fmt(y_at(v))
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y}" y2="{y}" stroke="#b1b4b6" stroke-width="0.5"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" font-size="11" '
            f'fill="{INK}">{escape(number(Decimal(str(round(v, 6))), decimals))}</text>'
        )
    step = max(1, -(-n // 12))  # at most about 12 labels along the bottom
    for i, text in enumerate(labels):
        if i % step and i != n - 1:
            continue
        x = _fmt(x_at(i))
        parts.append(
            f'<text x="{x}" y="{top + plot_h + 14}" text-anchor="end" font-size="11" fill="{INK}" '
            f'transform="rotate(-40 {x} {top + plot_h + 14})">{escape(text)}</text>'
        )
    if x_label:
        parts.append(f'<text x="{_fmt(left + plot_w / 2)}" y="{height - 30}" text-anchor="middle" font-size="12" '
                     f'fill="{INK}">{escape(x_label)}</text>')
    if y_label:
        parts.append(f'<text x="14" y="{_fmt(top + plot_h / 2)}" text-anchor="middle" font-size="12" fill="{INK}" '
                     f'transform="rotate(-90 14 {_fmt(top + plot_h / 2)})">{escape(y_label)}</text>')
    if 0 in year_starts and n:  # the first year's name, where its line begins
        parts.append(f'<text x="{left}" y="{top - 6}" text-anchor="start" font-size="11" fill="{INK}">'
                     f'{escape(year_starts[0])}</text>')
    for i in starts:  # each financial year begins in April: a rule and the year, so periods read at a glance
        x = _fmt(x_at(i) - ((x_at(1) - x_at(0)) / 2 if n > 1 else 0))
        parts.append(f'<line x1="{x}" x2="{x}" y1="{top}" y2="{top + plot_h}" stroke="{INK}" stroke-width="1"/>')
        parts.append(f'<text x="{x}" y="{top - 6}" text-anchor="start" font-size="11" fill="{INK}">'
                     f'{escape(year_starts[i])}</text>')

    def hline(value, dash, colour, width_):
        y = _fmt(y_at(value))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y}" y2="{y}" stroke="{colour}" '
            f'stroke-width="{width_}"{dash_attr}/>'
        )

    def segment_line(segment, value, dash):
        # Each segment's limits span its own points (half a step either side), so a rebase shows as a step.
        half = (x_at(1) - x_at(0)) / 2 if n > 1 else plot_w / 2
        x1, x2 = max(left, x_at(segment.start) - half), min(left + plot_w, x_at(segment.end) + half)
        y = _fmt(y_at(value))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<line x1="{_fmt(x1)}" x2="{_fmt(x2)}" y1="{y}" y2="{y}" stroke="{GREY}" '
                f'stroke-width="1.5"{dash_attr}/>')

    for segment in segments:
        parts.append(segment_line(segment, segment.limits.mean, ""))
        parts.append(segment_line(segment, segment.limits.upper, "2 3"))
        parts.append(segment_line(segment, segment.limits.lower, "2 3"))
    for segment in segments[1:]:  # where the limits were recalculated
        x = _fmt(x_at(segment.start) - ((x_at(1) - x_at(0)) / 2 if n > 1 else 0))
        parts.append(f'<line x1="{x}" x2="{x}" y1="{top}" y2="{top + plot_h}" stroke="{INK}" '
                     f'stroke-width="1" stroke-dasharray="6 3"/>')

    breaks = set(starts) if cumulative else set()

    def polyline(series, dash, colour, width_):
        out, run = [], []
        for i, v in enumerate(series):
            if i in breaks and run:  # a cumulative total starts again: no line from March to April
                out.append(run)
                run = []
            if v is None:
                if run:
                    out.append(run)
                run = []
                continue
            run.append(f"{_fmt(x_at(i))},{_fmt(y_at(v))}")
        if run:
            out.append(run)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return "".join(
            f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="{width_}"{dash_attr}/>'
            if len(r) > 1 else
            f'<circle cx="{r[0].split(",")[0]}" cy="{r[0].split(",")[1]}" r="2" fill="{colour}"/>'
            for r in out
        )

    parts.append(polyline(ts, "8 5", ORANGE, 2))
    parts.append(polyline(xs, "", BLUE, 2.5))
    for i, v, _ in year_ends:  # the year-end target: a diamond at the year's March
        cx, cy = x_at(i), y_at(v)
        parts.append(f'<path d="M{_fmt(cx)} {_fmt(cy - 6)} L{_fmt(cx + 6)} {_fmt(cy)} L{_fmt(cx)} {_fmt(cy + 6)} '
                     f'L{_fmt(cx - 6)} {_fmt(cy)} Z" fill="#ffffff" stroke="{ORANGE}" stroke-width="2.5"/>')

    # Points: circles, or squares where a special-cause rule flags them.
    special_at = set()
    if analysis is not None and analysis.variation != spc.NOT_ENOUGH:
        special_at = {i for i, side in enumerate(analysis.point_sides) if side is not None}
    for i, v in enumerate(xs):
        if v is None:
            continue
        cx, cy = x_at(i), y_at(v)
        if i in special_at:
            parts.append(
                f'<rect x="{_fmt(cx - 4.5)}" y="{_fmt(cy - 4.5)}" width="9" height="9" fill="{ORANGE}" stroke="{INK}" stroke-width="1"/>'
            )
        else:
            parts.append(f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="3.5" fill="{BLUE}" stroke="{INK}" stroke-width="0.5"/>')

    # The key, in words beside a sample of each line.
    key_y = height - 14
    key = [("Actual", "", BLUE, "circle"), ("Target", "8 5", ORANGE, None)]
    if lim is not None:
        trial = " (trial)" if analysis.trial else ""
        key += [("Average", "", GREY, None), (f"Process limits{trial}", "2 3", GREY, None)]
    if special_at:
        key.append(("Special cause", "", ORANGE, "square"))
    if year_ends:
        key.append(("Year-end target", "", ORANGE, "diamond"))
    x = left
    for text, dash, colour, shape in key:
        if shape == "square":
            parts.append(f'<rect x="{x + 8}" y="{key_y - 4.5}" width="9" height="9" fill="{colour}" stroke="{INK}" stroke-width="1"/>')
        elif shape == "diamond":
            parts.append(f'<path d="M{x + 13} {key_y - 6} L{x + 19} {key_y} L{x + 13} {key_y + 6} L{x + 7} {key_y} Z" '
                         f'fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>')
        else:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<line x1="{x}" x2="{x + 26}" y1="{key_y}" y2="{key_y}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
            if shape == "circle":
                parts.append(f'<circle cx="{x + 13}" cy="{key_y}" r="3.5" fill="{colour}" stroke="{INK}" stroke-width="0.5"/>')
        parts.append(f'<text x="{x + 32}" y="{key_y}" dominant-baseline="middle" font-size="12" fill="{INK}">{escape(text)}</text>')
        x += 40 + 7 * len(text)

    desc = chart_description(labels=labels, actuals=actuals, targets=targets, analysis=analysis, decimals=decimals,
                             cumulative=cumulative and bool(starts), year_end_targets=year_ends)
    return mark_safe(  # noqa: S308 - every interpolated text is escaped
        f'<svg class="app-chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(title or "Run chart")}</title><desc id="chart-desc">{escape(desc)}</desc>'
        + "".join(parts) + "</svg>"
    )


def chart_description(*, labels, actuals, targets=None, analysis=None, decimals: int = 0,
                      cumulative: bool = False, year_end_targets=()) -> str:
    """The chart in a sentence or two: its span, latest figure and target, and the SPC lines."""
    pairs = [(label, v) for label, v in zip(labels, actuals, strict=False) if v is not None]
    if not pairs:
        return "No figures yet."
    first_label, first = pairs[0]
    last_label, last = pairs[-1]
    text = (
        f"{len(pairs)} figures from {first_label} ({number(first, decimals)}) to {last_label} "
        f"({number(last, decimals)})."
    )
    if targets:
        latest_target = next((t for t in reversed(list(targets)) if t is not None), None)
        if latest_target is not None:
            text += f" Latest target {number(latest_target, decimals)}."
    if cumulative:
        text += " A total for the year so far: the line starts again each April."
    for _, value, year in year_end_targets:
        text += f" Target for the end of {year}: {number(Decimal(str(value)), decimals)}."
    if analysis is not None and analysis.limits is not None:
        d = decimals + 1
        labels = list(labels)
        for n, segment in enumerate(s for s in analysis.segments if s.limits is not None):
            lim = segment.limits
            since = f" from {labels[segment.start]}" if n else ""
            text += (
                f" Average{since} {number(Decimal(str(lim.mean)), d)}; process limits "
                f"{number(Decimal(str(lim.lower)), d)} to {number(Decimal(str(lim.upper)), d)}"
                + (f", fixed on the points to {labels[segment.baseline_end]}" if segment.baseline_end is not None else "")
                + "."
            )
        if analysis.trial:
            text += " These are trial limits: fewer than 12 points."
    return text

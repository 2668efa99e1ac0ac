"""The benchmarking dot plot: every council's figure in a group, ours marked, with the median and quartile lines.

Server-rendered SVG in the house style of indicators/charts.py: no JavaScript and no inline
style (the Content Security Policy forbids both), presentation attributes only, a viewBox that
scales to the column (it reads at 320 px), and a <title> and <desc> that say in words what it
shows. Meaning never rests on colour alone: our council is a diamond, not a circle, its name is
bold with its figure beside it; the median is a solid line, the top-quartile boundary dashed,
the bottom-quartile boundary dotted, each named in the key. The caller also shows the figures
as a table.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from benchmarking.commentary import band_end, figures_decimals, ordinal
from benchmarking.position import BAND, QUARTILE_NAMES, Position, quartile_of
from core import presenters

INK = "#0b0c0c"
GREY = "#505a5f"
BLUE = "#1d70b8"
BAND_FILL = "#d2e2f1"
MAX_NAMED_ROWS = 40  # beyond this (all English councils) the dots share one strip, unnamed

WIDTH = 320
NAMES_W, RIGHT = 118, 12  # room for a council's name on the left
ROW = 16
LANES = 5  # a strip of many councils spreads its dots over five lanes so they do not hide each other


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def _short(name: str, limit: int = 19) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def dot_plot(
    position: Position,
    *,
    council: str,
    group: str,
    names: Mapping[str, str] | None = None,
    unit: str = "",
    decimals: int | None = None,
    title: str = "",
    id_prefix: str = "benchmark",
) -> tuple[SafeString, str]:
    """(svg_markup, text_alternative) for one group's figures, best first, our council marked.

    council: our council's name. group: the group's name ("Nearest neighbours"). names: code ->
    council name (codes shown otherwise). id_prefix: makes the title/desc ids unique when a
    page shows several charts.
    """
    names = dict(names or {})
    names[position.us] = council
    if decimals is None:
        decimals = figures_decimals(position)
    title = title or f"{council} among its {group.lower()}"
    text = text_alternative(position, council=council, group=group, unit=unit, decimals=decimals)
    ids = f"{id_prefix}-title {id_prefix}-desc"
    head = (
        f'<svg class="app-chart app-benchmark-chart" role="img" aria-labelledby="{escape(ids)}" '
        f'width="100%" preserveAspectRatio="xMidYMin meet" xmlns="http://www.w3.org/2000/svg" '
    )
    heading = (f'<title id="{escape(id_prefix)}-title">{escape(title)}</title>'
               f'<desc id="{escape(id_prefix)}-desc">{escape(text)}</desc>')
    if not position.ranked:
        return mark_safe(  # noqa: S308 - every interpolated text is escaped
            head + f'viewBox="0 0 {WIDTH} 40">' + heading
            + f'<text x="0" y="24" font-size="13" fill="{INK}">No council published a figure.</text></svg>'
        ), text

    band = position.polarity.direction == BAND
    figures = [float(v) for _, v, _ in position.ranked]
    candidates = list(figures)
    if band:
        candidates += [float(position.polarity.low), float(position.polarity.high)]
    lo, hi = min(candidates), max(candidates)
    margin = (hi - lo) * 0.06 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - margin, hi + margin
    named = len(position.ranked) <= MAX_NAMED_ROWS
    left = NAMES_W if named else RIGHT
    plot_w = WIDTH - left - RIGHT

    def x_at(v) -> float:
        return left + (float(v) - lo) / (hi - lo) * plot_w

    top = 8 if named else 24  # a strip names our council above it
    rows_h = len(position.ranked) * ROW if named else LANES * 8 + 8
    axis_y = top + rows_h + 4
    parts = []
    if band:  # the target band behind the dots
        x1, x2 = x_at(position.polarity.low), x_at(position.polarity.high)
        parts.append(f'<rect x="{_fmt(x1)}" y="{top}" width="{_fmt(max(x2 - x1, 1.5))}" height="{rows_h}" '
                     f'fill="{BAND_FILL}" stroke="{BLUE}" stroke-width="0.5"/>')

    def vline(value, dash: str, width_: float) -> str:
        x = _fmt(x_at(value))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<line x1="{x}" x2="{x}" y1="{top - 4}" y2="{axis_y}" stroke="{INK}" '
                f'stroke-width="{width_}"{dash_attr}/>')

    key = []
    said = lambda v: presenters.figure(v, unit, decimals)  # noqa: E731 - a short local alias
    if position.median is not None and not band:
        parts.append(vline(position.median, "", 1.5))
        key.append(("", f"Median {presenters.figure(position.median, unit, decimals + (1 if _has_half(position.median, decimals) else 0))}"))
    if position.top_boundary is not None:
        parts.append(vline(position.top_boundary, "6 3", 1.2))
        key.append(("6 3", f"Top quartile: {said(position.top_boundary)} or better"))
    if position.lower_quartile_boundary is not None:
        parts.append(vline(position.lower_quartile_boundary, "1.5 2.5", 1.5))
        key.append(("1.5 2.5", f"Bottom quartile: worse than {said(position.lower_quartile_boundary)}"))
    if band:
        key.append(("band", f"Target band {band_end(position.polarity.low, unit)} to "
                            f"{band_end(position.polarity.high, unit)}"))

    ours_y = None
    for i, (code, value, _rank) in enumerate(position.ranked):
        mine = code == position.us
        x = x_at(value)
        if named:
            y = top + i * ROW + ROW / 2
            label = escape(_short(names.get(code, code)))
            weight = ' font-weight="bold"' if mine else ""
            parts.append(f'<text x="{left - 6}" y="{_fmt(y)}" text-anchor="end" dominant-baseline="middle" '
                         f'font-size="11" fill="{INK}"{weight}>{label}</text>')
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="#b1b4b6" '
                         f'stroke-width="0.5"/>')
        else:
            y = top + 8 + (LANES // 2 if mine else i % LANES) * 8
        if mine:
            ours_y = y
            continue
        parts.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{3.5 if named else 2.5}" fill="{GREY}" '
                     f'stroke="#ffffff" stroke-width="0.5"/>')
    if ours_y is not None and position.value is not None:  # drawn last, so it sits on top
        x, y = x_at(position.value), ours_y
        parts.append(f'<path d="M{_fmt(x)} {_fmt(y - 6.5)} L{_fmt(x + 6.5)} {_fmt(y)} L{_fmt(x)} {_fmt(y + 6.5)} '
                     f'L{_fmt(x - 6.5)} {_fmt(y)} Z" fill="{BLUE}" stroke="{INK}" stroke-width="1.5"/>')
        if named:
            right = x > left + plot_w * 0.6
            label, label_x, label_y = said(position.value), x - 9 if right else x + 9, y
        else:  # above the strip, pointing in from whichever side has room
            right = x > left + plot_w / 2
            label, label_x, label_y = f"{council} {said(position.value)}", x + 4 if right else x - 4, top - 12
        parts.append(f'<text x="{_fmt(label_x)}" y="{_fmt(label_y)}" '
                     f'text-anchor="{"end" if right else "start"}" dominant-baseline="middle" font-size="11" '
                     f'font-weight="bold" fill="{INK}">{escape(label)}</text>')

    # The axis: its two ends, lowest figure on the left.
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{axis_y}" y2="{axis_y}" stroke="{GREY}" stroke-width="1"/>')
    lowest, highest = min(figures), max(figures)
    parts.append(f'<text x="{_fmt(x_at(lowest))}" y="{axis_y + 13}" text-anchor="start" font-size="11" '
                 f'fill="{INK}">{escape(said(min(v for _, v, _ in position.ranked)))}</text>')
    if highest != lowest:
        parts.append(f'<text x="{_fmt(x_at(highest))}" y="{axis_y + 13}" text-anchor="end" font-size="11" '
                     f'fill="{INK}">{escape(said(max(v for _, v, _ in position.ranked)))}</text>')

    # The key, a line each: our diamond, then each line drawn.
    y = axis_y + 32
    parts.append(f'<path d="M13 {y - 6} L19 {y} L13 {y + 6} L7 {y} Z" fill="{BLUE}" stroke="{INK}" stroke-width="1.5"/>')
    parts.append(f'<text x="32" y="{y}" dominant-baseline="middle" font-size="11" fill="{INK}">'
                 f'{escape(council)} (ranked {escape(_rank_words(position))})</text>')
    for dash, words in key:
        y += 18
        if dash == "band":
            parts.append(f'<rect x="2" y="{y - 5}" width="22" height="10" fill="{BAND_FILL}" stroke="{BLUE}" stroke-width="0.5"/>')
        else:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<line x1="2" x2="24" y1="{y}" y2="{y}" stroke="{INK}" stroke-width="1.5"{dash_attr}/>')
        parts.append(f'<text x="32" y="{y}" dominant-baseline="middle" font-size="11" fill="{INK}">{escape(words)}</text>')
    height = y + 12
    return mark_safe(  # noqa: S308 - every interpolated text is escaped
        head + f'viewBox="0 0 {WIDTH} {height}">' + heading + "".join(parts) + "</svg>"
    ), text


def _has_half(value, decimals: int) -> bool:
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and -exponent > decimals


def _rank_words(position: Position) -> str:
    if position.rank is None:
        return "no figure"
    joint = "joint " if position.tied else ""
    return f"{joint}{ordinal(position.rank)} of {position.of}"


def text_alternative(position: Position, *, council: str, group: str, unit: str = "", decimals: int = 0) -> str:
    """The chart in words: who is where, the lines, and the councils with no figure."""
    said = lambda v: presenters.figure(v, unit, decimals)  # noqa: E731 - a short local alias
    direction = {"higher": "higher is better", "lower": "lower is better"}.get(
        position.polarity.direction, "inside the target band is best")
    if not position.ranked:
        return f"{group}: no council published a figure."
    values = [v for _, v, _ in position.ranked]
    text = (f"Figures of the {position.of} councils in {group} with a figure ({direction}), from "
            f"{said(min(values))} to {said(max(values))}.")
    if position.value is None:
        text += f" {council} published no figure."
    else:
        quartile = f", {position.quartile_name} quartile" if position.quartile else ""
        text += f" {council}, marked with a diamond: {said(position.value)}, ranked {_rank_words(position)}{quartile}."
    if position.polarity.direction == BAND:
        text += f" Target band {band_end(position.polarity.low, unit)} to {band_end(position.polarity.high, unit)}."
    elif position.median is not None:
        median_places = decimals + (1 if _has_half(position.median, decimals) else 0)
        text += f" Median {presenters.figure(position.median, unit, median_places)}."
    if position.top_boundary is not None:
        text += (f" Top quartile: {said(position.top_boundary)} or better; bottom quartile: worse than "
                 f"{said(position.lower_quartile_boundary)}.")
    if position.missing:
        k = len(position.missing)
        text += f" {k} {'council' if k == 1 else 'councils'} published no figure."
    return text


def table_rows(
    position: Position, *, council: str, names: Mapping[str, str] | None = None, unit: str = "",
    decimals: int | None = None,
) -> list[dict]:
    """The chart's figures as table rows, best first, then the councils with no figure.

    Each row: {"code", "name", "place" ("4th", "joint 8th", "" when no figure), "figure" (as
    said, "No figure" when none), "value" (Decimal or None), "quartile" ("top" ... or ""), "ours"}.
    """
    names = dict(names or {})
    names[position.us] = council
    if decimals is None:
        decimals = figures_decimals(position)
    counts: dict[int, int] = {}
    for _, _, rank in position.ranked:
        counts[rank] = counts.get(rank, 0) + 1
    rows = []
    for code, value, rank in position.ranked:
        quartile = quartile_of(rank, position.of)
        rows.append({
            "code": code, "name": names.get(code, code), "value": value,
            "place": f"joint {ordinal(rank)}" if counts[rank] > 1 else ordinal(rank),
            "figure": presenters.figure(value, unit, decimals),
            "quartile": QUARTILE_NAMES.get(quartile, "") if quartile else "", "ours": code == position.us,
        })
    for code in position.missing:
        rows.append({"code": code, "name": names.get(code, code), "value": None, "place": "",
                     "figure": "No figure", "quartile": "", "ours": code == position.us})
    return rows

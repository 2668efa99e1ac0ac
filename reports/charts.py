"""Small SVG charts for the report (the status summary per set), each with its text alternative."""

from __future__ import annotations

from html import escape

# Colours carry no meaning alone: every bar is labelled with its letter and count.
FILL = {"G": "#00703c", "A": "#f47738", "R": "#d4351c", "B": "#1d70b8"}
WORDS = {"G": "Green", "A": "Amber", "R": "Red", "B": "Blue"}


def status_bars(rows: list[dict], *, width: int = 640) -> str:
    """One stacked bar per set: G, A, R (and B) counts. rows: {"name", "G", "A", "R", "B", "total"}."""
    label_w, bar_h, gap = 210, 22, 10
    height = len(rows) * (bar_h + gap) + gap
    scale_w = width - label_w - 60
    alt = "; ".join(
        f"{r['name']}: " + ", ".join(f"{WORDS[s]} {r.get(s, 0)}" for s in ("G", "A", "R", "B") if r.get(s, 0))
        + f" of {r['total']}"
        for r in rows
    )
    text = escape(f"Indicators by status in each set. {alt}")
    # The words twice: aria-label is what Chromium's tagged PDF reads as the figure's Alt (it reads
    # no aria-labelledby), and <title> is what a browser shows on hover.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart app-report-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{text}">',
        f'<title>{text}</title>',
    ]
    for i, r in enumerate(rows):
        y = gap + i * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 16}" font-size="13" fill="#0b0c0c">{escape(r["name"][:32])}</text>')
        x = float(label_w)
        total = max(r["total"], 1)
        for s in ("G", "A", "R", "B"):
            n = r.get(s, 0)
            if not n:
                continue
            w = scale_w * n / total
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{FILL[s]}"/>')
            if w >= 26:
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y + 16}" font-size="12" fill="#ffffff">{s} {n}</text>'
                )
            x += w
        parts.append(f'<text x="{label_w + scale_w + 6}" y="{y + 16}" font-size="12" fill="#0b0c0c">{r["total"]}</text>')
    parts.append("</svg>")
    return "".join(parts)

"""The Making Data Count variation and assurance icons, drawn here as small SVGs, always with words.

Our own drawings after the published MDC icon design: a circle in the meaning's colour (blue
improvement, orange concern, purple neither, grey common cause) holding a little run of dots,
the last ones raised or lowered and lettered H (high) or L (low); assurance as a circle with a
target line and P (consistently passing), F (consistently failing) or ? (hit and miss). The
letter and the words beside the icon carry the meaning, so nothing rests on colour, and each
icon is built once per kind (a report shows a thousand).
"""

from __future__ import annotations

import base64
from functools import cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from indicators import spc

BLUE, ORANGE, PURPLE, GREY, INK = "#00b0f0", "#e46c0a", "#490092", "#7f7f7f", "#0b0c0c"
# Text on the white inside of an icon: dark enough for 4.5:1 against white.
TEXT = {BLUE: "#005ea5", ORANGE: "#a8490a", PURPLE: PURPLE, GREY: "#505a5f"}

VARIATION_WORDS = {
    (spc.IMPROVEMENT, spc.HIGH): "Special cause: improvement (high)",
    (spc.IMPROVEMENT, spc.LOW): "Special cause: improvement (low)",
    (spc.CONCERN, spc.HIGH): "Special cause: concern (high)",
    (spc.CONCERN, spc.LOW): "Special cause: concern (low)",
    (spc.NEUTRAL_HIGH, spc.HIGH): "Special cause: unusually high (neither better nor worse)",
    (spc.NEUTRAL_LOW, spc.LOW): "Special cause: unusually low (neither better nor worse)",
    (spc.COMMON, None): "Common cause variation",
    (spc.NOT_ENOUGH, None): "Not enough points",
}
SHORT_VARIATION = {
    (spc.IMPROVEMENT, spc.HIGH): "Improvement (H)",
    (spc.IMPROVEMENT, spc.LOW): "Improvement (L)",
    (spc.CONCERN, spc.HIGH): "Concern (H)",
    (spc.CONCERN, spc.LOW): "Concern (L)",
    (spc.NEUTRAL_HIGH, spc.HIGH): "Unusually high",
    (spc.NEUTRAL_LOW, spc.LOW): "Unusually low",
    (spc.COMMON, None): "Common cause",
    (spc.NOT_ENOUGH, None): "Not enough points",
}
ASSURANCE_WORDS = {
    spc.PASS: "Will consistently meet the target",
    spc.FAIL: "Will consistently miss the target",
    spc.HIT_AND_MISS: "Hit and miss against the target",
    spc.NOT_ENOUGH: "Not enough points",
}
SHORT_ASSURANCE = {
    spc.PASS: "Consistently passing (P)",
    spc.FAIL: "Consistently failing (F)",
    spc.HIT_AND_MISS: "Hit and miss (?)",
}
TRIAL = " (trial limits)"


def variation_label(variation: str, side: str | None, trial: bool = False, *, short: bool = False) -> str:
    words = (SHORT_VARIATION if short else VARIATION_WORDS).get((variation, side if variation in spc.SPECIAL_CAUSES else None), "")
    return words + (TRIAL if trial and words and variation != spc.NOT_ENOUGH else "")


def assurance_label(assurance: str | None, trial: bool = False, *, short: bool = False) -> str | None:
    if assurance is None:
        return None
    words = (SHORT_ASSURANCE if short else ASSURANCE_WORDS).get(assurance)
    if words is None:
        return None
    return words + (TRIAL if trial and assurance != spc.NOT_ENOUGH else "")


def _colour(variation: str) -> str:
    return {spc.IMPROVEMENT: BLUE, spc.CONCERN: ORANGE, spc.NEUTRAL_HIGH: PURPLE, spc.NEUTRAL_LOW: PURPLE}.get(
        variation, GREY
    )


def _svg(body: tuple[str, str], label: str, size: int) -> str:
    # The words are always printed beside the icon, so the icon is hidden from screen readers (no double reading).
    return (f'<svg class="app-spc-icon" aria-hidden="true" focusable="false" width="{size}" height="{size}" '
            f'viewBox="0 0 40 40" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
            f'<circle cx="20" cy="20" r="18" fill="#ffffff" stroke="{body[0]}" stroke-width="3"/>{body[1]}</svg>')


def _img(svg: str, size: int, label: str) -> SafeString:
    """The icon as an image (one data URL per kind, so a browser or WeasyPrint decodes it once per page).

    Its alt text is the icon's name: a tagged PDF needs one for every image.
    """
    data = base64.b64encode(svg.replace(' aria-hidden="true" focusable="false"', "").encode()).decode()
    return mark_safe(  # noqa: S308 - base64 text and an escaped label
        f'<img class="app-spc-icon" src="data:image/svg+xml;base64,{data}" alt="{escape(label)} icon" '
        f'width="{size}" height="{size}">'
    )


@cache
def variation_img(variation: str, side: str | None, size: int = 20) -> SafeString:
    label = variation_label(variation, side) or "Not enough points"
    return _img(str(variation_svg(variation, side, size)), size, label)


@cache
def assurance_img(assurance: str | None, size: int = 20) -> SafeString:
    svg = str(assurance_svg(assurance, size))
    return _img(svg, size, ASSURANCE_WORDS[assurance]) if svg else mark_safe("")


@cache
def variation_svg(variation: str, side: str | None, size: int = 28) -> SafeString:
    """The variation icon; its <title> is the words, which pages also print beside it."""
    label = variation_label(variation, side) or "Not enough points"
    colour = _colour(variation)
    if variation == spc.NOT_ENOUGH:
        body = f'<text x="20" y="25" text-anchor="middle" font-size="14" font-family="Arial, sans-serif" fill="{TEXT[GREY]}">…</text>'
        return mark_safe(_svg((colour, body), label, size))  # noqa: S308 - fixed markup, escaped label
    if variation in spc.SPECIAL_CAUSES:
        high = side == spc.HIGH
        ys = [22, 20, 23, 21, 13, 11] if high else [18, 20, 17, 19, 27, 29]
        letter_y = 34 if high else 13
        letter = "H" if high else "L"
    else:
        ys = [21, 18, 22, 19, 21, 18]
        letter = ""
    xs = [9, 13.5, 18, 22.5, 27, 31]
    line = " ".join(f"{x},{y}" for x, y in zip(xs, ys, strict=True))
    special = 4 if letter else 6  # the last two dots are the special cause's

    def dots(points):
        return "".join(f"M{x} {y}h0" for x, y in points)

    body = (f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-width="1"/>'
            f'<path d="{dots(list(zip(xs, ys, strict=True))[:special])}" stroke="{GREY}" stroke-width="4" '
            f'stroke-linecap="round"/>')
    if letter:
        body += (f'<path d="{dots(list(zip(xs, ys, strict=True))[special:])}" stroke="{colour}" stroke-width="4" '
                 f'stroke-linecap="round"/>')
    if letter:
        body += (f'<text x="20" y="{letter_y}" text-anchor="middle" font-size="11" font-weight="bold" '
                 f'font-family="Arial, sans-serif" fill="{TEXT[colour]}">{letter}</text>')
    return mark_safe(_svg((colour, body), label, size))  # noqa: S308 - fixed markup, escaped label


@cache
def assurance_svg(assurance: str | None, size: int = 28) -> SafeString:
    """The assurance icon (P, F or ?) over a dashed target line; empty when there is no target."""
    if assurance not in (spc.PASS, spc.FAIL, spc.HIT_AND_MISS):
        return mark_safe("")
    colour, letter = {spc.PASS: (BLUE, "P"), spc.FAIL: (ORANGE, "F"), spc.HIT_AND_MISS: (GREY, "?")}[assurance]
    body = (f'<line x1="7" x2="33" y1="27" y2="27" stroke="{INK}" stroke-width="1.5" stroke-dasharray="3 2"/>'
            f'<text x="20" y="23" text-anchor="middle" font-size="16" font-weight="bold" '
            f'font-family="Arial, sans-serif" fill="{TEXT[colour]}">{letter}</text>')
    return mark_safe(_svg((colour, body), ASSURANCE_WORDS[assurance], size))  # noqa: S308 - fixed markup


@cache
def badge(variation: str, side: str | None, assurance: str | None, trial: bool = False, size: int = 24,
          img: bool = False) -> SafeString:
    """Both icons with their short words, for a table cell: the markup lists, dashboards and reports share.

    img=True draws the icons as data-URL images (reports: a thousand rows decode each kind once).
    """
    words = escape(variation_label(variation, side, trial, short=True))
    icon = variation_img(variation, side, size) if img else variation_svg(variation, side, size)
    html = f'<span class="app-spc">{icon}<span class="app-spc__text">{words}</span>'
    assurance_words = assurance_label(assurance, short=True)
    if assurance_words:
        icon = assurance_img(assurance, size) if img else assurance_svg(assurance, size)
        # A space between the two: in print a line may break there, not inside the words (an icon is no break).
        html += f' {icon}<span class="app-spc__text">{escape(assurance_words)}</span>'
    return mark_safe(html + "</span>")  # noqa: S308 - every text escaped


CELL_SEPARATOR = "; "


@cache
def cell_words(variation: str, side: str | None, assurance: str | None, trial: bool = False) -> str:
    """A report cell's value: the short words (readable in CSV and frozen JSON), which cell_badge draws again."""
    words = [variation_label(variation, side, trial, short=True)]
    if assurance_label(assurance, short=True):
        words.append(assurance_label(assurance, short=True))
    return CELL_SEPARATOR.join(words)


_FROM_WORDS = {words: key for key, words in SHORT_VARIATION.items()}
_ASSURANCE_FROM_WORDS = {words: key for key, words in SHORT_ASSURANCE.items()}


@cache
def cell_badge(text: str, size: int = 20) -> SafeString:
    """The icons and words of a report cell written by cell_words (unknown words are shown as they are)."""
    parts = (text or "").split(CELL_SEPARATOR)
    trial = parts[0].endswith(TRIAL)
    variation = _FROM_WORDS.get(parts[0].removesuffix(TRIAL))
    assurance = _ASSURANCE_FROM_WORDS.get(parts[1]) if len(parts) > 1 else None
    if variation is None:
        return escape(text or "")
    return badge(variation[0], variation[1], assurance, trial, size, img=True)


KEY = [
    ((spc.COMMON, None), "No significant change: the ups and downs are normal for this measure."),
    ((spc.IMPROVEMENT, spc.HIGH), "A real change for the better, the figures unusually high (higher is better)."),
    ((spc.IMPROVEMENT, spc.LOW), "A real change for the better, the figures unusually low (lower is better)."),
    ((spc.CONCERN, spc.HIGH), "A real change for the worse, the figures unusually high (lower is better)."),
    ((spc.CONCERN, spc.LOW), "A real change for the worse, the figures unusually low (higher is better)."),
    ((spc.NEUTRAL_HIGH, spc.HIGH), "A real change upwards in a measure with no better or worse direction."),
    ((spc.NEUTRAL_LOW, spc.LOW), "A real change downwards in a measure with no better or worse direction."),
]
ASSURANCE_KEY = [
    (spc.PASS, "The target is outside the process limits on the good side: it will be met every month."),
    (spc.FAIL, "The target is outside the process limits on the wrong side: it will be missed unless the process changes."),
    (spc.HIT_AND_MISS, "The target is within the process limits: it will be met some months and missed in others."),
]


def key_rows() -> list[dict]:
    """The key to the icons: each icon, its name and what it means."""
    rows = [{"icon": variation_svg(v, s), "name": variation_label(v, s), "meaning": m} for (v, s), m in KEY]
    rows += [{"icon": assurance_svg(a), "name": ASSURANCE_WORDS[a], "meaning": m} for a, m in ASSURANCE_KEY]
    return rows


# Status (this period against its target) and assurance (whether the process, as it varies, will meet
# the target) answer different questions; where they point different ways a reader needs both in one line.
_BOTH = {
    (True, spc.FAIL): "On target this period, but at current variation it will usually miss the target.",
    (True, spc.HIT_AND_MISS): "On target this period, but at current variation it will sometimes miss the target.",
    (False, spc.PASS): "Off target this period, but at current variation it will usually meet the target.",
    (False, spc.HIT_AND_MISS): "Off target this period; at current variation it will sometimes meet the target and sometimes miss it.",
}


def status_and_assurance(status: str | None, assurance: str | None, trial: bool = False) -> str:
    """One sentence reconciling a status (R, A, G, B) with SPC assurance where they differ; "" where they agree."""
    if status not in ("R", "A", "G", "B") or assurance not in (spc.PASS, spc.FAIL, spc.HIT_AND_MISS):
        return ""
    words = _BOTH.get((status in ("G", "B"), assurance), "")
    if words and trial:
        words += " (Trial limits: fewer than 12 points.)"
    return words

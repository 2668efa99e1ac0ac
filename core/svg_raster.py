"""Our own small SVG icons as PNG images, for print.

WeasyPrint draws an SVG image anew wherever it appears (each shape, and each letter through
Pango), while a PNG is decoded once and placed as one image object however often it is shown.
Appendix F prints two SPC icons a row, a thousand rows: drawn as SVGs they were a sixth of its
rendering time (docs/performance.md). So print documents show each icon as a PNG made here from
the same SVG the web page shows (indicators.spc_icons stays the one drawing of each icon).

Only the shapes our icons use are drawn: circle, line (solid or dashed), polyline, a path of round
dots ("Mx yh0" with round caps) and a line of text. An SVG with anything else is Unsupported, and
`png_data_url` leaves its URL as it was (WeasyPrint draws the SVG). Shapes are drawn at SUPERSAMPLE
times the size and scaled down, which smooths their edges (Pillow draws without anti-aliasing).
"""

from __future__ import annotations

import base64
import functools
import io
import re

from defusedxml import ElementTree
from PIL import Image, ImageDraw, ImageFont

from core.pdf import font_file

SVG = "{http://www.w3.org/2000/svg}"
SUPERSAMPLE = 4
_DOTS = re.compile(r"M\s*([\d.]+)[\s,]+([\d.]+)\s*h0\s*")
_DATA_URL = "data:image/svg+xml;base64,"


class Unsupported(ValueError):
    """The SVG uses something this module does not draw."""


def _number(node, name: str, default: float | None = None) -> float:
    value = node.get(name)
    if value is None:
        if default is None:
            raise Unsupported(f"<{node.tag.removeprefix(SVG)}> without {name}")
        return default
    return float(value)


def _dashes(start: tuple[float, float], end: tuple[float, float], pattern: list[float]):
    """The drawn pieces of a dashed straight line."""
    (x1, y1), (x2, y2) = start, end
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    at, on, i = 0.0, True, 0
    while at < length and pattern:
        step = min(pattern[i % len(pattern)], length - at)
        if on:
            a, b = at / length, (at + step) / length
            yield (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a), (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b)
        at, on, i = at + step, not on, i + 1


def png(svg: str, pixels: int) -> bytes:
    """A square PNG `pixels` wide of an SVG drawn in our icons' shapes; Unsupported if it uses others."""
    root = ElementTree.fromstring(svg)
    viewbox = [float(v) for v in root.get("viewBox", "").replace(",", " ").split()]
    if root.tag != f"{SVG}svg" or len(viewbox) != 4 or viewbox[2] != viewbox[3] or viewbox[2] <= 0:
        raise Unsupported("an icon is square, with a viewBox")
    big = pixels * SUPERSAMPLE
    scale = big / viewbox[2]

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x - viewbox[0]) * scale, (y - viewbox[1]) * scale

    image = Image.new("RGBA", (big, big), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for node in root:
        tag = node.tag.removeprefix(SVG)
        stroke = node.get("stroke")
        width = _number(node, "stroke-width", 1) * scale
        if tag == "title":
            continue
        if tag == "circle":
            (cx, cy), r = xy(_number(node, "cx"), _number(node, "cy")), _number(node, "r") * scale
            fill = node.get("fill")
            outer = r + width / 2 if stroke else r
            draw.ellipse((cx - outer, cy - outer, cx + outer, cy + outer), fill=None if fill == "none" else fill,
                         outline=stroke, width=round(width) if stroke else 0)
        elif tag == "line":
            start, end = xy(_number(node, "x1"), _number(node, "y1")), xy(_number(node, "x2"), _number(node, "y2"))
            dash = [float(v) * scale for v in node.get("stroke-dasharray", "").replace(",", " ").split()]
            for a, b in (_dashes(start, end, dash) if dash else [(start, end)]):
                draw.line((a, b), fill=stroke, width=round(width))
        elif tag == "polyline":
            numbers = [float(v) for v in node.get("points", "").replace(",", " ").split()]
            if node.get("fill", "black") != "none" or len(numbers) % 2:
                raise Unsupported("a polyline is an open line with no fill")
            points = [xy(x, y) for x, y in zip(numbers[::2], numbers[1::2], strict=True)]
            draw.line(points, fill=stroke, width=round(width), joint="curve")
        elif tag == "path":
            d = node.get("d", "")
            dots = _DOTS.findall(d)
            if node.get("stroke-linecap") != "round" or not dots or _DOTS.sub("", d).strip():
                raise Unsupported("a path is a run of round dots (M x y h0)")
            for x, y in dots:
                cx, cy = xy(float(x), float(y))
                draw.ellipse((cx - width / 2, cy - width / 2, cx + width / 2, cy + width / 2), fill=stroke)
        elif tag == "text":
            if node.get("text-anchor") != "middle" or len(node):
                raise Unsupported("text is one centred run")
            path = font_file(node.get("font-family", "sans-serif"), node.get("font-weight") == "bold")
            if path is None:
                raise Unsupported("no font for the text")
            font = ImageFont.truetype(path, _number(node, "font-size") * scale)
            draw.text(xy(_number(node, "x"), _number(node, "y")), node.text or "", fill=node.get("fill", "#000000"),
                      font=font, anchor="ms")
        else:
            raise Unsupported(f"<{tag}>")
    out = io.BytesIO()
    image.resize((pixels, pixels), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


@functools.cache
def png_data_url(url: str, pixels: int) -> str:
    """An SVG data URL as a PNG data URL `pixels` wide; the same URL where the SVG is not one of ours."""
    if not url.startswith(_DATA_URL):
        return url
    try:
        data = png(base64.b64decode(url.removeprefix(_DATA_URL)).decode(), pixels)
    except (Unsupported, ValueError, OSError, ElementTree.ParseError):
        return url
    return "data:image/png;base64," + base64.b64encode(data).decode()

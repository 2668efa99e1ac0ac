"""Turn a report Document into HTML: the page members read, and one print document per PDF."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.text import slugify

from core import svg_raster

if TYPE_CHECKING:  # the type only: rendering never calls back into building the document
    from .document import Document

PRINT_CSS = Path(__file__).resolve().parent / "static" / "reports" / "print.css"

# Column widths for print tables (reports.tables.column_widths): classes, since the app's markup carries no styles.
COLUMN_WIDTHS = "".join(f".w{n}{{width:{n}%}}" for n in range(1, 101))

# Which parts are printed landscape: the wide tables of the appendices.
LANDSCAPE = {"A1", "C", "D", "E", "F", "H"}


@dataclass(frozen=True)
class PrintPart:
    part: str
    order: int
    title: str
    html: str
    filename: str


def document_html(doc: Document, *, editable: bool = False, can_edit: bool = False) -> str:
    """The report and all its appendices as one HTML fragment (what a published version freezes)."""
    return render_to_string("reports/document/report.html", {
        "doc": doc, "editable": editable, "can_edit": can_edit, "for_print": False,
        "sparkline_cache": {},  # A(1) and F draw the same trend lines: once each for this render
    })


# The meeting's name is typed by people: no character in a file name may leave its folder or its header.
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+|\.\.+')


# A download's name in bytes of UTF-8, leaving room for " - Appendix A(1).pdf" and the like: file
# systems allow 255 bytes, and a title pasted from Word is often three bytes a character.
STEM_MAX_BYTES = 150


def bounded(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` bytes of UTF-8, never inside a character, without trailing space."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", errors="ignore").rstrip(" -")


def _safe(name: str) -> str:
    return bounded(" ".join(_NOT_IN_FILE_NAMES.sub(" ", name).split()), STEM_MAX_BYTES)


def file_stem(doc: Document) -> str:
    r = doc.report
    return _safe(f"{r.meeting_date:%Y-%m-%d} {r.body} - {r.title[:1].upper() + r.title[1:]}")


def file_stem_of(version) -> str:
    """The file name stem of a published version's downloads, from the meeting it was published to."""
    title = version.report.title
    return _safe(f"{version.meeting_date:%Y-%m-%d} {version.body} - {title[:1].upper() + title[1:]}")


def stored_name(part) -> str:
    """The name a rendered PDF is kept under: an ASCII slug of its download name and the part's id,
    so whatever people typed, the name is short, unique and safe on any file system."""
    slug = slugify(part.filename.removesuffix(".pdf"))[:80].strip("-") or "part"
    return f"{slug}-{part.pk}.pdf"


# A printed icon is 15pt wide (print.css): 96 pixels is 460 dots an inch.
ICON_PIXELS = 96
# An SPC icon as the table cells write it: an image whose source is the whole SVG in base64.
_ICON_IMG = re.compile(r'<img class="app-spc-icon" src="(data:image/svg\+xml;base64,[A-Za-z0-9+/=]+)"[^>]*>')


def _icons_once(html: str) -> str:
    """Each SPC icon's image written once, in the stylesheet, and each cell's icon a decorative span.

    Appendix F has two icons a row, a thousand rows: their data URLs were four fifths of its
    HTML, and WeasyPrint spent about half of F's time reading them and drawing and tagging each
    as a figure (docs/performance.md). The icon's words are printed beside it, so in print the
    icon is decoration (an artifact for a screen reader, which reads the words once, not twice).

    The image is a PNG made from the icon's SVG (core.svg_raster): WeasyPrint draws an SVG anew at
    every use, a PNG once a document.

    Each icon's class is named from its image and the rules are in the order of those names, not
    of first use: a correction that changes one row's icon then changes that row alone, and the
    other sections of the appendix stay the same, so a republish reuses them (reports.pdfs).
    """
    kinds: dict[str, str] = {}

    def span(match: re.Match) -> str:
        url = match.group(1)
        name = kinds.get(url)
        if name is None:
            name = kinds[url] = "spc-" + hashlib.sha256(url.encode()).hexdigest()[:12]
        return f'<span class="spc-icon {name}"></span>'

    html = _ICON_IMG.sub(span, html)
    if not kinds:
        return html
    rules = "".join(f".{name}{{background-image:url({svg_raster.png_data_url(url, ICON_PIXELS)})}}"
                    for url, name in sorted(kinds.items(), key=lambda kv: kv[1]))
    return html.replace("</style>", rules + "</style>", 1)


def print_parts(doc: Document) -> list[PrintPart]:
    """The report and each appendix as its own complete HTML document, ready for WeasyPrint."""
    css = PRINT_CSS.read_text(encoding="utf-8") + COLUMN_WIDTHS
    stem = file_stem(doc)
    parts = [("report", doc.report.title[:1].upper() + doc.report.title[1:], "")]
    parts += [(code, f"{label}: {title}", label) for code, label, title in doc.appendices]
    out = []
    for order, (code, title, label) in enumerate(parts):
        html = render_to_string("reports/print/part.html", {
            "doc": doc, "part": code, "part_title": title, "css": css, "for_print": True,
            "landscape": code in LANDSCAPE, "editable": False,
        })
        html = _icons_once(html)
        filename = f"{stem}.pdf" if code == "report" else f"{stem} - {label}.pdf"
        out.append(PrintPart(code, order, title, html, filename))
    return out

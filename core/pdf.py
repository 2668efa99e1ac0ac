"""HTML to tagged PDF with WeasyPrint (or, for the report pack, Chromium), fetching only our own static files.

Every PDF the app makes (plans, exceptions, report appendices) goes through `html_to_pdf` or
`section_pdf`, so each is PDF/UA-1 (tagged for screen readers, repaired by `core.pdf_ua`) and none
can be made to fetch from the network. The report pack may be printed by a headless Chromium
kept open by the worker (`pack_renderer`, core.chromium, docs/adr/0014); everything else is WeasyPrint's.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import mimetypes
import re
import subprocess
import threading
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import pikepdf
import pydyf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core import chromium, pdf_ua

WEASYPRINT, CHROMIUM = "weasyprint", "chromium"


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/ paths from the static files finders and refuses every other URL."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"PDFs may use only the app's static files, not {url}")
        found = finders.find(path[len(settings.STATIC_URL):])
        if not found:
            raise ValueError(f"no static file {path}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


# Laying out a long document makes millions of small objects that live until the document is
# written; at Python's default threshold (700) the collector walks them thousands of times. A
# higher first threshold while rendering cut a section's CPU by about a tenth (docs/performance.md).
_FEWER_COLLECTIONS = (50_000, 10, 10)
_collections_lock = threading.Lock()
_rendering = 0
_saved_thresholds = gc.get_threshold()


@contextlib.contextmanager
def _fewer_collections():
    """Collect garbage less often while any thread renders; the old thresholds come back after the last."""
    global _rendering, _saved_thresholds
    with _collections_lock:
        if _rendering == 0:
            _saved_thresholds = gc.get_threshold()
            gc.set_threshold(*_FEWER_COLLECTIONS)
        _rendering += 1
    try:
        yield
    finally:
        with _collections_lock:
            _rendering -= 1
            if _rendering == 0:
                gc.set_threshold(*_saved_thresholds)


@functools.cache
def font_file(family: str, bold: bool) -> str | None:
    """The font file fontconfig gives for a family (as WeasyPrint would find it), or None."""
    first = family.split(",")[0].strip().strip("'\"")
    try:
        found = subprocess.run(  # noqa: S603 - fontconfig's tool, a family name of ours
            ["fc-match", "-f", "%{file}", f"{first}:bold" if bold else first],  # noqa: S607
            capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except OSError:
        return None
    return found or None


def render(html: str, *, base_url: str) -> weasyprint.Document:
    """The laid-out document, for callers that want its pages (e.g. which page an anchor fell on)."""
    with _fewer_collections():
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher()).render()


def tagged_pdf(html: str, *, base_url: str) -> bytes:
    """WeasyPrint's PDF/UA-1 bytes for `html`, before our repairs."""
    with _fewer_collections():
        return render(html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def pack_renderer() -> str:
    """What prints the report pack here: settings.COUNCILPERF_PDF_RENDERER, "auto" being Chromium where it is installed."""
    chosen = settings.COUNCILPERF_PDF_RENDERER
    if chosen == "auto":
        path = chromium.executable()
        return CHROMIUM if path and chromium.runs(path) else WEASYPRINT
    return chosen


def renderer_version(renderer: str) -> str:
    """The renderer and its version, as part of a kept PDF's key (a new renderer is a new rendering)."""
    if renderer == CHROMIUM:
        path = chromium.executable()
        return chromium.version(path) if path else "chromium (not installed)"
    return f"weasyprint {weasyprint.__version__} pydyf {pydyf.__version__}"


def printed(html: str, *, base_url: str, renderer: str = WEASYPRINT) -> bytes:
    """The renderer's tagged PDF of `html`, before our repairs."""
    if renderer == CHROMIUM:
        return chromium.print_pdf(html)  # print HTML is self-contained: Chromium fetches nothing
    return tagged_pdf(html, base_url=base_url)


def html_to_pdf(html: str, *, base_url: str, renderer: str = WEASYPRINT) -> bytes:
    """PDF/UA-1 bytes; the HTML's <title> and <html lang> become the PDF's title and language.

    Both renderers tag the document; `core.pdf_ua.repair` fixes what they still get wrong (table
    header scopes, definition lists, list items, captions, heading levels, XMP identification).
    """
    return pdf_ua.repair(printed(html, base_url=base_url, renderer=renderer))


STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')


def pdf_key(html: str) -> str:
    """What a PDF is made from: the HTML, the stylesheets it links to, the WeasyPrint that lays it out and our repairs."""
    digest = hashlib.sha256(f"{weasyprint.__version__} {pdf_ua.REVISION}".encode())
    digest.update(html.encode())
    for href in STYLESHEET.findall(html):
        path = unquote(urlsplit(href).path)
        found = finders.find(path[len(settings.STATIC_URL):]) if path.startswith(settings.STATIC_URL) else None
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def kept_pdf(html: str, *, base_url: str, folder: str, keep: int = 20) -> bytes:
    """`html_to_pdf`, rendered once for the same HTML and kept in the media folder (shared by every app server).

    A plan's PDF takes seconds of CPU and is downloaded by many readers between changes, so the
    file is kept under a name made from what it is made of (`pdf_key`): a changed figure, date or
    stylesheet is a new name, and the same document is served from the file. The `keep` newest
    files of a folder are kept; older ones are removed when a new one is written.
    """
    name = f"{folder}/{pdf_key(html)}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    data = html_to_pdf(html, base_url=base_url)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another request wrote the same document meanwhile: keep one copy
        default_storage.delete(saved)
    _prune(folder, keep)
    return data


def _prune(folder: str, keep: int) -> None:
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    paths = [f"{folder}/{f}" for f in files if f.endswith(".pdf")]
    if len(paths) <= keep:
        return
    paths.sort(key=default_storage.get_modified_time, reverse=True)
    for stale in paths[keep:]:
        default_storage.delete(stale)


def anchor_pages(document: weasyprint.Document) -> dict[str, int]:
    """{anchor id: page number from 1} for every id in a rendered document."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


# Long documents in sections ---------------------------------------------------------------
# WeasyPrint lays out one document on one core. A long document is cut into sections (complete
# HTML documents, each starting a page), rendered in parallel and joined here into one tagged
# PDF: one structure tree, one outline, and "Page n of N" stamped on the joined pages.

# A section carries no page numbers of its own: they are stamped when the sections are joined; the
# page numbers' document carries nothing else (the sections print the running header).
_NO_PAGE_NUMBERS = "<style>@page { @bottom-right { content: none } }</style></head>"
_ONLY_PAGE_NUMBERS = "<style>@page { @top-left { content: none; border: none } }</style></head>"
_BODY = re.compile(r"<body[^>]*>")
# WeasyPrint tags the text of a margin box as a Span; a page number stamped on is pagination.
_MARKED_SPAN = re.compile(rb"/Span\s*<</MCID \d+>>\s*BDC")
_MARKED = re.compile(rb"\b(?:BDC|BMC)\b")
_TEXT = re.compile(rb"\bTj\b|\bTJ\b")


def section_pdf(html: str, *, base_url: str, renderer: str = WEASYPRINT) -> bytes:
    """One section of a long document as a tagged PDF: no page numbers; heading levels and XMP are set after joining.

    Its element IDs start with a hash of its HTML, so they stay unique among the sections it is joined with.
    """
    prefix = hashlib.sha256(html.encode()).hexdigest()[:10] + "-"
    html = html.replace("</head>", _NO_PAGE_NUMBERS, 1)
    return pdf_ua.repair(printed(html, base_url=base_url, renderer=renderer), section=True, id_prefix=prefix)


def page_numbers_html(html: str, pages: int) -> str:
    """A document of `pages` empty pages laid out by `html`'s stylesheet: only its "Page n of N", for `join`.

    Each page holds an empty block a pixel high: Chromium lays out no page for a break between blocks with no height.
    """
    html = html.replace("</head>", _ONLY_PAGE_NUMBERS, 1)
    body = _BODY.search(html)
    breaks = '<div style="break-after: page; height: 1px"></div>' * (pages - 1)
    return f'{html[:body.start()]}{body.group(0)}{breaks}<div style="height: 1px"></div></body></html>'


def page_numbers_pdf(html: str, pages: int, *, renderer: str = WEASYPRINT) -> bytes:
    """`page_numbers_html` printed by the renderer that printed the sections (as they are, unrepaired: `join` stamps them)."""
    return printed(page_numbers_html(html, pages), base_url="/", renderer=renderer)


def join(sections: list[bytes], *, page_numbers: Callable[[int], bytes]) -> bytes:
    """Tagged section PDFs (`section_pdf`) as one tagged PDF, page n stamped with page n of `page_numbers(pages)`.

    The first section gives the catalogue, metadata and language. Each later section's pages,
    structure elements (under the first's Document element), parent tree entries (renumbered
    after the first's), role map and outline entries (under the first section's last top-level entry: sections after the first
    continue its h1) are carried over.
    """
    with pikepdf.open(io.BytesIO(sections[0])) as pdf:
        root_tree = pdf.Root.StructTreeRoot
        document = _document_element(root_tree)
        nums = _parent_tree_nums(root_tree.ParentTree)
        outline = _outline_entries(pdf, page_offset=0)
        for data in sections[1:]:
            with pikepdf.open(io.BytesIO(data)) as section:
                offset = max((int(k) for k in nums[::2]), default=-1) + 1
                first_page = len(pdf.pages)
                entries = _outline_entries(section, page_offset=first_page)
                tree = section.Root.StructTreeRoot
                theirs = _parent_tree_nums(tree.ParentTree)
                # The pages first: the elements and parent tree copied after them point at these copies.
                pdf.pages.extend(section.pages)
                copied = pdf.copy_foreign(section.make_indirect(pikepdf.Array([
                    _document_element(tree), pikepdf.Array(theirs)])))
                for page in pdf.pages[first_page:]:
                    if "/StructParents" in page.obj:
                        page.obj.StructParents = int(page.obj.StructParents) + offset
                    for annotation in page.obj.get("/Annots", []):
                        if "/StructParent" in annotation:
                            annotation.StructParent = int(annotation.StructParent) + offset
                for i in range(0, len(copied[1]), 2):
                    nums.extend([int(copied[1][i]) + offset, copied[1][i + 1]])
                for kid in list(copied[0].get("/K", [])):
                    if isinstance(kid, pikepdf.Dictionary):
                        kid.P = document
                    document.K.append(kid)
                for role, target in (tree.get("/RoleMap") or {}).items():
                    root_tree.setdefault("/RoleMap", pikepdf.Dictionary())[role] = target
                if outline and entries:
                    outline[-1][4].extend(entries)
                else:
                    outline.extend(entries)
        root_tree.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        root_tree.ParentTreeNextKey = max((int(k) for k in nums[::2]), default=-1) + 1
        pdf_ua.joined(pdf)
        _write_outline(pdf, outline)
        _stamp(pdf, page_numbers(len(pdf.pages)))
        out = io.BytesIO()
        pdf_ua.save(pdf, out)
        return out.getvalue()


def _document_element(tree):
    kids = tree.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _parent_tree_nums(node) -> list:
    """A number tree's [key, value, key, value...] (WeasyPrint writes one flat /Nums; kids are read too)."""
    out = list(node.get("/Nums", []))
    for kid in node.get("/Kids", []):
        out.extend(_parent_tree_nums(kid))
    return out


def _outline_entries(pdf: pikepdf.Pdf, *, page_offset: int) -> list:
    """[(title, page index in the joined document, left, top, children)] of a PDF's outline."""
    pages = {page.objgen: i for i, page in enumerate(pdf.pages)}

    def entry(item):
        destination = item.destination
        if isinstance(destination, pikepdf.Array) and len(destination) >= 4:
            page = pages.get(destination[0].objgen, 0) + page_offset
            left, top = float(destination[2]), float(destination[3])
        else:
            page, left, top = page_offset, 0.0, 0.0
        return (item.title, page, left, top, [entry(child) for child in item.children])

    with pdf.open_outline() as outline:
        return [entry(item) for item in outline.root]


def _write_outline(pdf: pikepdf.Pdf, entries: list) -> None:
    def item(title, page, left, top, children):
        made = pikepdf.OutlineItem(title, page, pikepdf.PageLocation.XYZ, left=left, top=top, zoom=0)
        made.children.extend(item(*child) for child in children)
        return made

    with pdf.open_outline() as outline:
        outline.root.clear()
        outline.root.extend(item(*e) for e in entries)


def _stamp(pdf: pikepdf.Pdf, page_numbers: bytes) -> None:
    """Each page's "Page n of N", drawn from the numbers document's page n as pagination (an artifact)."""
    with pikepdf.open(io.BytesIO(page_numbers)) as numbers:
        if len(numbers.pages) != len(pdf.pages):
            raise ValueError(f"{len(numbers.pages)} page numbers for {len(pdf.pages)} pages")
        for number_page, page in zip(numbers.pages, pdf.pages, strict=True):
            number_page.contents_coalesce()
            drawn = number_page.obj.Contents.read_bytes()
            content, marked = _MARKED_SPAN.subn(b"/Artifact <</Type /Pagination>> BDC", drawn)
            if not marked and not _MARKED.search(drawn) and _TEXT.search(drawn):
                # Chromium marks nothing on a page with no element on it: all it draws is the page number.
                content, marked = b"/Artifact <</Type /Pagination>> BDC\n" + drawn + b"\nEMC\n", 1
            if not marked:
                raise ValueError("no page number found to stamp")
            number_page.obj.Contents = numbers.make_stream(content)
            page.add_overlay(pdf.copy_foreign(number_page.as_form_xobject()))

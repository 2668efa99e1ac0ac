"""What the tests read from a PDF (tags, title, language, fonts, page sizes, text per page, structure tree), with pikepdf and pypdf.

No system tool is needed: a fresh machine's `make test` checks PDFs with what `make setup`
installed. `assert_accessible_pdf` is the check every PDF the app makes must pass; it includes
`pdf_ua_breaches`, our own PDF/UA-1 structure check (pikepdf walking the structure tree).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdf
from defusedxml import ElementTree

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class PdfFacts:
    name: str
    tagged: bool
    title: str
    lang: str
    page_sizes: list[tuple[float, float]]  # (width, height) in points, rounded to 0.01
    fonts: dict[str, bool]  # base font name -> embedded
    pages: list[str]  # the text of each page

    @property
    def text(self) -> str:
        """All the text, pages separated by form feeds (as pdftotext wrote it)."""
        return "\f".join(self.pages)

    @property
    def flat_text(self) -> str:
        """The text with every run of white space made one space: what a reader reads, not where it sits."""
        return " ".join(self.text.split())


def read_pdf(source: Path | bytes, name: str = "document.pdf") -> PdfFacts:
    data = source.read_bytes() if isinstance(source, Path) else source
    name = source.name if isinstance(source, Path) else name
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        tagged = bool(mark_info is not None and mark_info.get("/Marked") and "/StructTreeRoot" in root)
        title = str(pdf.docinfo.get("/Title", ""))
        lang = str(root.get("/Lang", ""))
        sizes = []
        fonts: dict[str, bool] = {}
        for page in pdf.pages:
            box = [float(v) for v in page.mediabox]
            sizes.append((round(box[2] - box[0], 2), round(box[3] - box[1], 2)))
            _collect_fonts(page.obj.get("/Resources"), fonts, set())
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    return PdfFacts(name=name, tagged=tagged, title=title, lang=lang, page_sizes=sizes, fonts=fonts, pages=pages)


A4 = (595.28, 841.89)


def a4(sizes: list[tuple[float, float]], *, landscape: bool = False) -> bool:
    """Whether every page is A4 (landscape: turned), to half a point: Chromium prints A4 as 594.96 x 841.92,
    whole device pixels, 0.1 mm short of WeasyPrint's exact 595.28 x 841.89."""
    width, height = A4[::-1] if landscape else A4
    return bool(sizes) and all(abs(w - width) <= 0.5 and abs(h - height) <= 0.5 for w, h in sizes)


def _collect_fonts(resources, fonts: dict[str, bool], seen: set) -> None:
    """Every font of a page, including those inside form XObjects and Type 3 glyph procedures."""
    if resources is None:
        return
    if resources.is_indirect:
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    for font in (resources.get("/Font") or {}).values():
        fonts[str(font.get("/BaseFont", font.get("/Name", "(unnamed)")))] = _embedded(font)
        if font.get("/Subtype") == "/Type3":
            _collect_fonts(font.get("/Resources"), fonts, seen)
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            _collect_fonts(xobject.get("/Resources"), fonts, seen)


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # its glyphs are drawn by the PDF itself
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in FONT_FILES)


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def assert_accessible_pdf(source: Path | bytes, *, title: str | None = None, contains: tuple[str, ...] = ()) -> PdfFacts:
    """A PDF fit for committee papers: tagged, titled, language set, every font embedded, text as shown, PDF/UA-1 structure."""
    facts = read_pdf(source)
    assert facts.tagged, f"{facts.name} is not a tagged PDF (no /MarkInfo /Marked true with a structure tree)"
    assert facts.title, f"{facts.name} has no title"
    if title:
        assert title in facts.title, f"{facts.name} title {facts.title!r} does not say {title!r}"
    assert facts.lang.startswith("en"), f"{facts.name} does not declare its language (/Lang {facts.lang!r})"
    assert facts.fonts, f"{facts.name} has no fonts listed"
    bare = [font for font, embedded in facts.fonts.items() if not embedded]
    assert not bare, f"{facts.name} has fonts that are not embedded: {bare}"
    flat = _flat(facts.text)
    missing = [expected for expected in contains if _flat(expected) not in flat]
    assert not missing, f"{facts.name} text does not contain what the page shows: {missing}"
    assert_pdf_ua(source, facts.name)
    return facts


# PDF/UA-1 structure --------------------------------------------------------------------------

XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
SCOPES = {"/Row", "/Column", "/Both"}
# What each structure type may hold (ISO 32000-1 tables 336 and 337, as PDF/UA-1 checkers read them).
LIST_KIDS = {"/L": {"/LI", "/L", "/Caption"}, "/LI": {"/Lbl", "/LBody"}}
TABLE_KIDS = {
    "/Table": {"/Caption", "/THead", "/TBody", "/TFoot", "/TR"},
    "/THead": {"/TR"}, "/TBody": {"/TR"}, "/TFoot": {"/TR"}, "/TR": {"/TH", "/TD"},
}
PARENTS = {
    "/LI": {"/L"}, "/Lbl": {"/LI"}, "/LBody": {"/LI"}, "/TR": {"/Table", "/THead", "/TBody", "/TFoot"},
    "/TH": {"/TR"}, "/TD": {"/TR"}, "/THead": {"/Table"}, "/TBody": {"/Table"}, "/TFoot": {"/Table"},
}
HEADING = {f"/H{n}": n for n in range(1, 7)}


@dataclass
class Element:
    type: str
    obj: pikepdf.Dictionary
    kids: list[Element]
    parent: Element | None = None

    @property
    def path(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.type.lstrip("/"))
            node = node.parent
        return " > ".join(reversed(names))


def structure_tree(pdf: pikepdf.Pdf) -> Element:
    """The structure tree as Elements (types read through the RoleMap), kids in their order."""
    root = pdf.Root.StructTreeRoot
    role_map = root.get("/RoleMap") or {}

    def kids_of(k) -> list:
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def build(obj, parent):
        kind = str(obj.S)
        kind = str(role_map.get(kind, kind))
        element = Element(kind, obj, [], parent)
        for kid in kids_of(obj.get("/K")):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                element.kids.append(build(kid, element))
        return element

    top = Element("/StructTreeRoot", root, [])
    top.kids = [build(kid, top) for kid in kids_of(root.get("/K")) if isinstance(kid, pikepdf.Dictionary)]
    return top


def _walk(element: Element):
    yield element
    for kid in element.kids:
        yield from _walk(kid)


def _attributes(obj) -> list:
    value = obj.get("/A")
    if value is None:
        return []
    return [a for a in (value if isinstance(value, pikepdf.Array) else [value]) if isinstance(a, pikepdf.Dictionary)]


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    """pdfuaid:part, dc:title and dc:language from the XMP packet (empty strings where missing)."""
    found = {"part": "", "title": "", "language": ""}
    if "/Metadata" not in pdf.Root:
        return found
    packet = pdf.Root.Metadata.read_bytes()
    start, end = packet.find(b"<x:xmpmeta"), packet.rfind(b"</x:xmpmeta>")
    if start < 0 or end < 0:
        return found
    tree = ElementTree.fromstring(packet[start:end + len(b"</x:xmpmeta>")])
    part = f"{{{XMP['pdfuaid']}}}part"
    for description in tree.iter(f"{{{XMP['rdf']}}}Description"):
        if part in description.attrib:
            found["part"] = description.attrib[part]
    for node in tree.iter(part):
        found["part"] = (node.text or "").strip()
    for name in ("title", "language"):
        for node in tree.iter(f"{{{XMP['dc']}}}{name}"):
            items = [(li.text or "").strip() for li in node.iter(f"{{{XMP['rdf']}}}li")]
            found[name] = next((item for item in items if item), "")
    return found


def pdf_ua_breaches(source: Path | bytes) -> list[str]:
    """Every breach of the PDF/UA-1 rules the app's PDFs must keep, as sentences (an empty list is a pass).

    Metadata (XMP pdfuaid:part 1, dc:title, dc:language; /Lang; title shown), table headers with a
    /Scope, lists and tables nested as ISO 32000-1 says (a Caption only as a Table's first kid),
    headings in order (H1 first, never a level skipped going down) and figures with alternative text.
    """
    data = source.read_bytes() if isinstance(source, Path) else source
    breaches = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        xmp = _xmp(pdf)
        if xmp["part"] != "1":
            breaches.append(f"XMP metadata has no pdfuaid:part 1 (found {xmp['part']!r})")
        if not xmp["title"]:
            breaches.append("XMP metadata has no dc:title")
        if not xmp["language"]:
            breaches.append("XMP metadata has no dc:language")
        if not str(root.get("/Lang", "")):
            breaches.append("the catalog has no /Lang")
        if not str(pdf.docinfo.get("/Title", "")):
            breaches.append("the document information has no /Title")
        preferences = root.get("/ViewerPreferences") or {}
        if not preferences.get("/DisplayDocTitle"):
            breaches.append("/ViewerPreferences does not set /DisplayDocTitle")
        mark_info = root.get("/MarkInfo") or {}
        if not mark_info.get("/Marked") or "/StructTreeRoot" not in root:
            return [*breaches, "not a tagged PDF"]

        previous_level = 0
        for element in _walk(structure_tree(pdf)):
            kind, kids = element.type, [kid.type for kid in element.kids]
            if kind == "/TH" and not any(str(a.get("/Scope", "")) in SCOPES for a in _attributes(element.obj)):
                breaches.append(f"{element.path}: a table header cell without /Scope")
            allowed = LIST_KIDS.get(kind) or TABLE_KIDS.get(kind)
            if allowed is not None:
                wrong = sorted({k for k in kids if k not in allowed})
                if wrong:
                    breaches.append(f"{element.path}: holds {', '.join(w.lstrip('/') for w in wrong)}")
            if kind == "/L" and "/LI" not in kids and "/L" not in kids:
                breaches.append(f"{element.path}: a list without list items")
            if kind == "/LI" and not kids:
                breaches.append(f"{element.path}: an empty list item")
            if kind == "/Table" and "/Caption" in kids[1:]:
                breaches.append(f"{element.path}: the Caption is not the table's first kid")
            if kind in PARENTS and element.parent is not None and element.parent.type not in PARENTS[kind]:
                breaches.append(f"{element.path}: {kind.lstrip('/')} outside {'/'.join(sorted(PARENTS[kind]))}")
            if kind in HEADING:
                level = HEADING[kind]
                if level > previous_level + 1:
                    breaches.append(f"{element.path}: H{level} follows H{previous_level or '(none)'}")
                previous_level = level
            if kind == "/Figure" and not (element.obj.get("/Alt") or element.obj.get("/ActualText")):
                breaches.append(f"{element.path}: a figure without alternative text")
    return breaches


def assert_pdf_ua(source: Path | bytes, name: str = "") -> None:
    breaches = pdf_ua_breaches(source)
    shown = "\n".join(f"- {b}" for b in breaches[:30]) + (f"\n... and {len(breaches) - 30} more" if len(breaches) > 30 else "")
    assert not breaches, f"{name or 'the PDF'} breaks PDF/UA-1 rules ({len(breaches)}):\n{shown}"

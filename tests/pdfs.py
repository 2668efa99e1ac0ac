"""What the tests read from a PDF (tags, title, language, fonts, page sizes, text per page), with pip's pikepdf and pypdf.

No system tool is needed: a fresh machine's `make test` checks PDFs with what `make setup`
installed. `assert_accessible_pdf` is the check every PDF the app makes must pass.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdf

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
    """A PDF fit for committee papers: tagged, titled, language set, every font embedded, text as shown."""
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
    return facts

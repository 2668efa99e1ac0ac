"""Long print documents are rendered in sections, joined into one PDF/UA document, and each section is kept for reuse."""

import io
import re

import pikepdf
import pytest

from reports import pdfs, render
from tests.pdfs import assert_accessible_pdf, read_pdf

CSS = render.PRINT_CSS.read_text(encoding="utf-8") + render.COLUMN_WIDTHS
HEADER = '<style>@page { @top-left { content: "Council \\0000B7  Cabinet" } }</style>'


def row(n: int, actual: str = "") -> str:
    return (f'<tr><th scope="row">KPI{n:03d}</th><td>Measure {n}<br>On target.</td>'
            f'<td class="n">{actual or n * 3}</td><td class="sG">Green (G)</td></tr>')


def kpis(rows: int = 60, *, changed: dict | None = None) -> str:
    """An appendix as reports.render.print_parts writes one: a long fixed table of one row an indicator."""
    body = "".join(row(n, (changed or {}).get(n, "")) for n in range(1, rows + 1))
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Council – Appendix F</title>'
            f'<style>{CSS}</style>{HEADER}</head><body class="landscape"><article class="app-report"><h1>Appendix F: Key performance indicators by month</h1>'
            f'<table class="fixed"><caption>Key performance indicators by month</caption><colgroup><col class="w10">'
            f'<col class="w50"><col class="w20"><col class="w20"></colgroup><thead><tr><th scope="col">No of PI</th>'
            f'<th scope="col">Performance measurement</th><th scope="col" class="n">End of June 06</th>'
            f'<th scope="col">Status</th></tr></thead><tbody>{body}</tbody></table></article></body></html>')


def templates(count: int = 12) -> str:
    """Appendix A(2): one titled template for each indicator marked R."""
    body = "".join(f'<section class="tpl" aria-labelledby="t{n}"><h3 id="t{n}">KPI{n:03d} Measure {n}</h3>'
                   f"<dl><div><dt>Why R</dt><dd>Below target {n}.</dd></div></dl></section>" for n in range(1, count + 1))
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Council – Appendix A (2)</title>'
            f'<style>{CSS}</style>{HEADER}</head><body>'
            f'<article class="app-report"><h1>Appendix A (2): Templates</h1>{body}</article></body></html>')


@pytest.fixture
def small_sections(monkeypatch):
    monkeypatch.setattr(pdfs, "ROWS_PER_SECTION", 8)
    monkeypatch.setattr(pdfs, "TEMPLATES_PER_SECTION", 4)
    monkeypatch.setattr(pdfs, "SPLIT_FROM_BYTES", 0)


def rendered(jobs, **options) -> tuple[dict, pdfs.Stats]:
    made = {}
    stats = pdfs.render_all(jobs, on_done=made.__setitem__, processes=1, **options)
    return made, stats


def test_a_long_table_is_cut_every_so_many_rows_and_each_section_repeats_the_column_headings(small_sections):
    html = kpis(20)
    pieces = pdfs.sections(html)
    assert len(pieces) == 3
    rows = [re.findall(r'<th scope="row">(KPI\d+)</th>', piece) for piece in pieces]
    assert [len(r) for r in rows] == [8, 8, 4]
    assert sum(rows, []) == [f"KPI{n:03d}" for n in range(1, 21)]
    assert all("<thead><tr><th scope=\"col\">No of PI</th>" in piece for piece in pieces)
    # The caption and heading once, at the start; every section a whole document with the running header.
    assert [piece.count("<caption>") for piece in pieces] == [1, 0, 0]
    assert [piece.count("<h1>") for piece in pieces] == [1, 0, 0]
    assert all(piece.count(HEADER) == 1 and piece.endswith("</body></html>") for piece in pieces)


def test_a_short_document_is_rendered_whole():
    assert pdfs.sections(kpis(30)) == [kpis(30)]


def test_the_joined_document_is_pdf_ua_with_its_pages_numbered_through(small_sections, pdf_renderer):
    made, stats = rendered([("F", kpis(36)), ("A2", templates(10))])
    assert stats.rendered == 5 + 3
    for name, data in made.items():
        facts = assert_accessible_pdf(data, title="Appendix")
        total = len(facts.pages)
        assert total >= 3, name
        for number, text in enumerate(facts.pages, start=1):
            assert f"Page {number} of {total}" in text, (name, number)
            assert "Council · Cabinet" in text, (name, number)  # the running header, on every page
        assert_structure_joined(data)
        assert_page_numbers_are_pagination(data)
    facts = read_pdf(made["F"])
    assert all(f"KPI{n:03d}" in facts.text for n in range(1, 37))
    assert facts.page_sizes[0][0] > facts.page_sizes[0][1]  # landscape, as the part is


def test_the_joined_outline_keeps_each_heading_under_the_appendix_title(small_sections, pdf_renderer):
    made, _ = rendered([("A2", templates(10))])
    with pikepdf.open(io.BytesIO(made["A2"])) as document, document.open_outline() as outline:
        assert [item.title for item in outline.root] == ["Appendix A (2): Templates"]
        children = outline.root[0].children
        assert [item.title for item in children] == [f"KPI{n:03d} Measure {n}" for n in range(1, 11)]
        pages = {page.objgen: i for i, page in enumerate(document.pages)}
        # Templates 5 and 9 start sections 2 and 3, each on a page after the one before it.
        assert pages[children[4].destination[0].objgen] > pages[children[3].destination[0].objgen]
        assert pages[children[8].destination[0].objgen] > pages[children[4].destination[0].objgen]


def test_a_repeat_render_reuses_every_kept_section_and_makes_the_same_pages(small_sections, pdf_renderer):
    first, stats = rendered([("F", kpis(20)), ("B", templates(2))])
    assert (stats.rendered, stats.reused) == (4, 0)
    again, stats = rendered([("F", kpis(20)), ("B", templates(2))])
    assert (stats.rendered, stats.reused) == (0, 4)
    assert again["B"] == first["B"]  # a document rendered whole is its kept file, byte for byte
    assert read_pdf(again["F"]).pages == read_pdf(first["F"]).pages


def test_a_corrected_figure_renders_only_its_own_section(small_sections, pdf_renderer):
    rendered([("F", kpis(20))])
    made, stats = rendered([("F", kpis(20, changed={11: "12,345"}))])
    assert (stats.rendered, stats.reused) == (1, 2)
    facts = assert_accessible_pdf(made["F"])
    assert "12,345" in facts.text
    assert str(11 * 3) not in facts.text  # the figure it corrects


def test_without_reuse_nothing_is_read_or_kept(small_sections, pdf_renderer):
    rendered([("F", kpis(20))], reuse=False)
    _, stats = rendered([("F", kpis(20))])
    assert (stats.rendered, stats.reused) == (3, 0)


@pytest.mark.browser
def test_a_section_kept_by_one_renderer_is_not_reused_by_the_other(small_sections, settings, chromium_installed):
    settings.COUNCILPERF_PDF_RENDERER = "weasyprint"
    rendered([("F", kpis(20))])
    settings.COUNCILPERF_PDF_RENDERER = "chromium"
    _, stats = rendered([("F", kpis(20))])
    assert (stats.renderer, stats.rendered, stats.reused) == ("chromium", 3, 0)
    settings.COUNCILPERF_PDF_RENDERER = "weasyprint"
    _, stats = rendered([("F", kpis(20))])
    assert (stats.renderer, stats.rendered, stats.reused) == ("weasyprint", 0, 3)


def assert_page_numbers_are_pagination(data: bytes) -> None:
    """The stamped "Page n of N" on every page is an artifact (pagination), never untagged content."""
    with pikepdf.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, start=1):
            stamped = [xobject for xobject in page.obj.Resources.XObject.values()
                       if xobject.get("/Subtype") == "/Form" and b"Pagination" in xobject.read_bytes()]
            assert len(stamped) == 1, number
            content = stamped[0].read_bytes()
            assert b"/Artifact <</Type /Pagination>> BDC" in content and b"/MCID" not in content, number
            assert content.count(b"BDC") == content.count(b"EMC"), number


def assert_structure_joined(data: bytes) -> None:
    """Each page's marked content belongs to elements of that page through the parent tree; IDs are unique."""
    with pikepdf.open(io.BytesIO(data)) as document:
        tree = document.Root.StructTreeRoot
        nums = list(tree.ParentTree.Nums)
        entries = dict(zip(nums[::2], nums[1::2], strict=True))
        assert len(entries) == len(nums) // 2, "a parent tree key is used twice"
        assert int(tree.ParentTreeNextKey) > max(entries)
        seen_keys = set()
        for page in document.pages:
            key = int(page.obj.StructParents)
            assert key not in seen_keys
            seen_keys.add(key)
            mcids = {int(m) for m in re.findall(rb"/MCID (\d+)", page.obj.Contents.read_bytes())}
            elements = entries[key]
            for mcid in mcids:
                element = elements[mcid]
                assert element.Pg.objgen == page.obj.objgen
        ids = []
        stack = [tree.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if "/ID" in node:
                    ids.append(str(node.ID))
                if "/K" in node:
                    stack.append(node.K)
        assert len(ids) == len(set(ids)), "element IDs repeat"


def test_one_figure_back_to_provisional_leaves_every_column_as_wide_as_before():
    """A correction puts one figure back to "Provisional, not signed off": were the sign-off column sized by
    its content, every column of the appendix would move, every section would differ and none be reused."""
    from reports import figures, tables

    columns = [{"label": "Code", "kind": "text"}, {"label": "Commentary", "kind": "text"}, dict(figures.SIGN_OFF_COLUMN)]
    rows = [[f"C{n:03}", "Some commentary on the month " * (n % 5 + 1), figures.SIGNED_OFF_WORDS] for n in range(300)]
    before = tables.column_widths({"columns": columns, "rows": rows})
    rows[7][2] = figures.PROVISIONAL_WORDS
    assert tables.column_widths({"columns": columns, "rows": rows}) == before


def test_an_icon_keeps_its_class_whichever_icons_come_before_it():
    from reports import render

    def img(n):
        return f'<img class="app-spc-icon" src="data:image/svg+xml;base64,{n * 4}" alt="">'

    head = "<html><head><style>p{}</style></head><body>"
    one = render._icons_once(head + img("QUJD") + img("REVG") + "</body></html>")
    other = render._icons_once(head + img("REVG") + "</body></html>")  # first here, second above
    name = re.search(r'spc-icon (spc-[0-9a-f]+)"></span></body>', one).group(1)
    assert re.search(r'spc-icon (spc-[0-9a-f]+)"></span></body>', other).group(1) == name
    assert one.index(".spc-") < one.index("</style>")


def test_appendix_a1_is_cut_twice_as_often_its_rows_being_taller(small_sections):
    pieces = pdfs.sections(kpis(20), tall_rows=True)
    assert [len(re.findall(r'<th scope="row">', piece)) for piece in pieces] == [4, 4, 4, 4, 4]
    made, stats = rendered([("A1", kpis(20)), ("F", kpis(20))])
    assert stats.rendered == 5 + 3
    assert set(made) == {"A1", "F"}


def test_a_joined_document_is_no_bigger_than_its_sections(small_sections, pdf_renderer):
    """The joined structure tree's elements go in compressed object streams: written loose, they made a
    joined appendix nearly twice the size of its sections together (F at 1,000 indicators: 6.2 MB against 2.5)."""
    html = kpis(40)
    alone = sum(len(pdfs._render(piece, False, pdf_renderer)) for piece in pdfs.sections(html))
    made, _ = rendered([("F", html)], reuse=False)
    assert len(made["F"]) < 1.1 * alone


def test_a_kept_section_is_keyed_by_the_regular_and_bold_font_files(monkeypatch):
    """fontconfig is asked for each face apart: a section rendered with other fonts is not reused."""
    found = {("Liberation Sans", False): __file__, ("Liberation Sans", True): pdfs.__file__}
    monkeypatch.setattr(pdfs.pdf, "font_file", lambda family, bold: found[(family, bold)])
    pdfs._fonts.cache_clear()
    try:
        fonts = pdfs._fonts()
        assert __file__ in fonts and pdfs.__file__ in fonts
        key = pdfs.section_key("<html></html>", whole=True)
        found[("Liberation Sans", True)] = render.__file__
        pdfs._fonts.cache_clear()
        assert pdfs.section_key("<html></html>", whole=True) != key
    finally:
        pdfs._fonts.cache_clear()

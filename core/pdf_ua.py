"""PDF/UA-1 repairs, with pikepdf, for what WeasyPrint's and Chromium's tagged PDFs leave out or nest wrongly.

WeasyPrint (70, `pdf_variant="pdf/ua-1"`) writes the structure tree, /Lang, the title and XMP
with pdfuaid:part 1 and dc:title. Chromium (`page.pdf(tagged=True)`, core.chromium) writes the
structure tree, /Lang and the title, and no XMP at all. `repair` then fixes, in the structure tree only (no content
stream is touched), what a PDF/UA-1 checker still fails. Each step names the upstream issue it
works round: when a WeasyPrint release fixes one, raise the floor in pyproject.toml, delete the
step, and tests/test_pdf_ua.py (which renders each case with WeasyPrint alone too) says whether
it is still needed.

- XMP dc:language from /Lang: WeasyPrint writes no dc:language (Kozea/WeasyPrint#2482 gathers
  its PDF/UA gaps); Chromium writes no XMP, so pdfuaid:part and dc:title too.
- List items: Chromium's LI holds its content (P, Table, NonStruct) directly, where an LI may hold
  only Lbl and LBody. The LI becomes the item's LBody under a new LI, so that the marked content
  it owns keeps its parent (the parent tree is not touched).
- Figures in figures: Chromium tags an HTML <figure> as a Figure with no Alt around the chart's
  own Figure (which has its Alt, from aria-label) and the Caption. The outer one groups, it is not
  an image: it becomes a Div.
- A table or list laid out by CSS as a table (display: table wrappers, a visually hidden
  caption) comes out as Table > Table > Table > Caption, or L > L > L: the inner copies are
  dissolved and a Caption becomes the Table's first kid (PDF 1.7 table 337;
  Kozea/WeasyPrint#1784, #2761).
- /Scope on every TH (Kozea/WeasyPrint#2508): Column in a THead; Row where WeasyPrint's own
  /Headers show a data cell of the same row refers to it (it does so exactly for
  `<th scope="row">`); otherwise Column.
- Definition lists: each `<div><dt/><dd/></div>` row comes out as L > Div > LI > LBody (dt),
  LI > LBody (dd); it becomes L > LI > Lbl (the term), LBody (the description)
  (Kozea/WeasyPrint#2482 "better PDF tags for dl", #2503, #2504). A row must hold one dt,
  then its dd(s): the app's print HTML does.
- Headings in order: a heading more than one level below the one before it is lifted
  (a print document reuses a page's fragment whose h3 sat under the page's h2).
"""

from __future__ import annotations

import io

import pikepdf

REVISION = "2"  # part of a kept PDF's key: a change here makes kept PDFs anew

TABLE, L, LI, LBL, LBODY, DIV, CAPTION, THEAD, NONSTRUCT, FIGURE = (
    pikepdf.Name(n) for n in ("/Table", "/L", "/LI", "/Lbl", "/LBody", "/Div", "/Caption", "/THead", "/NonStruct",
                              "/Figure"))
HEADINGS = {pikepdf.Name(f"/H{n}"): n for n in range(1, 7)}


def repair(data: bytes, *, section: bool = False, id_prefix: str = "") -> bytes:
    """`section=True` for a section of a longer document: its headings' levels depend on the sections
    before it and its XMP is not the document's, so `joined` does those steps on the joined document
    (core.pdf.join). `id_prefix` is put before every element ID (and the table headers that name them),
    so sections joined keep them unique."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not section:
            _metadata(pdf)
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is not None:
            elements = list(_walk(tree))
            for element in elements:
                if element.S in (TABLE, L):
                    _dissolve_copies(element)
            for element in elements:
                if element.S == L:
                    _definition_rows(element)
                elif element.S == pikepdf.Name.TR:
                    _scopes(element)
            for element in elements:
                if element.S == LI:
                    _list_item_body(pdf, element)
                elif element.S == FIGURE:
                    _figure_group(element)
            if id_prefix:
                _prefix_ids(elements, id_prefix)
            if not section:
                _heading_levels(tree)
        out = io.BytesIO()
        save(pdf, out)
        return out.getvalue()


def save(pdf: pikepdf.Pdf, out) -> None:
    """Write a PDF as every PDF we make is written.

    Content streams go as they came (not inflated and deflated again: a fifth of the time), and the
    other objects (the structure tree's thousands of elements) in compressed object streams: a
    joined Appendix F was 6.2 MB with them written loose and is 2.6 MB so, and is written faster.
    """
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _metadata(pdf: pikepdf.Pdf) -> None:
    lang = str(pdf.Root.get("/Lang", ""))
    title = str(pdf.docinfo.get("/Title", ""))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["pdfuaid:part"] = "1"
        if title and not xmp.get("dc:title"):
            xmp["dc:title"] = title
        if lang:
            xmp["dc:language"] = [lang]


# The structure tree ------------------------------------------------------------------------


def _is_element(obj) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def _kids(obj) -> list:
    k = obj.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _set_kids(obj, kids: list) -> None:
    obj.K = pikepdf.Array(kids)
    for kid in kids:
        if _is_element(kid):
            kid.P = obj


def _owns_content(obj) -> bool:
    """Whether marked content or an annotation hangs on the element itself (then it must stay)."""
    return any(not _is_element(kid) for kid in _kids(obj))


def _walk(obj, skip=None):
    for kid in _kids(obj):
        if _is_element(kid):
            yield kid
            if skip is None or skip != kid.S:
                yield from _walk(kid, skip)


def _same(a, b) -> bool:
    return a.objgen == b.objgen


def _dissolve_copies(element) -> None:
    """Table > Table (never valid) and L > L as an only kid: the inner copy's kids move up; a Caption goes first."""
    kind = element.S
    kids = _kids(element)
    changed = False
    while True:
        if kind == TABLE:
            copies = [k for k in kids if _is_element(k) and k.S == TABLE and not _owns_content(k)]
        else:
            copies = kids if len(kids) == 1 and _is_element(kids[0]) and kids[0].S == L and not _owns_content(kids[0]) else []
        if not copies:
            break
        changed = True
        kids = [inner for k in kids for inner in (_kids(k) if any(_same(k, c) for c in copies) else [k])]
    if kind == TABLE:
        captions = [k for k in kids if _is_element(k) and k.S == CAPTION]
        if captions and not _same(kids[0], captions[0]):
            kids = [captions[0], *(k for k in kids if not _same(k, captions[0]))]
            changed = True
    if changed:
        _set_kids(element, kids)


def _definition_rows(element) -> None:
    """L > Div > LI(LBody term), LI(LBody description)... becomes L > LI > Lbl, LBody."""
    for row in _kids(element):
        if not (_is_element(row) and row.S == DIV) or _owns_content(row):
            continue
        items = _kids(row)
        bodies = []
        for item in items:
            inner = _kids(item) if _is_element(item) else []
            if not (item.get("/S") == LI and len(inner) == 1 and _is_element(inner[0]) and inner[0].S == LBODY
                    and not _owns_content(item)):
                break
            bodies.append(inner[0])
        else:
            if not bodies:
                continue
            term, descriptions = bodies[0], bodies[1:]
            row.S = LI
            if not descriptions:
                _set_kids(row, [term])
                continue
            term.S = LBL
            body = descriptions[0]
            _set_kids(body, [k for d in descriptions for k in _kids(d)])
            _set_kids(row, [term, body])


def _list_item_body(pdf: pikepdf.Pdf, item) -> None:
    """An LI holding content or elements other than Lbl and LBody becomes the LBody of a new LI in its place."""
    kids = _kids(item)
    if not kids or all(_is_element(k) and k.S in (LBL, LBODY) for k in kids):
        return
    if _is_element(kids[0]) and kids[0].S == LBL:  # Chromium's <ol>/<dl> item: Lbl, then the body's elements
        rest = kids[1:]
        if any(not _is_element(k) or k.S in (LBL, LBODY) for k in rest):
            return  # content of its own after the label: not a shape either renderer writes, left as it is
        if len(rest) == 1 and rest[0].S == NONSTRUCT:
            rest[0].S = LBODY
        else:
            body = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=LBODY, P=item))
            _set_kids(body, rest)
            _set_kids(item, [kids[0], body])
        return
    if any(_is_element(k) and k.S in (LBL, LBODY) for k in kids):
        return  # part label and body already, in another order: left as it is
    parent = item.get("/P")
    if not _is_element(parent) and not isinstance(parent, pikepdf.Dictionary):
        return
    wrapper = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=LI, P=parent, K=pikepdf.Array([item])))
    parent.K = pikepdf.Array([wrapper if _is_element(k) and _same(k, item) else k for k in _kids(parent)])
    item.S = LBODY
    item.P = wrapper


def _figure_group(figure) -> None:
    """A Figure without Alt that holds only elements, a Figure with Alt among them, groups them: a Div."""
    if "/Alt" in figure or "/ActualText" in figure or _owns_content(figure):
        return
    kids = _kids(figure)
    if any(k.S == FIGURE and ("/Alt" in k or "/ActualText" in k) for k in kids):
        figure.S = DIV


def _scopes(row) -> None:
    cells = [k for k in _kids(row) if _is_element(k)]
    in_head = _is_element(row.get("/P")) and row.P.S == THEAD
    row_headers = {
        str(header) for cell in cells if cell.S == pikepdf.Name.TD
        for attributes in _attribute_dicts(cell) for header in attributes.get("/Headers", [])
    }
    for cell in cells:
        if cell.S != pikepdf.Name.TH:
            continue
        scope = "/Row" if not in_head and str(cell.get("/ID", "")) in row_headers else "/Column"
        table_attributes = next((a for a in _attribute_dicts(cell) if a.get("/O") == pikepdf.Name.Table), None)
        if table_attributes is None:
            table_attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
            existing = cell.get("/A")
            cell.A = pikepdf.Array([*([existing] if existing is not None else []), table_attributes]) \
                if not isinstance(existing, pikepdf.Array) else pikepdf.Array([*existing, table_attributes])
            table_attributes = next(a for a in _attribute_dicts(cell) if a.get("/O") == pikepdf.Name.Table)
        if "/Scope" not in table_attributes:
            table_attributes.Scope = pikepdf.Name(scope)


def _attribute_dicts(element) -> list:
    value = element.get("/A")
    if value is None:
        return []
    return [a for a in (value if isinstance(value, pikepdf.Array) else [value]) if isinstance(a, pikepdf.Dictionary)]


def joined(pdf: pikepdf.Pdf) -> None:
    """The steps of `repair` a section leaves to the document joined from sections: the XMP and the
    headings (tables are not entered: no heading is printed inside one, and their cells are nearly
    all of a long document's elements)."""
    _metadata(pdf)
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None:
        _heading_levels(tree, skip=TABLE)


def _prefix_ids(elements, prefix: str) -> None:
    for element in elements:
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        for attributes in _attribute_dicts(element):
            if "/Headers" in attributes:
                attributes.Headers = pikepdf.Array([pikepdf.String(prefix + str(h)) for h in attributes.Headers])


def _heading_levels(tree, skip=None) -> None:
    previous = 0
    for element in _walk(tree, skip):
        level = HEADINGS.get(element.S)
        if level is None:
            continue
        if level > previous + 1:
            level = previous + 1
            element.S = pikepdf.Name(f"/H{level}")
        previous = level

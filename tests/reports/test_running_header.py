"""The printed report's running header: the council, the meeting and the report's title on every page, in both renderers,
whatever characters people typed into the title."""

import re

from core import pdf
from reports import document, render
from reports.templatetags.report_tags import css_string
from tests.pdfs import read_pdf
from tests.reports import factories

TYPED = 'Bob\'s "integrated" report & <b>budget</b> \\ </style><script>x</script>\nsecond line'


def test_a_css_string_holds_any_text_and_ends_nothing_early():
    assert css_string("Herefordshire Council · Cabinet, 29 June 2006") == "Herefordshire Council · Cabinet, 29 June 2006"
    written = css_string(TYPED)
    assert not re.search(r'["<>&\n]|\\(?![0-9A-F]{6} )', written), written  # no quote, bracket, ampersand, bare backslash
    assert written.startswith("Bob's \\000022 integrated\\000022  report \\000026  \\00003C b\\00003E budget")


def test_every_page_of_a_part_carries_the_header_as_typed(world, pdf_renderer):
    report = factories.draft_report(world)
    report.title = TYPED
    report.save()
    doc = document.build(report)
    html = next(p.html for p in render.print_parts(doc) if p.part == "A1")
    assert html.count("</style>") == 2  # the stylesheet's and the header's: nothing typed ends one
    assert "<script>" not in html.split("</head>")[0]
    data = pdf.html_to_pdf(html, base_url="/", renderer=pdf_renderer)
    facts = read_pdf(data)
    header = " ".join(f"{doc.council_name} · {doc.meeting_label} · {TYPED}".split())
    for number, text in enumerate(facts.pages, start=1):
        assert header in " ".join(text.split()), (number, text[:300])

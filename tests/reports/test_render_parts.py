"""The report's tables and Appendix A(2), filled from their partials, say what the template engine would have said."""

from django.template import Context, engines
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core import presenters
from reports import tables

A2 = """{% load report_tags %}{% report_templates doc.figures.templates for_print %}"""


class _Doc:
    def __init__(self, templates):
        self.figures = {"templates": templates}


def _a2(templates, *, for_print=False):
    return engines["django"].from_string(A2).render({"doc": _Doc(templates), "for_print": for_print})


TEMPLATE = {
    "code": "NI <7>", "title": "Pupils' \"attainment\" & progress", "reason": "", "template_complete": False,
    "definition": "", "baseline": "1234.5", "baseline_period": "2005/06", "action_plan": "First <step>\n\nSecond",
    "action_plan_robust": False, "lead": "", "annual_target": None,
    "milestones": [{"period": "June 2006", "target": "12.50"}, {"period": "July 2006", "target": None}],
}


def test_a_template_escapes_what_people_typed_and_says_what_is_missing():
    html = _a2([TEMPLATE])
    assert "NI &lt;7&gt; Pupils&#x27; &quot;attainment&quot; &amp; progress</h3>" in html
    assert 'id="template-ni-7"' in html
    assert "Not stated (the template is incomplete)</dd>" in html
    assert "No definition recorded.</dd>" in html and "Not recorded</dd>" in html
    assert "1,234.5 (2005/06)</dd>" in html and "No target set</dd>" in html
    assert "June 2006: 12.50; July 2006: Not yet available</dd>" in html
    assert "<p>First &lt;step&gt;</p>\n\n<p>Second</p>" in html
    assert '<p class="govuk-body">Not yet judged robust.</p>' in html


def test_a_complete_template_with_a_robust_plan_says_nothing_more():
    done = {**TEMPLATE, "reason": "Below target", "template_complete": True, "action_plan_robust": True,
            "milestones": [], "baseline": None, "annual_target": "-3"}
    html = _a2([done], for_print=True)
    assert "<dd>Below target</dd>" in html and "incomplete" not in html and "robust" not in html
    assert "No milestones set" in html and "No baseline recorded" in html and "<dd>-3</dd>" in html


def test_without_indicators_marked_r_the_appendix_says_so():
    assert _a2([]).strip() == '<p class="govuk-body">No indicators are marked R.</p>'
    assert _a2([], for_print=True).strip() == "<p>No indicators are marked R.</p>"


def _engine(name, **context):
    return engines["django"].engine.get_template(f"reports/tables.html#{name}").render(Context(context))


def test_a_table_filled_from_its_partials_is_what_the_engine_renders_from_them():
    figures = {"series": {"NI 1": ["1.0", None, "3.5"]}, "series_labels": ["Mar", "Apr", "May"]}
    table = {"title": "Figures & <things>", "columns": [
        {"label": "Code", "kind": "text"}, {"label": "Said", "kind": "text"}, {"label": "Actual", "kind": "number"},
        {"label": "Status", "kind": "status"}, {"label": "Spend", "kind": "money"}],
        "rows": [["NI 1", 'A "quoted" <b>\nline', "1234.5", "R", "-20"], ["NI 2", None, None, None, None]]}
    html = tables.table_html(table, figures=figures, sparklines=True, csv_url="/csv?a=1&b=2")
    rows = []
    for row in table["rows"]:
        said = "" if row[1] is None else 'A "quoted" &lt;b&gt;<br>line'
        shown = [said, tables.number_cell(row[2]) if row[2] else "Not yet available",
                 str(conditional_escape(tables.cells.cell(row[3], "status"))), str(tables.cells.cell(row[4], "money"))]
        cells = "".join(_engine("page_cell", html=mark_safe(v), numeric=n) for v, n in zip(shown, [False, True, False, True], strict=True))  # noqa: S308 - escaped above, as tables does
        spark = tables.cells.sparkline(figures, row[0])
        rows.append(_engine("page_row", head=row[0], cells=mark_safe(cells), spark=mark_safe(spark), sparklines=True))  # noqa: S308
    columns = [{"label": c["label"], "numeric": c["kind"] in tables.NUMERIC} for c in table["columns"]]
    expected = _engine("page", title=table["title"], csv_url="/csv?a=1&b=2", sparklines=True, columns=columns,
                       body=mark_safe("".join(rows)))  # noqa: S308
    assert html == expected
    assert '<td class="govuk-table__cell">A "quoted" &lt;b&gt;<br>line</td>' in html
    assert 'href="/csv?a=1&amp;b=2"' in html and "<caption class=\"govuk-table__caption govuk-table__caption--s\">Figures &amp; &lt;things&gt;" in html


def test_an_empty_table_says_none_on_the_page_and_in_print():
    table = {"title": "Empty", "columns": [{"label": "Code", "kind": "text"}, {"label": "Actual", "kind": "number"}], "rows": []}
    assert '<td class="govuk-table__cell" colspan="2">None.</td>' in tables.table_html(table)
    assert '<tr><td colspan="3">None.</td></tr>' in tables.print_table_html(table, sparklines=True)


def test_a_print_trend_line_names_its_figures_and_escapes_them():
    svg = tables.print_sparkline(["1", None, "2"], ["Mar", "Apr", "May <x>"], "NI \"1\"")
    assert svg.startswith('<svg class="spark" viewBox="0 0 60 16" role="img"')
    assert "<title>NI &quot;1&quot; trend: Mar 1, Apr no data, May &lt;x&gt; 2</title>" in svg
    assert 'd="M2.0 14.0 M58.0 2.0 h0.1"' in svg


def test_number_cells_read_as_the_presenter_writes_them():
    for text in ("0", "-0", "-0.0", "-0.05", "007.50", "12", "1234.5", "-98765.4321", "1234567890.12", "1e3", "12.",
                 "abc", "+5", "0.5", "00", "05", "999", "-999.99", "1000", "-1000", "100.0", ".5", "1.", "1 000"):
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
        assert tables.number_cell(text) == presenters.number(text, decimals), text


def test_tables_of_one_document_share_a_trend_line_and_draw_the_same_one():
    figures = {"series": {"NI 1": ["1.0", None, "3.5"]}, "series_labels": ["Mar", "Apr", "May"]}
    table = {"title": "T", "columns": [{"label": "Code", "kind": "text"}, {"label": "Status", "kind": "status"}],
             "rows": [["NI 1", "R"], ["NI 2", None]]}
    alone = tables.table_html(table, figures=figures, sparklines=True)
    cache: dict = {}
    assert tables.table_html(table, figures=figures, sparklines=True, sparkline_cache=cache) == alone
    assert set(cache) == {"NI 1", "NI 2"} and "<svg" in cache["NI 1"]
    assert tables.table_html(table, figures=figures, sparklines=True, sparkline_cache=cache) == alone


def test_the_kpi_table_shows_each_indicator_in_scope_with_the_months_as_recorded(world):
    from datetime import date

    from django.utils import timezone

    from reports import figures
    from tests import factories as base
    from tests.reports import factories

    made = factories.small_council(world, size=2)
    made[0].portfolio = world.portfolio
    made[0].save()
    base.reading(made[0], "2006-03", "61.25")
    gone = base.indicator("GONE1", title="Withdrawn", portfolio=world.portfolio)
    base.reading(gone, "2006-05", 7)
    gone.deleted_at = timezone.now()
    gone.save()

    whole = figures.collect(factories.draft_report(world, meeting=date(2006, 9, 7)))["tables"]["F"]
    assert [c["label"] for c in whole["columns"][2:7]] == [
        "Position March 06", "End of April 06", "End of May 06", "End of June 06", "End of July 06"]
    rows = {r[0]: r for r in whole["rows"]}
    assert "GONE1" not in rows
    # As recorded, at the indicator's decimals (none: 61.25 shows as 61); no reading is None, not zero.
    assert rows["SS000"][2:9] == ["61", None, "50", None, "50", "100", "R"]
    assert rows["SS001"][2:9] == [None, None, "50", None, "120", "100", "G"]

    mine = figures.collect(factories.draft_report(world, meeting=date(2006, 9, 8), portfolio=world.portfolio))
    assert [r[0] for r in mine["tables"]["F"]["rows"]] == ["SS000"]
    assert mine["series"] == {"SS000": ["61", None, "50", None, "50"]}


def test_a_portfolio_report_says_its_budget_appendices_are_the_whole_councils(world):
    from datetime import date

    from reports import figures
    from tests.reports import factories

    whole = figures.collect(factories.draft_report(world, meeting=date(2006, 9, 7)))["tables"]
    mine = figures.collect(factories.draft_report(world, meeting=date(2006, 9, 8), portfolio=world.portfolio))["tables"]
    assert whole["C"]["title"] == "Revenue budget by service"
    assert mine["C"]["title"].startswith("Revenue budget by service (whole council")
    assert mine["D"]["title"].startswith("Capital programme by scheme (whole council")
    assert mine["C"]["rows"] == whole["C"]["rows"]


def test_a_portrait_table_gives_its_codes_the_room_they_need():
    """Appendix G is portrait: its widths are worked out for a portrait line, so no code breaks over two lines."""
    import re

    from reports import tables

    columns = [{"label": "Code", "kind": "text"}, {"label": "Indicator", "kind": "text"},
               {"label": "What the figures show", "kind": "text"}]
    rows = [[f"SC{n:05d}", "Delayed transfers of care (synthetic (illustrative) measure)",
             "2 of the 3 latest figures, to June 2006, are close to the lower process limit."] for n in range(40)]
    table = {"title": "Special-cause concern", "columns": columns, "rows": rows}
    code = (len("SC00000") * 1.2 + 2.5)  # what column_widths gives a short column, in characters
    portrait = re.search(r'class="w(\d+)"', str(tables.print_table_html(table, landscape=False)))
    landscape = re.search(r'class="w(\d+)"', str(tables.print_table_html(table)))
    assert int(portrait.group(1)) >= 100 * code / tables.PORTRAIT_LINE - 1
    assert int(portrait.group(1)) > int(landscape.group(1))

"""My updates prints its rows filled from one rendering per shape (core.stamps): each must be exactly
what rendering the row partial for that row gives, whatever state the row is in."""

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import get_template
from django.urls import reverse

from core import stamps
from indicators import returns, update_rows
from indicators.models import Indicator, Reading
from indicators.views.updates import ROW_RELATED, my_indicators
from organisation.models import Period
from tests import factories


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True, tolerance_pct=10)
    factories.reading(world.indicator, "2006-06", 180)
    world.period.refresh_from_db()
    return world.period


def fresh_row(world, period):
    [row] = [r for r in returns.rows_for(my_indicators(world.officer, period), period, related=ROW_RELATED)
             if r.indicator.pk == world.indicator.pk]
    return row


def typed(**fields):
    return dict.fromkeys(returns.FIELDS, "") | fields


def states(world, period):
    """(name, change to the row, read-only message) for every kind of row the page can show."""
    reading = Reading.objects.get(indicator=world.indicator, period=period)

    def errors(row):
        row.typed = typed(actual="<b>12&</b>", status_override="A", commentary='He said "no"\nthen <i>yes</i>')
        row.errors = returns.Errors(actual="Enter a number, like 12 or 12.5", status_reason="Give the reason {0}")

    def conflict(row):
        other = Reading.objects.select_related("updated_by").get(pk=reading.pk)
        other.commentary = "Theirs & <mine>"
        row.conflict, row.typed = other, typed(actual="150", commentary="mine")
        row.errors = returns.Errors(actual="Someone saved 196 while you were editing.")

    def saved(row):
        row.saved = True

    def returned(row):
        row.reading.state, row.reading.return_reason = Reading.RETURNED, "Check the <source> & the sum"

    def approved(row):
        row.reading.state = Reading.APPROVED
        row.reading.commentary = "Line one\nLine <two> & three"
        row.reading.remedial_action = ""

    def red(row):
        row.typed = typed(actual="150")

    def blank(row):
        row.reading = None

    changes = [("as saved", None), ("errors", errors), ("conflict", conflict), ("saved", saved), ("returned", returned),
               ("approved", approved), ("red", red), ("no reading", blank)]
    for name, change in changes:
        for read_only in (None, "July 2006 is locked: its figures cannot change."):
            yield name, change, read_only


def test_every_kind_of_row_is_filled_exactly_as_the_partial_renders_it(july, world):
    Reading.objects.filter(indicator=world.indicator, period=july).update(commentary="Ours & <theirs>")
    partial = get_template("indicators/updates.html#row")
    stamp = stamps.Stamp("indicators/updates.html#row")
    compared = 0
    for name, change, read_only in states(world, july):
        row = fresh_row(world, july)
        if change is not None:
            change(row)
        row.forget()
        update_rows.rows_view([row], july, read_only=read_only)
        for spc in ("", "<span>an SPC badge</span>"):
            if spc:
                row.view["spc"] = spc
            expected = partial.render({"row": row, "read_only": read_only})
            assert stamp.render({"row": {"view": row.view}, "read_only": read_only}) == expected, (name, read_only)
            compared += 1
    assert compared == 32


def test_a_value_the_stamp_cannot_stand_in_for_is_rendered_by_the_template():
    stamp = stamps.Stamp("indicators/updates.html#status")
    view = {"p": "7", "tag": "<strong>Red</strong>", "note": "off target", "problem": "", "explain": ""}
    filled = stamp.render({"s": view})
    assert filled == get_template("indicators/updates.html#status").render({"s": view})
    assert "&lt;strong&gt;Red&lt;/strong&gt;" in filled  # plain text is escaped, as {{ }} escapes it
    assert stamp.render({"s": {**view, "note": Decimal("1.5")}}) == get_template(
        "indicators/updates.html#status").render({"s": {**view, "note": Decimal("1.5")}})


def test_the_page_and_a_saved_row_show_the_same_markup_for_a_row(july, world, client_for):
    Reading.objects.filter(indicator=world.indicator, period=july).update(actual=150, commentary="Why & how")
    client = client_for("officer")
    page = client.get(reverse("indicators:updates")).content.decode()
    row = fresh_row(world, july)
    update_rows.rows_view([row], july, read_only=None)
    alone = get_template("indicators/updates.html#row").render({"row": row, "read_only": None})
    # The page's row also carries its SPC line; the rest is the partial's markup as it is.
    start = alone.index("<dl class")
    assert alone[:start] in page and alone[alone.index("</dl>"):] in page

"""The register as it stood at any period, the heat map and the headline risks, each page in fixed queries."""

from datetime import date

import pytest
from django.urls import reverse

from core import clock, periods
from risks import selectors, services
from risks.models import Mitigation, Risk
from tests.risks.factories import risk


def review(r, on, likelihood, impact, next_review="2006-12-31"):
    return services.risk_review(
        risk=r, by=r.owner, reviewed_on=date.fromisoformat(on), likelihood=likelihood, impact=impact,
        commentary=f"Reviewed {on}", next_review=date.fromisoformat(next_review),
    )


def row_for(rows, reference):
    return next(r for r in rows if r.reference == reference)


def test_the_register_shows_each_risk_as_it_stood_at_the_end_of_the_period(world):
    review(world.risk, "2006-08-15", 5, 5)
    july = row_for(selectors.register_as_at(period_key="2006-07"), "CR01")
    august = row_for(selectors.register_as_at(period_key="2006-08"), "CR01")
    assert (july.likelihood, july.impact, july.score, july.band.name, july.trend) == (3, 4, 12, "High", "new")
    assert (august.score, august.band.name, august.trend) == (25, "Very high", "emerging")
    assert august.commentary == "Reviewed 2006-08-15"


def test_a_risk_identified_after_the_period_is_not_on_its_register(world):
    risk("CR09", owner=world.officer, category=world.risk_category, identified_on=date(2006, 9, 1))
    references = [r.reference for r in selectors.register_as_at(period_key="2006-07")]
    assert "CR09" not in references
    assert "CR09" in [r.reference for r in selectors.register_as_at(period_key="2006-09")]


def test_a_removed_risk_still_shows_for_the_periods_before_its_removal(world):
    services.risk_remove(risk=world.other_risk, by=world.performance, reason="Merged into CR01")
    assert "CR02" in [r.reference for r in selectors.register_as_at(period_key="2006-07")]
    today = periods.month_of(clock.today()).key
    assert "CR02" not in [r.reference for r in selectors.register_as_at(period_key=today)]
    assert not Risk.objects.filter(reference="CR02").exists()


@pytest.mark.parametrize(("next_review", "overdue"), [("2006-07-30", True), ("2006-07-31", False)])
def test_a_review_due_before_the_period_ends_is_flagged_overdue(world, next_review, overdue):
    review(world.risk, "2006-06-15", 3, 4, next_review=next_review)
    assert row_for(selectors.register_as_at(period_key="2006-07"), "CR01").review_overdue is overdue


def test_headline_risks_name_the_high_bands_and_the_emerging_risks(world):
    risk("CR03", owner=world.officer, category=world.risk_category, likelihood=1, impact=2)
    review(world.other_risk, "2006-06-20", 4, 5)
    headline = selectors.headline_risks(period_key="2006-07")
    assert [r.reference for r in headline["high"]] == ["CR02", "CR01"]
    assert [r.reference for r in headline["emerging"]] == ["CR02"]


def test_the_heat_map_puts_each_reference_in_its_cell_with_impact_5_at_the_top(world):
    grid = selectors.heat_map(selectors.register_as_at(period_key="2006-07"))
    assert [row.impact for row in grid.rows] == [5, 4, 3, 2, 1]
    cell = grid.rows[1].cells[2]  # impact 4, likelihood 3
    assert (cell.likelihood, cell.impact, cell.score, cell.band.name, cell.references) == (3, 4, 12, "High", ["CR01"])
    assert grid.rows[1].cells[3].references == ["CR02"]
    assert sum(c.count for row in grid.rows for c in row.cells) == grid.total == 2


def test_the_register_filters_by_band_category_and_owner_and_sorts(world):
    rows = selectors.register_as_at(period_key="2006-07")
    high = next(b for b in world.risk_bands if b.name == "High")
    assert [r.reference for r in selectors.filter_and_sort(rows, band=str(high.pk))] == ["CR01"]
    assert [r.reference for r in selectors.filter_and_sort(rows, category=str(world.finance_category.pk))] == ["CR02"]
    assert [r.reference for r in selectors.filter_and_sort(rows, owner=str(world.officer.pk))] == ["CR01"]
    assert [r.reference for r in selectors.filter_and_sort(rows, sort="reference", descending=False)] == ["CR01", "CR02"]
    assert [r.reference for r in selectors.filter_and_sort(rows, sort="score")] == ["CR02", "CR01"]


def _more_risks(world, count):
    for n in range(count):
        r = risk(f"CX{n:02d}", owner=world.other_officer, category=world.finance_category)
        review(r, "2006-06-10", 2, 2)
        Mitigation.objects.create(risk=r, kind=Mitigation.ACTION, description="Act", owner=world.officer, due=date(2006, 9, 1))


# Session, user and roles (3); review periods, bands, risks, their reviews and mitigations (5);
# the register also lists the categories for its filter.
@pytest.mark.parametrize(("name", "queries"), [("risks:register", 9), ("risks:heat_map", 8)])
def test_register_and_heat_map_take_the_same_queries_however_many_risks(world, client_for, django_assert_num_queries, name, queries):
    client = client_for("officer")
    url = reverse(name) + "?period=2006-07"
    client.get(url)  # warm the session
    with django_assert_num_queries(queries):
        small = client.get(url)
    _more_risks(world, 6)
    with django_assert_num_queries(queries):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert "CX05" in large.content.decode()


def test_the_risk_page_shows_its_score_history_in_fixed_queries(world, client_for, django_assert_num_queries):
    review(world.risk, "2006-06-15", 4, 4)
    review(world.risk, "2006-07-15", 3, 5)
    client = client_for("approver")
    url = reverse("risks:detail", args=[world.risk.pk])
    client.get(url)
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert "Score history" in html
    assert html.count("Reviewed 2006-0") == 2
    assert "Very high" in html  # 16 in June


def test_the_register_page_says_the_period_and_links_each_reference(world, client_for):
    html = client_for("officer").get(reverse("risks:register") + "?period=2006-07&sort=reference&dir=asc").content.decode()
    assert "As it stood at the end of July 2006: 2 risks." in html
    assert reverse("risks:detail", args=[world.risk.pk]) in html
    assert 'aria-sort="ascending"' in html


def test_the_heat_map_reads_without_colour(world, client_for):
    html = client_for("officer").get(reverse("risks:heat_map") + "?period=2006-07").content.decode()
    assert "High 12" in html and "1 risk" in html and "CR01" in html
    assert "Impact 5" in html and "Likelihood 1" in html
    assert "style=" not in html and "<script>" not in html


def test_the_register_include_renders_for_the_report_without_links_or_script(world):
    from django.template.loader import render_to_string

    rows = selectors.register_as_at(period_key="2006-07")
    html = render_to_string("risks/includes/register_table.html", {"risks": rows})
    grid = render_to_string("risks/includes/heat_map.html", {"heat_map": selectors.heat_map(rows)})
    assert "Failure to safeguard vulnerable children" in html and "<a " not in html
    assert "CR02" in grid
    for part in (html, grid):
        assert "style=" not in part and "<script" not in part


def test_the_risk_page_shows_the_plan_actions_linked_to_it(world, client_for):
    from improvement_plans.models import Action, ActionRisk, Element, Plan

    plan = Plan.objects.create(title="Overall Performance Improvement Plan")
    element = Element.objects.create(plan=plan, number="1", title="Herefordshire Connects")
    action = Action.objects.create(element=element, number="1.4", text="Implement the programmes")
    ActionRisk.objects.create(action=action, reference=world.risk.reference)
    html = client_for("officer").get(reverse("risks:detail", args=[world.risk.pk])).content.decode()
    assert "Improvement plan actions" in html
    assert "1.4 Implement the programmes" in html


def test_a_risk_with_reviews_cannot_be_deleted_so_its_history_stays(world):
    from django.db.models import ProtectedError

    from risks.models import RiskReview

    review(world.risk, "2006-06-15", 4, 4)
    reviews = RiskReview.objects.filter(risk=world.risk).count()
    with pytest.raises(ProtectedError):
        world.risk.delete()
    assert RiskReview.objects.filter(risk=world.risk).count() == reviews

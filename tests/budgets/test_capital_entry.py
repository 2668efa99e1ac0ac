"""Capital programme entry in the browser: a scheme added, a change recorded, spend corrected, by the performance team only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import selectors, services
from budgets.models import CapitalChange, CapitalLine, CapitalScheme
from organisation.models import AuditEvent, Period
from tests.budgets.factories import capital_line
from tests.security.snapshot import nothing_written

D = Decimal
CAPITAL = reverse("budgets:capital") + "?period=2006-07"
ADD = reverse("budgets:capital_scheme_add")


def _change_url(w):
    return reverse("budgets:capital_change", args=[w.capital_line.pk])


def _spend_url(w):
    return reverse("budgets:capital_spend", args=[w.capital_line.pk])


def _scheme_form(**typed):
    return {"period": "2006-07", "name": "Corporate Accommodation", "original_forecast": "£1,000",
            "spend_to_date": "250", **typed}


def _change_form(**typed):
    return {"amount": "£2,000", "reason": "Rationalising office space", "approved_by": "Cabinet 20 April 2006", **typed}


def test_the_headline_sentence_names_a_change_once_it_is_recorded(world, client_for):
    client = client_for("performance")
    before = client.get(CAPITAL).content.decode()
    assert "totals £850.50, which is an increase of £850.50 above the original forecast" in before

    assert client.post(ADD, _scheme_form()).status_code == 302
    line = CapitalLine.objects.get(scheme__name="Corporate Accommodation")
    response = client.post(reverse("budgets:capital_change", args=[line.pk]), _change_form())
    assert response.status_code == 302 and response.url == CAPITAL

    page = client.get(CAPITAL).content.decode()
    assert "Addition of £2,000.00 to Corporate Accommodation is recorded." in page
    assert ("The revised forecast for 2006/07 totals £3,850.50, which is an increase of £2,850.50 above the original "
            "forecast. This increase is mainly due to Herefordshire Connects (£850.50) and Corporate Accommodation "
            "(£2,000).") in page
    assert "Rationalising office space; approved by Cabinet 20 April 2006." in page


def test_a_scheme_is_added_for_a_month_in_the_words_finance_uses(world, client_for):
    response = client_for("performance").post(ADD, _scheme_form(period="2006-08", original_forecast="£1,250,000.50",
                                                                spend_to_date="1,234"))
    assert response.status_code == 302
    line = CapitalLine.objects.select_related("period", "scheme").get(scheme__name="Corporate Accommodation")
    assert (line.period.key, line.original_forecast, line.spend_to_date) == ("2006-08", D("1250000.50"), D("1234.00"))
    assert line.scheme.order > CapitalScheme.objects.get(name="Herefordshire Connects").order
    event = AuditEvent.objects.get(action="capital_scheme_added")
    assert (event.user, event.object_id) == (world.performance, str(line.pk))
    assert event.summary == "2006-08 Corporate Accommodation: original forecast 1250000.50, spend to date 1234.00"


def test_a_scheme_already_known_is_reused_for_a_new_month(world, client_for):
    client_for("performance").post(ADD, _scheme_form(period="2006-08", name="herefordshire  connects"))
    assert CapitalScheme.objects.count() == 1
    assert list(CapitalLine.objects.filter(scheme__name="Herefordshire Connects")
                .order_by("period__key").values_list("period__key", flat=True)) == ["2006-07", "2006-08"]


def test_a_reprofiling_is_recorded_as_a_negative_change_with_the_revised_forecast_in_the_log(world, client_for):
    client_for("performance").post(_change_url(world), _change_form(amount="(500.50)", reason="Slipped to 2007/08"))
    change = CapitalChange.objects.get(reason="Slipped to 2007/08")
    assert (change.amount, change.kind, change.order) == (D("-500.50"), "Reprofiling or reduction", 1)
    assert selectors.capital_position(period_key="2006-07").totals.revised == D("350.00")
    assert AuditEvent.objects.get(action="capital_change_recorded").summary == (
        "2006-07 Herefordshire Connects: reprofiling or reduction of -500.50 (Slipped to 2007/08; "
        "approved by Cabinet 20 April 2006); revised forecast now 350.00")


def test_correcting_spend_to_date_keeps_the_figure_it_replaced_in_the_log(world, client_for):
    response = client_for("performance").post(_spend_url(world), {"spend_to_date": "£1,150"})
    assert response.status_code == 302
    assert CapitalLine.objects.get(pk=world.capital_line.pk).spend_to_date == D("1150.00")
    assert AuditEvent.objects.get(action="capital_spend_changed").summary == (
        "2006-07 Herefordshire Connects: spend to date 150.00 -> 1150.00")
    assert "Spend to date is £1,150.00" in client_for("performance").get(CAPITAL).content.decode()


def test_the_forms_open_with_the_schemes_figures_and_the_capital_page_links_to_them(world, client_for):
    client = client_for("performance")
    page = client.get(CAPITAL).content.decode()
    assert f'href="{ADD}?period=2006-07"' in page
    assert f'href="{_change_url(world)}"' in page and f'href="{_spend_url(world)}"' in page
    change = client.get(_change_url(world)).content.decode()
    assert "Programme investment; approved by Cabinet 20 April 2006." in change and "£850.50" in change
    assert 'value="150.00"' in client.get(_spend_url(world)).content.decode()
    assert 'value="2006-07"' in client.get(f"{ADD}?period=2006-07").content.decode()
    for html in (page, change):
        assert "style=" not in html


def test_staff_who_only_read_the_capital_page_see_no_entry_links(world, client_for):
    page = client_for("approver").get(CAPITAL).content.decode()
    assert "Herefordshire Connects" in page
    assert ADD not in page and _change_url(world) not in page and _spend_url(world) not in page


def test_a_form_with_errors_keeps_what_was_typed_and_writes_nothing(world, client_for):
    client = client_for("performance")
    with nothing_written():
        html = client.post(_change_url(world), _change_form(amount="1.000,10", approved_by="")).content.decode()
    assert html.count("There is a problem") == 1
    assert '<a href="#id_amount">Amount: Enter the amount in pounds:' in html
    assert '<a href="#id_approved_by">Approved by: This field is required.</a>' in html
    assert 'value="1.000,10"' in html and "Rationalising office space</textarea>" in html
    assert "<title>Error: " in html

    with nothing_written():
        html = client.post(ADD, _scheme_form(period="2006/07 Q1", spend_to_date="£1,2")).content.decode()
    assert "Enter a month, for example 2006-07" in html and "comma that does not separate thousands" in html
    assert 'value="Corporate Accommodation"' in html and 'value="£1,2"' in html


@pytest.mark.parametrize(("post", "expected"), [
    (lambda w, c: c.post(_change_url(w), _change_form(amount="0")), "A change of £0 changes nothing"),
    (lambda w, c: c.post(_change_url(w), _change_form(amount="-851")),
     "This would take Herefordshire Connects&#x27;s revised forecast below zero, to -£0.50."),
    (lambda w, c: c.post(ADD, _scheme_form(name="HEREFORDSHIRE CONNECTS")),
     "Herefordshire Connects is already in the programme for July 2006"),
    (lambda w, c: c.post(ADD, _scheme_form(original_forecast="(1)")), "An original forecast cannot be below zero"),
], ids=["zero change", "below zero", "scheme twice", "negative original"])
def test_changes_the_rules_do_not_allow_are_refused_and_nothing_is_written(world, client_for, post, expected):
    client = client_for("performance")
    with nothing_written():
        response = post(world, client)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.parametrize(("post", "form"), [
    (lambda w, c, data: c.post(ADD, data), _scheme_form),
    (lambda w, c, data: c.post(_change_url(w), data), _change_form),
    (lambda w, c, data: c.post(_spend_url(w), data), lambda: {"spend_to_date": "1"}),
], ids=["add scheme", "record change", "correct spend"])
def test_a_locked_periods_capital_figures_cannot_be_changed(world, client_for, post, form):
    Period.objects.filter(key="2006-07").update(state=Period.LOCKED)
    client = client_for("performance")
    with nothing_written():
        html = post(world, client, form()).content.decode()
    assert "July 2006 is locked; its figures can no longer be changed." in html


@pytest.mark.parametrize("role", ["officer", "approver", "other_officer", "other_approver", "member"])
@pytest.mark.parametrize(("post", "form"), [
    (lambda w, c, data: c.post(ADD, data), _scheme_form),
    (lambda w, c, data: c.post(_change_url(w), data), _change_form),
    (lambda w, c, data: c.post(_spend_url(w), data), lambda: {"spend_to_date": "999999"}),
], ids=["add scheme", "record change", "correct spend"])
def test_only_the_performance_team_enters_capital_figures(world, client_for, role, post, form):
    client = client_for(role)
    with nothing_written():
        response = post(world, client, form())
    assert response.status_code == 404


def test_the_services_refuse_a_locked_period_whoever_calls_them(world):
    Period.objects.filter(key="2006-07").update(state=Period.LOCKED)
    line = CapitalLine.objects.select_related("period", "scheme").get(pk=world.capital_line.pk)
    with nothing_written():
        with pytest.raises(services.BudgetRefused, match="July 2006 is locked"):
            services.capital_spend_update(line=line, by=world.performance, spend_to_date=D("1"))
        with pytest.raises(services.BudgetRefused, match="July 2006 is locked"):
            services.capital_change_record(line=line, by=world.performance, amount=D("1"), reason="r", approved_by="a")
        with pytest.raises(services.BudgetRefused, match="July 2006 is locked"):
            services.capital_scheme_add(period_key="2006-07", by=world.performance, name="New",
                                        original_forecast=D("1"), spend_to_date=D("0"))


@pytest.mark.parametrize(("post", "form", "queries"), [
    (lambda w, c, data, n: c.post(ADD, {**data, "name": f"Scheme {n}"}), _scheme_form, 13),
    (lambda w, c, data, n: c.post(_change_url(w), data), _change_form, 10),
    (lambda w, c, data, n: c.post(_spend_url(w), data), lambda: {"spend_to_date": "1"}, 8),
], ids=["add scheme", "record change", "correct spend"])
def test_each_save_takes_the_same_queries_however_big_the_programme(
        world, client_for, django_assert_num_queries, post, form, queries):
    client = client_for("performance")
    post(world, client, form(), 0)
    with django_assert_num_queries(queries):
        assert post(world, client, form(), 1).status_code == 302
    july = Period.objects.get(key="2006-07")
    for n in range(5):
        capital_line(july, f"Other {n}", "100", "1", [("5", "Reason", "Cabinet")] * 3, order=n + 1)
        CapitalChange.objects.create(line=world.capital_line, amount=D("1"), reason="More", approved_by="Cabinet")
    with django_assert_num_queries(queries):
        assert post(world, client, form(), 2).status_code == 302


@pytest.mark.parametrize("url", [
    _change_url, _spend_url, lambda w: reverse("budgets:revenue_line", args=[w.revenue_line.pk]),
], ids=["record change", "correct spend", "revenue line"])
def test_a_locked_months_line_says_so_instead_of_offering_a_form(world, client_for, url):
    client = client_for("performance")
    assert '<form method="post" novalidate>' in client.get(url(world)).content.decode()
    Period.objects.filter(key="2006-07").update(state=Period.LOCKED)
    html = client.get(url(world)).content.decode()
    assert html.count("July 2006 is locked; its figures can no longer be changed.") == 1
    assert '<form method="post" novalidate>' not in html

"""Chasing indicators led by a role: every holder of the role is asked, once, with their named figures."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import returns
from indicators.models import Reading, ReminderSent
from organisation.models import LeadRole, Period
from tests import factories
from tests.personas import make_user


@pytest.fixture
def july(world, as_at):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 11))
    world.period.refresh_from_db()
    as_at("2006-08-14")  # three days overdue
    return world.period


@pytest.fixture
def deputy(world):
    """A second holder of DoACS, in Adult Services."""
    return make_user("deputy", group="Officer", directorate=world.acs, roles=[world.roles["DoACS"]])


def _role_led(code, world, role="DoACS", directorate=None, **fields):
    return factories.indicator(code, directorate=directorate or world.acs, lead_role=world.roles[role],
                               title=f"Role-led {code}", **fields)


def _chase(client, period, **data):
    return client.post(reverse("indicators:chasing") + f"?period={period.pk}", data)


def _mail_to(address):
    return next(m for m in mail.outbox if m.to == [address])


def test_every_holder_of_the_role_is_emailed_the_figures_it_leads(july, world, deputy, client_for):
    _role_led("DA01", world)
    _chase(client_for("performance"), july, scope="overdue", send="1")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "deputy@council.example", "officer@council.example", "other_officer@council.example"]
    holder = _mail_to("other_officer@council.example").body
    assert "AS01 Adults helped to live at home\n" in holder  # led by name
    assert "DA01 Role-led DA01 (as DoACS, Director of Adult & Community Services)" in holder
    assert "July 2006: 2 of 2 figures still to send" in holder
    only_role = _mail_to("deputy@council.example").body
    assert "DA01 Role-led DA01 (as DoACS" in only_role and "AS01" not in only_role
    assert set(ReminderSent.objects.values_list("officer__username", flat=True)) == {
        "deputy", "officer", "other_officer"}


def test_a_person_who_is_both_named_lead_and_role_holder_is_asked_once(july, world, client_for):
    both = _role_led("CH150", world, role="DoCS", directorate=world.cyps, lead=world.officer)
    _chase(client_for("performance"), july, scope="directorate", directorate=world.cyps.pk, send="1")
    (message,) = mail.outbox
    assert message.to == ["officer@council.example"]
    assert message.body.count("- CH150 ") == 1 and "CH150 Role-led CH150\n" in message.body  # as the named lead
    assert "July 2006: 2 of 2 figures" in message.body
    summary = returns.return_summaries(july, person_id=world.officer.pk)
    assert [ind.code for s in summary for ind in s.waiting] == ["CH141", "CH150"] and both.lead_role_id


def test_a_role_holder_is_not_asked_for_a_figure_an_officer_is_named_for_until_that_officer_leaves(
        july, world, deputy, client_for):
    named = _role_led("DA01", world, lead=world.other_officer)
    _chase(client_for("performance"), july, scope="directorate", directorate=world.acs.pk, send="1")
    assert [m.to for m in mail.outbox] == [["other_officer@council.example"]]
    assert "- DA01 Role-led DA01\n" in mail.outbox[0].body
    mail.outbox.clear()
    world.other_officer.is_active = False
    world.other_officer.save()
    _chase(client_for("performance"), july, scope="directorate", directorate=world.acs.pk, send="1")
    assert [m.to for m in mail.outbox] == [["deputy@council.example"]]  # DoACS: the leaver held it too
    assert "- DA01 Role-led DA01 (as DoACS" in mail.outbox[0].body and named.lead_id == world.other_officer.pk
    deputy.profile.lead_roles.clear()
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert "No one to chase: its lead officer Other Officer has left and nobody holds the role DoACS" in page


def test_one_e_mail_lists_a_persons_figures_in_every_directorate(july, world, client_for):
    # The officer holds DoCS; a DoCS-led indicator kept by Adult Services is theirs too.
    _role_led("AX01", world, role="DoCS", directorate=world.acs)
    _chase(client_for("performance"), july, scope="officer", officer=world.officer.pk, send="1")
    (message,) = mail.outbox
    assert message.body.count("July 2006:") == 1 and message.subject.count("July 2006") == 1
    assert "July 2006: 2 of 2 figures" in message.body
    assert "CH141" in message.body and "AX01 Role-led AX01 (as DoCS" in message.body
    assert ReminderSent.objects.filter(officer=world.officer).count() == 2  # one per directorate's return


def test_one_officer_can_be_chosen_when_they_lead_only_by_role(july, world, deputy, client_for):
    _role_led("DA01", world)
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert f'<option value="{deputy.pk}"' in page
    assert page.count(f'<option value="{world.other_officer.pk}"') == 1
    _chase(client_for("performance"), july, scope="officer", officer=deputy.pk, send="1")
    assert [m.to for m in mail.outbox] == [["deputy@council.example"]]
    page = client_for("performance").get(reverse("indicators:chasing") + f"?period={july.pk}").content.decode()
    row = page[page.index('class="govuk-table__header">Deputy<'):]
    row = row[:row.index("</tr>")]
    assert "DA01 (as DoACS)" in row and "Not yet" not in row


def test_a_role_nobody_holds_is_listed_with_no_one_to_chase_and_nobody_is_emailed_for_it(july, world, client_for):
    hohr = LeadRole.objects.create(abbreviation="HoHR", title="Head of Human Resources")
    factories.indicator("HR01", directorate=world.cyps, lead_role=hohr, title="Sickness absence")
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert "No one to chase: nobody holds the role HoHR (Head of Human Resources)" in page
    assert "3 figures, from 2 officers now overdue; 1 with no one to chase" in page  # CH141, AS01 and HR01
    _chase(client_for("performance"), july, scope="overdue", send="1")
    assert all("HR01" not in m.body for m in mail.outbox)
    # The approver of that directorate sees it too; the other directorate's does not.
    assert "HR01" in client_for("approver").get(reverse("indicators:chasing")).content.decode()
    assert "HR01" not in client_for("other_approver").get(reverse("indicators:chasing")).content.decode()


def test_a_role_held_only_by_someone_who_has_left_is_not_chased(july, world, deputy, client_for):
    _role_led("DA01", world)
    world.other_officer.profile.lead_roles.clear()
    deputy.is_active = False
    deputy.save()
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert "No one to chase: nobody holds the role DoACS" in page
    _chase(client_for("performance"), july, scope="overdue", send="1")
    assert all(m.to != ["deputy@council.example"] and "DA01" not in m.body for m in mail.outbox)


def test_the_daily_run_names_the_figures_no_one_can_be_asked_for(july, world):
    hohr = LeadRole.objects.create(abbreviation="HoHR", title="Head of Human Resources")
    factories.indicator("HR01", directorate=world.cyps, lead_role=hohr, title="Sickness absence")
    err = _Sink()
    call_command("send_reminders", "--overdue-only", stdout=_Sink(), stderr=err)
    assert "July 2006 HR01: no one to chase: nobody holds the role HoHR" in err.text
    assert all("HR01" not in m.body for m in mail.outbox)


def test_submitted_role_led_figures_are_neither_chased_nor_listed(july, world, deputy, client_for):
    led = _role_led("DA01", world)
    hohr = LeadRole.objects.create(abbreviation="HoHR", title="Head of Human Resources")
    unheld = factories.indicator("HR01", directorate=world.cyps, lead_role=hohr)
    for ind in (led, unheld):
        factories.reading(ind, "2006-07", 5, state=Reading.SUBMITTED)
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert "DA01" not in page and "HR01" not in page and "No one to chase" not in page
    assert "Deputy" not in page


def test_after_n_days_the_role_holders_approver_is_copied_in(july, world, deputy, client_for, as_at, settings):
    settings.COUNCILPERF_ESCALATE_AFTER_DAYS = 7
    as_at("2006-08-25")
    _role_led("DA01", world)
    _chase(client_for("performance"), july, scope="officer", officer=deputy.pk, send="1")
    (message,) = mail.outbox
    assert message.cc == ["other_approver@council.example"]
    assert ReminderSent.objects.get().copied == "other_approver@council.example"


def test_a_figure_asked_of_two_holders_counts_once_in_what_is_still_to_come(july, world, deputy, client_for):
    _role_led("DA01", world)
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    # CH141, AS01 and DA01, though DA01 is asked of two people; three people overdue.
    assert "3 figures, from 3 officers now overdue" in page


def test_the_returns_overview_shows_each_holders_return(july, world, deputy, client_for):
    _role_led("DA01", world)
    page = client_for("performance").get(reverse("indicators:returns"), {"period": july.pk}).content.decode()
    deputy_row = page[page.index('class="govuk-table__header">Deputy<'):]
    assert "Not started" in deputy_row[:deputy_row.index("</tr>")]


def _grow(world, start, stop):
    """More role-led indicators: each with a role held by two people (one also holding DoACS, so
    leading by role in two directorates), each led by DoACS in Children's Services, and each led
    by a role nobody holds."""
    for i in range(start, stop):
        role = LeadRole.objects.create(abbreviation=f"R{i}", title=f"Role {i}", directorate=world.acs)
        make_user(f"holder{i}a", group="Officer", directorate=world.acs, roles=[role])
        make_user(f"holder{i}b", group="Officer", directorate=world.acs, roles=[role, world.roles["DoACS"]])
        factories.indicator(f"RL{i:02}", directorate=world.acs, lead_role=role)
        factories.indicator(f"DA{i:02}", directorate=world.cyps, lead_role=world.roles["DoACS"])
        empty = LeadRole.objects.create(abbreviation=f"E{i}", title=f"Empty {i}")
        factories.indicator(f"EM{i:02}", directorate=world.acs, lead_role=empty)


@pytest.mark.parametrize("scope", ["page", "preview"])
def test_chasing_takes_the_same_queries_however_many_role_led_indicators(july, world, client_for, scope):
    client = client_for("performance")
    client.get(reverse("home"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            if scope == "page":
                response = client.get(reverse("indicators:chasing"))
            else:
                response = _chase(client, july, scope="overdue", preview="1")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    _grow(world, 0, 2)
    small, page = count()
    assert "RL01" in page and "EM01" in page and "DA01" in page
    _grow(world, 2, 12)
    large, page = count()
    assert "RL11" in page and "EM11" in page and "DA11" in page
    assert large == small <= (9 if scope == "page" else 14)


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass

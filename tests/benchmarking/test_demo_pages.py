"""The demo council shows its quartile positions and drafted sentences on the indicator pages, the list,
the dashboard and the report (the figures are illustrative and labelled so)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from benchmarking.models import ComparatorMetric
from benchmarking.standings import quartile_cell, standings
from reports import document
from reports.models import Report


@pytest.fixture(scope="module")
def council(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_council", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def team(council, db, settings):
    settings.COUNCILPERF_AS_AT = "2006-09-07"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="performance"))
    return client


def words(response) -> str:
    html = response.content.decode().split('id="main-content"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&quot;", '"')


def test_every_mapped_indicators_page_shows_its_position_and_drafted_sentence(team):
    found = standings(on=date(2006, 9, 7))
    mapped = ComparatorMetric.objects.filter(indicator__isnull=False).count()
    assert len({s.indicator_id for s in found}) == mapped
    for s in found[:4]:
        page = words(team.get(reverse("indicators:detail", kwargs={"pk": s.indicator_id})))
        assert "Against comparable councils" in page and s.group.name in page
        assert s.drafted in page and "Quartile" in page


def test_the_list_and_dashboard_show_the_demo_quartiles(team):
    found = standings(indicator_ids=None, on=date(2006, 7, 31))
    listing = words(team.get(reverse("indicators:list"), {"period": "2006-07"}))
    for s in found:
        assert f"{s.metric.indicator.code} " in listing and quartile_cell(s) in listing
    dashboard = words(team.get(reverse("indicators:dashboard"), {"period": "2006-07"}))
    assert f"{len(found)} indicators benchmarked" in dashboard


def test_the_july_report_has_the_benchmarking_paragraph_and_appendix_h(team):
    report = Report.objects.filter(period__key="2006-07", portfolio__isnull=True).first()
    assert report is not None
    doc = document.build(report)
    paragraph = next(p.text for p in doc.paragraphs if p.key == "benchmarking")
    assert re.match(r"\d+ of \d+ benchmarked indicators \(\d+%\) (is|are) in the top quartile of our nearest neighbours",
                    paragraph)
    rows = doc.figures["tables"]["H"]["rows"]
    assert rows and all(row[6] for row in rows)
    assert {row[-1] for row in rows} >= {s.text for s in standings(on=date(2006, 7, 31))[:3]}

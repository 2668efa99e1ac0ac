"""The demo council's risk log tells the story of 000 paras 23-28 as at July 2006."""

import pytest

from demo.loaders import organisation as organisation_demo
from demo.loaders import risks as demo
from risks import selectors


@pytest.fixture
def demo_risks(db):
    organisation_demo.load()
    demo.load()


def test_safeguarding_children_is_high_and_herefordshire_connects_is_the_emerging_risk(demo_risks):
    headline = selectors.headline_risks(period_key="2006-07")
    high = {r.reference: r for r in headline["high"]}
    assert high["CR01"].title == "Failure to safeguard vulnerable children"
    assert high["CR01"].band.name == "High" and high["CR01"].trend == "stable"
    assert [r.title for r in headline["emerging"]] == ["Herefordshire Connects: cash benefits not realised"]


def test_the_demo_log_has_every_trend_and_some_overdue_reviews(demo_risks):
    rows = selectors.register_as_at(period_key="2006-07")
    assert {r.trend for r in rows} == {"new", "emerging", "rising", "stable", "falling"}
    assert sorted(r.reference for r in rows if r.review_overdue) == ["CR07", "CR10"]
    social_care = next(r for r in rows if r.reference == "CR03")
    assert (social_care.score, social_care.trend, social_care.owner_name) == (16, "rising", "Oscar Officer")


def test_in_may_herefordshire_connects_was_new(demo_risks):
    rows = selectors.register_as_at(period_key="2006-05")
    assert next(r for r in rows if r.reference == "CR02").trend == "new"
    assert "CR09" not in [r.reference for r in rows]

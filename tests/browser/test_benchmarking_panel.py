"""The indicator page's benchmarking panel on a phone and a laptop: it fits, axe finds nothing, the chart has
its words and the table view, and the performance team's edit of the sentence shows in its place."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SCREENSHOTS, assert_accessible, sign_in
from tests.browser.test_every_page_fits import check_fits

pytestmark = pytest.mark.browser


def _a_benchmarked_indicator():
    from benchmarking.models import ComparatorMetric

    return ComparatorMetric.objects.filter(indicator__isnull=False).select_related("indicator") \
        .order_by("indicator__code").first().indicator


@pytest.mark.parametrize("width", [375, 1280])
def test_the_panel_fits_reads_and_passes_axe(page, demo_council, width):
    indicator = _a_benchmarked_indicator()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "officer")
    page.goto(f"/indicators/{indicator.pk}/")
    panel = page.locator("#benchmarking ~ section.app-benchmark").first
    expect(page.get_by_role("heading", name="Against comparable councils")).to_be_visible()
    expect(panel.locator("svg[role=img]")).to_be_visible()
    expect(panel.locator("figcaption")).to_contain_text("ranked")
    panel.get_by_text("The group's figures as a table").click()
    expect(panel.locator("table")).to_contain_text("(us)")
    SCREENSHOTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / f"benchmarking-panel-{width}.png"))
    assert check_fits(page, page.url, width) == []
    assert_accessible(page, f"benchmarking-indicator-{width}")


def test_the_performance_team_edits_the_sentence_and_the_page_shows_it(page, demo_council):
    indicator = _a_benchmarked_indicator()
    sign_in(page, "performance")
    page.goto(f"/indicators/{indicator.pk}/")
    page.locator("section.app-benchmark").first.get_by_role("link", name=re.compile("Edit the sentence")).click()
    assert_accessible(page, "benchmarking-commentary-edit")
    page.get_by_label("Sentence").fill("Among the better half of our nearest neighbours, and rising.")
    page.get_by_role("button", name="Save the sentence").click()
    expect(page.locator("section.app-benchmark").first).to_contain_text(
        "Among the better half of our nearest neighbours, and rising.")
    expect(page.get_by_text("The sentence has been saved")).to_be_visible()

"""The Making Data Count icons: drawn by the server, always beside words, in the list, dashboard and My updates."""

import re

import pytest
from django.urls import reverse

from indicators import spc, spc_icons
from organisation.models import Period
from tests.factories import indicator, period, reading

MONTHS = [f"2005-{m:02d}" for m in range(4, 13)] + [f"2006-{m:02d}" for m in range(1, 8)]


def text_of(response) -> str:
    main = response.content.decode().split('id="main-content"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def falling(world, code="SPCI1", polarity="higher"):
    """Twelve steady months, then four well below: a concern when higher is better."""
    ind = indicator(code, lead=world.officer, polarity=polarity)
    for i, key in enumerate(MONTHS):
        reading(ind, key, (50 if i < 12 else 20) + (i % 2) * 2)
    return ind


@pytest.mark.parametrize(("variation", "side", "letter"), [
    (spc.IMPROVEMENT, spc.HIGH, "H"), (spc.IMPROVEMENT, spc.LOW, "L"), (spc.CONCERN, spc.HIGH, "H"),
    (spc.CONCERN, spc.LOW, "L"), (spc.NEUTRAL_HIGH, spc.HIGH, "H"), (spc.NEUTRAL_LOW, spc.LOW, "L"),
])
def test_a_special_cause_icon_carries_its_letter_and_its_words(variation, side, letter):
    svg = str(spc_icons.variation_svg(variation, side))
    assert f">{letter}</text>" in svg
    assert f"<title>{spc_icons.variation_label(variation, side)}</title>" in svg
    badge = str(spc_icons.badge(variation, side, None))
    assert spc_icons.variation_label(variation, side, short=True) in re.sub(r"<[^>]+>", " ", badge)


@pytest.mark.parametrize(("assurance", "letter"), [(spc.PASS, "P"), (spc.FAIL, "F"), (spc.HIT_AND_MISS, "?")])
def test_an_assurance_icon_carries_p_f_or_a_question_mark(assurance, letter):
    assert f">{letter}</text>" in str(spc_icons.assurance_svg(assurance))


def test_the_list_shows_each_indicators_icons_with_words_and_a_key(world, client_for):
    falling(world)
    words = text_of(client_for("performance").get(reverse("indicators:list"), {"period": "2006-07"}))
    assert "SPCI1" in words and "Concern (L)" in words
    assert "Key to the SPC icons" in words and "A real change for the worse, the figures unusually low" in words


def test_the_dashboard_counts_indicators_by_variation(world, client_for):
    falling(world)
    falling(world, "SPCI2", polarity="lower")
    html = client_for("performance").get(reverse("indicators:dashboard"), {"period": "2006-07"}).content.decode()
    counts = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="spc-counts"', 1)[1].split("</dl>", 1)[0]))
    assert "Special cause: improvement 1" in counts and "Special cause: concern 1" in counts


def test_my_updates_shows_the_spc_of_the_figures_so_far(world, client_for):
    ind = falling(world)
    p = period("2006-07")
    Period.objects.filter(pk=p.pk).update(state=Period.OPEN)
    words = text_of(client_for("officer").get(reverse("indicators:updates"), {"period": p.pk}))
    assert ind.code in words and "SPC" in words and "Concern (L)" in words

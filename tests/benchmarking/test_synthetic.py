"""The synthetic comparator figures for the bench: every indicator mapped, every council, every year."""

from datetime import date

import pytest

from benchmarking.models import ComparatorCouncil, ComparatorPosition, ComparatorValue
from benchmarking.selectors import positions_for
from demo.synthetic_benchmarking import write_comparators
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_indicator_gets_a_position_in_both_groups():
    indicators = [factories.indicator(f"SY{i}") for i in range(6)]

    counts = write_comparators(indicator_ids=[i.pk for i in indicators], councils=40, years=3)

    assert counts["comparator_values"] == 6 * 40 * 3 == ComparatorValue.objects.count()
    assert ComparatorCouncil.objects.get(is_us=True).code == "SYN00000"
    got = positions_for(date(2006, 6, 30))
    assert set(got) == {i.pk for i in indicators}
    for found in got.values():
        assert sorted(p.position.group_size for p in found) == [16, 40]
        assert {p.period for p in found} == {"2005/06"}
    assert counts["comparator_positions"] == ComparatorPosition.objects.count() == 6 * 2 * 3  # metrics x groups x years


def test_writing_twice_is_refused():
    write_comparators(indicator_ids=[factories.indicator("SY1").pk], councils=5)
    with pytest.raises(ValueError, match="already"):
        write_comparators(indicator_ids=[], councils=5)

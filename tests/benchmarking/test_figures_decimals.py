"""The places a group's figures are published with: read from each figure as written, trailing zeros not counted."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from benchmarking.commentary import figures_decimals
from benchmarking.position import HIGHER, Polarity, position


def group(*figures: str):
    values = {f"C{i:03d}": Decimal(f) for i, f in enumerate(figures)}
    return position(values, "C000", Polarity(HIGHER))


def test_places_as_published_and_at_most_two():
    assert figures_decimals(group("88", "90", "71")) == 0
    assert figures_decimals(group("88.5", "90", "71")) == 1
    assert figures_decimals(group("88.50", "90.0", "71")) == 1  # trailing zeros are not places
    assert figures_decimals(group("88.123", "90", "71")) == 2
    assert figures_decimals(group("88.123", "90", "71"), cap=3) == 3
    assert figures_decimals(group("7.2E+2", "1E+1", "3")) == 0


def reference(position, cap=2):
    places = 0
    for _, value, _ in position.ranked:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return min(places, cap)


# Digits times a power of ten: 100 x 10^-2 is 1.00, written with two places but published with none.
figure = st.tuples(st.integers(0, 10**6), st.integers(-4, 3)).map(lambda t: Decimal(t[0]).scaleb(t[1]))


@given(st.lists(figure, min_size=1, max_size=30), st.integers(0, 4))
def test_the_same_as_normalising_every_figure(figures, cap):
    values = {f"C{i:03d}": v for i, v in enumerate(figures)}
    found = position(values, "C000", Polarity(HIGHER))
    assert figures_decimals(found, cap) == reference(found, cap)

"""Sentences drafted from benchmark positions, for the indicator page and the report (no Django here).

`draft` turns a Position (and the one before it) into the sentence the performance team would
otherwise write by hand from LG Inform: "Herefordshire's 82% is above the nearest-neighbour
median of 76% and in the top quartile; it has risen from 9th to 4th of 16 since 2022-23."
The team can edit the draft; the edit is kept by the caller (BenchmarkCommentary).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from benchmarking.position import BAND, LOWER, OUTLIER_MADS, Position, rank_trend
from core import presenters

GROUP_PHRASES = {"nearest_neighbours": "nearest-neighbour", "family_group": "family group"}


def group_phrase(kind: str, name: str) -> str:
    """How a sentence names a group before "median": "nearest-neighbour", "family group", "All districts group"."""
    return GROUP_PHRASES.get(kind) or f"{name} group"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _placed(rank: int, tied: bool) -> str:
    return f"joint {ordinal(rank)}" if tied else ordinal(rank)


def rank_of(rank: int, tied: bool, of: int) -> str:
    """ "joint 4th of 16" or "4th of 16": how the pages, lists and report give a rank."""
    return f"{_placed(rank, tied)} of {of}"


def _listing(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def figures_decimals(position: Position, cap: int = 2) -> int:
    """How many decimal places the group's figures are published with (at most `cap`)."""
    places = 0
    for _, value, _ in position.ranked:
        _sign, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int) or exponent >= 0:
            continue
        if digits[-1] == 0:  # trailing zeros are not published places (88.50 has one)
            exponent = value.normalize().as_tuple().exponent
        if exponent < 0:
            places = max(places, -exponent)
            if places >= cap:
                break  # a group of 400 councils: no need to read the rest
    return min(places, cap)


def _median_decimals(median: Decimal, decimals: int) -> int:
    # An even group's median can fall between published figures (76.5 from 76 and 77): show it.
    exponent = median.normalize().as_tuple().exponent
    return decimals + 1 if isinstance(exponent, int) and -exponent > decimals else decimals


def places(position: Position) -> tuple[int, int]:
    """Decimal places for the group's figures (as published, at most 2) and for its median, which can fall
    between two published figures (76.5 from 76 and 77) and is then shown with one place more."""
    decimals = figures_decimals(position)
    return decimals, decimals if position.median is None else _median_decimals(position.median, decimals)


def _comparison(position: Position, median: str) -> str:
    value, mid = position.value, position.median
    if value == mid:
        return f"the same as the {{group}} median of {median}"
    if position.polarity.direction == LOWER:
        return f"{'lower (better)' if value < mid else 'higher (worse)'} than the {{group}} median of {median}"
    return f"{'above' if value > mid else 'below'} the {{group}} median of {median}"


def _band(position: Position, unit: str, decimals: int) -> str:
    low, high = position.polarity.low, position.polarity.high
    band = f"the target band of {band_end(low, unit)} to {band_end(high, unit)}"
    if not position.outside_band:
        return f"within {band}"
    side = "above" if position.value > high else "below"
    return f"{presenters.difference(position.outside_band, unit, decimals)} {side} {band}"


def band_end(value, unit: str) -> str:
    """One end of a target band as the team set it: 4% to 6%, not 4.0% to 6.0%."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return presenters.figure(value, unit, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _rank_clause(position: Position, earlier: Position | None, earlier_period: str) -> str:
    now = _placed(position.rank, position.tied)
    trend = rank_trend(earlier, position)
    if trend is None:
        if earlier is not None and earlier.rank is None and earlier_period:
            return f"it is ranked {now} of {position.of}; there is no figure for {earlier_period} to compare with"
        return f"it is ranked {now} of {position.of}"
    since = f"since {earlier_period}" if earlier_period else "since the previous figures"
    before = _placed(earlier.rank, earlier.tied)
    if earlier.of == position.of:
        if trend == "same":
            return f"it is ranked {now} of {position.of}, the same as in {earlier_period or 'the previous figures'}"
        return f"it has {'risen' if trend == 'up' else 'fallen'} from {before} to {now} of {position.of} {since}"
    if trend == "same":
        return (f"it is ranked {now} of {position.of}, the same place in the group as {before} of {earlier.of} "
                f"in {earlier_period or 'the previous figures'}")
    return (f"it has {'risen' if trend == 'up' else 'fallen'} from {before} of {earlier.of} to {now} of "
            f"{position.of} {since}")


def _missing_sentence(position: Position, names: Mapping[str, str]) -> str:
    k = len(position.missing)
    if not k:
        return ""
    named = [names.get(code, code) for code in position.missing if code != position.us]
    shown = f" ({_listing(named)})" if named and len(named) <= 5 else ""
    verb = "is" if k == 1 else "are"
    return (f"{k} of {position.group_size} councils published no figure{shown} and {verb} left out "
            f"of the comparison.")


def draft(
    position: Position,
    *,
    council: str,
    group: str,
    unit: str = "",
    period: str = "",
    earlier: Position | None = None,
    earlier_period: str = "",
    decimals: int | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """The drafted sentence(s) for one metric, group and period.

    council: our council's short name ("Herefordshire"). group: how the group is named before
    "median" (see `group_phrase`). unit: a Unit code or a published unit ("%", "£").
    earlier: our position in the same group for an earlier period (for the rank's trend),
    named by earlier_period ("2022-23"). decimals: places for figures (default: as published,
    at most 2). names: council code -> name, to name the councils with no figure.
    """
    names = names or {}
    if decimals is None:
        decimals = figures_decimals(position)
    sentences = []
    if position.value is None:
        for_period = f" for {period}" if period else ""
        if not position.of:
            return f"No council in the {group} group published a figure{for_period}."
        median = presenters.figure(position.median, unit, _median_decimals(position.median, decimals))
        councils = "council" if position.of == 1 else "councils"
        return (f"{council} published no figure{for_period}; the {group} median is {median}, "
                f"from the {position.of} {councils} that did.")

    ours = presenters.figure(position.value, unit, decimals)
    if position.polarity.direction == BAND:
        main = f"{council}'s {ours} is {_band(position, unit, decimals)}"
    else:
        median = presenters.figure(position.median, unit, _median_decimals(position.median, decimals))
        main = f"{council}'s {ours} is " + _comparison(position, median).format(group=group)
    if position.quartile is not None:
        main += f" and in the {position.quartile_name} quartile"
    main += "; " + _rank_clause(position, earlier, earlier_period) + "."
    sentences.append(main)

    if position.of > 1 and all(value == position.value for _, value, _ in position.ranked):
        sentences.append(f"All {position.of} councils with a figure have the same one.")
    elif position.polarity.direction == BAND:
        inside = sum(1 for _, value, rank in position.ranked if rank == 1 and position.polarity.low <= value <= position.polarity.high)
        sentences.append(f"{inside} of the {position.of} councils are within the band.")
    if position.of == 1:
        sentences.append("No other council in the group published a figure.")
    elif position.quartile is None:
        sentences.append(f"Quartiles are not given for a group of {position.of} councils with a figure.")
    if position.outlier:
        side = "above" if position.outlier == "high" else "below"
        sentences.append(
            f"{council}'s figure is well {side} the others: more than {OUTLIER_MADS} median absolute "
            f"deviations from the median."
        )
    missing = _missing_sentence(position, names)
    if missing:
        sentences.append(missing)
    return " ".join(sentences)


def quartile_summary(quartiles: Mapping[str, int | None], *, group: str) -> str:
    """The report's benchmarking paragraph: how many indicators sit in the top and bottom quartiles.

    quartiles: indicator name -> its quartile (None when it has none this period). group: the
    group as "of our ..." names it ("nearest neighbours").
    """
    benchmarked = {name: q for name, q in quartiles.items() if q is not None}
    total = len(benchmarked)
    if not total:
        return f"None of our indicators has a quartile position among our {group} yet."
    top = sorted(name for name, q in benchmarked.items() if q == 1)
    bottom = sorted(name for name, q in benchmarked.items() if q == 4)
    share = (Decimal(len(top)) * 100 / total).quantize(Decimal(1))
    indicators = "indicator" if total == 1 else "indicators"
    verb = "is" if len(top) == 1 else "are"
    text = f"{len(top)} of {total} benchmarked {indicators} ({share}%) {verb} in the top quartile of our {group}"
    if bottom:
        verb = "is" if len(bottom) == 1 else "are"
        text += f"; {len(bottom)} {verb} in the bottom quartile: {_listing(bottom)}."
    else:
        text += "; none is in the bottom quartile."
    return text

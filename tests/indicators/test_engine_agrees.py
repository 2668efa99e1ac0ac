"""The vectorised engine gives the same status, reason and direction as the scalar rules, for every input."""

from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import status, status_frames

figures = st.one_of(
    st.none(),
    st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal(0), Decimal(100), Decimal(95), Decimal(90), Decimal("89.9999")]),
)
tolerances = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)
polarities = st.sampled_from(["higher", "lower", "range", "none"])

rows = st.fixed_dictionaries({
    "actual": figures,
    "target": figures,
    "lower": figures,
    "upper": figures,
    "polarity": polarities,
    "tolerance_pct": tolerances,
    "override": st.sampled_from(["", "", "G", "A", "R", "B"]),
    "override_reason": st.sampled_from(["", "data lag"]),
    "annual": st.booleans(),
    "action_plan_robust": st.booleans(),
    "for_information": st.booleans(),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, min_size=1, max_size=30))
def test_engine_status_agrees_with_assess_for_every_row(batch):
    frame = pd.DataFrame(batch)
    result = status_frames.assess_frame(frame)
    for i, row in enumerate(batch):
        expected = status.assess(**row)
        got = result.iloc[i]
        assert (got["status"], got["computed"], got["reason"], bool(got["overridden"]), got["target_result"]) == (
            expected.status, expected.computed, expected.reason, expected.overridden, expected.target_result,
        ), row
        assert got["override_reason"] == expected.override_reason


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "actual": figures, "previous_actual": figures, "lower": figures, "upper": figures, "polarity": polarities,
}), min_size=1, max_size=30), st.sampled_from([Decimal(0), Decimal(1), Decimal("2.5")]))
def test_engine_direction_agrees_with_direction_for_every_row(batch, band):
    result = status_frames.direction_frame(pd.DataFrame(batch), band_pct=band)
    for i, row in enumerate(batch):
        expected = status.direction(
            current=row["actual"], previous=row["previous_actual"], polarity=row["polarity"],
            lower=row["lower"], upper=row["upper"], band_pct=band,
        )
        assert result.iloc[i] == expected, row

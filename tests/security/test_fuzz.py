"""Fuzzing the importers and the status engine: no input crashes them, and an import either writes
all of what it was given or nothing at all. The only way out besides success is the documented refusal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import imports as budget_imports
from budgets import services as budget_services
from core import spreadsheets
from core.spreadsheets import ImportRefused, SpreadsheetRefused
from improvement_plans import services as plan_services
from indicators import returns
from indicators import status as rules
from indicators.models import Indicator
from tests.security.snapshot import state

DB = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])

# What a cell of an uploaded sheet can hold once read: text, numbers, dates, booleans or nothing.
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
cell = st.one_of(
    st.none(), text, st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.sampled_from(["7", "7.2", "7.2 a)", "DoCS", "DoCS, HoPP", "In progress", "Achieved", "2006-07", "CYPS",
                     "1,000", "(1,000)", "£12.50", "=SUM(1)", "", " ", "N/A", "-0", "1e400"]),
)


def rows_for(columns):
    return st.lists(st.fixed_dictionaries(dict.fromkeys(columns, cell)), min_size=0, max_size=6).map(
        lambda rows: [{**r, "_row": i + 2} for i, r in enumerate(rows)])


def _all_or_nothing(run):
    """Run an import in a savepoint; it must succeed or raise the documented refusal having written nothing."""
    with transaction.atomic():
        before = state()
        try:
            run()
        except ImportRefused as refused:
            assert refused.errors, "a refusal names at least one problem"
            assert state() == before, "a refused import wrote something"
        transaction.set_rollback(True)


@DB
@given(rows=rows_for((*plan_services.REQUIRED, *plan_services.OPTIONAL)))
def test_the_plan_import_never_crashes_and_never_writes_part_of_a_file(world, rows):
    _all_or_nothing(lambda: plan_services.plan_import(rows=rows, user=world.performance, source="fuzz.xlsx"))


@DB
@given(revenue=rows_for((*budget_imports.REVENUE_COLUMNS, *budget_imports.REVENUE_OPTIONAL)),
       capital=rows_for(budget_imports.CAPITAL_COLUMNS))
def test_the_budget_import_never_crashes_and_never_writes_part_of_a_file(world, revenue, capital):
    def run():
        plan = budget_imports.plan_from_rows(revenue_rows=revenue, capital_rows=capital,
                                             directorates=[world.cyps, world.acs], locked={"2006-06"})
        budget_services.budget_import(plan=plan, by=world.performance)
    _all_or_nothing(run)


@pytest.fixture(scope="module")
def good_workbooks():
    from tests.security.test_hostile_files import PATHS

    return [path.good() for path in PATHS.values()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_workbook_is_only_ever_refused(good_workbooks, data):
    """Bytes flipped anywhere in a real workbook: every reader refuses in words or reads it; nothing else."""
    original = data.draw(st.sampled_from(good_workbooks))
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        at = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
        damaged[at] = data.draw(st.integers(min_value=0, max_value=255))
    damaged = bytes(damaged)
    for opener in (spreadsheets.open_workbook, spreadsheets.open_values):
        try:
            book = opener(damaged)
            for ws in book.worksheets:
                errors = []
                spreadsheets.read_sheet(book, ws.title, required=(), optional=("code",), errors=errors)
        except SpreadsheetRefused:
            pass


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=4000))
def test_any_bytes_at_all_are_only_ever_refused(data):
    data = b"x" + data if data.startswith(b"PK") else data  # never by chance a zip archive
    for opener in (spreadsheets.open_workbook, spreadsheets.open_values):
        with pytest.raises(SpreadsheetRefused):
            opener(data)


# --- The status engine ------------------------------------------------------------------

wild = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False), st.integers(-10**30, 10**30))
polarity = st.sampled_from([Indicator.HIGHER, Indicator.LOWER, Indicator.RANGE, Indicator.NONE])


@settings(max_examples=400, deadline=None)
@given(actual=wild, target=wild, lower=wild, upper=wild, polarity=polarity,
       tolerance=st.decimals(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False),
       annual=st.booleans(), robust=st.booleans(), override=st.sampled_from(["", "R", "A", "G", "B"]))
def test_the_status_of_any_figure_is_a_status_or_none(actual, target, lower, upper, polarity, tolerance, annual,
                                                      robust, override):
    result = rules.assess(actual=actual, target=target, lower=lower, upper=upper, polarity=polarity,
                          tolerance_pct=tolerance, annual=annual, action_plan_robust=robust, override=override,
                          override_reason="because" if override else "")
    assert result.status in (None, "R", "A", "G", "B")
    assert result.computed in (None, "R", "A", "G", "B")
    if override:
        assert result.status == override


@settings(max_examples=300, deadline=None)
@given(current=wild, previous=wild, polarity=polarity, lower=wild, upper=wild)
def test_the_direction_of_any_pair_of_figures_is_a_word(current, previous, polarity, lower, upper):
    assert isinstance(rules.direction(current=current, previous=previous, polarity=polarity, lower=lower,
                                      upper=upper), str)


@settings(max_examples=300, deadline=None)
@given(statuses=st.lists(st.sampled_from([None, "R", "A", "G", "B"]), max_size=20))
def test_rolling_up_any_statuses_gives_a_status_or_none(statuses):
    assert rules.worst(statuses) in (None, "R", "A", "G", "B")
    assert rules.rollup(statuses) in (None, "R", "A", "G", "B")


@DB
@given(typed=st.one_of(text, st.sampled_from(["1e400", "NaN", "-Infinity", "1,2,3", "٣", "１２", "0x10", "1_000",
                                              "12.34567", "99999999999999999999", "£5", "5%", "(5)", " 7 "])),
       unit=st.sampled_from(["number", "percentage", "percentage_change", "rate_per_100000", "days",
                             "days_ahead_behind", "gbp", "gbp_millions", "score"]))
def test_whatever_an_officer_types_as_a_figure_is_read_or_refused_in_words(world, typed, unit):
    indicator = Indicator(code="FZ", title="Fuzz", unit=unit, decimals=1)
    value, problem = returns.parse_actual(typed, indicator)  # a value with a problem is an implausible figure
    if value is not None:
        assert isinstance(value, Decimal) and value.is_finite()
    if problem is not None:
        assert isinstance(problem, str) and problem


@pytest.mark.parametrize("huge", [1.0000000004162983e+26, 10**27, "99999999999999999999999999999", Decimal("1E+40")])
def test_an_amount_with_more_digits_than_decimals_keep_is_refused_in_words(huge):
    """Found by the fuzzing above: these crashed the budget import with InvalidOperation."""
    from core.money import AmountError, parse_amount

    with pytest.raises(AmountError, match="too large to be an amount"):
        parse_amount(huge)

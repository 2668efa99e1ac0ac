"""Whatever is in the cells, the importer either imports or refuses with ImportRefused, never half-writes."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.spreadsheets import ImportRefused
from indicators import importer
from tests.indicators.test_import import run, snapshot, xlsx

COLUMNS = {
    "Indicators": ["code", "title", *importer.INDICATOR_COLUMNS],
    "Targets": ["code", "period", *importer.TARGET_COLUMNS],
    "Actuals": ["code", "period", *importer.ACTUAL_COLUMNS],
}
PLAUSIBLE = st.sampled_from([
    "CH141", "AS01", "NEW", "2006-07", "2006/07", "2006/07 Q1", "2017-18", "higher", "range", "none",
    "percentage", "monthly", "quarterly", "yes", "no", "G", "R", "officer", "nobody", "FULL;LAA", "12.5",
    "1,234", "-3", "", "=1+2", "101", "provisional",
])
TEXT = st.text(max_size=30).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t))
CELL = st.one_of(
    st.none(), PLAUSIBLE, TEXT, st.integers(-10**16, 10**16),
    st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)).map(lambda d: datetime(d.year, d.month, d.day)),
)


@st.composite
def workbooks(draw):
    sheets = {}
    for name, columns in COLUMNS.items():
        if not draw(st.booleans()):
            continue
        header = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns), unique=True))
        if draw(st.booleans()):
            header.append(draw(st.sampled_from(["colour", "Code", "", "PERIOD"])))
        rows = draw(st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=6))
        sheets[name] = [header, *rows]
    return sheets or {"Actuals": [["code", "period", "actual"]]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sheets=workbooks())
def test_random_cells_never_crash_the_importer_nor_write_part_of_a_file(world, sheets):
    data = xlsx(sheets)
    before = snapshot()
    try:
        run(data, world.performance)
    except ImportRefused as refused:
        assert refused.errors, "a refusal names at least one problem"
        assert snapshot() == before

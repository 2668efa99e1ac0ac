"""Importing a KPI workbook: what it creates and changes, every problem named, and all or nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import policy
from core.spreadsheets import ImportRefused
from demo.synthetic_workbook import synthetic_workbook
from indicators import import_write, importer
from indicators.models import (
    Indicator,
    IndicatorSet,
    Objective,
    Reading,
    ReadingHistory,
    Target,
    Theme,
    Unit,
)
from indicators.summary import performance_summary
from organisation.models import AuditEvent, LeadRole, Period, Profile
from tests.workbooks import workbook

xlsx = workbook  # the tests below name it xlsx


def snapshot():
    """What an import could change, to show that a refused one changed nothing."""
    return (
        Indicator.all_objects.count(), Target.objects.count(), Reading.objects.count(),
        ReadingHistory.objects.count(), Theme.objects.count(), IndicatorSet.objects.count(),
        Objective.objects.count(), Period.objects.count(),
        sorted(Reading.objects.values_list("actual", flat=True)),
    )


def run(data: bytes, user, *, dry_run=False, filename="kpis.xlsx"):
    return importer.workbook_import(source=data, filename=filename, user=user, dry_run=dry_run)


GOOD = {
    "Indicators": [
        ["Code", "Title", "Unit", "Polarity", "Frequency", "Sets", "Theme", "Priority", "Objective",
         "Directorate", "Portfolio", "Lead", "Tolerance_pct", "Action_plan", "Action_plan_robust",
         "Action_plan_agreed_on", "Baseline", "Baseline_period", "Data_source", "Lead_role"],
        ["CH142", "% of referrals that are repeat referrals within 12 months", "percentage", "lower", "monthly",
         "FULL;LAA", "Children and young people", "Safeguarding children", "Children are safe", "CYPS",
         "Children's Services", "officer", 10, "Weekly case review", "yes", datetime(2006, 6, 15), 17.2,
         "2006-03", "Social care records", "DoCS"],
        ["BV195", "Acceptable waiting times for assessment", "percentage", "range", "monthly", "LAA",
         "Healthier communities and older people", "", "", "Adult and Community Services", "",
         "other_officer@council.example", "", "", "no", "", "", "", "", ""],
    ],
    "Targets": [
        ["period", "code", "target", "lower", "upper", "agreed_on"],
        ["2006/07", "CH142", 17, None, None, "2006-07-20"],
        ["2006-07", "CH142", 17.5, None, None, None],
        ["2006-07", "BV195", None, 70, 90, None],
    ],
    "Actuals": [
        ["code", "period", "actual", "commentary", "remedial_action", "data_quality", "status", "status_reason"],
        ["CH142", "2006-07", 18.3, "More repeat referrals", "Audit of closures", "provisional", None, None],
        ["BV195", "2006-07", 65, None, None, "validated", "A", "Validated late; trend improving"],
    ],
}


def test_a_workbook_creates_indicators_targets_and_figures_with_their_history(world):
    report = run(xlsx(GOOD), world.performance)

    ch142 = Indicator.objects.get(code="CH142")
    assert (ch142.unit, ch142.polarity, ch142.lead, ch142.directorate) == ("percentage", "lower", world.officer, world.cyps)
    assert sorted(ch142.sets.values_list("code", flat=True)) == ["FULL", "LAA"]
    assert (ch142.theme.name, ch142.objective.name, ch142.objective.priority.name) == (
        "Children and young people", "Children are safe", "Safeguarding children")
    assert (ch142.action_plan_robust, ch142.action_plan_agreed_on) == (True, date(2006, 6, 15))
    assert (ch142.baseline, ch142.baseline_period.key, ch142.lead_role.abbreviation) == (Decimal("17.2"), "2006-03", "DoCS")
    assert ch142.tolerance_pct == Decimal(10)
    bv195 = Indicator.objects.get(code="BV195")
    assert (bv195.lead, bv195.directorate) == (world.other_officer, world.acs)  # by e-mail, directorate by name
    year = Target.objects.get(indicator=ch142, period__key="2006/07")
    assert (year.target, year.agreed_on) == (Decimal(17), date(2006, 7, 20))
    assert Target.objects.filter(indicator=bv195).values_list("lower", "upper").get() == (Decimal(70), Decimal(90))
    reading = Reading.objects.get(indicator=ch142, period__key="2006-07")
    assert (reading.actual, reading.commentary, reading.data_quality) == (Decimal("18.3"), "More repeat referrals", "provisional")
    assert Reading.objects.get(indicator=bv195).status_override == "A"
    entry = reading.history.get()
    assert (entry.how, entry.source, entry.by) == ("import", "kpis.xlsx", world.performance)
    assert entry.changes["actual"] == [None, "18.3"]
    assert (report.indicators.new, report.targets.new, report.readings.new) == (2, 3, 2)
    assert "Children and young people" in report.created["themes"]
    assert AuditEvent.objects.filter(action="workbook_imported", user=world.performance).exists()


def test_a_dry_run_reports_what_would_change_and_writes_nothing(world):
    before = snapshot()
    report = run(xlsx(GOOD), world.performance, dry_run=True)
    assert (report.indicators.new, report.targets.new, report.readings.new) == (2, 3, 2)
    assert snapshot() == before


def test_importing_again_changes_only_what_differs_and_keeps_old_and_new(world):
    run(xlsx(GOOD), world.performance)
    changed = {**GOOD, "Actuals": [GOOD["Actuals"][0], ["CH142", "2006-07", 18.9, None, None, None, None, None]]}
    report = run(xlsx(changed), world.performance, filename="june-correction.xlsx")

    assert (report.readings.changed, report.indicators.unchanged, report.targets.unchanged) == (1, 2, 3)
    assert [(c.code, c.period, c.field, c.old, c.new) for c in report.changes] == [
        ("CH142", "2006-07", "actual", "18.3", "18.9")
    ]
    latest = ReadingHistory.objects.filter(reading__indicator__code="CH142").latest("id")
    assert (latest.changes, latest.source) == ({"actual": ["18.3", "18.9"]}, "june-correction.xlsx")
    # Blank cells left the commentary that was there.
    assert Reading.objects.get(indicator__code="CH142").commentary == "More repeat referrals"


def test_a_changed_indicator_shows_each_changed_value(world):
    run(xlsx(GOOD), world.performance)
    edited = {"Indicators": [["code", "title", "lead", "sets"], ["CH142", "Repeat referrals (12 months)", "approver", "FULL"]]}
    report = run(xlsx(edited), world.performance)
    assert report.indicators.changed == 1
    assert {(c.field, c.old, c.new) for c in report.changes} == {
        ("title", "% of referrals that are repeat referrals within 12 months", "Repeat referrals (12 months)"),
        ("lead", "officer", "approver"),
        ("sets", "FULL; LAA", "FULL"),
    }
    assert list(Indicator.objects.get(code="CH142").sets.values_list("code", flat=True)) == ["FULL"]


def test_period_keys_for_months_quarters_and_years_and_excel_dates(world):
    data = xlsx({
        "Indicators": [["code", "title", "frequency"], ["Q1", "Quarterly measure", "quarterly"], ["M1", "Monthly", "monthly"]],
        "Targets": [["code", "period", "target"], ["Q1", "2017/18 Q4", 5], ["Q1", "2017/18", 20], ["M1", "2018-03", 3]],
        "Actuals": [["code", "period", "actual"], ["Q1", "2017/18 Q4", 6], ["M1", datetime(2018, 3, 1), 4]],
    })
    run(data, world.performance)
    mine = {"indicator__code__in": ["Q1", "M1"]}
    assert sorted(Target.objects.filter(**mine).values_list("period__key", flat=True)) == ["2017/18", "2017/18 Q4", "2018-03"]
    assert sorted(Reading.objects.filter(**mine).values_list("period__key", flat=True)) == ["2017/18 Q4", "2018-03"]


def test_every_problem_is_named_by_sheet_row_and_column_and_nothing_is_written(world):
    before = snapshot()
    bad = {
        "Indicators": [
            ["code", "title", "unit", "polarity", "lead", "decimals"],
            ["NEW1", "A new one", "percentage", "sideways", "nobody@example.org", "two"],  # row 2
            ["NEW1", "The same code again", "", "", "", ""],                     # row 3
            ["NEW2", None, "", "", "", ""],                                      # row 4
        ],
        "Targets": [
            ["code", "period", "target"],
            ["CH141", "2017-18", 10],   # row 2: "2017-18" is not a period key
            ["NOPE", "2006-07", 10],    # row 3
            ["NEW1", "2006-07", 120],   # row 4: a percentage over 100
        ],
        "Actuals": [
            ["code", "period", "actual", "status"],
            ["CH141", "2006-06", "lots", None],   # row 2
            ["CH141", "2006-05", 10, "purple"],   # row 3
            ["CH141", "2006-05", 11, None],       # row 4: duplicate of row 3
            ["CH141", "2006-04", 12, "R"],        # row 5: an override with no reason
        ],
    }
    with pytest.raises(ImportRefused) as refused:
        run(xlsx(bad), world.performance)

    where = {(e.sheet, e.row, e.column) for e in refused.value.errors}
    assert where == {
        ("Indicators", 2, "polarity"), ("Indicators", 2, "lead"), ("Indicators", 2, "decimals"),
        ("Indicators", 3, "code"), ("Indicators", 4, "title"),
        ("Targets", 2, "period"), ("Targets", 3, "code"), ("Targets", 4, "target"),
        ("Actuals", 2, "actual"), ("Actuals", 3, "status"), ("Actuals", 4, "period"), ("Actuals", 5, "status_reason"),
    }
    messages = {(e.sheet, e.row, e.column): e.message for e in refused.value.errors}
    assert "unknown polarity 'sideways'" in messages[("Indicators", 2, "polarity")]
    assert "no one who can sign in has the e-mail 'nobody@example.org'" in messages[("Indicators", 2, "lead")]
    assert "duplicate row" in messages[("Indicators", 3, "code")]
    assert "unknown period" in messages[("Targets", 2, "period")]
    assert "unknown indicator code 'NOPE'" in messages[("Targets", 3, "code")]
    assert "not a percentage between 0 and 100" in messages[("Targets", 4, "target")]
    assert "'lots' is not a number" in messages[("Actuals", 2, "actual")]
    assert "duplicate row: CH141 2006-05 is also on row 3" in messages[("Actuals", 4, "period")]
    assert snapshot() == before


def test_a_missing_required_column_and_an_unknown_column_are_named(world):
    data = xlsx({"Targets": [["code", "target", "colour"], ["CH141", 5, "red"]]})
    with pytest.raises(ImportRefused) as refused:
        run(data, world.performance)
    assert {(e.sheet, e.row, e.column) for e in refused.value.errors} == {("Targets", 1, "period"), ("Targets", 1, "C")}


def test_a_workbook_without_any_known_sheet_is_refused(world):
    with pytest.raises(ImportRefused) as refused:
        run(xlsx({"Sheet1": [["a"], [1]]}), world.performance)
    assert "none of the sheets Indicators, Targets or Actuals" in str(refused.value.errors[0])


def test_figures_for_a_locked_period_are_refused_whole(world):
    Period.objects.filter(key="2006-07").update(state=Period.LOCKED)
    before = snapshot()
    data = xlsx({"Actuals": [["code", "period", "actual"], ["CH141", "2006-07", 230], ["CH141", "2006-08", 231]]})
    with pytest.raises(ImportRefused) as refused:
        run(data, world.performance)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "period")]
    assert "July 2006 is locked" in refused.value.errors[0].message
    assert snapshot() == before


def test_a_range_indicator_needs_lower_or_upper_and_others_may_not_have_them(world):
    data = xlsx({
        "Indicators": [["code", "title", "polarity"], ["RNG", "In range", "range"]],
        "Targets": [["code", "period", "target", "lower", "upper"], ["RNG", "2006-07", 5, None, None],
                    ["CH141", "2006-07", 5, 1, None], ["RNG", "2006-08", None, 9, 3]],
    })
    with pytest.raises(ImportRefused) as refused:
        run(data, world.performance)
    assert {(e.row, e.column) for e in refused.value.errors} == {(2, "lower"), (3, "lower"), (4, "upper")}


def test_an_error_halfway_through_writing_leaves_nothing_behind(world, monkeypatch):
    before = snapshot()
    real = import_write.readings_import

    def fails_after_writing(**kwargs):
        real(**kwargs)  # indicators, targets and these readings are written by now
        assert Reading.objects.count() > before[2]
        raise RuntimeError("the server fell over")

    monkeypatch.setattr(import_write, "readings_import", fails_after_writing)
    with pytest.raises(RuntimeError):
        run(xlsx(GOOD), world.performance)
    assert snapshot() == before


def test_the_command_imports_and_reports(world, tmp_path):
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(xlsx(GOOD))
    out = io.StringIO()
    call_command("import_workbook", str(path), "--user", "performance", stdout=out)
    assert "indicators: 2 new, 0 changed, 0 unchanged" in out.getvalue()
    assert ReadingHistory.objects.filter(how="import", source="kpis.xlsx", by=world.performance).count() == 2


def test_the_command_dry_run_writes_nothing(world, tmp_path):
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(xlsx(GOOD))
    before = snapshot()
    out = io.StringIO()
    call_command("import_workbook", str(path), "--dry-run", stdout=out)
    assert "Dry run: nothing was written." in out.getvalue()
    assert snapshot() == before


def test_the_command_refuses_to_import_without_saying_who_imports(world, tmp_path):
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(xlsx({"Actuals": [["code", "period", "actual"], ["CH141", "2006-08", 1]]}))
    with pytest.raises(CommandError, match="--user"):
        call_command("import_workbook", str(path))
    assert not Reading.objects.filter(period__key="2006-08").exists()


def test_the_command_fails_listing_every_problem(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx({"Actuals": [["code", "period", "actual"], ["CH141", "2006-13", 1], ["XX9", "2006-07", "n/a"]]}))
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 problem"):
        call_command("import_workbook", str(path), "--user", "performance", stderr=err)
    lines = err.getvalue().splitlines()
    assert "Actuals, row 2, column period: unknown period: '2006-13' has no month 13; months are 01 to 12" in lines
    assert "Actuals, row 3, column code: unknown indicator code 'XX9'; add it on the Indicators sheet" in lines
    assert "Actuals, row 3, column actual: 'n/a' is not a number" in lines


def _queries(n):
    data = synthetic_workbook(n, 3, seed=1)
    with CaptureQueriesContext(connection) as captured:
        importer.workbook_import(source=data, filename="s.xlsx", user=None, dry_run=True)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_workbook(world):
    assert _queries(3) == _queries(60)


def test_a_new_workbook_is_imported_in_a_known_number_of_queries(world, django_assert_num_queries):
    data = xlsx(GOOD)
    with django_assert_num_queries(30):
        run(data, world.performance)


@pytest.mark.parametrize(("threshold", "refreshed"), [(5, True), (6, False)])
def test_a_bulk_import_refreshes_the_planners_statistics(world, monkeypatch, threshold, refreshed):
    # GOOD makes 3 targets and 2 readings: 5 new rows.
    calls = []
    monkeypatch.setattr(importer, "BULK_ROWS", threshold)
    monkeypatch.setattr(importer.dbstats, "refresh_planner_statistics", lambda models=(): calls.append(models))
    run(xlsx(GOOD), world.performance)
    assert bool(calls) is refreshed
    if refreshed:
        assert {Reading, Target} <= set(calls[0]), "the tables the import wrote"


def test_refreshing_the_statistics_tells_the_planner_how_many_rows_there_are(world):
    from django.db import connection

    from core import dbstats

    dbstats.refresh_planner_statistics([Indicator])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'indicators_indicator'")
            assert cursor.fetchone()[0] == Indicator.all_objects.count()
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'indicators_indicator'")
            assert int(cursor.fetchone()[0].split()[0]) == Indicator.all_objects.count()


def test_a_lead_named_by_role_is_added_to_the_glossary_and_its_holders_may_update_the_figures(world):
    data = xlsx({
        "Indicators": [["code", "title", "lead"], ["SMP1", "Fly-tips cleared in 2 days", "SMP"],
                       ["HOBI1", "Council tax collected", "HoBI"], ["OWN1", "Own", "officer"]],
    })
    report = run(data, world.performance)
    assert "2 new lead roles: SMP, HoBI" in report.lines()
    smp = LeadRole.objects.get(abbreviation="SMP")
    assert smp.title == "SMP"
    fly_tips = Indicator.objects.get(code="SMP1")
    assert (fly_tips.lead_role, fly_tips.lead) == (smp, None)
    assert Indicator.objects.get(code="OWN1").lead == world.officer
    assert not policy.may_edit_reading(world.other_officer, fly_tips)
    Profile.objects.get_or_create(user=world.other_officer)[0].lead_roles.add(smp)
    holder = type(world.other_officer).objects.get(pk=world.other_officer.pk)
    assert policy.may_edit_reading(holder, fly_tips)
    assert not policy.may_approve_reading(holder, fly_tips)


def test_a_workbook_without_an_action_plan_column_is_judged_on_its_figures(world):
    data = xlsx({
        "Indicators": [["code", "title", "polarity", "frequency", "sets"], ["FIG1", "Collected", "higher", "quarterly", "FIG"]],
        "Targets": [["code", "period", "target"], ["FIG1", "2006/07 Q1", 50]],
        "Actuals": [["code", "period", "actual"], ["FIG1", "2006/07 Q1", 55]],
    })
    run(data, world.performance)
    counts = performance_summary(period_key="2006/07 Q1", set_code="FIG")["indicators"]
    assert Indicator.objects.get(code="FIG1").action_plan_robust is True
    assert (counts["G"], counts["R"], counts["met_target"]) == (1, 0, 1)


def test_a_unit_the_council_adds_brings_its_own_bounds_and_published_units_take_negative_figures(world):
    Unit.objects.create(code="per_pupil", name="Pounds per pupil", aliases="£ per pupil", minimum=0)
    data = xlsx({
        "Indicators": [["code", "title", "unit", "frequency"], ["PP1", "Spend per pupil", "£ per pupil", "quarterly"],
                       ["RED1", "% reduction in violence with injury", "% reduction", "quarterly"],
                       ["LS05", "Days ahead / behind project timetable", "days ahead/behind", "quarterly"]],
        "Actuals": [["code", "period", "actual"], ["PP1", "2014/15 Q1", -5], ["RED1", "2014/15 Q1", -16],
                    ["LS05", "2014/15 Q1", -28]],
    })
    with pytest.raises(ImportRefused) as refused:
        run(data, world.performance)
    assert [(e.sheet, e.row, e.column) for e in refused.value.errors] == [("Actuals", 2, "actual")]
    assert "-5 is below 0" in refused.value.errors[0].message
    assert not Indicator.objects.filter(code__in=["PP1", "RED1", "LS05"]).exists()

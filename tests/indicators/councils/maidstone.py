"""Maidstone Borough Council's Corporate Services KPIs for quarter 2 of 2023-24, transcribed as an import workbook.

Source: Maidstone Borough Council, "Appendix 2 - Second Quarter Performance Monitoring" to its
Corporate Services Policy Advisory Committee, published at
https://meetings.maidstone.gov.uk/documents/s91583/Appendix%202%20-%20Performance%20Update.html
(reached through maidstone.gov.uk). Its table "Corporate Services Q2 Performance" gives each
KPI's value and target for Q2 2023/24; its Performance Summary gives the council's counts:
Green 1, Amber 1, Red 0, N/A 3, Total 5, and "50% (1) of (2) the targetable quarterly key
performance indicators ... achieved their Quarter 2 (Q2) target". Its key: green "target met",
amber "target slightly missed (within 10%)", red "target not achieved". Council Tax collected
"fell just short of its target by less than 10%, missing it by only 0.12%".

The shape, unlike Hart's: quarterly reporting of measures grouped under the council's plan,
with a data-only measure and two annual indicators shown as "Annual Indicator" at Q2 (no figure
yet: the council counts them N/A). Here the annual indicators' Q2-time reading is marked "for
information" for 2023/24, so they have no status this year-to-date, as the council shows them;
the data-only measure has no target. The report names no lead per KPI: the Head of Revenues and
Benefits (HoRB) and Head of Policy, Communications and Governance (HoPCG) stand in as the roles
that lead them, so the workbook exercises role leads; the table has no action-plan column.
"""

from __future__ import annotations

from tests.indicators.councils import write_workbook

SOURCE = "https://meetings.maidstone.gov.uk/documents/s91583/Appendix%202%20-%20Performance%20Update.html"
PERIOD = "2023/24 Q2"
YEAR = "2023/24"
SET = "MBC-CS"
PRIORITY = "Strategic Plan 2019-45"
OBJECTIVE = "Corporate Services"

# code, title, frequency, polarity, unit, value, target, published status, lead role
KPIS = [
    ("CTS", "Percentage of households receiving Council Tax Support (CTS)", "quarterly", "data only", "%", 12.31, None, "N/A", "HoRB"),
    ("NNDR", "Maidstone: Percentage of Non-domestic rates collected", "quarterly", "higher", "%", 59.26, 56.52, "G", "HoRB"),
    ("CTAX", "Maidstone: Percentage of Council Tax collected", "quarterly", "higher", "%", 54.81, 54.93, "A", "HoRB"),
    ("VACANT", "Percentage of vacant MBC - owned commercial space (excluding property for development)", "annual", "lower", "%", None, None, "N/A", "HoPCG"),
    ("CARBON", "Percentage Change of Carbon Emissions from MBC Buildings/Fleet (Scope 1 and 2)", "annual", "lower", "% change", None, None, "N/A", "HoPCG"),
]

PUBLISHED = {"total": 5, "G": 1, "A": 1, "R": 0, "N/A": 3, "met_target": 1, "targetable": 2}


def sheets() -> dict[str, list[list]]:
    indicators = [["code", "title", "unit", "decimals", "polarity", "frequency", "measure", "tolerance_pct", "sets",
                   "priority", "objective", "lead"]]
    targets = [["code", "period", "target"]]
    actuals = [["code", "period", "actual", "commentary", "for_information"]]
    for code, title, frequency, polarity, unit, value, target, _status, lead in KPIS:
        # Collection rates build up through the year; the rest are as at the quarter.
        measure = "cumulative" if code in ("NNDR", "CTAX") else "snapshot"
        indicators.append([code, title, unit, 2, polarity, frequency, measure, 10, SET, PRIORITY, OBJECTIVE, lead])
        if target is not None:
            targets.append([code, PERIOD, target])
        if frequency == "annual":
            actuals.append([code, YEAR, None, "Annual Indicator", "yes"])
        else:
            actuals.append([code, PERIOD, value, None, None])
    return {"Indicators": indicators, "Targets": targets, "Actuals": actuals}


def workbook() -> bytes:
    """The workbook a performance officer would fill from the published figures."""
    return write_workbook(sheets())

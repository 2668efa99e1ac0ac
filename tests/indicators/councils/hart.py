"""Hart District Council's published KPI tiles for quarter 1 of 2014-15, transcribed as an import workbook.

Source: Hart District Council's public performance tiles, https://github.com/HartDC/hartdc.github.io,
file tiles/tiles.js at commit 097a09c1c15ab84ec69325b20958ee1881e85231 (the "kpis" list). Each tile
gives a code, a description, the figure for the quarter (tq), the previous quarter's (lq), the
target (t), the service and the council's own status: lg green, la amber, lr red, ld data only.
Transcribed here: code, description, service, this quarter, last quarter, target and status; the
unit and polarity are read from each description ("% of ...", "Time taken ...", "% Reduction ...",
"days ahead / behind", "per 100,000").

The shape: a quarterly list by service, with no objectives, no action-plan column and no leads
in the source. The tiles name a service, not a person, so each service is led here by a role
abbreviation for its head of service (HoCS for Customer Services ...): an illustrative stand-in
that exercises role leads the way a council's glossary names them. Nothing else is invented.

Where the council's status is not what its figures and a single tolerance give, the workbook says
so the way a council would:
- ETS01: the tile shows 0 (and 0 for the quarter before) with the note that Q1's waste figures "have yet to be confirmed" and
  status R. The figure is left blank (not yet available, never zero) and R is the council's
  override with its note as the reason; the quarter before is left blank for the same reason.
- IT03: 80.6% against 90% is shown G. Kept as the council's override, with the reason that it is
  the published status.
- IT01: 42.5% against 60% is shown A while HR02 at 31% short is R: IT01 is given its own
  tolerance of 30% (tolerances are set per indicator); every other measure has 10%.
"""

from __future__ import annotations

from tests.indicators.councils import write_workbook

SOURCE = "https://github.com/HartDC/hartdc.github.io/blob/097a09c1c15ab84ec69325b20958ee1881e85231/tiles/tiles.js"
PERIOD = "2014/15 Q1"
PREVIOUS = "2013/14 Q4"
SET = "HART"

# Service -> the role abbreviation standing in for its head of service (illustrative, see above).
ROLES = {
    "Customer Services": "HoCS", "Environmental & Technical Services": "HoETS", "Finance, Revs and Bens": "HoFRB",
    "HR": "HoHR", "Housing Services": "HoHS", "Audit": "HoIA", "IT Services": "HoIT", "Leisure Services": "HoLS",
    "Planning Services": "HoPS", "Regulatory Services": "HoRS", "Safer North Hants": "SNHPM",
}

# code, description, service, this quarter, last quarter, target, status, unit, polarity
KPIS = [
    ("CS01", "Quality of Customer Service Call Handling - % score from monitoring sample", "Customer Services", 95.9, 95.3, 90, "G", "%", "higher"),
    ("CS02a", "% of telephone calls answered by Contact Centre in 15 seconds", "Customer Services", 78.5, 79.6, 80, "A", "%", "higher"),
    ("CS02b", "% of calls to Contact Centre answered within 30 seconds", "Customer Services", 84.2, 85.8, 85, "A", "%", "higher"),
    ("CS03", "% Garden Waste invoices sent out accurately and on time", "Customer Services", 100, 100, 99, "G", "%", "higher"),
    ("ETS01", "Number of missed collections – All – (per 100,000)", "Environmental & Technical Services", None, None, 40, "R", "per 100,000", "lower"),
    ("FI06", "% of undisputed invoices paid on time (old BVPI8)", "Finance, Revs and Bens", 97.4, 98.2, 97, "G", "%", "higher"),
    ("HR01", "% accuracy in gross and net pay calculations for all payrolls", "HR", 98.7, 100, 98, "G", "%", "higher"),
    ("HR02", "% of cases not dealt with by HR front office and which are not treated as HRP work requests that are dealt with in 3 working days", "HR", 65.3, 99.3, 95, "R", "%", "higher"),
    ("HR03", "DBS applications sent to the DBS within 1 working day", "HR", 100, 100, 95, "G", "%", "higher"),
    ("HR05", "% Complex HR queries resolved within 10 working days", "HR", 100, 100, 95, "G", "%", "higher"),
    ("HR11", "Working Days (per FTE) Lost Due to Sickness Absence (Cumulative)", "HR", 2.6, 8.1, 1.58, "R", "days", "lower"),
    ("HS01", "Average time (in days) taken to decide whether to accept people as homeless", "Housing Services", 11, 14, 15, "G", "days", "lower"),
    ("HS07", "Preventing Homelessness - number of housing advice cases where homelessness prevented", "Housing Services", 36, 365, 36, "G", "count", "higher"),
    ("HS08", "% of private sector housing grant budgets actually spent (DFG) (Values are cumulative)", "Housing Services", 5, 57, 15, "R", "%", "higher"),
    ("HS16", "Number of affordable homes delivered (gross)", "Housing Services", 28, 7, 18, "G", "count", "higher"),
    ("IA01", "Percentage of Audit Plan completed during the year", "Audit", 14, 87, 23.8, "R", "%", "higher"),
    ("IA02", "Percentage of Audits carried out within time allocation", "Audit", 100, 92, 100, "G", "%", "higher"),
    ("IA04", "% of High Risk Audit Recommendations Implemented", "Audit", 100, 100, 100, "G", "%", "higher"),
    ("IT01", "% registered controllable incidents resolved at first point of contact", "IT Services", 42.5, 45.8, 60, "A", "%", "higher"),
    ("IT02", "% Priority 1 incidents fixed within 4 working hours", "IT Services", 100, 92.2, 90, "G", "%", "higher"),
    ("IT03", "% Priority 2 incidents fixed within 8 working hours", "IT Services", 80.6, 92.3, 90, "G", "%", "higher"),
    ("IT04", "% Priority 3 incidents fixed within 5 working days", "IT Services", 85.8, 88.2, 85, "G", "%", "higher"),
    ("IT05", "% uptime of key systems", "IT Services", 99.9, 99.5, 99, "G", "%", "higher"),
    ("IT06", "% uptime of Hart DC website", "IT Services", 99.6, 99.8, 98, "G", "%", "higher"),
    ("IT07", "% score for Council employee satisfaction with Capita IT support service", "IT Services", 75.7, 81.2, 80, "A", "%", "higher"),
    ("LS05", "Summary of Projects status - Number of days ahead / behind project timetable", "Leisure Services", -28, 0, 0, "R", "days ahead/behind", "higher"),
    ("PS01", "Processing of planning applications: Major applications", "Planning Services", 63.6, 75.2, 70, "A", "%", "higher"),
    ("PS02", "Processing of planning applications: Minor applications", "Planning Services", 78, 86, 65, "G", "%", "higher"),
    ("PS03", "Processing of planning applications: Other applications", "Planning Services", 94.2, 69.6, 85, "G", "%", "higher"),
    ("PS05", "% of Tree Preservation works applications determined within eight weeks", "Planning Services", 99.1, 88.6, 90, "G", "%", "higher"),
    ("RB01", "% of benefit assessments calculated correctly (new and change in circumstances)", "Finance, Revs and Bens", 98.9, 97.2, 95, "G", "%", "higher"),
    ("RB02", "% of new benefit claims decided within 14 days", "Finance, Revs and Bens", 95.6, 98.7, 90, "G", "%", "higher"),
    ("RB04", "% of council tax collected electronically (DD + Internet)", "Finance, Revs and Bens", 83.9, 85.1, 80, "G", "%", "higher"),
    ("RB05", "Percentage of Non-domestic Rates Collected", "Finance, Revs and Bens", 33.6, 98.5, 24.6, "G", "%", "higher"),
    ("RB06", "% of Council Tax collected", "Finance, Revs and Bens", 30.5, 98.7, 24.5, "G", "%", "higher"),
    ("RB07", "Time taken to process Housing Benefit/Council Tax Benefit new claims.", "Finance, Revs and Bens", 19.94, 19.85, 23, "G", "days", "lower"),
    ("RB08", "Time taken to process Housing Benefit/Council Tax Benefit changes of circumstances.", "Finance, Revs and Bens", 9.05, 4.23, 8, "R", "days", "lower"),
    ("RB09", "Time taken to process Housing Benefit/Council Tax Benefit new claims and change events", "Finance, Revs and Bens", 9.4, 4.5, 12, "G", "days", "lower"),
    ("RS20", "% of key inspections carried out in time", "Regulatory Services", 91.7, 100, 98, "A", "%", "higher"),
    ("RS21", "% of incident responses carried out in prescribed time", "Regulatory Services", 98.8, 100, 98, "G", "%", "higher"),
    ("SNH01", "% Reduction in Antisocial Behaviour across Safer North Hampshire area", "Safer North Hants", 0, 29, 3, "R", "% reduction", "higher"),
    ("SNH02", "% Reduction in violence against the person offences with injury across Safer North Hampshire area", "Safer North Hants", -16, 2, 5, "R", "% reduction", "higher"),
    ("SNH03", "Number of Domestic Abuse incidents - domestic crimes", "Safer North Hants", 376, 283, None, "data only", "count", "data only"),
    ("SNH04", "Number of Domestic Abuse incidents - Violence against the person", "Safer North Hants", 169, 231, None, "data only", "count", "data only"),
    ("SNH06", "Drug Offences", "Safer North Hants", 271, 260, None, "data only", "count", "data only"),
]

# The council's own notes that explain a status it set itself.
OVERRIDES = {
    "ETS01": ("R", "JE090714 - The waste KPIs for Q1 have yet to be confirmed, reliability of the waste service "
                   "continues to be a significant problem."),
    "IT03": ("G", "Status as published by the council for the quarter."),
}
TOLERANCES = {"IT01": 30}

# What the council published: the status on each tile, counted.
PUBLISHED = {"total": 45, "G": 27, "A": 6, "R": 9, "data_only": 3}


def published_by_service() -> dict[str, dict[str, int]]:
    """The tiles' statuses counted per service (the council's grouping)."""
    out: dict[str, dict[str, int]] = {}
    for _code, _title, service, *_figures, status, _unit, _polarity in KPIS:
        entry = out.setdefault(service, {"total": 0, "G": 0, "A": 0, "R": 0})
        entry["total"] += 1
        if status in entry:
            entry[status] += 1
    return out


def sheets() -> dict[str, list[list]]:
    indicators = [["code", "title", "unit", "decimals", "polarity", "frequency", "tolerance_pct", "sets", "theme", "lead"]]
    targets = [["code", "period", "target"]]
    actuals = [["code", "period", "actual", "commentary", "status", "status_reason"]]
    for code, title, service, now, before, target, _status, unit, polarity in KPIS:
        indicators.append([code, title, unit, 2, polarity, "quarterly", TOLERANCES.get(code, 10), SET, service, ROLES[service]])
        if target is not None:
            targets.append([code, PERIOD, target])
        status, reason = OVERRIDES.get(code, (None, None))
        actuals.append([code, PERIOD, now, reason if now is None else None, status, reason])
        actuals.append([code, PREVIOUS, before, None, None, None])
    return {"Indicators": indicators, "Targets": targets, "Actuals": actuals}


def workbook() -> bytes:
    """The workbook a performance officer would fill from the published figures."""
    return write_workbook(sheets())

"""The blank import workbook the import page offers: every column, a note on each heading, drop-downs, an example row.

The notes are the words of docs/import.md, so the template, the document and the import's
messages say the same thing.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from .import_check import (
    ACTUAL_COLUMNS,
    ACTUALS,
    INDICATOR_COLUMNS,
    INDICATORS,
    TARGET_COLUMNS,
    TARGETS,
)
from .models import units

PERIOD_NOTE = "A period key: 2006-07 (July 2006), 2006/07 Q1 (a financial quarter) or 2006/07 (a financial year)."
YES_NO = ["yes", "no"]

NOTES = {
    INDICATORS: {
        "code": "Required. The council's reference, up to 40 characters (CH141, BVPI 157).",
        "title": "Required for a new indicator.",
        "unit": "A unit from the list (the admin's Units); a figure outside its bounds is refused.",
        "decimals": "Places shown, 0 to 6. Default 0.",
        "polarity": "higher, lower, range (within a range) or data only (no status). Default higher.",
        "frequency": "monthly, quarterly or annual. Default monthly.",
        "measure": "snapshot or cumulative (year to date). Default snapshot.",
        "tolerance_pct": "How far worse than target, as % of the target, is still A. Default 5.",
        "sets": "Set codes separated by ; (FULL;LAA). New codes add sets.",
        "theme": "A theme's name; a new name adds it.",
        "priority": "The priority the objective sits under.",
        "objective": "The objective, under the priority; new ones are added.",
        "portfolio": "The Cabinet portfolio.",
        "directorate": "A directorate's name or code.",
        "lead": "A role abbreviation from the glossary (HoPP), a username or an e-mail. "
                "A new abbreviation is added to the glossary; its holders update the figures.",
        "lead_role": "A role abbreviation; the same as giving a role in lead.",
        "definition": "What is measured and how.",
        "data_source": "Where the figures come from.",
        "baseline": "A figure in the indicator's unit.",
        "baseline_period": PERIOD_NOTE,
        "action_plan": "The template's action plan. Write none, missing or not robust to record it missing "
                       "(the indicator is then R). Blank: complete unless recorded otherwise.",
        "action_plan_robust": "yes or no. Leave blank unless the council records the plan as not robust.",
        "action_plan_agreed_on": "A date; periods that ended before it were reported without the plan.",
    },
    TARGETS: {
        "code": "Required. An indicator's code.",
        "period": "Required. " + PERIOD_NOTE + " A year gives the annual target.",
        "target": "Required (not for a range). A figure in the indicator's unit.",
        "lower": "Range indicators only: the bottom of the range.",
        "upper": "Range indicators only: the top of the range.",
        "agreed_on": "A date; a period that ended before it was reported with no target.",
    },
    ACTUALS: {
        "code": "Required. An indicator's code.",
        "period": "Required. " + PERIOD_NOTE + " Of the indicator's frequency.",
        "actual": "The figure. Blank is 'not yet available', never zero.",
        "commentary": "Why the figure is what it is.",
        "remedial_action": "What is being done about it.",
        "data_quality": "provisional, estimated, revised or validated.",
        "status": "G, A, R or B to set the status by hand; needs status_reason.",
        "status_reason": "Why the status was set by hand.",
        "for_information": "yes: reported for information this period only, with no status.",
    },
}

CHOICES = {
    (INDICATORS, "polarity"): ["higher", "lower", "range", "data only"],
    (INDICATORS, "frequency"): ["monthly", "quarterly", "annual"],
    (INDICATORS, "measure"): ["snapshot", "cumulative"],
    (INDICATORS, "action_plan_robust"): YES_NO,
    (ACTUALS, "data_quality"): ["provisional", "estimated", "revised", "validated"],
    (ACTUALS, "status"): ["G", "A", "R", "B"],
    (ACTUALS, "for_information"): YES_NO,
}

EXAMPLES = {
    INDICATORS: {
        "code": "HR11", "title": "Working days lost to sickness absence per FTE (cumulative)", "unit": "days",
        "decimals": 2, "polarity": "lower", "frequency": "quarterly", "measure": "cumulative", "tolerance_pct": 10,
        "sets": "KPI", "theme": "Our council", "lead": "HoHR",
    },
    TARGETS: {"code": "HR11", "period": "2014/15 Q1", "target": 1.58},
    ACTUALS: {"code": "HR11", "period": "2014/15 Q1", "actual": 2.6,
              "commentary": "Long term sickness absences make up a high proportion of this (47%)"},
}

ROWS = 500  # rows the drop-downs cover

COLUMNS = {
    INDICATORS: ("code", "title", *INDICATOR_COLUMNS),
    TARGETS: ("code", "period", *TARGET_COLUMNS),
    ACTUALS: ("code", "period", *ACTUAL_COLUMNS),
}
# {sheet: (headers, [example row])}: the template's content without its notes and drop-downs.
TEMPLATE_SHEETS = {name: (headers, [[EXAMPLES[name].get(h) for h in headers]]) for name, headers in COLUMNS.items()}


def template_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    unit_codes = [u.code for u in units().values()]
    for name, (headers, examples) in TEMPLATE_SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(headers))
        for example in examples:
            sheet.append(example)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.comment = Comment(NOTES[name][header], "councilperf")
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = max(12, len(header) + 4)
            words = unit_codes if (name, header) == (INDICATORS, "unit") else CHOICES.get((name, header))
            if words and len(",".join(words)) < 250:  # Excel's limit on a list written in the rule
                rule = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
                rule.error, rule.errorTitle = f"Choose one of: {', '.join(words)}", header
                sheet.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}{ROWS}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

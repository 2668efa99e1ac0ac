"""Synthetic KPI workbooks of any size, for the import benchmark and for tests of scale."""

from __future__ import annotations

import io
import random

import openpyxl

from core import periods

THEMES = (
    "Healthier communities and older people",
    "Economic development and enterprise",
    "Safer and stronger communities",
    "Children and young people",
)


def synthetic_workbook(n: int, months: int, seed: int = 0, *, first_month: str = "2003-04") -> bytes:
    """An .xlsx with `n` monthly indicators and `months` months of targets and actuals for each.

    Percentages stay within 0-100 and every figure is valid, so the whole workbook imports.
    """
    rng = random.Random(seed)
    keys = []
    key = periods.parse(first_month)
    for _ in range(months):
        keys.append(key.key)
        key = key.next()
    wb = openpyxl.Workbook(write_only=True)
    indicators = wb.create_sheet("Indicators")
    targets = wb.create_sheet("Targets")
    actuals = wb.create_sheet("Actuals")
    indicators.append(["code", "title", "unit", "decimals", "polarity", "frequency", "measure",
                       "tolerance_pct", "sets", "theme", "action_plan_robust", "data_source"])
    targets.append(["code", "period", "target"])
    actuals.append(["code", "period", "actual", "commentary", "data_quality"])
    for i in range(1, n + 1):
        code = f"SYN{i:05d}"
        percentage = i % 3 == 0
        polarity = "lower" if i % 4 == 0 else "higher"
        indicators.append([
            code, f"Synthetic indicator {i}", "percentage" if percentage else "number", 1, polarity,
            "monthly", "snapshot", 5, "SYN" if i % 2 else "SYN;SYN-CORE", THEMES[i % len(THEMES)], "yes",
            "Synthetic (illustrative)",
        ])
        level = rng.uniform(20, 80) if percentage else rng.uniform(50, 5000)
        for month in keys:
            target = round(level, 1)
            actual = round(min(100.0, level * rng.uniform(0.85, 1.15)) if percentage else level * rng.uniform(0.85, 1.15), 1)
            targets.append([code, month, target])
            actuals.append([code, month, actual, "On track" if actual >= target else "Below target", "validated"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

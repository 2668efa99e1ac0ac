"""Every write in a service runs in one transaction: an approval, a lock, an import, a publication
is whole or absent. New service functions are caught by this test until they are atomic or listed."""

from __future__ import annotations

import importlib
import inspect

from django.db import transaction

APPS = ("organisation", "indicators", "improvement_plans", "risks", "budgets", "reports")

# Public service functions that are not themselves atomic, and why that is safe.
NOT_ATOMIC = {
    "indicators.ensure_unlocked": "reads only",
    "indicators.reading_enter": "one call to reading_save, which is atomic",
    "indicators.return_submit": "one call to readings_move, which is atomic",
    "indicators.readings_approve": "reads who had a hand, then one call to readings_move (atomic), whose version check refuses a figure changed between",
    "indicators.hands_on": "reads only",
    "indicators.others_work": "builds a query",
    "indicators.readings_return": "one call to readings_move, which is atomic",
    "improvement_plans.changes_since_last_version": "reads only",
    "improvement_plans.describe_changes": "no database",
    "improvement_plans.validate_rows": "reads only",
    "budgets.budget_import_file": "reads the file, then one call to budget_import, which is atomic",
    "budgets.locked_period_keys": "reads only",
    "reports.differences": "no database",
    "reports.part_path": "no database",
    "reports.part_pages": "reads the kept file, no database",
    "reports.is_stale": "no database",
    "reports.parts_requeue_stale": "one UPDATE of the parts a stopped worker left running",
    "reports.store_pdf": "one UPDATE after the file is renamed into place, so a crash leaves no half file",
    "reports.part_key": "no database",
    "reports.reusable_parts": "reads only",
    "reports.parts_reuse": "per part, one UPDATE claims it and one UPDATE records the file once it is linked into place "
                           "(or sends it back to be rendered), like store_pdf; a crash between them leaves it running, "
                           "which parts_requeue_stale takes up",
}


# Modules besides services.py that write: a report's PDF store.
ALSO = {"reports": ("storage",)}


def _service_functions():
    for app in APPS:
        for module_name in ("services", *ALSO.get(app, ())):
            yield from _public_functions(app, importlib.import_module(f"{app}.{module_name}"))


def _public_functions(app, module):
    for name, func in inspect.getmembers(module, inspect.isfunction):
        if func.__module__ == module.__name__ and not name.startswith("_"):
            yield f"{app}.{name}", func


def _atomic(func) -> bool:
    """transaction.atomic as a decorator wraps the function in a closure holding the Atomic."""
    cells = getattr(func, "__closure__", None) or ()
    return any(isinstance(cell.cell_contents, transaction.Atomic) for cell in cells)


def test_every_service_that_writes_is_atomic():
    plain = sorted(name for name, func in _service_functions() if not _atomic(func) and name not in NOT_ATOMIC)
    assert plain == [], f"service functions without @transaction.atomic: {plain}"


def test_the_list_of_exceptions_names_only_functions_that_exist():
    names = {name for name, _ in _service_functions()}
    assert set(NOT_ATOMIC) <= names

"""Import an improvement plan from a workbook (sheet Actions), all or nothing, naming every bad cell."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import spreadsheets
from improvement_plans import services


class Command(BaseCommand):
    help = "Import an improvement plan from an .xlsx workbook with a sheet called Actions."

    def add_arguments(self, parser):
        parser.add_argument("workbook", type=Path)
        parser.add_argument("--as-at", help="The date the workbook's progress describes (YYYY-MM-DD); today if not given.")

    def handle(self, *args, workbook: Path, as_at=None, **options):
        try:
            day = datetime.date.fromisoformat(as_at) if as_at else None
        except ValueError as exc:
            raise CommandError(f"--as-at {as_at!r} is not a date like 2006-06-13") from exc
        errors: list = []
        try:
            book = spreadsheets.open_workbook(workbook.read_bytes())
            rows = spreadsheets.read_sheet(book, "Actions", required=services.REQUIRED, optional=services.OPTIONAL, errors=errors)
            if errors:
                raise spreadsheets.ImportRefused(errors)
            # No person runs a command: the import is recorded in the audit log without a user.
            result = services.plan_import(rows=rows, user=None, source=workbook.name, as_at=day)
        except OSError as exc:
            raise CommandError(f"{workbook}: {exc.strerror}") from exc
        except spreadsheets.SpreadsheetRefused as exc:
            raise CommandError(str(exc)) from exc
        except spreadsheets.ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s) in {workbook.name}; nothing was imported") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Imported {workbook.name}: {result.summary}."
        ))

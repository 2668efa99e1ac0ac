"""Import the finance system's workbook (sheets Revenue and Capital): all of it or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets import services
from core import spreadsheets


class Command(BaseCommand):
    help = "Import revenue and capital monitoring from an .xlsx workbook; on any problem nothing is written and every bad cell is listed."

    def add_arguments(self, parser):
        parser.add_argument("workbook", type=Path)

    def handle(self, *args, workbook: Path, **options):
        if not workbook.is_file():
            raise CommandError(f"There is no file {workbook}.")
        try:
            with workbook.open("rb") as source:
                plan = services.budget_import_file(source=source)
        except spreadsheets.SpreadsheetRefused as exc:
            raise CommandError(str(exc)) from exc
        except spreadsheets.ImportRefused as exc:
            for problem in exc.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(exc.errors)} problem(s) listed above.") from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {plan.summary}."))

"""Import a KPI workbook (sheets Indicators, Targets, Actuals) from the command line, all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core import spreadsheets
from core.spreadsheets import ImportRefused
from indicators import importer


class Command(BaseCommand):
    help = (
        "Import indicators, targets and actuals from an .xlsx workbook (or a folder of "
        "Indicators.csv, Targets.csv, Actuals.csv). On any problem nothing is written, every "
        "problem is listed as sheet, row, column and message, and the command exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook, or a folder of CSV files named like the sheets")
        parser.add_argument("--dry-run", action="store_true", help="check and report what would change; write nothing")
        parser.add_argument(
            "--user", help="username recorded in the history as the importer (required unless --dry-run)"
        )

    def handle(self, *args, file, dry_run=False, user=None, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        person = None
        if not user and not dry_run:
            raise CommandError("say who is importing with --user USERNAME: every imported value's history names its importer")
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"no user called {user!r}")
        try:
            if path.is_dir():
                report = importer.sheets_import(
                    workbook=spreadsheets.csv_workbook(path), filename=path.name, user=person, dry_run=dry_run
                )
            else:
                report = importer.workbook_import(source=path, filename=path.name, user=person, dry_run=dry_run)
        except ImportRefused as refused:
            for problem in refused.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"{path.name}: {len(refused.errors)} problem(s); nothing was imported.") from None
        for line in report.lines():
            self.stdout.write(line)
        for change in report.changes:
            where = f"{change.code} {change.period}".strip()
            self.stdout.write(f"  {change.kind} {where} {change.field}: {change.old or '(blank)'} -> {change.new or '(blank)'}")
        if report.changes_hidden:
            self.stdout.write(f"  ... and {report.changes_hidden} more")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name}."))

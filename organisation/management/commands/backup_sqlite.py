"""Copy the SQLite database to a file while the app may be running (SQLite's online backup)."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Back up the SQLite database to --to FILE (for PostgreSQL use pg_dump; see docs/operations.md)."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, dest="target")

    def handle(self, *args, target, **options):
        if connection.vendor != "sqlite":
            raise CommandError("This database is not SQLite; back it up with pg_dump (docs/operations.md).")
        source_path = connection.settings_dict["NAME"]
        target_path = Path(target)
        if target_path.exists():
            raise CommandError(f"{target_path} exists already; choose a new file name so no backup is overwritten.")
        with sqlite3.connect(source_path) as source, sqlite3.connect(target_path) as copy:
            source.backup(copy)
        self.stdout.write(f"Backed up {source_path} to {target_path}")

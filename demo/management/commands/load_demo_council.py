"""Load the demo council (Herefordshire 2006-07, from the seed documents) into the database."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.loaders import (
    benchmarking,
    budgets,
    improvement_plans,
    indicators,
    organisation,
    reports,
    risks,
)
from organisation.models import Directorate

# Order matters: later parts refer to what earlier parts created.
DEMO_LOADERS = [organisation, indicators, improvement_plans, risks, budgets, benchmarking, reports]


class Command(BaseCommand):
    help = "Load the demo council. With --if-empty, do nothing when the database already has data."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Skip when the council is already set up.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Directorate.objects.exists():
            self.stdout.write("The database already holds a council; the demo council was not loaded.")
            return
        with transaction.atomic():
            for loader in DEMO_LOADERS:
                loader.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("The demo council is loaded (figures are illustrative where the seeds give none)."))

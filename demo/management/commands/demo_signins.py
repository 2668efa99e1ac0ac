"""Print the demo council's sign-ins, as `make run` shows them."""

from django.core.management.base import BaseCommand

from core import clock
from demo.loaders import organisation as organisation_demo


class Command(BaseCommand):
    help = "Print the demo users and their password."

    def handle(self, *args, **options):
        users, password = organisation_demo.signins()
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {password}):")
        for username, roles in users:
            self.stdout.write(f"  {username:<12} {roles}")
        fixed = clock.as_at()
        if fixed:
            self.stdout.write(f"The council reads as at {fixed.day} {fixed:%B %Y} (COUNCILPERF_AS_AT).")
        self.stdout.write("")

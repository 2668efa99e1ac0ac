"""Print the demo council's sign-ins, as `make run` shows them."""

from django.core.management.base import BaseCommand

from organisation import demo


class Command(BaseCommand):
    help = "Print the demo users and their password."

    def handle(self, *args, **options):
        users, password = demo.signins()
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {password}):")
        for username, roles in users:
            self.stdout.write(f"  {username:<12} {roles}")
        self.stdout.write("")

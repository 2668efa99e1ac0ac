"""Make a synthetic council of a chosen size for the benchmark and the load test (figures invented)."""

import time

from django.core.management.base import BaseCommand, CommandError

from core import periods
from demo import synthetic


class Command(BaseCommand):
    help = (
        "Make a synthetic council: nested sets, themes, priorities and objectives, directorates, officers "
        "(one per ~10 indicators, and one leading 100), targets and milestones, actuals with gaps and noise, an "
        "open current month, an improvement plan, a risk log and budget lines. The same seed makes the same "
        f"council. Every synthetic user's password is '{synthetic.PASSWORD}'. Never run it on a real council's database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=1000)
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--end", default="2006-07", help="the open month, the last of the series (e.g. 2006-07)")

    def handle(self, *args, indicators, months, seed, end, **options):
        try:
            end_key = periods.parse(end)
        except periods.PeriodKeyError as exc:
            raise CommandError(str(exc)) from exc
        if end_key.kind != periods.MONTH:
            raise CommandError("--end must be a month, e.g. 2006-07")
        started = time.perf_counter()
        try:
            council = synthetic.plan_council(indicators=indicators, months=months, seed=seed, end=end_key.key)
            counts = synthetic.write_council(council)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in counts.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Synthetic council of {indicators:,} indicators x {months} months (seed {seed}) made in "
            f"{time.perf_counter() - started:.1f}s. Open month {end_key.label}; "
            f"{council.bulk_officer} leads 100 indicators." if indicators >= 100 else
            f"Synthetic council of {indicators:,} indicators x {months} months (seed {seed}) made in "
            f"{time.perf_counter() - started:.1f}s."
        ))

"""Print the performance figures for a period as JSON (for other tools) or text (for people)."""

import json

from django.core.management.base import BaseCommand, CommandError

from core import periods
from indicators.models import IndicatorSet
from indicators.summary import as_text, performance_summary


class Command(BaseCommand):
    help = "The performance figures for a period: counts by status, direction, set, theme and priority."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2006-07 (a month), 2006/07 Q1 or 2006/07")
        parser.add_argument("--set", dest="set_code", help="an indicator set's code, e.g. LAA")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, period, set_code=None, format="json", **options):
        try:
            key = periods.parse(period).key
        except periods.PeriodKeyError as exc:
            raise CommandError(str(exc)) from exc
        if set_code and not IndicatorSet.objects.filter(code=set_code).exists():
            known = ", ".join(IndicatorSet.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"there is no indicator set {set_code!r}; the sets are: {known}")
        summary = performance_summary(period_key=key, set_code=set_code)
        if format == "json":
            self.stdout.write(json.dumps(summary, indent=2))
        else:
            self.stdout.write(as_text(summary), ending="")

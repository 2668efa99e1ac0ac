"""Send each officer one e-mail listing the figures still due from them in the open periods.

An officer is asked for the figures they lead by name and those led by a role they hold; a
figure nobody can be asked for (its role held by no one) is named on standard error.

Run daily by a scheduler: `python manage.py send_reminders`. Uses Django's e-mail backend
(the console in development) and the same e-mails as the chasing page (indicators.reminders):
after COUNCILPERF_ESCALATE_AFTER_DAYS days overdue the officer's approvers are copied in.
`--period 2006-07` limits it to one period, `--overdue-only` to officers past the deadline,
`--dry-run` says who would be written to without sending.
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from core import clock, periods
from indicators import reminders as reminders_module
from organisation.models import Period


class Command(BaseCommand):
    help = "E-mail officers the figures still due from them in open periods."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="one period key, e.g. 2006-07 (default: every open period)")
        parser.add_argument("--overdue-only", action="store_true", help="only periods past their deadline")
        parser.add_argument("--dry-run", action="store_true", help="list the reminders without sending them")
        parser.add_argument("--base-url", default="", help="the site's address for links, e.g. https://performance.council.gov.uk")

    def handle(self, *args, **options):
        today = clock.today()
        chosen = Period.objects.filter(state=Period.OPEN)
        if options["period"]:
            try:
                key = periods.parse(options["period"]).key
            except periods.PeriodKeyError as exc:
                raise CommandError(str(exc)) from exc
            chosen = chosen.filter(key=key)
            if not chosen.exists():
                raise CommandError(f"{options['period']} is not an open period")
        link = options["base_url"].rstrip("/") + reverse("indicators:updates")
        batch = reminders_module.reminders_for(
            chosen.order_by("start", "kind"), today=today, link=link, overdue_only=options["overdue_only"],
        )
        reminders = batch.reminders
        if options["dry_run"]:
            for r in reminders:
                copied = f" (copying {', '.join(r.copied)})" if r.copied else ""
                self.stdout.write(f"would send to {r.officer.email}{copied}: {r.message.subject}")
        else:
            reminders_module.reminders_send(reminders=reminders)
        for name in batch.skipped:
            self.stderr.write(f"{name} has no e-mail address; not reminded")
        for unchased in batch.nobody:
            self.stderr.write(f"{unchased.period.label} {unchased.indicator.code}: no one to chase: {unchased.reason}")
        self.stdout.write(f"{len(reminders)} reminder(s) {'to send' if options['dry_run'] else 'sent'}.")

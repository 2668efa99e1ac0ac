"""Send each officer one e-mail listing the figures still due from them in the open periods.

Run daily by a scheduler: `python manage.py send_reminders`. Uses Django's e-mail backend
(the console in development). `--period 2006-07` limits it to one period, `--overdue-only`
to periods past their deadline, `--dry-run` says who would be written to without sending.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from core import clock, periods
from indicators import returns
from organisation import audit
from organisation.models import Period


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"


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
        if options["overdue_only"]:
            chosen = chosen.filter(deadline__lt=today)
        by_officer: dict = {}
        for period in chosen.order_by("start", "kind"):
            for summary in returns.return_summaries(period):
                if summary.outstanding:
                    by_officer.setdefault(summary.lead, []).append(summary)
        link = options["base_url"].rstrip("/") + reverse("indicators:updates")
        messages, skipped = [], []
        for officer, due in by_officer.items():
            if not officer.email:
                skipped.append(officer.username)
                continue
            messages.append(self._message(officer, due, today, link))
        if options["dry_run"]:
            for m in messages:
                self.stdout.write(f"would send to {', '.join(m.to)}: {m.subject}")
        else:
            sent = get_connection().send_messages(messages) if messages else 0
            audit.record(
                action="reminders_sent",
                summary=f"{sent or 0} reminder(s) sent to {', '.join(sorted(m.to[0] for m in messages)) or 'nobody'}",
            )
        for name in skipped:
            self.stderr.write(f"{name} has no e-mail address; not reminded")
        self.stdout.write(f"{len(messages)} reminder(s) {'to send' if options['dry_run'] else 'sent'}.")

    def _message(self, officer, due, today, link) -> EmailMessage:
        overdue = any(s.overdue(today) for s in due)
        name = officer.get_full_name() or officer.username
        lines = [f"Dear {name},", ""]
        for s in due:
            when = ""
            if s.period.deadline:
                when = f" The deadline {'was' if s.overdue(today) else 'is'} {_date(s.period.deadline)}."
            lines.append(f"{s.period.label}: {s.outstanding} of {s.due} figures still to send for approval.{when}")
            lines.extend(f"  - {ind.code} {ind.title}" for ind in s.waiting)
            lines.append("")
        lines += [f"Enter them on My updates: {link}", "", "Policy and Performance"]
        subject = ("Overdue: " if overdue else "Reminder: ") + "performance figures due for " + ", ".join(
            s.period.label for s in due
        )
        return EmailMessage(subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL, to=[officer.email])

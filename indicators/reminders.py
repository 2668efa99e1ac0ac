"""Reminders to officers about the figures still due from them: who to write to, the e-mail, sending and the record.

The chasing page (one officer, a directorate, or everyone overdue, with a preview) and the daily
`manage.py send_reminders` build their e-mails here, so both say the same thing. A figure is
chased from its named lead and from everyone holding its lead role (one e-mail per person);
one that nobody leads or whose role nobody holds is named for the performance team. Escalation:
once a return is COUNCILPERF_ESCALATE_AFTER_DAYS days overdue (default 7), the approvers of the
officer's directorate are copied in. Each reminder sent is kept (ReminderSent) and the sending
is one line in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from core import policy
from core.presenters import long_date
from organisation import audit

from . import returns
from .models import ReminderSent


def escalate_after_days() -> int:
    return int(getattr(settings, "COUNCILPERF_ESCALATE_AFTER_DAYS", 7))


@dataclass
class Reminder:
    officer: object
    due: list  # ReturnSummary per period
    days_overdue: int
    copied: list[str] = field(default_factory=list)
    message: EmailMessage | None = None

    @property
    def outstanding(self) -> int:
        return sum(s.outstanding for s in self.due)


def approvers_by_directorate(directorate_ids) -> dict:
    """{directorate id: [approvers' e-mail addresses]}: who is copied in when a return is long overdue."""
    out: dict = {}
    users = get_user_model().objects.filter(
        groups__name=policy.APPROVER, profile__directorate_id__in=list(directorate_ids), is_active=True
    ).exclude(email="").values_list("profile__directorate_id", "email").order_by("email")
    for directorate_id, email in users:
        out.setdefault(directorate_id, []).append(email)
    return out


@dataclass
class Batch:
    """What a round of chasing would send: the reminders, the people skipped for having no e-mail
    address, and the figures nobody can be asked for (returns.Unchased)."""

    reminders: list[Reminder]
    skipped: list[str]
    nobody: list


def reminders_for(chosen_periods, *, today, link: str, person_id=None, directorate_id=None,
                  overdue_only: bool = False) -> Batch:
    """The reminders to send for these periods: one per person with figures still due (only the
    overdue ones with `overdue_only`), whether they lead them by name or hold their lead role."""
    by_officer: dict = {}
    nobody = []
    for period in chosen_periods:
        due = returns.returns_due(period, directorate_id=directorate_id, person_id=person_id)
        for summary in due.summaries:
            if summary.outstanding and (summary.overdue(today) or not overdue_only):
                by_officer.setdefault(summary.lead, []).append(summary)
        late = bool(period.deadline and today > period.deadline)
        nobody.extend(u for u in due.nobody if late or not overdue_only)
    copies = approvers_by_directorate({s.directorate.pk for due in by_officer.values() for s in due if s.directorate})
    reminders, skipped = [], []
    for officer, due in by_officer.items():
        if not officer.email:
            skipped.append(officer.get_full_name() or officer.username)
            continue
        late = max((today - s.period.deadline).days for s in due if s.period.deadline) if any(
            s.overdue(today) for s in due) else 0
        copied = []
        if late >= escalate_after_days():
            copied = sorted({e for s in due if s.directorate for e in copies.get(s.directorate.pk, [])} - {officer.email})
        reminder = Reminder(officer=officer, due=due, days_overdue=late, copied=copied)
        reminder.message = _message(reminder, today=today, link=link)
        reminders.append(reminder)
    return Batch(reminders=reminders, skipped=skipped, nobody=nobody)


def _message(reminder: Reminder, *, today, link: str) -> EmailMessage:
    """One e-mail per person: each period once, with every figure they are asked for in it (a person's
    returns in two directorates are one list), and the role through which they lead a figure."""
    officer = reminder.officer
    name = officer.get_full_name() or officer.username
    by_period: dict = {}
    for s in reminder.due:
        by_period.setdefault(s.period, []).append(s)
    lines = [f"Dear {name},", ""]
    for period, summaries in by_period.items():
        overdue = any(s.overdue(today) for s in summaries)
        when = f" The deadline {'was' if overdue else 'is'} {long_date(period.deadline)}." if period.deadline else ""
        outstanding, due = sum(s.outstanding for s in summaries), sum(s.due for s in summaries)
        lines.append(f"{period.label}: {outstanding} of {due} figures still to send for approval.{when}")
        for s in summaries:
            lines.extend(
                f"  - {ind.code} {ind.title}" + (f" (as {role.abbreviation}, {role.title})" if role else "")
                for ind, role in s.waiting_lines
            )
        lines.append("")
    if reminder.copied:
        lines += [f"Your approver is copied in: the return is {reminder.days_overdue} days overdue.", ""]
    lines += [f"Enter them on My updates: {link}", "", "Policy and Performance"]
    overdue = any(s.overdue(today) for s in reminder.due)
    subject = ("Overdue: " if overdue else "Reminder: ") + "performance figures due for " + ", ".join(
        period.label for period in by_period)
    return EmailMessage(subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[officer.email], cc=reminder.copied)


@transaction.atomic
def reminders_send(*, reminders: list[Reminder], user=None, request=None) -> int:
    """Send the reminders through Django's e-mail backend and record each (who, when, by whom)."""
    messages = [r.message for r in reminders]
    sent = get_connection().send_messages(messages) if messages else 0
    ReminderSent.objects.bulk_create([
        ReminderSent(period=s.period, officer=r.officer, to=r.officer.email, copied=", ".join(r.copied),
                     outstanding=s.outstanding, sent_by=user)
        for r in reminders for s in r.due
    ])
    audit.record(
        user=user, action="reminders_sent", request=request,
        summary=f"{sent or 0} reminder(s) sent to {', '.join(sorted(r.officer.email for r in reminders)) or 'nobody'}"
        + (f"; approvers copied: {', '.join(sorted({c for r in reminders for c in r.copied}))}"
           if any(r.copied for r in reminders) else ""),
    )
    return sent or 0


def last_reminded(period) -> dict:
    """{officer id: the latest ReminderSent} for the period, for the chasing page."""
    out = {}
    for sent in ReminderSent.objects.filter(period=period).order_by("sent_at", "id"):
        out[sent.officer_id] = sent
    return out

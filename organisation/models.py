"""The council's organisation and its reporting periods, which every other part refers to."""

from django.conf import settings
from django.db import models

from core import periods


class Directorate(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Portfolio(models.Model):
    """A Cabinet member's area of responsibility."""

    name = models.CharField(max_length=200, unique=True)
    cabinet_member = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class LeadRole(models.Model):
    """A role in the council's glossary (DoCCS, HoPP ...), printed with plans."""

    abbreviation = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["abbreviation"]

    def __str__(self):
        return f"{self.abbreviation} ({self.title})"


class Profile(models.Model):
    """What the council knows of a user beyond sign-in: where they work and which roles they hold."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.SET_NULL)
    job_title = models.CharField(max_length=200, blank=True)
    lead_roles = models.ManyToManyField(LeadRole, blank=True, related_name="holders")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}"


class Period(models.Model):
    """A reporting period: a month, a financial quarter or a financial year.

    `key` is the form used in every file and command (see core.periods).
    """

    OPEN = "open"
    CLOSED = "closed"
    LOCKED = "locked"
    STATES = [(OPEN, "Open"), (CLOSED, "Closed"), (LOCKED, "Locked")]

    key = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=8, choices=[(k, k.title()) for k in periods.KINDS])
    fy = models.PositiveIntegerField(help_text="Calendar year in which the financial year starts")
    number = models.PositiveSmallIntegerField(help_text="Month 1-12 from April, quarter 1-4, or 1")
    start = models.DateField()
    end = models.DateField()
    state = models.CharField(max_length=8, choices=STATES, default=CLOSED)
    deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start", "kind"]
        indexes = [models.Index(fields=["kind", "fy", "number"])]

    def __str__(self):
        return self.label

    @property
    def pk_key(self) -> periods.PeriodKey:
        return periods.PeriodKey(self.fy, self.kind, self.number)

    @property
    def label(self) -> str:
        return self.pk_key.label

    @classmethod
    def get_or_create_for(cls, key: str | periods.PeriodKey) -> "Period":
        """The Period row for a key, creating it on first use."""
        pk = key if isinstance(key, periods.PeriodKey) else periods.parse(key)
        period, _ = cls.objects.get_or_create(
            key=pk.key,
            defaults={
                "kind": pk.kind,
                "fy": pk.fy,
                "number": pk.number,
                "start": pk.start,
                "end": pk.end,
            },
        )
        return period


class PeriodEvent(models.Model):
    """A change to a period's state (opened, closed, locked, reopened, deadline set), with the reason."""

    OPENED, CLOSED, LOCKED, REOPENED, DEADLINE = "opened", "closed", "locked", "reopened", "deadline"
    ACTIONS = [(a, a.title()) for a in (OPENED, CLOSED, LOCKED, REOPENED, DEADLINE)]

    period = models.ForeignKey(Period, related_name="events", on_delete=models.PROTECT)
    action = models.CharField(max_length=10, choices=ACTIONS)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.period.key} {self.action}"


class AuditEvent(models.Model):
    """Who did what: sign-ins, changes, imports, approvals, publications and exports. Never edited."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, blank=True, help_text="Kept even if the user is later removed.")
    action = models.CharField(max_length=40, db_index=True, help_text="e.g. signed_in, reading_saved, report_published")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    summary = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"


class SignInGroupMapping(models.Model):
    """A group claim value from the council's identity provider and the role or lead role it gives.

    Adds to the mapping in the environment (COUNCILPERF_OIDC_GROUPS_*); read at every SSO sign-in.
    """

    claim_value = models.CharField(
        max_length=200, help_text="The value in the provider's group claim, e.g. an Entra ID group's object id."
    )
    group = models.ForeignKey(
        "auth.Group", null=True, blank=True, on_delete=models.CASCADE,
        help_text="The councilperf role it gives: Officer, Approver, Performance team or Member.",
    )
    lead_role = models.ForeignKey(
        LeadRole, null=True, blank=True, on_delete=models.CASCADE, help_text="The lead role (glossary) it gives."
    )
    note = models.CharField(max_length=200, blank=True, help_text="e.g. the group's name in the provider.")

    class Meta:
        ordering = ["claim_value"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | models.Q(lead_role__isnull=False),
                name="sign_in_mapping_gives_something",
            ),
        ]

    def __str__(self):
        gives = self.group.name if self.group_id else self.lead_role.abbreviation
        return f"{self.claim_value} → {gives}"

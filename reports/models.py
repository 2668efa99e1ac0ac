"""The Cabinet report: its cover, its numbered paragraphs, and the frozen versions published to meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from organisation.models import Period, Portfolio


class Report(models.Model):
    """An integrated performance report for a period and a scope (whole council or one portfolio)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.PROTECT, help_text="Blank for the whole council."
    )
    # The cover (000).
    body = models.CharField(max_length=100, default="Cabinet", help_text="The meeting it goes to.")
    meeting_date = models.DateField()
    title = models.CharField(max_length=200, default="Integrated performance report")
    portfolio_responsibility = models.CharField(max_length=300, blank=True)
    wards_affected = models.CharField(max_length=300, default="County-wide")
    purpose = models.TextField(blank=True)
    key_decision = models.BooleanField(default=False)
    recommendations = models.TextField(blank=True, help_text="One recommendation a line.")
    reasons = models.TextField(blank=True)
    author = models.CharField(max_length=200, blank=True, help_text="Report author / lead officer.")
    contact = models.CharField(max_length=300, blank=True)
    alternative_options = models.TextField(default="None.")
    risk_management = models.TextField(
        default="Effective performance reports and their follow-up are an essential element in the management of risks."
    )
    consultees = models.TextField(blank=True)
    background_papers = models.TextField(default="None identified.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period__start", "portfolio__order", "id"]

    def __str__(self):
        return f"{self.title} to the end of {self.period.label} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        return self.portfolio.name if self.portfolio_id else "Whole council"

    @property
    def key_decision_text(self) -> str:
        return "This is a Key Decision" if self.key_decision else "This is not a Key Decision"

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]


class Paragraph(models.Model):
    """A numbered paragraph of the considerations.

    A paragraph with a `key` is written by the app from the figures (reports.drafting) and is
    regenerated every time the report is built, until a person edits it. Then `edited_text`
    is shown, and `edited_against` keeps the generated text it replaced, so the page can say
    when the figures beneath have changed since. A paragraph without a key is a person's own.
    """

    report = models.ForeignKey(Report, related_name="paragraphs", on_delete=models.CASCADE)
    key = models.CharField(max_length=80, blank=True, help_text="Which generator writes it; blank for a person's own.")
    heading = models.CharField(max_length=200, blank=True, help_text="The sub-heading it sits under.")
    order = models.IntegerField(default=0)
    generated_text = models.TextField(blank=True)
    edited_text = models.TextField(blank=True)
    edited_against = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"], condition=~models.Q(key=""), name="report_paragraph_key_unique"
            )
        ]

    def __str__(self):
        return f"{self.report_id} {self.key or 'own'} {self.order}"

    @property
    def edited(self) -> bool:
        return bool(self.edited_text.strip()) or not self.key


class PublishedVersion(models.Model):
    """What members saw: a frozen copy of the report published to a meeting. Never changed once written."""

    report = models.ForeignKey(Report, related_name="versions", on_delete=models.PROTECT)
    number = models.PositiveIntegerField()
    body = models.CharField(max_length=100)
    meeting_date = models.DateField()
    note = models.TextField(blank=True, help_text="What changed from the previous version.")
    html = models.TextField(help_text="The report and appendices as members read them in the browser.")
    figures_json = models.TextField(help_text="Every figure the report shows, as JSON text kept byte for byte.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    publish_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True,
        help_text="The one-time token of the publish form this version came from: a second submit finds it.",
    )

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="published_version_unique")]

    def __str__(self):
        return f"{self.report} version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("allow_refreeze", False):
            raise ValueError("A published version is frozen; publish a correction as a new version.")
        super().save(*args, **kwargs)


class PublishedPart(models.Model):
    """One PDF of a published version (the report or one appendix): its frozen print HTML and, once rendered, its file."""

    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    STATES = [(PENDING, "Waiting"), (RUNNING, "Rendering"), (DONE, "Ready"), (FAILED, "Failed")]

    version = models.ForeignKey(PublishedVersion, related_name="parts", on_delete=models.PROTECT)
    part = models.CharField(max_length=10, help_text='"report", "A1", "A2", "B" ... "F"')
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    html = models.TextField(help_text="The print HTML the PDF is made from, frozen at publication.")
    filename = models.CharField(max_length=255)
    path = models.CharField(max_length=500, blank=True, help_text="Under MEDIA_ROOT once rendered.")
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker last began rendering it.")
    rendered_at = models.DateTimeField(null=True, blank=True)
    # Incremental publishing (issue 24): a part whose key equals a kept part of an earlier version
    # of the same report shares that file instead of being rendered again.
    key = models.CharField(
        max_length=64, blank=True, db_index=True,
        help_text="What the PDF is made from (reports.storage.part_key): equal keys make byte-identical PDFs.",
    )
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The earlier version's part whose kept file this one shares, unrendered.",
    )
    reuse_note = models.CharField(
        max_length=300, blank=True, help_text="Why an equal PDF of an earlier version was not reused.",
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "part"], name="published_part_unique")]

    def __str__(self):
        return self.filename

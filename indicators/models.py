"""Indicators, their sets, themes, priorities and objectives, targets, and readings with history."""

import time

from django.conf import settings
from django.db import models
from django.utils import timezone

from organisation.models import Directorate, LeadRole, Period, Portfolio

from .status import TEMPLATE_COMPLETE_DEFAULT

G, A, R, B = "G", "A", "R", "B"
STATUS_CHOICES = [(B, "Blue"), (G, "Green"), (A, "Amber"), (R, "Red")]


class IndicatorSet(models.Model):
    """A framework of indicators (full set, LAA, LPSA2G); a set can sit inside another set."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT,
        help_text="The set this one sits inside: its indicators count there too.",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A grouping of a set's indicators (LAA: safer and stronger communities ...)."""

    name = models.CharField(max_length=200, unique=True)
    indicator_set = models.ForeignKey(IndicatorSet, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Priority(models.Model):
    """A corporate plan priority: a segment of the summary table."""

    name = models.CharField(max_length=200, unique=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.name


class Objective(models.Model):
    """An objective under a priority; its status rolls up from its indicators unless overridden."""

    priority = models.ForeignKey(Priority, related_name="objectives", on_delete=models.PROTECT)
    name = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    status_override = models.CharField(max_length=1, choices=STATUS_CHOICES, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["priority__order", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["priority", "name"], name="objective_unique_in_priority")]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A unit councils publish figures in, with the range a figure in it can take (checked on entry and import).

    `code` is what an indicator stores and what a workbook may give; `aliases` are the other
    spellings a workbook may use. A bound left blank is not checked: a percentage change, days
    behind schedule or money may be negative.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, help_text='As people read it: "Rate per 100,000 population".')
    aliases = models.CharField(
        max_length=300, blank=True, help_text='Other spellings a workbook may use, separated by ";" ("% reduction; % change").'
    )
    minimum = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    percent_sign = models.BooleanField(default=False, help_text='Figures may be typed with a "%" sign.')
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def spellings(self) -> set[str]:
        return {self.code.lower(), self.name.lower(), *(a.strip().lower() for a in self.aliases.split(";") if a.strip())}

    def out_of_range(self, value) -> str | None:
        """Why `value` cannot be a figure in this unit ("is below 0", "is above 100"), or None."""
        if self.minimum is not None and value < self.minimum:
            return f"is below {_plain(self.minimum)}"
        if self.maximum is not None and value > self.maximum:
            return f"is above {_plain(self.maximum)}"
        return None

    def bounds_text(self) -> str:
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"between {_plain(low)} and {_plain(high)}"
        if low is not None:
            return f"at least {_plain(low)}"
        if high is not None:
            return f"at most {_plain(high)}"
        return "any value (may be negative)"


def _plain(value) -> str:
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


_UNITS: dict[str, Unit] = {}
_UNITS_READ_AT = [0.0]
UNITS_KEPT_SECONDS = 300  # another process's admin edit is seen within this time


def units() -> dict[str, Unit]:
    """Every unit by code: read once and kept, again after a unit is saved here or after UNITS_KEPT_SECONDS."""
    if not _UNITS or time.monotonic() - _UNITS_READ_AT[0] > UNITS_KEPT_SECONDS:
        fresh = {u.code: u for u in Unit.objects.all()}
        _UNITS.clear()
        _UNITS.update(fresh)
        _UNITS_READ_AT[0] = time.monotonic()
    return _UNITS


def unit_name(code: str) -> str:
    unit = units().get(code)
    return unit.name if unit is not None else code.replace("_", " ").capitalize()


def forget_units(**kwargs):
    _UNITS.clear()


models.signals.post_save.connect(forget_units, sender=Unit)
models.signals.post_delete.connect(forget_units, sender=Unit)


class ActiveIndicatorManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Indicator(models.Model):
    # The codes of units seeded by the data migration; the Unit table holds them all (see Unit).
    NUMBER, PERCENTAGE, RATE, DAYS, GBP = "number", "percentage", "rate_per_10000", "days", "gbp"
    HIGHER, LOWER, RANGE, NONE = "higher", "lower", "range", "none"
    POLARITIES = [
        (HIGHER, "Higher is better"),
        (LOWER, "Lower is better"),
        (RANGE, "Within a range"),
        (NONE, "Data only (no target)"),
    ]
    MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
    FREQUENCIES = [(MONTHLY, "Monthly"), (QUARTERLY, "Quarterly"), (ANNUAL, "Annual")]
    SNAPSHOT, CUMULATIVE = "snapshot", "cumulative"
    MEASURES = [(SNAPSHOT, "Snapshot"), (CUMULATIVE, "Cumulative year to date")]

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=500)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=40, default=NUMBER, help_text="The code of a Unit (number, percentage ...).")
    decimals = models.PositiveSmallIntegerField(default=0)
    polarity = models.CharField(max_length=8, choices=POLARITIES, default=HIGHER)
    frequency = models.CharField(max_length=10, choices=FREQUENCIES, default=MONTHLY)
    measure = models.CharField(max_length=10, choices=MEASURES, default=SNAPSHOT)
    tolerance_pct = models.DecimalField(
        max_digits=6, decimal_places=2, default=5,
        help_text="How far worse than target, as % of the target, still counts as Amber.",
    )
    sets = models.ManyToManyField(IndicatorSet, blank=True, related_name="indicators")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.SET_NULL)
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.SET_NULL)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="indicators_led", help_text="The officer who enters this indicator's figures.",
    )
    lead_role = models.ForeignKey(LeadRole, null=True, blank=True, on_delete=models.SET_NULL)
    data_source = models.CharField(max_length=300, blank=True)
    # The template (000): baseline, targets, milestones and an action plan.
    baseline = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action_plan = models.TextField(blank=True, help_text="The template's action plan; blank means none yet.")
    action_plan_robust = models.BooleanField(
        default=TEMPLATE_COMPLETE_DEFAULT,
        help_text="Untick when the action plan is missing or not robust enough to rely on (then the indicator is R).",
    )
    action_plan_agreed_on = models.DateField(
        null=True, blank=True,
        help_text="When the action plan was judged robust; periods that ended before then were reported without it.",
    )
    order = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveIndicatorManager()
    all_objects = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["order", "code"]
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_unit_display(self) -> str:
        return unit_name(self.unit)

    def soft_delete(self):
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])


class Target(models.Model):
    """The target for an indicator in a period: an annual target or a period's milestone."""

    indicator = models.ForeignKey(Indicator, related_name="targets", on_delete=models.CASCADE)
    period = models.ForeignKey(Period, related_name="+", on_delete=models.PROTECT)
    target = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    lower = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    agreed_on = models.DateField(
        null=True, blank=True,
        help_text="When the target was set; a period that ended before then was reported as having no target.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="target_unique_per_period")]

    def __str__(self):
        return f"{self.indicator.code} {self.period.key}: {self.target}"


class Reading(models.Model):
    """An indicator's figure for a period with the officer's words, its workflow state and version."""

    PROVISIONAL, ESTIMATED, REVISED, VALIDATED = "provisional", "estimated", "revised", "validated"
    DATA_QUALITY = [
        (PROVISIONAL, "Provisional"),
        (ESTIMATED, "Estimated"),
        (REVISED, "Revised"),
        (VALIDATED, "Validated"),
    ]
    DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
    STATES = [(DRAFT, "Draft"), (SUBMITTED, "Submitted"), (APPROVED, "Approved"), (RETURNED, "Returned")]

    indicator = models.ForeignKey(Indicator, related_name="readings", on_delete=models.CASCADE)
    period = models.ForeignKey(Period, related_name="+", on_delete=models.PROTECT)
    actual = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, help_text="Blank means no data yet, never zero."
    )
    commentary = models.TextField(blank=True)
    remedial_action = models.TextField(blank=True)
    data_quality = models.CharField(max_length=12, choices=DATA_QUALITY, blank=True)
    for_information = models.BooleanField(
        default=False, help_text="Reported for information this period only: no RAG status for this reading.",
    )
    status_override = models.CharField(max_length=1, choices=STATUS_CHOICES, blank=True)
    status_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default=DRAFT)
    return_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every save; a stale version is refused.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="reading_unique_per_period")]
        # Period first, then indicator and figure: the SPC checksum and figures of every indicator over five
        # years (indicators.selectors.spc_latest) read the index alone, never the rows with their commentary.
        indexes = [models.Index(fields=["period", "indicator", "actual"], name="reading_period_figures")]

    def __str__(self):
        return f"{self.indicator.code} {self.period.key}: {self.actual}"

    def hands(self) -> set:
        """The ids of everyone who entered, submitted or last changed this figure: none of them may
        approve it (core.policy, separation of duties). One query."""
        return {self.updated_by_id} | set(
            ReadingHistory.objects.filter(reading_id=self.pk).exclude(how__in=ReadingHistory.DECISIONS)
            .values_list("by_id", flat=True)
        ) - {None}


class ReadingHistory(models.Model):
    """One change to a reading: what each field was and became, who, when and how. Never edited."""

    FORM, HTMX, IMPORT, UPLOAD, APPROVAL, RETURN, SUBMIT, OVERRIDE, ADMIN, DEMO = (
        "form", "htmx", "import", "upload", "approval", "return", "submit", "override", "admin", "demo",
    )
    HOWS = [(h, h.title()) for h in (FORM, HTMX, IMPORT, UPLOAD, APPROVAL, RETURN, SUBMIT, OVERRIDE, ADMIN, DEMO)]
    # An approver's own steps; every other step puts a hand on the figure (Reading.hands).
    DECISIONS = (APPROVAL, RETURN)

    reading = models.ForeignKey(Reading, related_name="history", on_delete=models.PROTECT)
    changes = models.JSONField(help_text='{"field": [old, new]} with values as text')
    how = models.CharField(max_length=10, choices=HOWS)
    source = models.CharField(max_length=300, blank=True, help_text="The file an import came from, or a note.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["reading", "at", "id"]
        verbose_name_plural = "reading history"

    def __str__(self):
        return f"{self.reading} v{self.version} by {self.how}"


class SpcSettings(models.Model):
    """How an indicator's SPC chart is worked out, as the performance team chose (docs/spc.md)."""

    RUN_LENGTHS = [(7, "7 points (NHS Making Data Count)"), (6, "6 points")]

    indicator = models.OneToOneField(Indicator, related_name="spc_settings", on_delete=models.CASCADE)
    run_length = models.PositiveSmallIntegerField(
        choices=RUN_LENGTHS, default=7, help_text="Points in a row that make a shift or a trend."
    )
    screen_outliers = models.BooleanField(
        default=False,
        help_text="Leave month-to-month changes of 3.267 times the average change or more out of the limits.",
    )
    trial_limits = models.BooleanField(
        default=False, help_text="Judge the indicator from fewer than 12 points, marked as trial limits."
    )
    baseline_end = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Fix the limits on the points up to and including this period.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "SPC settings"

    def __str__(self):
        return f"SPC settings of {self.indicator.code}"


class SpcRebase(models.Model):
    """A point from which an indicator's limits are recalculated, with the reason (a change in the process)."""

    indicator = models.ForeignKey(Indicator, related_name="spc_rebases", on_delete=models.CASCADE)
    period = models.ForeignKey(Period, related_name="+", on_delete=models.PROTECT)
    reason = models.TextField(help_text="What changed in the process at this point.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period__start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="spc_rebase_unique_per_period")]

    def __str__(self):
        return f"{self.indicator.code} rebased at {self.period.key}"


class ReminderSent(models.Model):
    """A reminder e-mailed to an officer about the figures still due from them: to whom, when, by
    whom (none: the daily run) and which approvers were copied in (escalation). Never edited."""

    period = models.ForeignKey(Period, related_name="+", on_delete=models.PROTECT)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    to = models.CharField(max_length=254)
    copied = models.TextField(blank=True, help_text="Approvers copied in, comma-separated.")
    outstanding = models.PositiveIntegerField(help_text="Figures still to send when the reminder went.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.to} reminded about {self.period.key}"

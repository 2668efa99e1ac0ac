"""The corporate risk register: risks, their dated reviews, controls and actions, and the council's settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from organisation.models import Directorate, Period, Portfolio

from . import scoring

SCALE = [MinValueValidator(1), MaxValueValidator(5)]
LIKELIHOOD_CHOICES = [
    (1, "1 Rare"), (2, "2 Unlikely"), (3, "3 Possible"), (4, "4 Likely"), (5, "5 Almost certain"),
]
IMPACT_CHOICES = [
    (1, "1 Negligible"), (2, "2 Minor"), (3, "3 Moderate"), (4, "4 Major"), (5, "5 Critical"),
]


class RiskCategory(models.Model):
    """The council's own categories (operations, reputation, external assessment, finance ...)."""

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "risk categories"

    def __str__(self):
        return self.name


class RatingBand(models.Model):
    """A council setting: the scores from min to max that make a risk low, medium, high or very high."""

    name = models.CharField(max_length=40, unique=True)
    min_score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    max_score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    reported_as_high = models.BooleanField(
        default=False, help_text="Risks in this band are named as high risks in the Cabinet report."
    )
    css = models.CharField(
        max_length=20, default="low", choices=[(c, c) for c in ("low", "medium", "high", "very-high")],
        help_text="The shade used on the heat map; the band's name is always written too.",
    )

    class Meta:
        ordering = ["min_score"]

    def __str__(self):
        return f"{self.name} ({self.min_score}-{self.max_score})"


class ActiveRiskManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Risk(models.Model):
    """A corporate risk. Its current score is its latest review's; the reviews are the history."""

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="risks")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_owned")
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.SET_NULL)
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.SET_NULL)
    inherent_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES, validators=SCALE)
    inherent_impact = models.PositiveSmallIntegerField(choices=IMPACT_CHOICES, validators=SCALE)
    current_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES, validators=SCALE)
    current_impact = models.PositiveSmallIntegerField(choices=IMPACT_CHOICES, validators=SCALE)
    target_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES, validators=SCALE)
    target_impact = models.PositiveSmallIntegerField(choices=IMPACT_CHOICES, validators=SCALE)
    identified_on = models.DateField(help_text="When the risk entered the register.")
    next_review = models.DateField()
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="risks")
    illustrative = models.BooleanField(default=False, help_text="Demo data invented to make the log plausible.")
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_reason = models.TextField(blank=True)

    objects = ActiveRiskManager()
    all_objects = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["order", "reference"]
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def inherent_score(self) -> int:
        return scoring.score(self.inherent_likelihood, self.inherent_impact)

    @property
    def current_score(self) -> int:
        return scoring.score(self.current_likelihood, self.current_impact)

    @property
    def target_score(self) -> int:
        return scoring.score(self.target_likelihood, self.target_impact)

    def soft_delete(self, reason: str):
        self.deleted_at = timezone.now()
        self.deleted_reason = reason
        self.save(update_fields=["deleted_at", "deleted_reason"])


class RiskReview(models.Model):
    """The owner's review in one cycle: the current scores, commentary and progress on mitigation.

    One per risk per period; a review is what the register shows for that period and after,
    until the next one.
    """

    SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"
    STATES = [(SUBMITTED, "Awaiting sign-off"), (APPROVED, "Signed off"), (RETURNED, "Returned")]

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="reviews")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES, validators=SCALE)
    impact = models.PositiveSmallIntegerField(choices=IMPACT_CHOICES, validators=SCALE)
    commentary = models.TextField()
    mitigation_progress = models.TextField(blank=True)
    next_review = models.DateField()
    recorded_at = models.DateTimeField(auto_now=True)
    state = models.CharField(max_length=10, choices=STATES, default=SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+",
        help_text="Everyone who recorded or corrected this review: none of them may sign it off.",
    )

    class Meta:
        ordering = ["reviewed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["risk", "period"], name="risk_review_once_per_period")]

    def __str__(self):
        return f"{self.risk.reference} reviewed {self.reviewed_on}"

    @property
    def score(self) -> int:
        return scoring.score(self.likelihood, self.impact)

    def hands(self) -> set:
        """The ids of the risk's owner and of whoever recorded or corrected this review (reads
        `contributors.all()`, so a prefetch is used): none of them may sign it off (core.policy)."""
        contributors = {u.pk for u in self.contributors.all()} if self.pk is not None else set()
        return ({self.reviewed_by_id, self.risk.owner_id} | contributors) - {None}


class Mitigation(models.Model):
    """A control in place or a mitigating action planned, with its owner and date."""

    CONTROL, ACTION = "control", "action"
    KINDS = [(CONTROL, "Control in place"), (ACTION, "Mitigating action")]

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="mitigations")
    kind = models.CharField(max_length=10, choices=KINDS, default=ACTION)
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_role = models.CharField(max_length=60, blank=True, help_text="A role from the glossary, e.g. DoACS.")
    due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.description[:60]

    @property
    def owner_name(self) -> str:
        if self.owner_id:
            return self.owner.get_full_name() or self.owner.username
        return self.owner_role

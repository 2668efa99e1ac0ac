"""Revenue budget monitoring and the capital programme, by period, with the council's variance tolerances."""

from decimal import Decimal

from django.db import models

from organisation.models import Directorate, Period

MONEY = {"max_digits": 14, "decimal_places": 2}


class VarianceTolerance(models.Model):
    """The council's setting: how far a forecast overspend may go, as % of budget, before Amber and Red.

    Amber from `amber_from_pct` up to and including `red_above_pct`; Red above it. One row.
    """

    amber_from_pct = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("2"))
    red_above_pct = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("5"))

    def __str__(self):
        return f"Amber {self.amber_from_pct}% to {self.red_above_pct}%, Red over {self.red_above_pct}%"

    @classmethod
    def current(cls) -> "VarianceTolerance":
        return cls.objects.order_by("pk").first() or cls()


class RevenueLine(models.Model):
    """A service's revenue position in one monitoring period. Variance is worked out, never stored."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=200)
    original_budget = models.DecimalField(**MONEY)
    current_budget = models.DecimalField(**MONEY)
    forecast_outturn = models.DecimalField(**MONEY)
    commentary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["directorate__order", "order", "service"]
        constraints = [
            models.UniqueConstraint(fields=["period", "directorate", "service"], name="revenue_line_once")
        ]

    def __str__(self):
        return f"{self.period.key} {self.service}"


class CapitalScheme(models.Model):
    name = models.CharField(max_length=200, unique=True)
    headline_name = models.CharField(
        max_length=200, blank=True,
        help_text="How the headline sentence names this scheme's additions; blank uses the scheme's name.",
    )
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CapitalLine(models.Model):
    """A scheme's position in one period: its original forecast and spend to date; changes hang off it."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(CapitalScheme, on_delete=models.PROTECT, related_name="lines")
    original_forecast = models.DecimalField(**MONEY)
    spend_to_date = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["scheme__order", "scheme__name"]
        constraints = [models.UniqueConstraint(fields=["period", "scheme"], name="capital_line_once")]

    def __str__(self):
        return f"{self.period.key} {self.scheme}"


class CapitalChange(models.Model):
    """An addition (positive) or reprofiling or reduction (negative), with its reason and approving decision."""

    line = models.ForeignKey(CapitalLine, on_delete=models.CASCADE, related_name="changes")
    amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    approved_by = models.CharField(max_length=300, help_text="The decision that approved it, e.g. Cabinet 13 July 2006.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.line} {self.amount}"

    @property
    def size(self):
        """The amount without its sign: the kind says which way it goes."""
        return abs(self.amount)

    @property
    def kind(self) -> str:
        return "Addition" if self.amount > 0 else "Reprofiling or reduction"

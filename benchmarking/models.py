"""Comparator councils and groups, comparator metrics mapped to our indicators, their values, and commentary."""

from django.conf import settings
from django.db import models

from indicators.models import Indicator


class ComparatorCouncil(models.Model):
    """A council whose figures we compare with ours; `is_us` marks our own council (at most one)."""

    code = models.CharField(
        max_length=40, unique=True,
        help_text="ONS code (E06000019) or, where the source gives none, the council's name as published (LGBF).",
    )
    name = models.CharField(max_length=200)
    is_us = models.BooleanField(default=False)
    country = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=60, blank=True, help_text="County, unitary, district, ...")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_us"], condition=models.Q(is_us=True), name="comparator_one_us"),
        ]

    def __str__(self):
        return self.name


class ComparatorGroup(models.Model):
    """A set of councils we compare with: nearest neighbours, a family group, a type, a nation."""

    NEAREST_NEIGHBOURS = "nearest_neighbours"
    FAMILY_GROUP = "family_group"
    TYPE = "type"
    NATION = "nation"
    OTHER = "other"
    KIND_CHOICES = [
        (NEAREST_NEIGHBOURS, "Nearest neighbours"),
        (FAMILY_GROUP, "Family group"),
        (TYPE, "Councils of one type"),
        (NATION, "All councils of a nation"),
        (OTHER, "Other"),
    ]

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=KIND_CHOICES, default=OTHER)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(ComparatorCouncil, related_name="groups", blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ComparatorMetric(models.Model):
    """A published comparator measure, mapped once to one of our indicators with its polarity."""

    HIGHER = "higher"
    LOWER = "lower"
    BAND = "band"
    POLARITY_CHOICES = [
        (HIGHER, "Higher is better"),
        (LOWER, "Lower is better"),
        (BAND, "Within a target band is best"),
    ]

    source = models.CharField(max_length=60, help_text='"LG Inform", "LGBF" or another publisher.')
    metric_id = models.CharField(max_length=60)
    title = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, related_name="comparator_metrics", on_delete=models.SET_NULL,
    )
    polarity = models.CharField(max_length=10, choices=POLARITY_CHOICES, default=HIGHER)
    band_low = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    band_high = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["source", "metric_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "metric_id"], name="comparator_metric_unique_in_source"),
        ]

    def __str__(self):
        return f"{self.source} {self.metric_id}" + (f": {self.title}" if self.title else "")


class ComparatorValue(models.Model):
    """One council's published figure for one metric and period; a null value was published as missing."""

    metric = models.ForeignKey(ComparatorMetric, related_name="values", on_delete=models.CASCADE)
    council = models.ForeignKey(ComparatorCouncil, related_name="values", on_delete=models.CASCADE)
    period = models.CharField(max_length=40, help_text='As published: "2022-23", "2023/24", "2023 Q2".')
    period_end = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["metric", "period_end", "council"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "council", "period"], name="comparator_value_unique"),
        ]
        indexes = [models.Index(fields=["metric", "period_end"], name="comparator_value_metric_end")]

    def __str__(self):
        return f"{self.metric} {self.council} {self.period}: {self.value}"


class BenchmarkCommentary(models.Model):
    """The drafted sentence for one metric, group and period, and a person's edit of it (kept and audited)."""

    metric = models.ForeignKey(ComparatorMetric, related_name="commentaries", on_delete=models.CASCADE)
    group = models.ForeignKey(ComparatorGroup, related_name="commentaries", on_delete=models.CASCADE)
    period = models.CharField(max_length=40)
    generated_text = models.TextField(blank=True)
    edited_text = models.TextField(blank=True)
    edited_against = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["metric", "group", "period"]
        verbose_name_plural = "benchmark commentaries"
        constraints = [
            models.UniqueConstraint(fields=["metric", "group", "period"], name="benchmark_commentary_unique"),
        ]

    def __str__(self):
        return f"{self.metric} / {self.group} / {self.period}"

    @property
    def text(self):
        """What the page shows: the person's edit when there is one, else the drafted sentence."""
        return self.edited_text if self.edited_text.strip() else self.generated_text


class ComparatorPosition(models.Model):
    """Our council's place for one mapped metric, group and published period, worked out when the figures, the
    mapping or the group change (benchmarking.stored), so lists and dashboards over a thousand indicators read
    a few thousand rows instead of every council's figures. The pages that show one indicator's group still
    work it out exactly from the figures (selectors.positions_for)."""

    metric = models.ForeignKey(ComparatorMetric, related_name="positions", on_delete=models.CASCADE)
    group = models.ForeignKey(ComparatorGroup, related_name="positions", on_delete=models.CASCADE)
    period = models.CharField(max_length=40)
    period_end = models.DateField()
    value = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    tied = models.BooleanField(default=False)
    of = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    quartile = models.PositiveSmallIntegerField(null=True)
    median = models.FloatField(null=True)
    # Worked out with the position, for the report and the lists (None where we have no figure to place, and
    # on rows kept before these fields: apps.BenchmarkingConfig works those out again after `migrate`).
    decimals = models.PositiveSmallIntegerField(null=True, help_text="Places the group's figures are shown with.")
    median_decimals = models.PositiveSmallIntegerField(null=True, help_text="Places the group's median is shown with.")
    drafted = models.TextField(null=True, help_text="The sentence drafted on the position, before any edit.")

    class Meta:
        ordering = ["metric", "group", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "group", "period"], name="comparator_position_unique"),
        ]
        indexes = [models.Index(fields=["period_end", "metric"], name="comparator_position_end")]

    def __str__(self):
        return f"{self.metric} / {self.group} / {self.period}: {self.rank} of {self.of}"

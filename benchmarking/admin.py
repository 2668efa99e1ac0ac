"""Comparator data in the Django admin, for superusers."""

from django.contrib import admin

from .models import (
    BenchmarkCommentary,
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)


@admin.register(ComparatorCouncil)
class ComparatorCouncilAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_us", "country", "kind"]
    search_fields = ["code", "name"]


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    filter_horizontal = ["members"]


@admin.register(ComparatorMetric)
class ComparatorMetricAdmin(admin.ModelAdmin):
    list_display = ["source", "metric_id", "title", "indicator", "polarity"]
    list_filter = ["source", "polarity"]
    search_fields = ["metric_id", "title"]
    raw_id_fields = ["indicator"]


@admin.register(ComparatorValue)
class ComparatorValueAdmin(admin.ModelAdmin):
    list_display = ["metric", "council", "period", "period_end", "value", "note"]
    list_filter = ["metric__source"]
    raw_id_fields = ["metric", "council"]


@admin.register(BenchmarkCommentary)
class BenchmarkCommentaryAdmin(admin.ModelAdmin):
    list_display = ["metric", "group", "period", "edited_at"]
    raw_id_fields = ["metric", "group"]

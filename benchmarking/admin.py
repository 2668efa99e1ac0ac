"""Comparator data in the Django admin, for superusers."""

from django.contrib import admin

from . import stored
from .models import (
    BenchmarkCommentary,
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)


class KeepsPositions:
    """A change here can move us in a group: the kept positions are worked out again (benchmarking.stored)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        stored.refresh()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        stored.refresh()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        stored.refresh()


@admin.register(ComparatorCouncil)
class ComparatorCouncilAdmin(KeepsPositions, admin.ModelAdmin):
    list_display = ["code", "name", "is_us", "country", "kind"]
    search_fields = ["code", "name"]


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(KeepsPositions, admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    filter_horizontal = ["members"]


@admin.register(ComparatorMetric)
class ComparatorMetricAdmin(KeepsPositions, admin.ModelAdmin):
    list_display = ["source", "metric_id", "title", "indicator", "polarity"]
    list_filter = ["source", "polarity"]
    search_fields = ["metric_id", "title"]
    raw_id_fields = ["indicator"]


@admin.register(ComparatorValue)
class ComparatorValueAdmin(KeepsPositions, admin.ModelAdmin):
    list_display = ["metric", "council", "period", "period_end", "value", "note"]
    list_filter = ["metric__source"]
    raw_id_fields = ["metric", "council"]


@admin.register(BenchmarkCommentary)
class BenchmarkCommentaryAdmin(admin.ModelAdmin):
    list_display = ["metric", "group", "period", "edited_at"]
    raw_id_fields = ["metric", "group"]

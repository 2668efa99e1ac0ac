"""Budget monitoring records and the variance tolerances in the Django admin, for superusers.

Figures of a locked period are read-only here as they are everywhere else: what Cabinet was told stays.
"""

from django.contrib import admin

from organisation.models import Period

from .models import CapitalChange, CapitalLine, CapitalScheme, RevenueLine, VarianceTolerance

admin.site.register(VarianceTolerance)
admin.site.register(CapitalScheme)


def _locked(obj) -> bool:
    return obj is not None and obj.period.state == Period.LOCKED


class LockedPeriodReadOnly(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _locked(obj)


@admin.register(RevenueLine)
class RevenueLineAdmin(LockedPeriodReadOnly):
    list_display = ["period", "directorate", "service", "current_budget", "forecast_outturn"]
    list_select_related = ["period", "directorate"]


class CapitalChangeInline(admin.TabularInline):
    model = CapitalChange
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _locked(obj)


@admin.register(CapitalLine)
class CapitalLineAdmin(LockedPeriodReadOnly):
    inlines = [CapitalChangeInline]

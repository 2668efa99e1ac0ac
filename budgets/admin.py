"""Budget monitoring records and the variance tolerances in the Django admin, for superusers."""

from django.contrib import admin

from .models import CapitalChange, CapitalLine, CapitalScheme, RevenueLine, VarianceTolerance

admin.site.register(VarianceTolerance)
admin.site.register(CapitalScheme)
admin.site.register(RevenueLine)


class CapitalChangeInline(admin.TabularInline):
    model = CapitalChange
    extra = 0


@admin.register(CapitalLine)
class CapitalLineAdmin(admin.ModelAdmin):
    inlines = [CapitalChangeInline]

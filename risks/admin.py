"""The risk register's settings and records in the Django admin, for superusers."""

from django.contrib import admin

from .models import Mitigation, RatingBand, Risk, RiskCategory, RiskReview

admin.site.register(RiskCategory)
admin.site.register(RatingBand)


class MitigationInline(admin.TabularInline):
    model = Mitigation
    extra = 0


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "owner", "category", "next_review", "deleted_at"]
    inlines = [MitigationInline]

    def get_queryset(self, request):
        return Risk.all_objects.all()


@admin.register(RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    list_display = ["risk", "period", "reviewed_on", "likelihood", "impact"]

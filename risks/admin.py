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

    def has_delete_permission(self, request, obj=None):
        # Deleting would take the risk's reviews with it; the register's "remove" keeps them.
        return False


@admin.register(RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    """Reviews are the register's history: readable here, changed only by the owner's next review."""

    list_display = ["risk", "period", "reviewed_on", "likelihood", "impact"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

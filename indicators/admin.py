"""Admin for indicators: reference data is editable; readings change only through the reading services.

A reading saved here goes through `services.reading_enter` (history, version check, lock), its
history is never editable or deletable, and nothing in a locked period can be changed.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction

from organisation import audit
from organisation.models import Period

from . import services
from .models import (
    Indicator,
    IndicatorSet,
    Objective,
    Priority,
    Reading,
    ReadingHistory,
    Target,
    Theme,
    Unit,
    units,
)

admin.site.register(IndicatorSet)
admin.site.register(Theme)
admin.site.register(Priority)
admin.site.register(Objective)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Units and their bounds: a figure outside them is refused on entry and import."""

    list_display = ["name", "code", "minimum", "maximum", "aliases"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "directorate", "lead", "frequency", "polarity"]
    list_filter = ["directorate", "frequency", "polarity"]
    search_fields = ["code", "title"]
    actions = ["retire"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "unit":  # a choice of the council's units, which it edits under Units
            return forms.ChoiceField(
                choices=[(u.code, u.name) for u in units().values()], initial=Indicator.NUMBER,
                help_text="Add a unit under Units if the one you need is not listed.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Deleting would take the figures and their history; retiring keeps them for earlier reports.
        return False

    @admin.action(description="Retire the selected indicators (their figures and history are kept)")
    def retire(self, request, queryset):
        indicators = list(queryset)
        with transaction.atomic():
            for indicator in indicators:
                indicator.soft_delete()
                audit.record(user=request.user, action="indicator_retired", obj=indicator, request=request,
                             summary=f"{indicator.code} {indicator.title}")
        self.message_user(request, f"{len(indicators)} indicator(s) retired.")


def _locked(obj) -> bool:
    return obj is not None and obj.period.state == Period.LOCKED


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "target", "lower", "upper", "agreed_on"]
    search_fields = ["indicator__code"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _locked(obj)


class ReadingAdminForm(forms.ModelForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Reading
        fields = list(services.EDITABLE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.period.state == Period.LOCKED:
            raise ValidationError(f"{self.instance.period.label} is locked; reopen it with a reason first.")
        seen = data.get("seen_version")
        if self.instance.pk and seen is not None and seen != self.instance.version:
            raise ValidationError("Someone else changed this reading after you opened it; reload the page.")
        return data


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    form = ReadingAdminForm
    list_display = ["indicator", "period", "actual", "state", "version", "updated_by", "updated_at"]
    list_filter = ["state", "period"]
    search_fields = ["indicator__code"]
    list_select_related = ["indicator", "period", "updated_by"]
    readonly_fields = ["indicator", "period", "state", "return_reason", "version", "updated_by", "updated_at"]

    def has_add_permission(self, request):
        return False  # figures are entered on My updates or imported, where the period's rules apply

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(obj)

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in services.EDITABLE if f in form.changed_data}
        if not values:
            return
        current = Reading.objects.get(pk=obj.pk)
        services.reading_enter(
            indicator=current.indicator, period=current.period, user=request.user, values=values,
            expected_version=form.cleaned_data.get("seen_version") or current.version, how="admin", current=current,
        )
        obj.refresh_from_db()


@admin.register(ReadingHistory)
class ReadingHistoryAdmin(admin.ModelAdmin):
    list_display = ["reading", "how", "by", "at", "version"]
    list_filter = ["how"]
    list_select_related = ["reading__indicator", "reading__period", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Forms of the performance team's comparator set-up: the file to import, a group, its members, a metric's mapping."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q

from core.forms import GovukForm
from indicators.models import Indicator

from .models import ComparatorCouncil, ComparatorGroup, ComparatorMetric

SUFFIXES = (".csv", ".xlsx")


class ComparatorFileForm(GovukForm):
    file = forms.FileField(
        label="Comparator file (.csv or .xlsx)",
        help_text="As downloaded from LG Inform or the LGBF, without editing.",
        error_messages={"required": "Choose the file to import"},
    )
    us = forms.CharField(
        label="How our council appears in the file", max_length=200, required=False,
        help_text="Its ONS code (LG Inform) or its name (LGBF). Leave blank for the council's own settings.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError("The file must be a CSV (.csv) or an Excel workbook (.xlsx)")
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.UPLOAD_MAX_BYTES:,} bytes"
            )
        return upload


class GroupForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Give the group a name"})
    kind = forms.ChoiceField(label="Kind of group", choices=ComparatorGroup.KIND_CHOICES)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the list comes from (CIPFA's nearest neighbours for 2024, LGBF family group 2 ...).",
    )
    order = forms.IntegerField(label="Order on pages", min_value=0, initial=0,
                               widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}))


class MembersForm(GovukForm):
    councils = forms.CharField(
        label="Councils to add", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Their codes or names as imported, one a line.",
        error_messages={"required": "Write at least one council's code or name"},
    )

    def clean_councils(self):
        wanted = [" ".join(line.split()) for line in self.cleaned_data["councils"].splitlines()]
        wanted = [w for w in wanted if w]
        lowered = {w.lower() for w in wanted}
        query = Q(code__in=wanted)
        for w in wanted:
            query |= Q(name__iexact=w)
        found = list(ComparatorCouncil.objects.filter(query)) if wanted else []
        known = {c.code.lower() for c in found} | {c.name.lower() for c in found}
        unknown = [w for w in wanted if w.lower() not in known]
        if unknown:
            raise forms.ValidationError(
                f"No imported council is called {', '.join(unknown)}; import a file with it first"
            )
        return [c for c in found if c.code.lower() in lowered or c.name.lower() in lowered]


class MetricForm(GovukForm):
    indicator = forms.CharField(
        label="Our indicator's code", max_length=40, required=False,
        help_text="Leave blank to leave the metric unmapped.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "spellcheck": "false"}),
    )
    polarity = forms.ChoiceField(label="Which is better", choices=ComparatorMetric.POLARITY_CHOICES)
    band_low = forms.DecimalField(label="Band: low end", required=False, max_digits=20, decimal_places=6,
                                  widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5",
                                                                "inputmode": "decimal"}))
    band_high = forms.DecimalField(label="Band: high end", required=False, max_digits=20, decimal_places=6,
                                   widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5",
                                                                 "inputmode": "decimal"}))

    def clean_indicator(self):
        code = self.cleaned_data["indicator"].strip()
        if not code:
            return None
        indicator = Indicator.objects.filter(code__iexact=code).first()
        if indicator is None:
            raise forms.ValidationError(f"There is no indicator with the code {code}")
        return indicator

    def clean(self):
        data = super().clean()
        if data.get("polarity") == ComparatorMetric.BAND:
            low, high = data.get("band_low"), data.get("band_high")
            if low is None:
                self.add_error("band_low", "A target band needs its low end")
            if high is None:
                self.add_error("band_high", "A target band needs its high end")
            if low is not None and high is not None and low > high:
                self.add_error("band_high", "The high end must not be below the low end")
        return data

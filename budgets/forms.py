"""Forms for budgets: the workbook upload, a revenue line's figures, capital entry and the variance tolerances."""

from __future__ import annotations

from django import forms

from core import periods
from core.forms import govuk
from core.money import AmountError, parse_amount

from .models import RevenueLine


class AmountField(forms.CharField):
    """Pounds typed as finance writes them (1,234 or £1,234.50 or (1,234)), refused when ambiguous."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AmountError as exc:
            raise forms.ValidationError(f"Enter the amount in pounds: {exc}") from exc

    def prepare_value(self, value):
        return value if isinstance(value, str) or value is None else f"{value:,.2f}"


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Finance workbook (.xlsx)",
        help_text="Sheets Revenue and/or Capital with the columns below. Every period in the file replaces what is held for it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workbook"].widget.attrs["accept"] = ".xlsx"
        govuk(self)


class RevenueLineForm(forms.ModelForm):
    original_budget = AmountField(label="Original budget")
    current_budget = AmountField(label="Current budget")
    forecast_outturn = AmountField(label="Forecast outturn")

    class Meta:
        model = RevenueLine
        fields = ["original_budget", "current_budget", "forecast_outturn", "commentary"]
        widgets = {"commentary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("original_budget", "current_budget", "forecast_outturn"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
        govuk(self)


def _amounts(form, *names):
    """Amount inputs after govuk(): pound figures are short, and a phone should offer digits."""
    for name in names:
        form.fields[name].widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
        form.fields[name].widget.attrs["class"] += " govuk-input--width-10"


class CapitalSchemeForm(forms.Form):
    period = forms.CharField(label="Month", max_length=20, help_text="For example 2006-07 for July 2006.")
    name = forms.CharField(label="Scheme name", max_length=200)
    original_forecast = AmountField(label="Original forecast", help_text="In pounds, for example 1,250,000.")
    spend_to_date = AmountField(label="Spend to date", help_text="In pounds; 0 if nothing has been spent yet.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["spellcheck"] = "false"
        govuk(self)
        self.fields["period"].widget.attrs["class"] += " govuk-input--width-5"
        _amounts(self, "original_forecast", "spend_to_date")

    def clean_period(self):
        try:
            key = periods.parse(self.cleaned_data["period"].strip())
        except periods.PeriodKeyError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if key.kind != periods.MONTH:
            raise forms.ValidationError("Enter a month, for example 2006-07; the capital programme is monitored monthly.")
        return key.key

    def clean_original_forecast(self):
        amount = self.cleaned_data["original_forecast"]
        if amount is not None and amount < 0:
            raise forms.ValidationError("An original forecast cannot be below zero; record a reduction as a change.")
        return amount


class CapitalChangeForm(forms.Form):
    amount = AmountField(
        label="Amount",
        help_text="An addition as a positive amount (1,234); a reprofiling or reduction as a negative one "
                  "(-1,234 or (1,234)).",
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
    approved_by = forms.CharField(
        label="Approved by", max_length=300,
        help_text="The decision that approved it, for example Cabinet 20 April 2006.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk(self)
        _amounts(self, "amount")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError("A change of £0 changes nothing; enter the amount added or reprofiled.")
        return amount


class CapitalSpendForm(forms.Form):
    spend_to_date = AmountField(label="Spend to date", help_text="In pounds, as the finance system shows it now.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk(self)
        _amounts(self, "spend_to_date")


class ToleranceForm(forms.Form):
    amber_from_pct = forms.DecimalField(
        label="Amber from (% overspend)", min_value=0, max_value=100, decimal_places=2,
        help_text="An overspend of at least this % of the current budget is Amber.",
    )
    red_above_pct = forms.DecimalField(
        label="Red above (% overspend)", min_value=0, max_value=100, decimal_places=2,
        help_text="An overspend of more than this % is Red.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk(self)

    def clean(self):
        data = super().clean()
        amber, red = data.get("amber_from_pct"), data.get("red_above_pct")
        if amber is not None and red is not None and red < amber:
            self.add_error("red_above_pct", "Red must start at or above where Amber starts.")
        return data

"""Forms for budgets: the workbook upload, a revenue line's figures and the variance tolerances."""

from __future__ import annotations

from django import forms

from councilperf.money import AmountError, parse_amount

from .models import RevenueLine


def govuk(form):
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            css = "govuk-textarea"
        elif isinstance(widget, forms.FileInput):
            css = "govuk-file-upload"
        else:
            css = "govuk-input"
        if form.errors.get(name):
            css += f" {css}--error"
        widget.attrs.setdefault("class", css)
    return form


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

"""Forms for the report pages: new report, cover, a paragraph, publication."""

from django import forms

from councilperf.forms import DateInput, GovukForm
from organisation.models import Portfolio


class NewReportForm(GovukForm):
    period = forms.CharField(label="Performance to the end of (period)", help_text="For example 2006-07 for July 2006")
    portfolio = forms.ModelChoiceField(
        queryset=Portfolio.objects.all(), required=False, empty_label="Whole council", label="Scope"
    )
    body = forms.CharField(initial="Cabinet", label="Meeting")
    meeting_date = forms.DateField(label="Meeting date", help_text="For example 2006-09-07",
                                   widget=DateInput())

    def clean_period(self):
        from councilperf import periods

        try:
            return periods.parse(self.cleaned_data["period"]).key
        except periods.PeriodKeyError as exc:
            raise forms.ValidationError(str(exc)) from exc


class CoverForm(GovukForm):
    body = forms.CharField(label="Meeting")
    meeting_date = forms.DateField(label="Meeting date", widget=DateInput())
    title = forms.CharField()
    portfolio_responsibility = forms.CharField(required=False)
    wards_affected = forms.CharField()
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    key_decision = forms.BooleanField(required=False, label="This is a Key Decision")
    recommendations = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="One a line")
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    author = forms.CharField(required=False, label="Report author / lead officer")
    contact = forms.CharField(required=False)
    alternative_options = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    risk_management = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    consultees = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    background_papers = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ParagraphForm(GovukForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False,
                           help_text="Leave blank, or as written from the figures, to let the app keep it up to date.")
    heading = forms.CharField(required=False, label="Sub-heading")


class NewParagraphForm(GovukForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Text of the new paragraph")


class PublishForm(GovukForm):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What changed",
        help_text="For a correction, say what changed and why; it goes in the document log.",
    )


class ConfirmPublishForm(PublishForm):
    """Publishing while figures, plan updates or risk reviews are not signed off: the person confirms it."""

    confirm = forms.BooleanField(
        required=True, label="Publish with these not signed off",
        error_messages={"required": "Confirm that the report is to be published with items not signed off"},
    )

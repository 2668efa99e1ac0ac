"""Forms for the report pages: new report, cover, a paragraph, publication."""

from django import forms

from core import periods
from core.forms import DateInput, GovukForm
from organisation.models import Portfolio

from .models import Paragraph, Report


class NewReportForm(GovukForm):
    period = forms.CharField(max_length=12, label="Performance to the end of (period)", help_text="For example 2006-07 for July 2006")
    portfolio = forms.ModelChoiceField(
        queryset=Portfolio.objects.all(), required=False, empty_label="Whole council", label="Scope"
    )
    body = forms.CharField(initial="Cabinet", label="Meeting", max_length=Report._meta.get_field("body").max_length)
    meeting_date = forms.DateField(label="Meeting date", help_text="For example 2006-09-07",
                                   widget=DateInput())

    def clean_period(self):
        try:
            return periods.parse(self.cleaned_data["period"]).key
        except periods.PeriodKeyError as exc:
            raise forms.ValidationError(str(exc)) from exc


# The longest text a person writes in one box of the report (a long recommendation or a pasted
# section is a few thousand characters); the model's own limits bound the one-line fields.
LONG_TEXT = 10_000


def _text(max_length=LONG_TEXT, **kwargs):
    return forms.CharField(max_length=max_length, **kwargs)


def _area(rows, max_length=LONG_TEXT, **kwargs):
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), max_length=max_length, **kwargs)


def _limit(name, model=Report):
    return model._meta.get_field(name).max_length


class CoverForm(GovukForm):
    """Every field bounded: a title or meeting name longer than its column is refused here, with a message."""

    body = _text(_limit("body"), label="Meeting")
    meeting_date = forms.DateField(label="Meeting date", widget=DateInput())
    title = _text(_limit("title"))
    portfolio_responsibility = _text(_limit("portfolio_responsibility"), required=False)
    wards_affected = _text(_limit("wards_affected"))
    purpose = _area(4)
    key_decision = forms.BooleanField(required=False, label="This is a Key Decision")
    recommendations = _area(3, help_text="One a line")
    reasons = _area(4, required=False)
    author = _text(_limit("author"), required=False, label="Report author / lead officer")
    contact = _text(_limit("contact"), required=False)
    alternative_options = _area(2, required=False)
    risk_management = _area(2, required=False)
    consultees = _area(3, required=False)
    background_papers = _area(2, required=False)


class ParagraphForm(GovukForm):
    text = _area(6, required=False,
                 help_text="Leave blank, or as written from the figures, to let the app keep it up to date.")
    heading = _text(_limit("heading", Paragraph), required=False, label="Sub-heading")


class NewParagraphForm(GovukForm):
    text = _area(6, label="Text of the new paragraph")


class ParagraphActionForm(forms.Form):
    """What a POST to a paragraph does: chosen by the button pressed, never assumed."""

    action = forms.ChoiceField(choices=[("save", "Save"), ("add", "Add"), ("delete", "Delete")])


_OUT_OF_DATE = "This page is out of date: reload it, check the report and publish again."


class PublishForm(GovukForm):
    note = _area(
        3, required=False, label="What changed",
        help_text="For a correction, say what changed and why; it goes in the document log.",
    )
    # One per form shown: a second submit of the same form finds the version the first made.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16, error_messages={
        "required": _OUT_OF_DATE, "min_length": _OUT_OF_DATE, "max_length": _OUT_OF_DATE,
    })


class ConfirmPublishForm(PublishForm):
    """Publishing while figures, plan updates or risk reviews are not signed off: the person confirms it."""

    confirm = forms.BooleanField(
        required=True, label="Publish with these not signed off",
        error_messages={"required": "Confirm that the report is to be published with items not signed off"},
    )

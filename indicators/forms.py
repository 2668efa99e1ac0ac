"""Forms for the monthly return: the upload, period management, the export range and reasons.

The figures themselves are checked by `indicators.returns.clean_values`, shared by the page,
the htmx row and the upload, so these forms only carry what is not a figure.
"""

from __future__ import annotations

from django import forms

from core import periods
from core.forms import govuk
from indicators.models import SpcSettings
from organisation.models import Period

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Your completed return (.xlsx)",
        error_messages={"required": "Choose the spreadsheet to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("The file must be an Excel workbook (.xlsx)")
        return upload


class PeriodKeyField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return periods.parse(value)
        except periods.PeriodKeyError as exc:
            raise forms.ValidationError(str(exc)) from exc


class DeadlineForm(forms.Form):
    deadline = forms.DateField(
        label="Deadline", required=False, input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the deadline as a date, like 7/8/2006"},
    )


class OpenPeriodForm(forms.Form):
    key = PeriodKeyField(
        label="Period", help_text="2006-07 for July 2006, 2006/07 Q1 for a quarter, 2006/07 for the year",
        error_messages={"required": "Enter the period to open"},
    )
    deadline = forms.DateField(
        label="Deadline", required=False, input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the deadline as a date, like 7/8/2006"},
    )

    def clean_key(self):
        key = self.cleaned_data["key"]
        existing = Period.objects.filter(key=key.key).first()
        if existing is not None and existing.state != Period.CLOSED:
            raise forms.ValidationError(f"{key.label} is already {existing.get_state_display().lower()}")
        return key


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Give the reason"},
    )


class ExportForm(forms.Form):
    FORMATS = [("xlsx", "Excel workbook (.xlsx)"), ("csv", "Comma-separated values (.csv)")]

    start = PeriodKeyField(label="From", error_messages={"required": "Enter the first period, like 2006-04"})
    end = PeriodKeyField(label="To", error_messages={"required": "Enter the last period, like 2006-07"})
    format = forms.ChoiceField(choices=FORMATS, initial="xlsx", widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start.start > end.end:
            self.add_error("end", "The last period must not be before the first")
        return data


class LockForm(forms.Form):
    """Locking a period: with figures not signed off, the person confirms and says why."""

    confirm = forms.BooleanField(required=False)
    lock_reason = forms.CharField(required=False, widget=forms.Textarea, max_length=2000, label="Why lock it now?")

    def __init__(self, *args, outstanding: int = 0, period_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.outstanding, self.period_label = outstanding, period_label
        self.fields["confirm"].label = (
            f"Lock {period_label} with {outstanding} figure{'s' if outstanding != 1 else ''} not signed off"
        )

    def clean(self):
        data = super().clean()
        if self.outstanding:
            if not data.get("confirm"):
                self.add_error("confirm", f"Confirm that {self.period_label} is to be locked with figures not signed off")
            if not (data.get("lock_reason") or "").strip():
                self.add_error("lock_reason", "Say why the period is being locked before every figure is signed off")
        return data


class SpcOptionsForm(forms.Form):
    """The performance team's SPC choices for one indicator (docs/spc.md)."""

    run_length = forms.TypedChoiceField(
        label="Points in a row for a shift or a trend", coerce=int, choices=SpcSettings.RUN_LENGTHS,
        widget=forms.Select,
    )
    screen_outliers = forms.BooleanField(
        label="Screen out extreme month-to-month changes (3.267 times the average or more) from the limits",
        required=False,
    )
    trial_limits = forms.BooleanField(
        label="Use trial limits: judge the indicator from fewer than 12 points, marked as trial", required=False
    )
    baseline_end = forms.ChoiceField(
        label="Fix the limits on a baseline ending", required=False,
        help_text="The limits come from the points up to and including this period, then stay fixed.",
    )
    reason = forms.CharField(
        label="Why you are changing these", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        error_messages={"required": "Say why you are changing how this indicator's chart is worked out"},
    )

    def __init__(self, *args, period_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline_end"].choices = [("", "No baseline: use every point"), *period_choices]
        govuk(self)  # after the choices: it reads the errors, which validates


class SpcRebaseForm(forms.Form):
    """A point from which the limits are recalculated, with what changed."""

    period = forms.ChoiceField(label="Recalculate the limits from", error_messages={"required": "Choose the period"})
    reason = forms.CharField(
        label="What changed in the process at this point", widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000, error_messages={"required": "Say what changed, so readers know why the limits moved"},
    )

    def __init__(self, *args, period_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "Choose a period"), *period_choices]
        govuk(self)  # after the choices: it reads the errors, which validates


class ApprovalsForm(forms.Form):
    """The approvals page's decision on many figures at once: approve the whole return, approve
    the selected figures, or return the selected figures, each with its own reason.

    Built for the rows shown: a figure not on the page cannot be chosen, and each row carries
    the version the approver saw, so a figure changed since is refused as stale.
    """

    APPROVE_ALL, APPROVE, RETURN = "approve_all", "approve", "return"
    action = forms.ChoiceField(choices=[(APPROVE_ALL, "Approve all"), (APPROVE, "Approve selected"),
                                        (RETURN, "Return selected")])
    reading = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, readings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.readings = list(readings)
        self.fields["reading"].choices = [(r.pk, r.indicator.code) for r in self.readings]
        for r in self.readings:
            self.fields[f"version-{r.pk}"] = forms.IntegerField(required=False, min_value=0)
            self.fields[f"reason-{r.pk}"] = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.APPROVE_ALL:
            data["chosen"] = self.readings
        else:
            picked = set(data.get("reading") or [])
            data["chosen"] = [r for r in self.readings if r.pk in picked]
            if not data["chosen"] and action:
                self.add_error("reading", "Select the figures to approve or return")
        if action == self.RETURN:
            for r in data["chosen"]:
                if not (data.get(f"reason-{r.pk}") or "").strip():
                    self.add_error(f"reason-{r.pk}", f"Say why {r.indicator.code} is being returned")
        return data

    def items(self) -> list[tuple[int, int | None]]:
        """(reading id, version seen) for each chosen figure."""
        return [(r.pk, self.cleaned_data.get(f"version-{r.pk}")) for r in self.cleaned_data["chosen"]]


class ReminderForm(forms.Form):
    """Whom the chasing page reminds: one officer, a directorate, or everyone overdue."""

    OFFICER, DIRECTORATE, OVERDUE = "officer", "directorate", "overdue"
    scope = forms.ChoiceField(
        label="Who to remind", widget=forms.RadioSelect,
        choices=[(OVERDUE, "Everyone overdue"), (DIRECTORATE, "Everyone with figures to send in a directorate"),
                 (OFFICER, "One officer")],
        error_messages={"required": "Choose who to remind"},
    )
    officer = forms.TypedChoiceField(label="Officer", coerce=int, required=False, empty_value=None)
    directorate = forms.TypedChoiceField(label="Directorate", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, officers=(), directorates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", "Choose an officer"), *[
            (u.pk, u.get_full_name() or u.username) for u in officers]]
        self.fields["directorate"].choices = [("", "Choose a directorate"), *[(d.pk, d.name) for d in directorates]]

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.OFFICER and not data.get("officer"):
            self.add_error("officer", "Choose the officer to remind")
        if data.get("scope") == self.DIRECTORATE and not data.get("directorate"):
            self.add_error("directorate", "Choose the directorate to remind")
        return data

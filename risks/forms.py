"""Forms for the risk register: a risk, an owner's review, a mitigation, removal and the council's bands."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from core import clock, policy
from core.forms import DateInput, govuk

from . import scoring
from .models import IMPACT_CHOICES, LIKELIHOOD_CHOICES, Mitigation, RatingBand, Risk, RiskCategory


def staff_users():
    groups = [policy.OFFICER, policy.APPROVER, policy.PERFORMANCE]
    return get_user_model().objects.filter(groups__name__in=groups).distinct().order_by("first_name", "last_name")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class RiskForm(forms.ModelForm):
    """The risk's details. Only the performance team assigns the owner or changes the reference."""

    owner = UserChoiceField(queryset=None)

    class Meta:
        model = Risk
        fields = [
            "reference", "title", "description", "category", "owner", "directorate", "portfolio",
            "inherent_likelihood", "inherent_impact", "current_likelihood", "current_impact",
            "target_likelihood", "target_impact", "identified_on", "next_review", "indicators",
        ]
        widgets = {
            "identified_on": DateInput(), "next_review": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "current_likelihood": "The scores now, after the controls in place; later reviews change them.",
            "indicators": "Indicators that show whether the risk is materialising.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()
        self.fields["indicators"].required = False
        if self.instance.pk:
            # Current scores change through a review, so the history stays whole.
            del self.fields["current_likelihood"], self.fields["current_impact"], self.fields["identified_on"]
            if not policy.may_manage_risks(user):
                for name in ("reference", "owner"):
                    self.fields[name].disabled = True
        else:
            self.fields["identified_on"].initial = clock.today()
        govuk(self)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Date of this review", widget=DateInput())
    likelihood = forms.TypedChoiceField(label="Likelihood now", choices=LIKELIHOOD_CHOICES, coerce=int)
    impact = forms.TypedChoiceField(label="Impact now", choices=IMPACT_CHOICES, coerce=int)
    commentary = forms.CharField(
        label="Commentary", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has changed since the last review and why the scores are what they are.",
    )
    mitigation_progress = forms.CharField(
        label="Progress on mitigating actions", required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )
    completed = forms.ModelMultipleChoiceField(
        label="Actions completed since the last review", queryset=Mitigation.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    next_review = forms.DateField(label="Next review by", widget=DateInput())

    def __init__(self, *args, risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed"].queryset = risk.mitigations.filter(
            kind=Mitigation.ACTION, completed_on__isnull=True
        )
        govuk(self)

    def clean_reviewed_on(self):
        day = self.cleaned_data["reviewed_on"]
        if day > clock.today():
            raise forms.ValidationError("The date of the review cannot be in the future.")
        return day

    def clean(self):
        data = super().clean()
        if data.get("reviewed_on") and data.get("next_review") and data["next_review"] <= data["reviewed_on"]:
            self.add_error("next_review", "The next review must be after this one.")
        return data

    def preview(self):
        """The score and band for the likelihood and impact chosen so far, for the live preview."""
        try:
            likelihood = int(self.data.get("likelihood") or 0)
            impact = int(self.data.get("impact") or 0)
            value = scoring.score(likelihood, impact)
        except (TypeError, ValueError):
            return None
        return {"score": value, "band": scoring.band_for(value, list(RatingBand.objects.all()))}


class MitigationForm(forms.ModelForm):
    owner = UserChoiceField(queryset=None, required=False)

    class Meta:
        model = Mitigation
        fields = ["kind", "description", "owner", "owner_role", "due"]
        widgets = {"due": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}
        labels = {"due": "Due by", "owner_role": "Or a role from the glossary"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()
        govuk(self)

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not data.get("owner_role"):
            self.add_error("owner", "Name who owns this: a person or a role.")
        if data.get("kind") == Mitigation.ACTION and not data.get("due"):
            self.add_error("due", "A mitigating action needs a date by which it will be done.")
        return data


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why is the risk coming off the register?", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk(self)


class BandForm(forms.ModelForm):
    class Meta:
        model = RatingBand
        fields = ["name", "min_score", "max_score", "reported_as_high", "css"]
        labels = {"min_score": "Lowest score", "max_score": "Highest score", "css": "Shade"}


class BaseBandFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            (f.cleaned_data["name"], f.cleaned_data["min_score"], f.cleaned_data["max_score"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        problems = scoring.band_problems(rows)
        if problems:
            raise forms.ValidationError(problems)

    def rows(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("name", "min_score", "max_score", "reported_as_high", "css")}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


BandFormSet = forms.modelformset_factory(
    RatingBand, form=BandForm, formset=BaseBandFormSet, extra=1, can_delete=True
)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = RiskCategory
        fields = ["name"]
        labels = {"name": "New category"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk(self)


class ReviewDecisionForm(forms.Form):
    """An approver's decision on an owner's review: sign it off, or return it with the reason."""

    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(choices=[(APPROVE, "Sign off"), (RETURN, "Return")],
                                 error_messages={"required": "Choose sign off or return",
                                                 "invalid_choice": "Choose sign off or return"})
    reason = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the review is returned")
        return data

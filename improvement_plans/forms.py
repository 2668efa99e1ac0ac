"""Forms for improvement-plan pages whose POSTs are decisions: every field bounded, nothing implied."""

from django import forms

from core.forms import GovukForm


class DecisionForm(GovukForm):
    """Approve or return a lead's progress update: the decision is chosen, never assumed."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("return", "Return")],
        error_messages={"required": "Choose approve or return", "invalid_choice": "Choose approve or return"},
    )
    reason = forms.CharField(required=False, max_length=2000, label="Reason, if you return it")

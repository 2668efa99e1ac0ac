"""Forms for benchmarking's pages."""

from __future__ import annotations

from django import forms

from core.forms import GovukForm


class CommentaryForm(GovukForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False, label="Sentence",
        help_text="Leave blank, or as drafted from the figures, to let the app keep it up to date.",
    )

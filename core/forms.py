"""GOV.UK Frontend markup for Django forms, shared by every app's forms.

Each widget gets the class its kind needs (with the error modifier when the field was refused);
`templates/includes/field.html` and `error_summary.html` lay the fields out. Django 5.2 points a
refused field's aria-describedby at `<id>_error` and its hint at `<id>_helptext`, and the include
gives the error message and hint those ids, so screen readers read them with the field.
"""

from __future__ import annotations

from django import forms


def govuk(form):
    """Give each widget the GOV.UK Frontend class its kind needs."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "govuk-checkboxes__input"
        elif isinstance(widget, forms.Select):
            css = "govuk-select"
        elif isinstance(widget, forms.Textarea):
            css = "govuk-textarea"
        elif isinstance(widget, forms.FileInput):
            css = "govuk-file-upload"
        else:
            css = "govuk-input"
        if form.errors.get(name) and css != "govuk-checkboxes__input":
            css += f" {css}--error"
        widget.attrs.setdefault("class", css)
    return form


class GovukForm(forms.Form):
    """A form whose widgets carry GOV.UK Frontend classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk(self)


class DateInput(forms.DateInput):
    """A browser date picker, whose value must be written year first."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

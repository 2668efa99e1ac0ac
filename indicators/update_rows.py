"""What each row of My updates shows, worked out in Python once so a page of 100 rows renders quickly.

The template engine pays for every attribute lookup, filter and `{% if %}`; a row read from
plain dicts of ready strings costs a fraction of one that formats numbers, dates, URLs and
error classes itself. Text that people typed or named is escaped by the template as usual.
Element ids, URLs and class names are built only from integers and fixed words, so they are
marked safe (`markup_free`) rather than escaped three or four times a row; the `<option>`
lists are built with format_html.
"""

from __future__ import annotations

import functools

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from core import presenters, stamps
from core.templatetags.display import status_tag

from . import returns
from .models import STATUS_CHOICES, Reading

STATE_COLOURS = {Reading.APPROVED: "green", Reading.SUBMITTED: "blue", Reading.RETURNED: "red"}
QUALITY = (("", "Not stated"), *Reading.DATA_QUALITY)
OVERRIDE = (("", "As worked out from the figure"), *STATUS_CHOICES)
SENTINEL = 987654321  # stands in for the indicator id in a reversed URL, which is split at its last occurrence


class RowUrls:
    """The save and status URLs of every row in a period, from two reverses instead of two per row."""

    def __init__(self, period):
        self.save = self._split("indicators:update_row", period.pk)
        self.status = self._split("indicators:update_status", period.pk)

    @staticmethod
    def _split(name, period_pk):
        return tuple(reverse(name, args=[period_pk, SENTINEL]).rsplit(str(SENTINEL), 1))

    def for_row(self, indicator_pk) -> tuple[str, str]:
        pk = str(indicator_pk)
        return self.save[0] + pk + self.save[1], self.status[0] + pk + self.status[1]


def markup_free(text: str) -> SafeString:
    """Text made only of digits, fixed names and URL path characters: nothing in it to escape."""
    return SafeString(text)


def _options(choices) -> dict[str, SafeString]:
    """Every way a select over fixed choices can render, by the chosen value: built once, not per row."""
    return {
        chosen: format_html_join(
            "", '<option value="{}"{}>{}</option>', ((v, " selected" if v == chosen else "", label) for v, label in choices)
        )
        for chosen, _ in choices
    }


QUALITY_OPTIONS = _options(QUALITY)
OVERRIDE_OPTIONS = _options(OVERRIDE)


def status_view(row: returns.Row, problem: str | None = None) -> dict:
    """The live status under the figure: the tag, why, and whether an explanation is now required."""
    a = row.assessment
    if a.overridden:
        note = f"changed from {presenters.status(a.computed).word} ({a.reason})"
    else:
        note = a.reason
    explain = ""
    if row.needs_explaining:
        explain = f"The status is {presenters.status(a.status).word}: say why, and what is being done about it."
    return {"p": markup_free(row.pk_text), "tag": _status_tag(a.status), "note": note, "problem": problem or "", "explain": explain}


_status_tag = functools.cache(status_tag)  # a handful of statuses, the same tag for each row


def _unit_words(ind, known: dict) -> str:
    """"Number, higher is better": the same few words for many rows, worked out once a page for each pair
    (`known`; unit names can change, so they are not kept longer)."""
    key = (ind.unit, ind.polarity)
    words = known.get(key)
    if words is None:
        words = known[key] = f"{ind.get_unit_display()}, {ind.get_polarity_display().lower()}"
    return words


def _field(p: str, name: str, value, error: str, *, hint: bool = False, status: bool = False) -> dict:
    ident = f"r{p}-{name}"
    described = []
    if hint:
        described.append(f"{ident}-hint")
    if error:
        described.append(f"{ident}-error")
    if status:
        described.append(f"status-{p}")
    return {
        "id": markup_free(ident),
        "value": "" if value is None else value,
        "error": error,
        "group": markup_free(" govuk-form-group--error" if error else ""),
        "describedby": markup_free(" ".join(described)),
    }


def _who(user) -> str:
    return user.get_full_name() or user.username


def _target(row: returns.Row, decimals, period_label: str) -> tuple[str, str]:
    target = row.target
    if target is None:
        return ("Data only" if row.indicator.polarity == "none" else "No target"), ""
    if target.target is not None:
        text = presenters.number(target.target, decimals)
    else:
        text = f"{presenters.number(target.lower, decimals)} to {presenters.number(target.upper, decimals)}"
    note = f"milestone for {period_label}" if target.period_id == row.period.pk else "target for the year"
    return text, note


def row_view(row: returns.Row, urls: RowUrls, *, period_label: str, read_only, unit_words: dict | None = None) -> dict:
    """Everything the row partial prints, as ready strings and flags."""
    ind, reading, errors, data = row.indicator, row.reading, row.errors, row.data
    p, decimals = markup_free(row.pk_text), ind.decimals
    save_url, status_url = urls.for_row(ind.pk)
    state = row.state
    target, target_note = _target(row, decimals, period_label)
    view = {
        "p": p,
        "code": ind.code,
        "title": ind.title,
        "has_errors": bool(errors),
        "state": state,
        "state_colour": markup_free(STATE_COLOURS.get(state, "grey")),
        "state_word": state.title(),
        "saved_at": timezone.localtime().strftime("%H:%M") if row.saved else "",
        "last_changed": "",
        "return_reason": reading.return_reason if reading is not None and state == Reading.RETURNED else "",
        "signed_off": state in (Reading.SUBMITTED, Reading.APPROVED),
        "conflict": "",
        "target": target,
        "target_note": target_note,
        "previous": presenters.number(row.previous.actual if row.previous else None, decimals),
        "unit": _unit_words(ind, {} if unit_words is None else unit_words),
        "period_label": period_label,
        "percentage": ind.unit == "percentage",
        "status": status_view(row),
        "save_url": markup_free(save_url),
        "status_url": markup_free(status_url),
    }
    if reading is not None and reading.updated_by_id is not None and reading.updated_by is not None:
        when = dateformat.format(timezone.localtime(reading.updated_at), "j F Y H:i")
        view["last_changed"] = f"Last changed by {_who(reading.updated_by)}, {when}"
    if row.conflict is not None:
        theirs = presenters.number(row.conflict.actual, decimals)
        if row.conflict.commentary:
            theirs += f", commentary “{Truncator(row.conflict.commentary).words(30, truncate=' …')}”"
        view["conflict"] = theirs
    if read_only:
        view["error"] = errors["actual"]
        view["actual_text"] = presenters.number(reading.actual if reading else None, decimals)
        view["commentary"] = linebreaksbr(reading.commentary if reading else "", autoescape=True)
        view["remedial_action"] = linebreaksbr(reading.remedial_action if reading else "", autoescape=True)
        # Who signed it off and when: the approval is the reading's last change (readings_move).
        view["approved_by"] = "Not approved"
        if reading is not None and state == Reading.APPROVED and reading.updated_by is not None:
            view["approved_by"] = (f"{_who(reading.updated_by)}, "
                                   f"{dateformat.format(timezone.localtime(reading.updated_at), 'j F Y')}")
        return view
    view["fields"] = {
        "actual": _field(p, "actual", data.get("actual"), errors["actual"], hint=True, status=True),
        **{
            name: _field(p, name, data.get(name), errors[name])
            for name in ("commentary", "remedial_action", "data_quality", "status_override", "status_reason")
        },
    }
    view["needs_explaining"] = row.needs_explaining
    view["status_word"] = presenters.status(row.assessment.status).word
    # A value not among the choices (a refused override) selects nothing, as a fresh select would.
    view["quality_options"] = QUALITY_OPTIONS.get(data.get("data_quality") or "", QUALITY_OPTIONS[""])
    view["override_options"] = OVERRIDE_OPTIONS.get(data.get("status_override") or "", OVERRIDE_OPTIONS[""])
    view["override_open"] = bool(data.get("status_override") or errors["status_override"] or errors["status_reason"])
    view["version"] = markup_free(str(row.conflict.version if row.conflict is not None else row.version))
    return view


def rows_view(rows, period, *, read_only) -> None:
    """Attach `view` to each row for the page."""
    urls, label, unit_words = RowUrls(period), period.label, {}
    for row in rows:
        row.view = row_view(row, urls, period_label=label, read_only=read_only, unit_words=unit_words)


ROW = stamps.Stamp("indicators/updates.html#row")


def rows_html(rows, *, read_only) -> None:
    """Attach `html`, the row partial filled with the row's view, to each row (core.stamps: the template
    engine renders one row of each shape, not every row)."""
    for row in rows:
        row.html = ROW.render({"row": {"view": row.view}, "read_only": read_only})

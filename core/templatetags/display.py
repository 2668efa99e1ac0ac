"""Filters that turn domain values into what a reader sees: money, long dates, status tags."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from core import periods, presenters

register = template.Library()


@register.filter
def money(value, places=0):
    """Decimal pounds with a thousands separator: £60,671,000; negatives as -£1,234."""
    return presenters.money(value, int(places))


@register.filter
def long_date(value):
    """The council's long form: 7 September 2006."""
    if isinstance(value, datetime | date):
        return presenters.long_date(value)
    return value


@register.filter
def number(value, decimals=0):
    """A figure with its decimals and thousands separator; blank means not yet available."""
    return presenters.number(value, decimals)


@register.filter
def status_tag(status):
    """A GOV.UK tag that says the status in words, never by colour alone."""
    view = presenters.status(status)
    return format_html('<strong class="govuk-tag {}">{}</strong>', view.css, view.word)


@register.filter
def status_word(status):
    return presenters.status(status).word


@register.filter
def get_item(mapping, key):
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def pct(value, decimals=0):
    try:
        return f"{Decimal(value):.{int(decimals)}f}%"
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def period_label(key):
    """A period key as people read it: "2006-07" -> "July 2006", "2006/07" -> "2006-07 (year)"."""
    try:
        return periods.parse(key).label
    except periods.PeriodKeyError:
        return key

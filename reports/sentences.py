"""Plain-English sentences for the Cabinet report, written from figures (no Django here).

Every function takes plain numbers, names and dates and returns text as a council officer
would write it: digits for counts ("19 of 89"), correct plurals ("1 indicator", "2 indicators"),
months by name ("to May"), money with a pound sign and thousands separators, and comparisons
that say "a reduction from", "an increase from" or "no change from".
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

RAG_KEY = (
    ("G", "Achieved, or on track to be achieved, on schedule"),
    ("A", "Not on track"),
    ("R", "Not achieved, or not expected to be achieved, or no targets/milestones identified"),
)

_IRREGULAR = {"is": "are", "was": "were", "has": "have", "priority": "priorities", "this": "these"}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word for `count` things: plural("indicator", 1) -> "indicator"; 2 -> "indicators"."""
    if count == 1:
        return singular
    if plural_form is not None:
        return plural_form
    if singular in _IRREGULAR:
        return _IRREGULAR[singular]
    if singular.endswith("y") and singular[-2:-1] not in "aeiou":
        return singular[:-1] + "ies"
    if singular.endswith(("s", "sh", "ch", "x")):
        return singular + "es"
    return singular + "s"


def count(n: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 indicator", "19 indicators", "0 indicators"."""
    return f"{n} {plural(n, singular, plural_form)}"


def listing(items: Sequence[str], *, separator: str = ", ", last: str = " and ") -> str:
    """ "a", "a and b", "a, b and c"; with separator="; " and last="; and " as 000 writes long items."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return separator.join(items[:-1]) + last + items[-1]


def month_name(day: date) -> str:
    return calendar.month_name[day.month]


def long_date(day: date) -> str:
    """7 September 2006."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def money(amount, *, places: int = 0) -> str:
    """£60,671,000; -£1,234 for a negative amount."""
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.{places}f}"


def money_millions(amount) -> str:
    """£8.692m: pounds in millions to three places, the way budget reports round large sums."""
    value = (Decimal(str(amount)) / Decimal(1_000_000)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.3f}m"


def percent(part: int | Decimal, whole: int | Decimal, *, places: int = 0) -> str:
    """ "25%" of a whole; "0%" when the whole is nothing, so a table never divides by zero."""
    if not whole:
        return "0%"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value:.{places}f}%"


def comparison(now: int, before: int | None) -> str:
    """How a count compares with an earlier one: "a reduction from 14", "an increase from 3", "no change from 7"."""
    if before is None:
        return ""
    if now < before:
        return f"a reduction from {before}"
    if now > before:
        return f"an increase from {before}"
    return f"no change from {before}"


def rag_key_intro() -> str:
    return "Performance has been monitored for each indicator using the following system:"


def period_summary(*, start: date, end: date, appendix: str = "Appendix A (1)") -> str:
    return (
        f"This section summarises progress for the period {long_date(start)} to {long_date(end)}. "
        f"Details on each of the indicators marked as R or A are given in {appendix}."
    )


def sign_off(*, mode: str, codes: Sequence[str], appendices: str = "Appendices A (1) and F") -> str:
    """What the report says about figures not yet signed off by their directorate."""
    n = len(codes)
    if not n:
        return "Every figure in this report has been signed off by its directorate."
    named = f" ({listing(list(codes))})" if n <= 8 else ""
    if mode == "omit":
        return (f"{count(n, 'figure')} not yet signed off by {plural(n, 'its', 'their')} directorate"
                f"{named} {plural(n, 'is')} left out and shown as not yet available.")
    return (f"{count(n, 'figure')} in this report{named} {plural(n, 'is')} provisional: not yet signed off by "
            f"{plural(n, 'its', 'their')} directorate, and marked \"Provisional, not signed off\" in {appendices}.")


def set_r_count(*, set_name: str, r: int, total: int, previous_r: int | None, previous_label: str | None) -> str:
    """The headline count for a top-level set, as 000 paragraph 3 words it.

    "For the full set of strategic performance indicators 19 of 89 have been marked as R, compared to 45 to May."
    """
    verb = "has" if total == 1 else "have"
    text = f"For the {set_name} {r} of {total} {verb} been marked as R"
    if previous_r is None or not previous_label:
        return text + "."
    if previous_r == r:
        return text + f", no change from {previous_r} to {previous_label}."
    return text + f", compared to {previous_r} to {previous_label}."


def subset_r_count(
    *, set_label: str, r: int, total: int, end_month: str, previous_r: int | None, previous_label: str | None
) -> str:
    """A set inside another one: "At the end of July 7 of 27 LPSA2G indicators were marked R, a reduction from 14 in the report to the end of May." """
    verb = "was" if total == 1 else "were"
    text = f"At the end of {end_month} {r} of {count(total, set_label + ' indicator')} {verb} marked R"
    change = comparison(r, previous_r)
    if change and previous_label:
        return text + f", {change} in the report to the end of {previous_label}."
    return text + "."


def template_weakness(*, r_total: int, r_template: int, appendix: str = "Appendix A (2)") -> str:
    """How many of the R indicators are R because their template is incomplete (000 paragraph 4)."""
    where = f"Templates for those indicators marked as R are in {appendix}."
    if r_total == 0:
        return "No indicators are marked as R."
    if r_template == 0:
        return (
            f"None of the {count(r_total, 'indicator')} marked as R {plural(r_total, 'is')} marked R because of "
            f"weaknesses in the template: every one has a target, milestones and a robust action plan. {where}"
        )
    if r_template == r_total:
        subject = "The indicator" if r_total == 1 else f"All {r_total} indicators"
        return (
            f"{subject} marked as R {plural(r_total, 'is')} marked R because of continuing weaknesses in the "
            f"template (no target, no milestones or no robust action plan). {where}"
        )
    return (
        f"{r_template} of the {r_total} indicators marked as R {plural(r_template, 'is')} marked R because of "
        f"continuing weaknesses in the template (no target, no milestones or no robust action plan). {where}"
    )


def target_counts(*, total: int, met: int, off: int, off_over_10: int, no_data: int, without_status: int = 0) -> str:
    """Met and off target as councils count them, with no data counted apart from R.

    "Of the 89 indicators, 40 met their target and 20 were off target, 12 of them by more than 10%.
    4 have no data for the period yet; they are counted as no data, not as R."
    """
    if not total:
        return "There are no indicators to report for the period."
    off_text = f"{off} {'was' if off == 1 else 'were'} off target"
    if off:
        off_text += f", {off_over_10} of {'it' if off == 1 else 'them'} by more than 10%"
    text = f"Of the {count(total, 'indicator')}, {met} met {'its' if met == 1 else 'their'} target and {off_text}."
    if no_data:
        text += (f" {no_data} {plural(no_data, 'has')} no data for the period yet; "
                 f"{'it is' if no_data == 1 else 'they are'} counted as no data, not as R.")
    if without_status:
        text += f" {without_status} {plural(without_status, 'is')} reported for information only, with no status."
    return text


def subsets_intro(set_labels: Sequence[str], *, parent_name: str) -> str:
    n = len(set_labels)
    both = "both of which are" if n == 2 else ("which is" if n == 1 else "all of which are")
    return (
        f"In addition to the above analysis, the following {count(n, 'section')} show"
        f"{'s' if n == 1 else ''} progress against the {listing(set_labels)}, {both} included in the {parent_name}."
    )


def themes_r(*, r_total: int, themes: Sequence[tuple[str, int]]) -> str:
    """ "Of the 18 indicators marked as R, 4 are under the theme of a; 4 under b; and 10 under c." """
    themes = [(name, n) for name, n in themes if n]
    if r_total == 0 or not themes:
        return "No indicators are marked as R under any theme."
    first_name, first_n = themes[0]
    parts = [f"{first_n} {plural(first_n, 'is')} under the theme of {first_name}"]
    parts += [f"{n} under {name}" for name, n in themes[1:]]
    return f"Of the {count(r_total, 'indicator')} marked as R, {listing(parts, separator='; ', last='; and ')}."


def status_split(g: int, a: int, r: int) -> str:
    """ "Green 6, Amber 3, Red 3 (50%/25%/25%)" as the summary table says it."""
    whole = g + a + r
    return f"Green {g}, Amber {a}, Red {r} ({percent(g, whole)}/{percent(a, whole)}/{percent(r, whole)})"


def exceptions(items: Sequence[tuple[str, str]], *, as_at: date | None, appendix: str = "Appendix B") -> str:
    """The improvement-plan position: items are (element title, status word)."""
    when = f" as at {long_date(as_at)}" if as_at else ""
    if not items:
        return f"Every element of the Overall Improvement Plan is on track{when}; there are no exceptions to report."
    n = len(items)
    named = listing([f"{title} ({word})" for title, word in items], separator="; ", last="; and ")
    return (
        f"The latest exception report{when} is attached at {appendix}. "
        f"{count(n, 'element')} of the plan {plural(n, 'is')} not on track: {named}."
    )


def revenue(*, forecast_variance, base_budget, main_concern: str = "", appendix: str = "Appendix C") -> str:
    """The revenue headline: "a projected overspend of £8.692m, 2.8% of base budget"."""
    variance = Decimal(str(forecast_variance))
    share = percent(abs(variance), Decimal(str(base_budget)), places=1) if base_budget else ""
    of_base = f", {share} of the base budget" if share else ""
    if variance > 0:
        text = f"The forecast outturn is a projected overspend of {money_millions(variance)}{of_base}."
    elif variance < 0:
        text = f"The forecast outturn is a projected underspend of {money_millions(-variance)}{of_base}."
    else:
        text = "The forecast outturn is in line with the budget: no overspend or underspend is projected."
    if main_concern:
        text += f" The largest projected overspend is on {main_concern}."
    return text


def capital(*, year_label: str, original, revised, reasons: Sequence[tuple[str, object]] = ()) -> str:
    """000 paragraph 22: the revised forecast against the original, and the main reasons."""
    original, revised = Decimal(str(original)), Decimal(str(revised))
    change = revised - original
    text = f"The revised forecast for {year_label} totals {money(revised)}"
    if change > 0:
        text += f", which is an increase of {money(change)} above the original forecast."
    elif change < 0:
        text += f", which is a reduction of {money(-change)} below the original forecast."
    else:
        text += ", no change from the original forecast."
    if change and reasons:
        named = listing([f"{name} ({money(amount)})" for name, amount in reasons], separator="; ", last="; and ")
        direction = "increase" if change > 0 else "reduction"
        text += f" This {direction} is mainly due to {named}."
    return text


def high_risks(items: Sequence[tuple[str, str, int]]) -> str:
    """items: (reference, title, score)."""
    if not items:
        return "No corporate risk is rated high."
    n = len(items)
    named = listing([f"{title} ({ref}, score {score})" for ref, title, score in items], separator="; ", last="; and ")
    return f"{count(n, 'risk')} on the corporate risk log {plural(n, 'is')} rated high: {named}."


def emerging_risks(items: Sequence[tuple]) -> str:
    """items: (reference, title) or (reference, title, trend), trend "new" or "emerging"."""
    if not items:
        return "No new or emerging corporate risks have been identified since the previous report."
    trends = {str(item[2]).lower() if len(item) > 2 else "emerging" for item in items}
    if len(items) == 1:
        ref, title = items[0][:2]
        return f"A new risk is {title} ({ref})." if trends == {"new"} else f"An emerging risk is {title} ({ref})."
    word = "new" if trends == {"new"} else "emerging" if trends == {"emerging"} else "new or emerging"
    named = listing([f"{item[1]} ({item[0]})" for item in items], separator="; ", last="; and ")
    return f"{len(items)} {word} risks have been identified: {named}."


def spc_signal(*, rule: str | None, side: str | None, run: int, start: str | None, latest: str | None,
               unit: str = "month") -> str:
    """One special cause in words, from the data: "7 months in a row above the average since March 2006"."""
    units = plural(run, unit)
    high = side == "high"
    if rule == "run":
        return f"{run} {units} in a row {'above' if high else 'below'} the average since {start}."
    if rule == "trend":
        return f"{run} {units} in a row {'rising' if high else 'falling'} since {start}."
    limit = "upper" if high else "lower"
    if rule == "outside_limits":
        if run > 1:
            return f"{run} {units} in a row {'above' if high else 'below'} the {limit} process limit since {start}."
        return f"The figure for {latest} is {'above' if high else 'below'} the {limit} process limit."
    if rule == "two_of_three":
        return f"2 of the 3 latest figures, to {latest}, are close to the {limit} process limit."
    return "The latest figure is a special cause."


def spc_summary(*, counts: dict, judged: int, improvement: Sequence[str], concern: Sequence[str],
                appendix: str = "Appendix G") -> str:
    """The SPC paragraph: how many indicators show a real change for the better or worse, and which."""
    if not judged:
        return ("No indicator has enough figures yet (at least 12) for statistical process control to tell a "
                "real change from the normal ups and downs.")

    def named(codes: Sequence[str]) -> str:
        shown = list(codes[:6])
        more = len(codes) - len(shown)
        return listing(shown) + (f" and {more} more" if more else "")

    improving, worse, common = counts["improvement"], counts["concern"], counts["common"]
    text = (
        "Statistical process control asks whether each indicator's latest figure is a real change or the "
        f"normal ups and downs of the measure. Of the {count(judged, 'indicator')} with enough figures to judge, "
        f"{improving} {plural(improving, 'shows', 'show')} special-cause improvement and {worse} special-cause concern"
    )
    if counts.get("neutral"):
        text += (f"; {counts['neutral']} {plural(counts['neutral'], 'is', 'are')} unusually high or low in a "
                 "measure with no better or worse direction")
    text += f"; {common} {plural(common, 'shows', 'show')} only common cause variation."
    if concern:
        text += f" Concern: {named(concern)}."
    if improvement:
        text += f" Improvement: {named(improvement)}."
    if counts.get("not_enough"):
        few = counts["not_enough"]
        text += f" {count(few, 'indicator')} {plural(few, 'has', 'have')} too few figures to judge."
    return text + f" Each is described, with what its figures show, in {appendix}."

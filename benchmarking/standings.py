"""Where our council stands on each mapped indicator, as the pages show it: per comparator group, the
position for the latest published period up to a date, the one before (for the trend), the councils'
names for the chart and table, and the sentence as drafted or as the performance team edited it.

Reads through benchmarking.selectors.positions_for, in a fixed number of queries whatever the number of indicators,
groups or councils.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core import clock, presenters

from . import commentary as drafting
from . import selectors
from .models import BenchmarkCommentary, ComparatorGroup, ComparatorMetric
from .position import QUARTILE_NAMES, Position, rank_trend
from .stored import StoredPosition, stored_positions


class _EditableSentence:
    """The sentence a page or the report shows: a person's edit (`commentary`) when there is one, else the
    sentence drafted on the figures (`drafted_text`)."""

    commentary: BenchmarkCommentary | None
    drafted_text: str

    @property
    def edited(self) -> bool:
        return self.commentary is not None and bool(self.commentary.edited_text.strip())

    @property
    def text(self) -> str:
        return self.commentary.edited_text if self.edited else self.drafted_text


@dataclass(frozen=True)
class Standing(_EditableSentence):
    indicator_id: int
    metric: ComparatorMetric
    group: ComparatorGroup
    period: str
    position: Position
    previous: Position | None
    previous_period: str | None
    names: dict[str, str]
    drafted: str
    commentary: BenchmarkCommentary | None

    @property
    def drafted_text(self) -> str:
        return self.drafted

    @property
    def stale(self) -> bool:
        """Edited, and the figures beneath have changed since: the sentence drafted now is not the one edited."""
        return self.edited and self.commentary.edited_against.strip() != self.drafted.strip()

    @property
    def trend(self) -> str | None:
        return rank_trend(self.previous, self.position)


QUARTILE_WORDS = {q: name[:1].upper() + name[1:] for q, name in QUARTILE_NAMES.items()}


def figure(value, unit: str = "", decimals: int = 0) -> str:
    """A comparator figure with its unit at `decimals` places ("82%", "£1,234"); "No figure" when none."""
    return "No figure" if value is None else presenters.figure(value, unit, decimals)


def rank_words(standing: Standing) -> str:
    """ "joint 4th of 16" or "4th of 16"."""
    p = standing.position
    return drafting.rank_of(p.rank, p.tied, p.of)


def quartile_cell(standing: Standing) -> str:
    """What the list's Quartile column says: "Top (joint 4th of 16)"; "No quartile (3 councils)" when too few."""
    p = standing.position
    if p.quartile is None:
        return f"No quartile ({rank_words(standing)})"
    return f"{QUARTILE_WORDS[p.quartile]} ({rank_words(standing)})"


def standings(*, indicator_ids=None, on: date | None = None) -> list[Standing]:
    """Our position per mapped indicator and group (benchmarking.selectors.positions_for), for each metric's
    latest period ending on or before `on` (today by the council's clock when None) and the period before,
    with the sentence drafted now and any edit of it. A group in which we published no figure is left out.

    `indicator_ids` None means every mapped indicator. The selector's queries and one for the edited
    sentences, whatever the number of indicators.
    """
    found = selectors.positions_for(on or clock.today(), indicator_ids)
    if not found:
        return []
    metric_ids = {g.metric.pk for positions in found.values() for g in positions}
    notes = {
        (c.metric_id, c.group_id, c.period): c
        for c in BenchmarkCommentary.objects.filter(metric_id__in=metric_ids).select_related("edited_by")
    }
    out = []
    for indicator_id, positions in found.items():
        for g in positions:
            if g.position.rank is None:
                continue
            council = g.names.get(g.position.us, g.position.us)
            out.append(Standing(
                indicator_id=indicator_id, metric=g.metric, group=g.group, period=g.period, position=g.position,
                previous=g.previous, previous_period=g.previous_period, names=g.names,
                drafted=drafting.draft(
                    g.position, council=council, group=drafting.group_phrase(g.group.kind, g.group.name),
                    unit=g.metric.unit, period=g.period, earlier=g.previous, earlier_period=g.previous_period or "",
                    names=g.names,
                ),
                commentary=notes.get((g.metric.pk, g.group.pk, g.period)),
            ))
    return out


@dataclass(frozen=True)
class KeptStanding(_EditableSentence):
    """A kept position (benchmarking.stored) with the person's edit of its sentence, for the Cabinet report:
    what `standings` gives, read from the rows kept when the figures changed instead of from every figure."""

    position: StoredPosition
    commentary: BenchmarkCommentary | None

    @property
    def drafted_text(self) -> str:
        return self.position.drafted or ""

    @property
    def rank_words(self) -> str:
        """ "joint 4th of 16" or "4th of 16", as rank_words says it."""
        p = self.position
        return drafting.rank_of(p.rank, p.tied, p.of)


def kept_standings(*, indicator_ids, on: date) -> list[KeptStanding]:
    """Our kept position per mapped indicator and group for the latest period ending on or before `on`, with any
    edit of its sentence: the same rows, figures and sentences as `standings`, in three queries and reading no
    comparator figure (1,000 indicators x 400 councils in milliseconds, not seconds)."""
    found = stored_positions(on, indicator_ids, sentences=True)
    if not found:
        return []
    metric_ids = {p.metric_id for positions in found.values() for p in positions}
    notes = {(c.metric_id, c.group_id, c.period): c for c in BenchmarkCommentary.objects.filter(metric_id__in=metric_ids)}
    return [KeptStanding(position=p, commentary=notes.get((p.metric_id, p.group.pk, p.period)))
            for positions in found.values() for p in positions]

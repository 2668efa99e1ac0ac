"""Writes for benchmarking: each in one transaction, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from organisation import audit

from .models import BenchmarkCommentary


@transaction.atomic
def commentary_edit(*, user, standing, text: str) -> BenchmarkCommentary:
    """Keep a person's words for the sentence on `standing` (a standings.Standing); blank words, or the
    words as drafted, hand the sentence back to the figures. The draft it was edited against is kept, so
    the pages can say when the figures beneath have changed since."""
    comment, _ = BenchmarkCommentary.objects.select_for_update().get_or_create(
        metric=standing.metric, group=standing.group, period=standing.period,
    )
    text = text.strip()
    if not text or text == standing.drafted.strip():
        comment.edited_text = comment.edited_against = ""
        comment.edited_by, comment.edited_at = None, None
        what = "handed back to the figures"
    else:
        comment.edited_text, comment.edited_against = text, standing.drafted
        comment.edited_by, comment.edited_at = user, timezone.now()
        what = "edited"
    comment.generated_text = standing.drafted
    comment.save()
    audit.record(user=user, action="benchmark_commentary_edited", obj=comment,
                 summary=f"{standing.metric.indicator.code} against {standing.group.name}, {standing.period}: "
                         f"sentence {what}" + (f": {text}" if what == "edited" else ""))
    return comment

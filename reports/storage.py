"""A published version's PDF parts on disk: where each is kept, storing one (never replaced once
kept), and parts a stopped worker left running.

Called by the background task that renders the PDFs (reports.tasks) and read by the views; it
imports nothing that builds or publishes the report, so rendering and storage never reach back
into the services that publish (reports.services enqueues the task).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import pikepdf
from django.conf import settings
from django.utils import timezone

from reports import render
from reports.models import PublishedPart, PublishedVersion


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.REPORTS_PDF_STALE_SECONDS)


def is_stale(part: PublishedPart) -> bool:
    """A part "running" since before the timeout: its worker has stopped."""
    return part.state == PublishedPart.RUNNING and (part.started_at is None or part.started_at < _stale_before())


def parts_requeue_stale(*, version: PublishedVersion | None = None) -> int:
    """Parts left "running" longer than REPORTS_PDF_STALE_SECONDS (a worker died or was stopped)
    wait again; returns how many. The render task calls it, so the next worker takes them up."""
    stale = PublishedPart.objects.filter(state=PublishedPart.RUNNING, started_at__lt=_stale_before()) | (
        PublishedPart.objects.filter(state=PublishedPart.RUNNING, started_at__isnull=True))
    if version is not None:
        stale = stale.filter(version=version)
    return PublishedPart.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).update(
        state=PublishedPart.PENDING, error="")


def part_path(part: PublishedPart) -> Path:
    return Path(settings.MEDIA_ROOT) / part.path


def part_pages(part: PublishedPart) -> int | None:
    """How many pages a kept PDF has, read from the file (None until it is made, or if it cannot be read)."""
    if part.state != PublishedPart.DONE or not part.path:
        return None
    return _pages(str(part_path(part)), part.sha256)


@lru_cache(maxsize=512)
def _pages(path: str, sha256: str) -> int | None:
    # A kept file is never replaced (store_pdf), so its path and digest name its page count.
    try:
        with pikepdf.open(path) as document:
            return len(document.pages)
    except (OSError, pikepdf.PdfError):
        return None


def store_pdf(*, part: PublishedPart, data: bytes) -> PublishedPart:
    """Keep a rendered PDF with its version. A file already kept is never replaced."""
    if part.state == PublishedPart.DONE and part.path:
        return part
    relative = f"reports/{part.version.report_id}/v{part.version.number}/{render.stored_name(part)}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(target)
    kept = target.read_bytes()
    PublishedPart.objects.filter(pk=part.pk).update(
        path=relative, sha256=hashlib.sha256(kept).hexdigest(), size=len(kept), state=PublishedPart.DONE,
        error="", rendered_at=timezone.now(),
    )
    part.refresh_from_db()
    return part

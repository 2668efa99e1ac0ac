"""Background work for reports: rendering a published version's PDFs (run by `manage.py db_worker`).

No part is ever left "running" for ever: whatever goes wrong with a part (the renderer, the file
system, a name too long) marks it failed with a reason people can read; a part left running by a
worker that died is taken up again once it is older than REPORTS_PDF_STALE_SECONDS.
"""

from __future__ import annotations

import logging

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django_tasks import task

from core import chromium, pdf

from . import pdfs, storage
from .models import PublishedPart

log = logging.getLogger(__name__)


def reason_for(exc: BaseException) -> str:
    """What went wrong, in words for the performance team (the details go to the log)."""
    if isinstance(exc, OSError):
        what = "the file could not be written"
    elif isinstance(exc, MemoryError):
        what = "the document is too large to lay out"
    else:
        what = "the document could not be laid out"
    detail = str(exc).strip() or exc.__class__.__name__
    return f"The PDF was not made: {what} ({detail[:300]}). Choose \u201cMake the PDFs again\u201d to retry."


@task()
def render_version_pdfs(version_id: int) -> dict:
    """Render every PDF of a published version that is waiting (or stuck), in parallel, recording
    progress part by part. Parts another worker is rendering right now are left to it; parts made
    from the same thing as a kept part of an earlier version share its file instead (storage.parts_reuse)."""
    storage.parts_requeue_stale()
    reused = storage.parts_reuse(version_id=version_id)["reused"]
    # Long appendices first, so the pool is not left waiting on one long document at the end.
    waiting = list(
        PublishedPart.objects.filter(version_id=version_id, state=PublishedPart.PENDING)
        .select_related("version")
        .order_by(Case(When(part="F", then=Value(0)), When(part="A1", then=Value(1)), default=Value(2),
                       output_field=IntegerField()), "order")
    )
    now = timezone.now()
    # Claim each part: only one worker moves it from waiting to running.
    parts = [
        p for p in waiting
        if PublishedPart.objects.filter(pk=p.pk, state=PublishedPart.PENDING).update(
            state=PublishedPart.RUNNING, error="", started_at=now) == 1
    ]
    if not parts:
        return {"rendered": 0, "reused": reused}
    by_name = {p.part: p for p in parts}

    def failed(name, exc):
        log.error("PDF %s of version %s failed", name, version_id, exc_info=exc)
        PublishedPart.objects.filter(pk=by_name[name].pk).update(state=PublishedPart.FAILED, error=reason_for(exc))

    def done(name, data):
        try:
            storage.store_pdf(part=by_name[name], data=data)
        except Exception as exc:  # noqa: BLE001 - any failure is the part's, recorded with its reason
            failed(name, exc)

    try:
        stats = pdfs.render_all([(p.part, p.html) for p in parts], on_done=done, on_error=failed)
    except Exception as exc:  # noqa: BLE001 - the pool itself failed: no claimed part stays running
        for p in parts:
            PublishedPart.objects.filter(pk=p.pk, state=PublishedPart.RUNNING).update(
                state=PublishedPart.FAILED, error=reason_for(exc))
        raise
    if stats.renderer == pdf.CHROMIUM:
        # The worker keeps a browser open for the next task: a correction's few sections then print at
        # once, not after starting one (it goes with the worker, which bin/worker recycles).
        chromium.warm()
    return {"rendered": len(parts), "reused": reused}


def parts_retry(*, version, failed: bool = True) -> int:
    """The "make the PDFs again" button: failed (unless `failed` is False) and stuck parts wait again
    and a render is queued. Files already kept are never remade. Returns how many parts are waiting."""
    if failed:
        version.parts.filter(state=PublishedPart.FAILED).update(state=PublishedPart.PENDING, error="")
    storage.parts_requeue_stale(version=version)
    waiting = version.parts.filter(state=PublishedPart.PENDING).count()
    if waiting:
        render_version_pdfs.enqueue(version.pk)
    return waiting

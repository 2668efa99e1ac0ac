"""Background work for reports: rendering a published version's PDFs (run by `manage.py db_worker`)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django_tasks import task

from . import pdfs
from .models import PublishedPart


@task()
def render_version_pdfs(version_id: int) -> dict:
    """Render every PDF of a published version not yet kept, in parallel, recording progress part by part."""
    from .services import store_pdf

    # Long appendices first, so the pool is not left waiting on one long document at the end.
    parts = list(
        PublishedPart.objects.filter(version_id=version_id)
        .exclude(state=PublishedPart.DONE)
        .select_related("version")
        .order_by(Case(When(part="F", then=Value(0)), When(part="A1", then=Value(1)), default=Value(2),
                       output_field=IntegerField()), "order")
    )
    if not parts:
        return {"rendered": 0}
    by_name = {p.part: p for p in parts}
    PublishedPart.objects.filter(pk__in=[p.pk for p in parts]).update(state=PublishedPart.RUNNING, error="")

    def done(name, data):
        store_pdf(part=by_name[name], data=data)

    def failed(name, exc):
        PublishedPart.objects.filter(pk=by_name[name].pk).update(state=PublishedPart.FAILED, error=str(exc)[:2000])

    pdfs.render_all([(p.part, p.html) for p in parts], on_done=done, on_error=failed)
    return {"rendered": len(parts)}

"""Benchmarking pages: the performance team edits the sentence drafted on where an indicator stands."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core import policy

from . import services
from .forms import CommentaryForm
from .models import ComparatorMetric
from .panels import view
from .standings import standings


@require_http_methods(["GET", "POST"])
def commentary(request, metric_id, group_id):
    """Edit the sentence on one indicator's latest position in one group; the edit is kept and audited."""
    policy.require(policy.may_edit_benchmark_commentary(request.user))
    metric = get_object_or_404(ComparatorMetric.objects.select_related("indicator"), pk=metric_id,
                               indicator__isnull=False)
    standing = next((s for s in standings(indicator_ids=[metric.indicator_id])
                     if s.metric.pk == metric.pk and s.group.pk == group_id), None)
    if standing is None:
        raise Http404("No position in that group")
    form = CommentaryForm(request.POST if request.method == "POST" else None, initial={"text": standing.text})
    if request.method == "POST" and form.is_valid():
        comment = services.commentary_edit(user=request.user, standing=standing, text=form.cleaned_data["text"])
        messages.success(request, "The sentence has been saved and recorded in the audit log." if comment.edited_text
                         else "The sentence has been handed back to the figures.")
        return redirect(reverse("indicators:detail", args=[metric.indicator_id])
                        + f"#benchmark-{metric.pk}-{standing.group.pk}")
    return render(request, "benchmarking/commentary.html", {
        "item": view(standing), "s": standing, "indicator": metric.indicator, "form": form,
    }, status=400 if form.errors else 200)

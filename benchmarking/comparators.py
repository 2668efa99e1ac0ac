"""The performance team's changes to comparator set-up: mapping a metric to our indicator, and the groups.

Each is one atomic write with its audit event (organisation.audit.record), as every change is.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator
from organisation.audit import record

from . import stored
from .models import ComparatorCouncil, ComparatorGroup, ComparatorMetric


class SetupRefused(ValueError):
    """The change cannot be made; the message says why in plain words."""


def _shown(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def metric_map(*, metric: ComparatorMetric, indicator: Indicator | None, polarity: str,
               band_low: Decimal | None = None, band_high: Decimal | None = None, user=None) -> ComparatorMetric:
    """Map a comparator metric to one of our indicators (or unmap it, with None), with its polarity and band."""
    if polarity not in dict(ComparatorMetric.POLARITY_CHOICES):
        raise SetupRefused(f"polarity must be higher, lower or band, not {polarity!r}")
    if polarity == ComparatorMetric.BAND:
        if band_low is None or band_high is None:
            raise SetupRefused("A target band needs both its low and its high end.")
        if band_low > band_high:
            raise SetupRefused("The band's low end is above its high end.")
    else:
        band_low = band_high = None
    with transaction.atomic():
        metric = ComparatorMetric.objects.select_for_update().get(pk=metric.pk)
        before = (metric.indicator_id, metric.polarity, metric.band_low, metric.band_high)
        after = (indicator.pk if indicator else None, polarity, band_low, band_high)
        if before == after:
            return metric
        metric.indicator, metric.polarity, metric.band_low, metric.band_high = indicator, polarity, band_low, band_high
        metric.mapped_by = user if user is not None and user.is_authenticated else None
        metric.mapped_at = timezone.now()
        metric.save(update_fields=["indicator", "polarity", "band_low", "band_high", "mapped_by", "mapped_at"])
        stored.refresh(metric_ids=[metric.pk])
        band = f" (band {_shown(band_low)} to {_shown(band_high)})" if polarity == ComparatorMetric.BAND else ""
        record(
            user=user, action="comparator_metric_mapped", obj=metric,
            summary=(f"{metric.source} {metric.metric_id} mapped to {indicator.code}, {polarity} is better{band}"
                     if indicator else f"{metric.source} {metric.metric_id} unmapped"),
        )
    return metric


def group_save(*, group: ComparatorGroup | None, name: str, kind: str, description: str = "", order: int = 0,
               user=None) -> ComparatorGroup:
    """Create a group (group=None) or change its name, kind, description and order."""
    name = " ".join(name.split())
    if not name:
        raise SetupRefused("Give the group a name.")
    if kind not in dict(ComparatorGroup.KIND_CHOICES):
        raise SetupRefused(f"{kind!r} is not a kind of group")
    clash = ComparatorGroup.objects.filter(name__iexact=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise SetupRefused(f"There is already a group called {name!r}.")
    with transaction.atomic():
        created = group is None
        group = group or ComparatorGroup()
        renamed = not created and (group.name, group.kind) != (name, kind)
        group.name, group.kind, group.description, group.order = name, kind, description.strip(), order
        group.save()
        if renamed:
            stored.refresh()  # the kept sentences name the group ("the nearest-neighbour median")
        record(user=user, action="comparator_group_created" if created else "comparator_group_changed", obj=group,
               summary=f"{group.name} ({group.get_kind_display()})")
    return group


def group_members_add(*, group: ComparatorGroup, councils: list[ComparatorCouncil], user=None) -> int:
    """Add councils to a group; returns how many were not members already."""
    with transaction.atomic():
        have = set(group.members.values_list("pk", flat=True))
        new = [c for c in councils if c.pk not in have]
        if new:
            group.members.add(*new)
            stored.refresh()
            record(user=user, action="comparator_group_members_added", obj=group,
                   summary=f"{group.name}: added {', '.join(sorted(c.name for c in new))}")
    return len(new)


def group_member_remove(*, group: ComparatorGroup, council: ComparatorCouncil, user=None) -> bool:
    with transaction.atomic():
        if not group.members.filter(pk=council.pk).exists():
            return False
        group.members.remove(council)
        stored.refresh()
        record(user=user, action="comparator_group_member_removed", obj=group,
               summary=f"{group.name}: removed {council.name}")
    return True

"""Every main page of each area, as the role that uses it sees it on the demo council: WCAG 2.2 AA, titles, words for status.

The journeys check the pages of the monthly return and the report; this walks the rest, so a
page that loses a label or a heading, or shows a status by colour alone, fails here.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from benchmarking.models import ComparatorGroup, ComparatorMetric
from budgets.models import RevenueLine
from improvement_plans.models import Action, Plan
from indicators.models import Indicator
from risks.models import Risk
from tests.browser.helpers import assert_accessible, assert_status_in_words, sign_in

pytestmark = pytest.mark.browser


def pages_for(role):
    plan = Plan.objects.order_by("pk").first()
    action = Action.objects.order_by("pk").first()
    risk = Risk.objects.order_by("pk").first()
    line = RevenueLine.objects.order_by("pk").first()
    ch141 = Indicator.objects.get(code="CH141")
    band_metric = ComparatorMetric.objects.get(polarity=ComparatorMetric.BAND)
    group = ComparatorGroup.objects.order_by("pk").first()
    pages = {
        "officer": [
            ("indicators:list", {}),
            ("indicators:detail", {"pk": ch141.pk}),
            ("indicators:return_upload", {}),
            ("improvement_plans:plans", {}),
            ("improvement_plans:exceptions", {"pk": plan.pk}),
            ("improvement_plans:action", {"pk": action.pk}),
            ("risks:register", {}),
            ("risks:detail", {"pk": risk.pk}),
            ("budgets:revenue", {}),
        ],
        "approver": [
            ("indicators:chasing", {}),
            ("improvement_plans:approvals", {}),
        ],
        "performance": [
            ("indicators:dashboard", {}),
            ("indicators:readings_export", {}),
            ("indicators:import_workbook", {}),
            ("improvement_plans:import", {}),
            ("improvement_plans:action_update", {"pk": action.pk}),
            ("risks:heat_map", {}),
            ("risks:create", {}),
            ("risks:review", {"pk": risk.pk}),
            ("risks:settings", {}),
            ("budgets:capital", {}),
            ("budgets:revenue_line", {"pk": line.pk}),
            ("budgets:import", {}),
            ("budgets:tolerances", {}),
            ("organisation:audit_log", {}),
            ("benchmarking:setup", {}),
            ("benchmarking:comparators_import", {}),
            ("benchmarking:metrics", {}),
            ("benchmarking:metric_edit", {"pk": band_metric.pk}),
            ("benchmarking:group_edit", {"pk": group.pk}),
        ],
    }
    return [reverse(name, kwargs=kwargs) for name, kwargs in pages[role]]


@pytest.mark.parametrize("role", ["officer", "approver", "performance"])
def test_each_page_a_role_uses_is_accessible(page, demo_council, role):
    sign_in(page, role)
    for url in pages_for(role):
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status} to the {role}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, f"page-{role}{url.rstrip('/').replace('/', '-')}")
        assert_status_in_words(page)

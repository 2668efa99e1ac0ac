"""Who may reach each indicators URL (walked by tests/test_url_access.py); other indicators helpers add theirs here."""

from tests.access import Rule, staff

RULES = {
    "indicators:list": Rule(staff(200)),
    "indicators:dashboard": Rule(staff(200)),
    "indicators:detail": Rule(staff(200), kwargs=lambda w: {"pk": w.indicator.pk}),
}

"""Who may reach the budget pages: staff read them; only the performance team enters or imports figures."""

from tests.access import Rule, performance_only, staff

RULES = {
    "budgets:revenue": Rule(staff(200)),
    "budgets:capital": Rule(staff(200)),
    "budgets:import": Rule(performance_only(200)),
    "budgets:tolerances": Rule(performance_only(200)),
    "budgets:revenue_line": Rule(performance_only(200), kwargs=lambda w: {"pk": w.revenue_line.pk}),
    "budgets:capital_scheme_add": Rule(performance_only(200), query="period=2006-07"),
    "budgets:capital_change": Rule(performance_only(200), kwargs=lambda w: {"pk": w.capital_line.pk}),
    "budgets:capital_spend": Rule(performance_only(200), kwargs=lambda w: {"pk": w.capital_line.pk}),
}

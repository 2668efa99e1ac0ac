"""Loads the demo council's corporate risk log (fixtures/demo/risks.json): bands, categories, risks and their reviews."""

import json
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model

from core import periods
from indicators.models import Indicator
from organisation.models import Directorate, Period, Portfolio
from risks.models import Mitigation, RatingBand, Risk, RiskCategory, RiskReview

SOURCE = settings.BASE_DIR / "fixtures" / "demo" / "risks.json"


def load(*, stdout=None):
    data = json.loads(SOURCE.read_text())
    for row in data["bands"]:
        RatingBand.objects.update_or_create(name=row["name"], defaults=row)
    categories = {}
    for order, name in enumerate(data["categories"]):
        categories[name], _ = RiskCategory.objects.update_or_create(name=name, defaults={"order": order})
    users = {u.username: u for u in get_user_model().objects.all()}
    directorates = {d.code: d for d in Directorate.objects.all()}
    portfolios = {p.name: p for p in Portfolio.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    linked = reviews = 0
    for order, row in enumerate(data["risks"]):
        history = row["reviews"]
        latest = history[-1]
        risk, _ = Risk.all_objects.update_or_create(
            reference=row["reference"],
            defaults={
                "title": row["title"], "description": row["description"],
                "category": categories[row["category"]], "owner": users[row["owner"]],
                "directorate": directorates.get(row["directorate"]), "portfolio": portfolios.get(row["portfolio"]),
                "inherent_likelihood": row["inherent"][0], "inherent_impact": row["inherent"][1],
                "current_likelihood": latest[1], "current_impact": latest[2],
                "target_likelihood": row["target"][0], "target_impact": row["target"][1],
                "identified_on": date.fromisoformat(row["identified_on"]),
                "next_review": date.fromisoformat(latest[5]),
                "illustrative": row["illustrative"], "order": order, "deleted_at": None,
            },
        )
        found = [indicators[code] for code in row["indicators"] if code in indicators]
        risk.indicators.set(found)
        linked += len(found)
        for on, likelihood, impact, commentary, progress, next_review in history:
            day = date.fromisoformat(on)
            RiskReview.objects.update_or_create(
                risk=risk, period=Period.get_or_create_for(periods.month_of(day)),
                defaults={
                    "reviewed_on": day, "reviewed_by": risk.owner, "likelihood": likelihood, "impact": impact,
                    "commentary": commentary, "mitigation_progress": progress,
                    "next_review": date.fromisoformat(next_review),
                    # The papers print the register as the council signed it off.
                    "state": RiskReview.APPROVED,
                },
            )
            reviews += 1
        risk.mitigations.all().delete()
        for n, m in enumerate(row["mitigations"]):
            Mitigation.objects.create(
                risk=risk, order=n, kind=m["kind"], description=m["description"],
                owner=users.get(m.get("owner", "")), owner_role=m.get("owner_role", ""),
                due=date.fromisoformat(m["due"]) if m.get("due") else None,
            )
    if stdout:
        stdout.write(
            f"Risks: {len(data['risks'])} risks, {reviews} reviews, {linked} indicator links "
            f"(scores and invented risks illustrative)"
        )

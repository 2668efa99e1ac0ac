"""A synthetic council of any size, for the benchmark, the load test and tests of scale.

`plan_council(...)` decides everything from the seed with no database in sight, so the same
seed always gives the same council (a test checks it); `write_council(...)` writes that plan
with the real models of every app in bulk. The figures are invented and labelled so.

The shapes follow the domain (../shared/DOMAIN.md): nested sets (the full set contains the LAA
set, which contains the LPSA2G set; partners' measures sit in a set of their own), themes
under sets, priorities and objectives, directorates and portfolios; officers who lead about
ten indicators each, with one officer leading a hundred (the "My updates for 100
indicators" of the benchmark); monthly, quarterly and annual indicators with annual targets
and monthly milestones; actuals with noise, trend, season, the odd step change and gaps
(a gap is a missing reading or a blank actual, never zero); an open current period partly
entered; an improvement plan; a risk log with quarterly reviews; revenue and capital lines.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from budgets.models import CapitalChange, CapitalLine, CapitalScheme, RevenueLine, VarianceTolerance
from core import dbstats, periods
from demo.loaders.organisation import ensure_groups
from improvement_plans import rules
from improvement_plans.models import (
    Action,
    DocumentVersion,
    Element,
    ElementAssessment,
    Plan,
    ProgressUpdate,
    ReferenceDocument,
)
from indicators.models import (
    Indicator,
    IndicatorSet,
    Objective,
    Priority,
    Reading,
    ReadingHistory,
    Target,
    Theme,
)
from organisation.models import Directorate, LeadRole, Period, Portfolio, Profile
from reports import services as report_services
from risks.models import Mitigation, RatingBand, Risk, RiskCategory, RiskReview

PASSWORD = "synthetic"  # noqa: S105 - every synthetic user's password (a synthetic council is never real)
CODE_PREFIX = "SC"
USER_PREFIX = "syn-"
LABEL = "Synthetic (illustrative)"

DIRECTORATES = [
    ("SYN-CYPS", "Children and Young People's Services"),
    ("SYN-ACS", "Adult and Community Services"),
    ("SYN-ENV", "Environment"),
    ("SYN-RES", "Resources"),
    ("SYN-CX", "Chief Executive's Office"),
    ("SYN-PART", "Partnerships"),
]
PORTFOLIOS = [
    "Children's services", "Social care adults", "Environment and strategic housing", "Resources",
    "Corporate and customer services", "Community services", "Economic development", "Highways and transportation",
]
# (code, name, parent code, share of indicators whose innermost set it is)
SETS = [
    ("SC-FULL", "Full set of strategic indicators (synthetic)", None, 0.25),
    ("SC-LAA", "Local Area Agreement (synthetic)", "SC-FULL", 0.30),
    ("SC-LPSA", "LPSA2G stretch targets (synthetic)", "SC-LAA", 0.15),
    ("SC-PARTNER", "Partners' measures (synthetic)", None, 0.20),
    ("SC-LOCAL", "Service plan measures (synthetic)", None, 0.10),
]
THEMES = [
    ("Children and young people (synthetic)", "SC-LAA"),
    ("Healthier communities and older people (synthetic)", "SC-LAA"),
    ("Economic development and enterprise (synthetic)", "SC-LAA"),
    ("Safer and stronger communities (synthetic)", "SC-LAA"),
    ("Housing and the environment (synthetic)", "SC-FULL"),
    ("Corporate health (synthetic)", "SC-FULL"),
    ("Partnership delivery (synthetic)", "SC-PARTNER"),
    ("Service delivery (synthetic)", "SC-LOCAL"),
]
PARENT = {code: parent for code, _, parent, _ in SETS}
PRIORITIES = [
    "Children and young people", "Healthier communities", "Economic prosperity",
    "Safer communities", "Sustainable environment", "Organisational improvement",
]
OBJECTIVE_WORDS = ["Improve", "Reduce", "Increase", "Protect", "Sustain", "Raise"]
SUBJECTS = [
    "school attendance", "delayed transfers of care", "household waste recycled", "days lost to sickness",
    "planning applications decided in time", "children looked after placements", "people helped to live at home",
    "street cleanliness", "council tax collected", "invoices paid in 30 days", "young people in education",
    "road casualties", "affordable homes delivered", "visits to libraries", "carbon emissions",
    "benefit claims processed", "anti-social behaviour incidents", "adult learners", "bus punctuality",
    "fly-tipping incidents", "complaints answered on time", "vacant dwellings returned to use",
]
RISK_CATEGORIES = ["Operations", "Reputation", "External assessment", "Finance", "Partnerships", "Legal"]
BANDS = [
    ("Low", 1, 3, False, "low"), ("Medium", 4, 8, False, "medium"),
    ("High", 9, 15, True, "high"), ("Very high", 16, 25, True, "very-high"),
]
SERVICES = [
    "Management and support", "Commissioning", "Direct services", "Partnership contracts",
    "Transport", "Property", "Grants", "Income and charges",
]
UNITS = [("number", 0, 0.45), ("percentage", 1, 0.35), ("rate_per_10000", 2, 0.08), ("days", 1, 0.07), ("gbp", 0, 0.05)]


# Period keys are parsed tens of thousands of times while planning; they never change.
_parse = functools.lru_cache(maxsize=None)(periods.parse)


def _pick(rng: random.Random, weighted):
    """One item of [(item..., weight)] by weight (the last element of each tuple)."""
    x = rng.random() * sum(w[-1] for w in weighted)
    for item in weighted:
        x -= item[-1]
        if x <= 0:
            return item
    return weighted[-1]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _round(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals)))


@dataclass
class Council:
    """Everything the writer needs, keyed by natural keys (codes, usernames, period keys)."""

    months: list[str]
    open_month: str
    users: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    targets: list[tuple] = field(default_factory=list)  # (code, period key, target, lower, upper, agreed_on)
    readings: list[dict] = field(default_factory=list)
    plan: dict = field(default_factory=dict)
    risks: list[dict] = field(default_factory=list)
    revenue: list[dict] = field(default_factory=list)
    schemes: list[dict] = field(default_factory=list)
    capital: list[dict] = field(default_factory=list)

    @property
    def bulk_officer(self) -> str:
        return f"{USER_PREFIX}officer-bulk"

    @property
    def period_keys(self) -> list[str]:
        """Every period the council refers to: months, their quarters and financial years."""
        keys, seen = [], set()
        for key in self.months:
            month = _parse(key)
            for k in (month, month.quarter(), month.year()):
                if k.key not in seen:
                    seen.add(k.key)
                    keys.append(k.key)
        return keys


def month_keys(months: int, end: str) -> list[str]:
    key = _parse(end)
    keys = [key]
    for _ in range(months - 1):
        key = key.previous()
        keys.append(key)
    return [k.key for k in reversed(keys)]


def plan_council(*, indicators: int, months: int, seed: int = 0, end: str = "2006-07") -> Council:
    """The whole council as plain data, decided by the seed alone."""
    if indicators < 1 or months < 2:
        raise ValueError("a council needs at least one indicator and two months")
    rng = random.Random(seed)
    keys = month_keys(months, end)
    council = Council(months=keys, open_month=keys[-1])
    _plan_users(council, indicators)
    _plan_indicators(council, rng, indicators)
    _plan_figures(council, rng)
    _plan_improvement(council, rng, indicators)
    _plan_risks(council, rng, indicators)
    _plan_budgets(council, rng, indicators)
    return council


def _plan_users(council: Council, n: int) -> None:
    officers = max(1, math.ceil(n / 10))
    users = council.users
    for i in range(officers - (1 if n >= 100 else 0)):
        code = DIRECTORATES[i % len(DIRECTORATES)][0]
        users.append({"username": f"{USER_PREFIX}officer-{i + 1:04d}", "first_name": "Officer", "last_name": f"{i + 1:04d}",
                      "group": "Officer", "directorate": code, "job_title": "Service manager"})
    if n >= 100:
        users.append({"username": council.bulk_officer, "first_name": "Bulk", "last_name": "Officer",
                      "group": "Officer", "directorate": DIRECTORATES[0][0], "job_title": "Data manager"})
    for code, name in DIRECTORATES:
        users.append({"username": f"{USER_PREFIX}approver-{code.split('-')[1].lower()}", "first_name": "Head of",
                      "last_name": name, "group": "Approver", "directorate": code, "job_title": "Head of service"})
    users.append({"username": f"{USER_PREFIX}performance", "first_name": "Performance", "last_name": "Team",
                  "group": "Performance team", "directorate": "SYN-CX", "job_title": "Performance manager"})
    users.append({"username": f"{USER_PREFIX}member", "first_name": "Cabinet", "last_name": "Member",
                  "group": "Member", "directorate": None, "job_title": "Cabinet member"})


def _plan_indicators(council: Council, rng: random.Random, n: int) -> None:
    officers = [u for u in council.users if u["group"] == "Officer" and u["username"] != council.bulk_officer]
    directorate_of = {u["username"]: u["directorate"] for u in council.users}
    bulk_left = 100 if n >= 100 else 0
    objectives = [(p, f"{OBJECTIVE_WORDS[j % len(OBJECTIVE_WORDS)]} {SUBJECTS[(i * 4 + j) % len(SUBJECTS)]}")
                  for i, p in enumerate(PRIORITIES) for j in range(4)]
    for i in range(1, n + 1):
        unit, decimals, _ = _pick(rng, UNITS)
        # The bulk officer's hundred are all monthly, so they are all due in the open month.
        frequency = "monthly" if bulk_left else _pick(rng, [("monthly", 0.8), ("quarterly", 0.15), ("annual", 0.05)])[0]
        polarity = _pick(rng, [("higher", 0.5), ("lower", 0.32), ("range", 0.06), ("none", 0.12)])[0]
        if bulk_left:
            lead = council.bulk_officer
            bulk_left -= 1
        else:
            lead = officers[(i - 1) % len(officers)]["username"]
        sets = [_pick(rng, [(s[0], s[3]) for s in SETS])[0]]
        if rng.random() < 0.05:  # a few indicators also sit in an unrelated set
            sets.append("SC-LOCAL" if sets[0] != "SC-LOCAL" else "SC-PARTNER")
        themes = [t for t, s in THEMES if s in _ancestry(sets[0])]
        subject = SUBJECTS[i % len(SUBJECTS)]
        level = {
            "percentage": rng.uniform(15, 90), "number": rng.uniform(20, 5000), "rate_per_10000": rng.uniform(5, 400),
            "days": rng.uniform(4, 20), "gbp": rng.uniform(1e4, 5e6),
        }[unit]
        robust = rng.random() < 0.92
        council.indicators.append({
            "code": f"{CODE_PREFIX}{i:05d}",
            "title": f"{subject[:1].upper() + subject[1:]} ({LABEL.lower()} measure {i})",
            "definition": f"{LABEL}: {subject}, measured {frequency}.",
            "unit": unit, "decimals": decimals, "polarity": polarity, "frequency": frequency,
            "measure": "cumulative" if unit in ("number", "days", "gbp") and rng.random() < 0.15 else "snapshot",
            "tolerance_pct": Decimal(rng.choice(["5", "5", "10", "2.5"])),
            "sets": sets, "theme": rng.choice(themes), "objective": rng.choice(objectives) if rng.random() < 0.8 else None,
            "portfolio": PORTFOLIOS[i % len(PORTFOLIOS)], "directorate": directorate_of[lead], "lead": lead,
            "data_source": LABEL, "order": i,
            "action_plan": f"Actions agreed with the service to {subject} ({LABEL.lower()})." if robust or rng.random() < 0.5 else "",
            "action_plan_robust": robust,
            # Hidden shape of its figures, used only by _plan_figures.
            "_level": level, "_trend": rng.gauss(0, 0.004), "_noise": rng.uniform(0.01, 0.05),
            "_season": rng.uniform(0, 0.04), "_stretch": rng.random() < 0.35, "_step_at": rng.randrange(len(council.months)) if rng.random() < 0.2 else None,
            "_step": rng.choice([-0.12, 0.12]), "_no_target": polarity != "none" and rng.random() < 0.04,
            "_milestones": rng.random() < 0.7,
        })


def _ancestry(code: str) -> list[str]:
    chain = [code]
    while PARENT.get(chain[-1]):
        chain.append(PARENT[chain[-1]])
    return chain


def _counted_keys(frequency: str, months: list[str]) -> list[str]:
    """The periods an indicator of this frequency has a figure for, within the months."""
    if frequency == "monthly":
        return list(months)
    out = []
    for key in months:
        m = _parse(key)
        if frequency == "quarterly" and m.number % 3 == 0:
            out.append(m.quarter().key)
        if frequency == "annual" and m.number == 12:
            out.append(m.year().key)
    return out


def _plan_figures(council: Council, rng: random.Random) -> None:
    months = council.months
    index = {k: i for i, k in enumerate(months)}
    fys = sorted({_parse(k).fy for k in months})
    open_key = council.open_month
    # For a quarter or year, the last month of the series within it (its figure's "month").
    last_month_in = {}
    for i, k in enumerate(months):
        m = _parse(k)
        last_month_in[m.quarter().key] = i
        last_month_in[m.year().key] = i
    for ind in council.indicators:
        unit, decimals, polarity = ind["unit"], ind["decimals"], ind["polarity"]
        cumulative = ind["measure"] == "cumulative"

        def expected_at(i, ind=ind):
            """The underlying level in month i: trend and the odd step change, before season and noise."""
            v = ind["_level"] * (1 + ind["_trend"] * i)
            if ind["_step_at"] is not None and i >= ind["_step_at"]:
                v *= 1 + ind["_step"]
            return v

        def value_at(i, ind=ind):
            month = _parse(months[i])
            v = expected_at(i) * (1 + ind["_season"] * math.sin(month.number / 12 * 2 * math.pi))
            return v * (1 + rng.gauss(0, ind["_noise"]))

        def clamp(v, unit=unit):
            v = max(v, 0.0)
            return min(v, 100.0) if unit == "percentage" else v

        # Targets: each financial year's annual target, and monthly milestones for most.
        if polarity != "none" and not ind["_no_target"]:
            better = 1 if polarity == "higher" else -1
            for fy in fys:
                year = periods.PeriodKey(fy, periods.YEAR, 1)
                agreed = periods.PeriodKey(fy, periods.MONTH, 1).start - timedelta(days=20)
                # Set each spring from where the measure stands: most within reach, a third stretching.
                first = next((i for i, k in enumerate(months) if _parse(k).fy == fy), 0)
                base = expected_at(first) * (1 + better * (0.05 if ind["_stretch"] else -0.04))
                if polarity == "range":
                    council.targets.append((ind["code"], year.key, None, _round(clamp(base * 0.9), decimals),
                                            _round(clamp(base * 1.1), decimals), agreed))
                    continue
                annual = base * (12 if cumulative else 1)
                council.targets.append((ind["code"], year.key, _round(clamp(annual), decimals), None, None, agreed))
                if ind["_milestones"] and ind["frequency"] != "annual":
                    for key in _counted_keys(ind["frequency"], [m.key for m in periods.months_of_year(fy)]):
                        share = _parse(key).months_elapsed / 12 if cumulative else 1
                        council.targets.append((ind["code"], key, _round(clamp(annual * share), decimals), None, None, agreed))

        # Actuals: one per counted period, with gaps (missing, or blank with words; never zero).
        for key in _counted_keys(ind["frequency"], months):
            p = _parse(key)
            i = index[key] if p.kind == periods.MONTH else last_month_in[key]
            # A cumulative measure is the year to date: about the monthly level times months elapsed.
            v = value_at(i) * (p.months_elapsed if cumulative else 1)
            actual = _round(clamp(v), decimals)
            current = key == open_key
            if current:
                # The open month: about four in ten already entered as drafts, the rest still to do.
                if ind["lead"] == council.bulk_officer or rng.random() > 0.4:
                    continue
                state = "draft"
            else:
                state = "approved"
            roll = rng.random()
            if roll < 0.03:
                continue  # never sent: no reading at all
            gap = roll < 0.05
            council.readings.append({
                "code": ind["code"], "period": key, "actual": None if gap else actual,
                "commentary": "Not yet available: the source system has not published this period." if gap
                else rng.choice(["", "", "On track.", "Seasonal dip expected.", "Improved following the review of the service."]),
                "data_quality": "" if gap else rng.choice(["validated", "validated", "validated", "provisional", "estimated"]),
                "state": state, "lead": ind["lead"], "at": _at(p.end + timedelta(days=rng.randint(3, 20))),
            })


def _plan_improvement(council: Council, rng: random.Random, n: int) -> None:
    codes = [i["code"] for i in council.indicators]
    last = _parse(council.open_month)
    elements = []
    for e in range(1, max(3, n // 100) + 1):
        actions = []
        for a in range(1, rng.randint(5, 10) + 1):
            due = periods.PeriodKey(last.fy, periods.MONTH, 1).start + timedelta(days=rng.randint(-200, 400))
            status = rng.choice(["not_started", "in_progress", "in_progress", "at_risk", "achieved", "complete"])
            steps = [f"{e}.{a} {chr(97 + s)}." for s in range(rng.choice([0, 0, 0, 2, 3]))]
            actions.append({
                "number": f"{e}.{a}", "text": f"Deliver improvement {e}.{a} ({LABEL.lower()}).",
                "by_when": f"{due:%B %Y}", "status": status,
                "progress": rng.choice(["Work started.", "On schedule.", "Delayed by recruitment.", "Complete."]),
                "success_criteria": "Intermediate: plan agreed. Ultimately: target met.",
                "indicators": rng.sample(codes, k=min(len(codes), rng.randint(0, 3))),
                "steps": steps, "role": f"SYN-R{rng.randint(1, 12):02d}",
            })
        assessments = []
        for back in range(3):
            status = _pick(rng, [("G", 0.6), ("A", 0.3), ("R", 0.1)])[0]
            assessments.append({
                "as_at": periods.PeriodKey(*_minus_months(last, back)).end, "status": status,
                "commentary": "" if status == "G" else "Key milestone missed.\nRecovery plan agreed.",
            })
        elements.append({"number": str(e), "title": f"Improvement element {e} ({LABEL.lower()})",
                         "actions": actions, "assessments": assessments})
    council.plan = {"title": f"Synthetic improvement plan ({LABEL.lower()})", "elements": elements}


def _minus_months(key: periods.PeriodKey, back: int) -> tuple:
    for _ in range(back):
        key = key.previous()
    return (key.fy, key.kind, key.number)


def _plan_risks(council: Council, rng: random.Random, n: int) -> None:
    owners = [u["username"] for u in council.users if u["group"] in ("Officer", "Approver")]
    reviewed = [k for k in council.months if _parse(k).number % 3 == 1] or council.months[-1:]
    codes = [i["code"] for i in council.indicators]
    for r in range(1, max(10, n // 20) + 1):
        likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
        reviews = []
        for key in reviewed:
            likelihood = min(5, max(1, likelihood + rng.choice([-1, 0, 0, 0, 1])))
            impact = min(5, max(1, impact + rng.choice([0, 0, 0, 0, 1, -1])))
            reviews.append({"period": key, "likelihood": likelihood, "impact": impact,
                            "on": _parse(key).start + timedelta(days=rng.randint(3, 25))})
        council.risks.append({
            "reference": f"SCR{r:03d}", "title": f"Risk {r} to service delivery ({LABEL.lower()})",
            "category": rng.choice(RISK_CATEGORIES), "owner": rng.choice(owners),
            "directorate": rng.choice(DIRECTORATES)[0], "portfolio": rng.choice(PORTFOLIOS),
            "inherent": (min(5, likelihood + 1), min(5, impact + 1)), "target": (max(1, likelihood - 1), max(1, impact - 1)),
            "reviews": reviews, "mitigations": rng.randint(1, 4),
            "indicators": rng.sample(codes, k=min(len(codes), rng.randint(0, 2))),
        })


def _plan_budgets(council: Council, rng: random.Random, n: int) -> None:
    base = {}
    for code, _ in DIRECTORATES:
        for service in SERVICES[: 4 + max(0, min(4, n // 250))]:
            base[(code, service)] = rng.uniform(2e5, 2e7)
    for key in council.months:
        for (code, service), budget in base.items():
            drift = rng.gauss(0.01, 0.03)
            council.revenue.append({
                "period": key, "directorate": code, "service": service,
                "original": _round(budget, 0), "current": _round(budget * 1.01, 0),
                "forecast": _round(budget * (1.01 + drift), 0),
                "commentary": "Pressure from demand (illustrative)." if drift > 0.04 else "",
            })
    for s in range(1, max(10, n // 25) + 1):
        council.schemes.append({"name": f"Capital scheme {s} ({LABEL.lower()})", "directorate": rng.choice(DIRECTORATES)[0],
                                "order": s, "_forecast": rng.uniform(1e5, 8e6)})
    for key in council.months:
        m = _parse(key)
        for scheme in council.schemes:
            changes = []
            if rng.random() < 0.15:
                changes.append({"amount": _round(scheme["_forecast"] * rng.uniform(-0.2, 0.3), 0),
                                "reason": "Reprofiled to next year (illustrative).", "approved_by": f"Cabinet {m.end:%-d %B %Y}"})
            council.capital.append({"period": key, "scheme": scheme["name"], "original": _round(scheme["_forecast"], 0),
                                    "spend": _round(scheme["_forecast"] * m.months_elapsed / 12 * rng.uniform(0.6, 1.1), 0),
                                    "changes": changes})


# --- Writing ------------------------------------------------------------------------------


def write_council(council: Council, *, stdout=None) -> dict:
    """Write the planned council with every app's real models, in bulk and in one transaction.

    Returns how many rows of each kind were written. Refuses (ValueError) when a synthetic
    council is already in the database: its codes would clash.
    """
    if Indicator.all_objects.filter(code__startswith=CODE_PREFIX).exists():
        raise ValueError("This database already holds a synthetic council (indicator codes starting SC).")
    with transaction.atomic():
        writer = _Writer(council)
        writer.write()
    dbstats.refresh_planner_statistics()
    if stdout is not None:
        stdout.write(", ".join(f"{k} {v:,}" for k, v in writer.counts.items()))
    return writer.counts


BATCH = 2000


class _Writer:
    def __init__(self, council: Council):
        self.c = council
        self.counts: dict[str, int] = {}

    def _bulk(self, model, rows, name=None):
        made = model.objects.bulk_create(rows, batch_size=BATCH)
        if name:
            self.counts[name] = self.counts.get(name, 0) + len(made)
        return made

    def write(self):
        self._organisation()
        self._periods()
        self._indicators()
        self._figures()
        self._improvement()
        self._risks()
        self._budgets()
        self._report()

    def _organisation(self):
        groups = ensure_groups()
        existing = set(Directorate.objects.values_list("code", flat=True))
        self._bulk(Directorate, [Directorate(code=c, name=f"{n} (synthetic)", order=100 + i)
                                 for i, (c, n) in enumerate(DIRECTORATES) if c not in existing])
        self.directorates = {d.code: d for d in Directorate.objects.filter(code__in=[c for c, _ in DIRECTORATES])}
        taken = set(Portfolio.objects.values_list("name", flat=True))
        self._bulk(Portfolio, [Portfolio(name=n, cabinet_member=f"Councillor {i + 1} (synthetic)", order=100 + i)
                               for i, n in enumerate(PORTFOLIOS) if n not in taken])
        self.portfolios = {p.name: p for p in Portfolio.objects.filter(name__in=PORTFOLIOS)}
        taken = set(LeadRole.objects.values_list("abbreviation", flat=True))
        codes = [c for c, _ in DIRECTORATES]
        self._bulk(LeadRole, [LeadRole(abbreviation=f"SYN-R{i:02d}", title=f"Synthetic role {i}",
                                       directorate=self.directorates[codes[i % len(codes)]])
                              for i in range(1, 13) if f"SYN-R{i:02d}" not in taken])
        self.roles = {r.abbreviation: r for r in LeadRole.objects.filter(abbreviation__startswith="SYN-R")}

        User = get_user_model()
        hashed = make_password(PASSWORD)  # hashed once: hashing is slow by design
        self._bulk(User, [User(username=u["username"], first_name=u["first_name"], last_name=u["last_name"],
                               email=f"{u['username']}@synthetic.example", password=hashed) for u in self.c.users], "users")
        self.users = {u.username: u for u in User.objects.filter(username__startswith=USER_PREFIX)}
        through = User.groups.through
        self._bulk(through, [through(user_id=self.users[u["username"]].pk, group_id=groups[u["group"]].pk)
                             for u in self.c.users])
        profiles = self._bulk(Profile, [
            Profile(user=self.users[u["username"]], directorate=self.directorates.get(u["directorate"]), job_title=u["job_title"])
            for u in self.c.users
        ])
        roles = list(self.roles.values())
        link = Profile.lead_roles.through
        self._bulk(link, [link(profile_id=p.pk, leadrole_id=roles[i % len(roles)].pk)
                          for i, p in enumerate(profiles) if p.job_title != "Cabinet member"])

    def _periods(self):
        wanted = set(self.c.period_keys) | {t[1] for t in self.c.targets}
        existing = set(Period.objects.filter(key__in=wanted).values_list("key", flat=True))
        rows = []
        for key in sorted(wanted - existing):
            p = periods.parse(key)
            rows.append(Period(key=p.key, kind=p.kind, fy=p.fy, number=p.number, start=p.start, end=p.end,
                               state=Period.LOCKED if p.kind == periods.MONTH and p.end < periods.parse(self.c.open_month).start
                               else Period.CLOSED))
        self._bulk(Period, rows, "periods")
        opened = periods.parse(self.c.open_month)
        Period.objects.filter(key=opened.key).update(state=Period.OPEN, deadline=opened.end + timedelta(days=15))
        self.periods = dict(Period.objects.filter(key__in=wanted).values_list("key", "id"))

    def _indicators(self):
        taken = set(IndicatorSet.objects.values_list("code", flat=True))
        for order, (code, name, parent, _) in enumerate(SETS):
            if code not in taken:
                parent_obj = IndicatorSet.objects.get(code=parent) if parent else None
                IndicatorSet.objects.create(code=code, name=name, parent=parent_obj, order=100 + order)
        sets = dict(IndicatorSet.objects.filter(code__in=[s[0] for s in SETS]).values_list("code", "id"))
        taken = set(Theme.objects.values_list("name", flat=True))
        self._bulk(Theme, [Theme(name=n, indicator_set_id=sets[s], order=100 + i)
                           for i, (n, s) in enumerate(THEMES) if n not in taken])
        themes = dict(Theme.objects.filter(name__in=[n for n, _ in THEMES]).values_list("name", "id"))
        names = [f"{p} (synthetic)" for p in PRIORITIES]
        taken = set(Priority.objects.values_list("name", flat=True))
        self._bulk(Priority, [Priority(name=n, order=100 + i) for i, n in enumerate(names) if n not in taken])
        priorities = dict(Priority.objects.filter(name__in=names).values_list("name", "id"))
        wanted = sorted({i["objective"] for i in self.c.indicators if i["objective"]})
        self._bulk(Objective, [Objective(priority_id=priorities[f"{p} (synthetic)"], name=n, order=j)
                               for j, (p, n) in enumerate(wanted)], "objectives")
        objectives = {(o.priority_id, o.name): o.pk for o in Objective.objects.filter(priority_id__in=priorities.values())}
        rows = []
        for spec in self.c.indicators:
            objective = None
            if spec["objective"]:
                p, n = spec["objective"]
                objective = objectives[(priorities[f"{p} (synthetic)"], n)]
            rows.append(Indicator(
                code=spec["code"], title=spec["title"], definition=spec["definition"], unit=spec["unit"],
                decimals=spec["decimals"], polarity=spec["polarity"], frequency=spec["frequency"], measure=spec["measure"],
                tolerance_pct=spec["tolerance_pct"], theme_id=themes[spec["theme"]], objective_id=objective,
                portfolio=self.portfolios[spec["portfolio"]], directorate=self.directorates[spec["directorate"]],
                lead=self.users[spec["lead"]], lead_role=self.roles[f"SYN-R{spec['order'] % 12 + 1:02d}"],
                data_source=spec["data_source"], action_plan=spec["action_plan"],
                action_plan_robust=spec["action_plan_robust"], order=100_000 + spec["order"],
            ))
        self._bulk(Indicator, rows, "indicators")
        self.indicators = dict(Indicator.objects.filter(code__startswith=CODE_PREFIX).values_list("code", "id"))
        through = Indicator.sets.through
        self._bulk(through, [through(indicator_id=self.indicators[i["code"]], indicatorset_id=sets[s])
                             for i in self.c.indicators for s in i["sets"]])

    def _insert(self, model, columns: list[str], rows: list[tuple], name: str) -> None:
        """Plain INSERTs for the big tables: the ORM's per-object work dominated, not the database.

        Values must already be in the database's form (see _dt, _json); nothing here runs save().
        """
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start:start + 5000])
        self.counts[name] = self.counts.get(name, 0) + len(rows)

    def _figures(self):
        ops = connection.ops
        dt = ops.adapt_datetimefield_value
        day = ops.adapt_datefield_value
        ind, per = self.indicators, self.periods
        self._insert(Target, ["indicator", "period", "target", "lower", "upper", "agreed_on"], [
            (ind[code], per[key], t, lo, up, day(on)) for code, key, t, lo, up, on in self.c.targets
        ], "targets")
        users = {name: u.pk for name, u in self.users.items()}
        self._insert(Reading, [
            "indicator", "period", "actual", "commentary", "remedial_action", "data_quality", "for_information",
            "status_override", "status_reason", "state", "return_reason", "version", "updated_by", "updated_at",
        ], [
            (ind[r["code"]], per[r["period"]], r["actual"], r["commentary"], "", r["data_quality"], False, "", "",
             r["state"], "", 1, users[r["lead"]], dt(r["at"]))
            for r in self.c.readings
        ], "readings")
        ids = {(i, p): pk for i, p, pk in Reading.objects.filter(indicator_id__in=ind.values())
               .values_list("indicator_id", "period_id", "id")}
        history = []
        for r in self.c.readings:
            changes = {"actual": [None, None if r["actual"] is None else str(r["actual"])]}
            if r["commentary"]:
                changes["commentary"] = [None, r["commentary"]]
            history.append((ids[(ind[r["code"]], per[r["period"]])], ops.adapt_json_value(changes, None),
                            ReadingHistory.IMPORT, "synthetic council", users[r["lead"]], dt(r["at"]), 1))
        self._insert(ReadingHistory, ["reading", "changes", "how", "source", "by", "at", "version"], history,
                     "reading_history")

    def _improvement(self):
        spec = self.c.plan
        opened = periods.parse(self.c.open_month)
        plan = Plan.objects.create(title=spec["title"], introduction=f"{LABEL}: a plan generated for the benchmark.",
                                   created_at=_at(opened.start - timedelta(days=300)))
        elements = self._bulk(Element, [
            Element(plan=plan, number=e["number"], title=e["title"], short_title=e["title"], sort_key=rules.sort_key(e["number"]))
            for e in spec["elements"]
        ], "plan_elements")
        elements = {e.number: e for e in Element.objects.filter(plan=plan)} if elements[0].pk is None else {e.number: e for e in elements}
        self._bulk(ReferenceDocument, [ReferenceDocument(element=el, title="Service plan (synthetic)") for el in elements.values()])
        self._bulk(ElementAssessment, [
            ElementAssessment(element=elements[e["number"]], as_at=a["as_at"], status=a["status"], commentary=a["commentary"],
                              at=_at(a["as_at"]))
            for e in spec["elements"] for a in e["assessments"]
        ], "element_assessments")

        def action(el, number, text, by_when, status, progress, parent=None, position=0):
            due = rules.parse_by_when(by_when)
            key = rules.sort_key(number) if number else rules.sort_key(parent.number, position=position)
            return Action(element=el, parent=parent, number=number, position=position, sort_key=key, text=text,
                          by_when=by_when, due=due.due, due_tentative=due.tentative, progress=progress, status=status,
                          success_criteria="Intermediate: plan agreed. Ultimately: target met.",
                          success_intermediate="plan agreed", success_ultimate="target met",
                          updated_at=_at(opened.start))

        tops = self._bulk(Action, [
            action(elements[e["number"]], a["number"], a["text"], a["by_when"], a["status"], a["progress"])
            for e in spec["elements"] for a in e["actions"]
        ], "plan_actions")
        flat = [a for e in spec["elements"] for a in e["actions"]]
        steps = self._bulk(Action, [
            action(top.element, number, f"Step {number} ({LABEL.lower()}).", a["by_when"], a["status"], "", parent=top)
            for top, a in zip(tops, flat, strict=True) for number in a["steps"]
        ], "plan_actions")
        roles = Action.lead_roles.through
        self._bulk(roles, [roles(action_id=top.pk, leadrole_id=self.roles[a["role"]].pk) for top, a in zip(tops, flat, strict=True)])
        linked = Action.indicators.through
        self._bulk(linked, [linked(action_id=top.pk, indicator_id=self.indicators[code])
                            for top, a in zip(tops, flat, strict=True) for code in a["indicators"]])
        officer = next(iter(self.users.values()))
        self._bulk(ProgressUpdate, [
            ProgressUpdate(action=act, as_at=opened.previous().end, progress=act.progress or "Under way.",
                           status=act.status, by_when=act.by_when, state=ProgressUpdate.APPROVED, how=ProgressUpdate.IMPORT,
                           submitted_by=officer, submitted_at=_at(opened.start), decided_at=_at(opened.start))
            for act in [*tops, *steps]
        ], "progress_updates")
        DocumentVersion.objects.create(plan=plan, version="1.0", issued_on=opened.start, description="First issue (synthetic).",
                                       issued_at=_at(opened.start))

    def _risks(self):
        if not RatingBand.objects.exists():
            self._bulk(RatingBand, [RatingBand(name=n, min_score=lo, max_score=hi, reported_as_high=high, css=css)
                                    for n, lo, hi, high, css in BANDS])
        taken = set(RiskCategory.objects.values_list("name", flat=True))
        self._bulk(RiskCategory, [RiskCategory(name=n, order=i) for i, n in enumerate(RISK_CATEGORIES) if n not in taken])
        categories = {c.name: c for c in RiskCategory.objects.filter(name__in=RISK_CATEGORIES)}
        rows = []
        for order, spec in enumerate(self.c.risks):
            latest, first = spec["reviews"][-1], spec["reviews"][0]
            rows.append(Risk(
                reference=spec["reference"], title=spec["title"], description=f"{LABEL}.",
                category=categories[spec["category"]], owner=self.users[spec["owner"]],
                directorate=self.directorates[spec["directorate"]], portfolio=self.portfolios[spec["portfolio"]],
                inherent_likelihood=spec["inherent"][0], inherent_impact=spec["inherent"][1],
                current_likelihood=latest["likelihood"], current_impact=latest["impact"],
                target_likelihood=spec["target"][0], target_impact=spec["target"][1],
                identified_on=first["on"], next_review=latest["on"] + timedelta(days=90), illustrative=True, order=order,
            ))
        risks = self._bulk(Risk, rows, "risks")
        if risks and risks[0].pk is None:
            risks = list(Risk.objects.filter(reference__in=[r.reference for r in rows]).order_by("order"))
        self._bulk(RiskReview, [
            RiskReview(risk=risk, period_id=self.periods[rv["period"]], reviewed_on=rv["on"], reviewed_by=risk.owner,
                       likelihood=rv["likelihood"], impact=rv["impact"], commentary="Reviewed by the owner (synthetic).",
                       mitigation_progress="Controls operating.", next_review=rv["on"] + timedelta(days=90),
                       state=RiskReview.APPROVED)
            for risk, spec in zip(risks, self.c.risks, strict=True) for rv in spec["reviews"]
        ], "risk_reviews")
        self._bulk(Mitigation, [
            Mitigation(risk=risk, kind=Mitigation.CONTROL if m == 0 else Mitigation.ACTION,
                       description=f"Mitigation {m + 1} ({LABEL.lower()}).", owner=risk.owner,
                       due=spec["reviews"][-1]["on"] + timedelta(days=60 * (m + 1)), order=m)
            for risk, spec in zip(risks, self.c.risks, strict=True) for m in range(spec["mitigations"])
        ], "mitigations")
        linked = Risk.indicators.through
        self._bulk(linked, [linked(risk_id=risk.pk, indicator_id=self.indicators[code])
                            for risk, spec in zip(risks, self.c.risks, strict=True) for code in spec["indicators"]])

    def _budgets(self):
        if not VarianceTolerance.objects.exists():
            VarianceTolerance.objects.create()
        self._bulk(RevenueLine, [
            RevenueLine(period_id=self.periods[r["period"]], directorate=self.directorates[r["directorate"]],
                        service=r["service"], original_budget=r["original"], current_budget=r["current"],
                        forecast_outturn=r["forecast"], commentary=r["commentary"], order=SERVICES.index(r["service"]))
            for r in self.c.revenue
        ], "revenue_lines")
        self._bulk(CapitalScheme, [CapitalScheme(name=s["name"], directorate=self.directorates[s["directorate"]], order=s["order"])
                                   for s in self.c.schemes])
        schemes = dict(CapitalScheme.objects.filter(name__in=[s["name"] for s in self.c.schemes]).values_list("name", "id"))
        lines = self._bulk(CapitalLine, [
            CapitalLine(period_id=self.periods[c["period"]], scheme_id=schemes[c["scheme"]],
                        original_forecast=c["original"], spend_to_date=c["spend"])
            for c in self.c.capital
        ], "capital_lines")
        if lines and lines[0].pk is None:
            ids = {(p, s): pk for p, s, pk in CapitalLine.objects.values_list("period_id", "scheme_id", "id")}
            for line in lines:
                line.pk = ids[(line.period_id, line.scheme_id)]
        self._bulk(CapitalChange, [
            CapitalChange(line_id=line.pk, amount=ch["amount"], reason=ch["reason"], approved_by=ch["approved_by"], order=n)
            for line, c in zip(lines, self.c.capital, strict=True) for n, ch in enumerate(c["changes"])
        ], "capital_changes")

    def _report(self):
        # The report to Cabinet is on the last complete month, while officers enter the open one.
        reported = periods.parse(self.c.open_month).previous()
        report_services.report_create(
            user=self.users[f"{USER_PREFIX}performance"], period_key=reported.key,
            meeting_date=reported.end + timedelta(days=45), author="Performance Team (synthetic)",
        )
        self.counts["reports"] = 1

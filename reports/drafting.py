"""The considerations the app drafts from a report's figures, in the order of 000 (no Django here).

`drafts(figures)` returns one Draft per generated paragraph: a stable key (so a person's edit
stays attached to the same paragraph), the sub-heading it sits under, its text, and what is
shown with it (the RAG key, the summary table). Keys are spaced in `order` so a person's own
paragraphs can sit between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from benchmarking import commentary as benchmark_commentary

from . import sentences

AOP = "Progress against the Annual Operating Plan"
PLAN = "The Council's Overall Improvement Plan"
BUDGET = "Revenue Budget and Capital Programme Monitoring"
RISK = "Corporate Risk monitoring"


@dataclass(frozen=True)
class Draft:
    key: str
    heading: str
    text: str
    order: int
    attachment: str = ""


def _date(text: str) -> date:
    return date.fromisoformat(text)


def _set_name(name: str) -> str:
    """How a set's name reads mid-sentence: "Full set of ..." -> "full set of ..."; acronyms kept."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def _subset_label(s: dict) -> str:
    return s["code"]


def _subset_heading(s: dict) -> str:
    name = s["name"]
    return name if s["code"] in name else f"{name} ({s['code']})"


def drafts(figures: dict) -> list[Draft]:
    out: list[Draft] = []
    order = iter(range(100, 100_000, 100))

    def add(key, heading, text, attachment=""):
        out.append(Draft(key, heading, text, next(order), attachment))

    rep = figures["report"]
    prev = figures.get("previous") or {}
    prev_label = prev.get("month")
    add("rag_key", AOP, sentences.rag_key_intro(), "rag_key")
    # The sign-off sentence (figures["sign_off"]) is printed under this paragraph whatever a person
    # makes of its words, so an edit cannot hide how many figures are provisional.
    add("period", AOP, sentences.period_summary(start=_date(rep["start"]), end=_date(rep["end"])), "summary_table")

    if not figures.get("indicators_available"):
        add("indicators_unavailable", AOP, "Indicator figures for this period are not yet available.")
    sets = figures.get("sets", [])
    top = [s for s in sets if s["depth"] == 0]
    for s in top:
        add(
            f"set:{s['code']}", AOP,
            sentences.set_r_count(set_name=_set_name(s["name"]), r=s["R"], total=s["total"],
                                  previous_r=s["previous_R"], previous_label=prev_label),
            "status_chart" if s is top[0] else "",
        )
        if s is top[0] and figures.get("indicators"):
            ind = figures["indicators"]
            add("templates", AOP, sentences.template_weakness(r_total=ind["R"], r_template=ind.get("R_template", 0)))
            if "met_target" in ind:
                add("targets", AOP, sentences.target_counts(
                    total=ind["total"], met=ind["met_target"], off=ind["off_target"],
                    off_over_10=ind["off_target_over_10pct"], no_data=ind["no_data"],
                    without_status=ind.get("data_only", 0) + ind.get("for_information", 0),
                ))
        inside = [c for c in sets if c["depth"] > 0 and _descends(c, s, sets)]
        if inside:
            add(f"subsets:{s['code']}", AOP,
                sentences.subsets_intro([_subset_label(c) for c in inside], parent_name=_set_name(s["name"])))
        for c in inside:
            heading = _subset_heading(c)
            add(
                f"set:{c['code']}", heading,
                sentences.subset_r_count(set_label=_subset_label(c), r=c["R"], total=c["total"], end_month=rep["month"],
                                         previous_r=c["previous_R"], previous_label=prev_label),
            )
            if c["themes"] and c["R"]:
                add(f"themes:{c['code']}", heading, sentences.themes_r(
                    r_total=c["R"], themes=[(t["name"][0].lower() + t["name"][1:], t["R"]) for t in c["themes"]]
                ))

    spc = figures.get("spc") or {}
    if spc.get("available"):
        add("spc", AOP, sentences.spc_summary(
            counts=spc["counts"], judged=spc["judged"],
            improvement=[f"{i['code']} ({_mid_sentence(i['sentence'])})" for i in spc["improvement"]],
            concern=[f"{i['code']} ({_mid_sentence(i['sentence'])})" for i in spc["concern"]],
        ), "spc_key")

    bench = figures.get("benchmarking") or {}
    if bench.get("available"):
        add("benchmarking", AOP, benchmark_commentary.quartile_summary(bench["quartiles"], group=bench["group_words"])
            + f" Each indicator's rank, quartile and the group's median, with a sentence on each, are in Appendix H"
            f" ({sentences.listing(bench['periods'])} figures, the latest published).")

    ex = figures.get("exceptions", {})
    if ex.get("available"):
        items = [(i["title"], {"A": "Amber", "R": "Red"}.get(i["status"], i["status"])) for i in ex["items"]]
        as_at = _date(ex["as_at"]) if ex.get("as_at") else None
        add("exceptions", PLAN, sentences.exceptions(items, as_at=as_at))
    else:
        add("exceptions", PLAN, "The improvement plan exceptions report is not yet available.")

    rev = figures.get("revenue", {})
    add("revenue_ref", BUDGET, "Details of the revenue budget position are at Appendix C.")
    add("revenue", BUDGET, _revenue_text(rev))
    cap = figures.get("capital", {})
    add("capital_ref", BUDGET, "Details of the spending on the capital programme are at Appendix D.")
    add("capital", BUDGET, _capital_text(cap, rep["year_key"]))

    risk = figures.get("risks", {})
    add("risk_log", RISK, "Appendix E contains the corporate risk log, which shows the current key risks facing the "
        "Council in terms of operations, reputation and external assessment.")
    if risk.get("available"):
        add("risk_high", RISK, sentences.high_risks([(r["reference"], r["title"], r["score"]) for r in risk["high"]]))
        add("risk_emerging", RISK, sentences.emerging_risks([(r["reference"], r["title"], r["trend"]) for r in risk["emerging"]]))
    else:
        add("risk_high", RISK, "The corporate risk log is not yet available.")
    return out


def _mid_sentence(sentence: str) -> str:
    """A sentence as it reads inside brackets: no full stop, "The figure ..." -> "the figure ..."."""
    text = sentence.rstrip(".")
    return "the" + text[3:] if text.startswith("The ") else text


def _descends(child: dict, ancestor: dict, sets: list[dict]) -> bool:
    by_code = {s["code"]: s for s in sets}
    current = child
    while current and current.get("parent"):
        if current["parent"] == ancestor["code"]:
            return True
        current = by_code.get(current["parent"])
    return False


def _revenue_text(rev: dict) -> str:
    if not rev.get("available"):
        return "The revenue budget position is not yet available."
    headline = rev.get("headline")
    if isinstance(headline, str) and headline.strip():
        return headline.strip()
    total = rev.get("total") or {}
    if total.get("variance") is None:
        return "The revenue budget position is not yet available."
    worst = max(
        (line for line in rev.get("directorate_totals") or rev.get("lines") or [] if line.get("variance")),
        key=lambda line: float(line["variance"]), default=None,
    )
    concern = ""
    if worst is not None and float(worst["variance"]) > 0:
        concern = worst.get("directorate") or worst.get("service") or ""
    return sentences.revenue(
        forecast_variance=total["variance"], base_budget=total.get("current") or total.get("original") or 0,
        main_concern=concern,
    )


def _capital_text(cap: dict, year_key: str) -> str:
    if not cap.get("available"):
        return "The capital programme position is not yet available."
    headline = cap.get("headline")
    if isinstance(headline, str) and headline.strip():
        return headline.strip()
    totals = cap.get("totals") or {}
    if totals.get("revised") is None:
        return "The capital programme position is not yet available."
    schemes = list(enumerate(cap.get("schemes", [])))
    # The three largest additions, named in the programme's own order as 000 paragraph 22 does.
    largest = sorted(
        ((i, s) for i, s in schemes if s.get("additions") and float(s["additions"]) > 0),
        key=lambda pair: -float(pair[1]["additions"]),
    )[:3]
    additions = [s for _, s in sorted(largest, key=lambda pair: pair[0])]
    return sentences.capital(
        year_label=year_key, original=totals.get("original") or 0, revised=totals["revised"],
        reasons=[(s["name"], s["additions"]) for s in additions],
    )

"""A small improvement plan for the personas: element 7 led by DoCS (officer), element 6 by DoACS (other_officer)."""

from __future__ import annotations

import datetime

from improvement_plans.models import Action, Element, ElementAssessment, Plan, ProgressUpdate


def action(element, number, text="An action", *, roles=(), parent=None, by_when="", status="in_progress", **fields):
    made = Action.objects.create(
        element=element, number=number, text=text, parent=parent, by_when=by_when, status=status, **fields
    )
    if roles:
        made.lead_roles.set(roles)
    return made


def populate(world):
    plan = Plan.objects.create(title="Overall Performance Improvement Plan 2006")
    children = Element.objects.create(plan=plan, number="7", title="Improved services and outcomes for children & young people",
                                      short_title="Children and Young People")
    adults = Element.objects.create(plan=plan, number="6", title="Improving services and outcomes for vulnerable adults",
                                    short_title="Vulnerable adults")
    jar = action(children, "7.2", "Implementation of the JAR Performance Improvement Action Plan", roles=[world.roles["DoCS"]],
                 by_when="April 2006", progress="Threshold criteria rolled out")
    step = action(children, "7.2 a)", "New threshold criteria set and rolled out", parent=jar, by_when="March 2006",
                  status="achieved", progress="Achieved on Schedule")
    adult = action(adults, "6.1", "Adult Social Care Performance Improvement Plan", roles=[world.roles["DoACS"]],
                   by_when="May 2006")
    pending = ProgressUpdate.objects.create(
        action=jar, as_at=datetime.date(2006, 10, 12), progress="Duty team caseload remains high",
        status="at_risk", by_when="April 2006", submitted_by=world.officer,
    )
    ElementAssessment.objects.create(element=children, as_at=datetime.date(2006, 10, 12), status="A",
                                     commentary="Duty team caseload remains high\nRecruitment continues")
    world.extra.update(plan=plan, element=children, adults_element=adults, action=jar, sub_step=step,
                       other_action=adult, pending_update=pending)

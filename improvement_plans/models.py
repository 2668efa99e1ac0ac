"""Improvement plans: elements, actions and their sub-steps, progress updates, element status and the document log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from organisation.models import LeadRole

from . import rules

G, A, R = "G", "A", "R"
ELEMENT_STATUSES = [(G, "Green"), (A, "Amber"), (R, "Red")]
ACTION_STATUSES = [(s, rules.STATUS_WORDS[s]) for s in rules.CHOOSABLE]


class Plan(models.Model):
    """A council's improvement plan, such as the Overall Performance Improvement Plan 2006."""

    title = models.CharField(max_length=300, unique=True)
    introduction = models.TextField(blank=True, help_text="Paragraphs separated by blank lines.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def introduction_blocks(self) -> list[tuple[str, str]]:
        """The introduction as ("heading" | "paragraph", text): a paragraph starting "## " is a heading."""
        blocks = []
        for block in (b.strip() for b in self.introduction.split("\n\n")):
            if block.startswith("## "):
                blocks.append(("heading", block[3:].strip()))
            elif block:
                blocks.append(("paragraph", block))
        return blocks


class Element(models.Model):
    """A numbered part of a plan ("1", "5 a)") with its heading, reference documents and status."""

    plan = models.ForeignKey(Plan, related_name="elements", on_delete=models.CASCADE)
    number = models.CharField(max_length=20, help_text='As printed: "1", "5 a)".')
    title = models.TextField()
    short_title = models.CharField(
        max_length=300, blank=True, help_text="The name used in exceptions reports; the title when blank."
    )
    sort_key = models.CharField(max_length=100, editable=False, db_index=True)

    class Meta:
        ordering = ["plan", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="element_number_unique_in_plan")]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = rules.sort_key(self.number)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.short_title or self.title


class ReferenceDocument(models.Model):
    element = models.ForeignKey(Element, related_name="reference_documents", on_delete=models.CASCADE)
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["element", "order", "id"]

    def __str__(self):
        return self.title


class ElementAssessment(models.Model):
    """An element's status on a date, with the exception commentary that explains an Amber or Red."""

    element = models.ForeignKey(Element, related_name="assessments", on_delete=models.CASCADE)
    as_at = models.DateField()
    status = models.CharField(max_length=1, choices=ELEMENT_STATUSES)
    commentary = models.TextField(blank=True, help_text="One bullet point a line.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["element", "-as_at", "-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["element", "as_at"], name="assessment_unique_per_day")]

    def __str__(self):
        return f"{self.element.number} {self.as_at}: {self.status}"

    @property
    def bullets(self) -> list[str]:
        return rules.bullets(self.commentary)


class Action(models.Model):
    """A row of the plan's action table, or a sub-step of one with its own date and progress.

    `status`, `progress` and `by_when` hold the latest approved values; ProgressUpdate keeps
    how they got there. Whether an action is overdue is worked out from `due`, never stored.
    """

    element = models.ForeignKey(Element, related_name="actions", on_delete=models.CASCADE)
    parent = models.ForeignKey("self", null=True, blank=True, related_name="steps", on_delete=models.CASCADE)
    number = models.CharField(
        max_length=30, blank=True, help_text='As the council numbers it: "1.1", "5a 3", "6.1 a.". Blank for an unnumbered sub-step.'
    )
    position = models.PositiveIntegerField(default=0, help_text="Order of an unnumbered sub-step under its parent.")
    sort_key = models.CharField(max_length=120, editable=False, db_index=True)
    text = models.TextField("action to be taken")
    lead_roles = models.ManyToManyField(LeadRole, blank=True, related_name="improvement_actions")
    lead_note = models.CharField(
        max_length=300, blank=True, help_text='Leads named by post rather than a glossary role ("Interim Senior Manager").'
    )
    by_when = models.CharField(max_length=300, blank=True)
    due = models.DateField(null=True, blank=True, editable=False, help_text="Read from by_when.")
    due_tentative = models.BooleanField(default=False, editable=False)
    progress = models.TextField("progress to date", blank=True)
    partners = models.TextField("people/partners", blank=True)
    capacity = models.TextField("additional capacity/requirement", blank=True)
    success_criteria = models.TextField("target/success criteria", blank=True)
    success_intermediate = models.TextField(blank=True)
    success_ultimate = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=ACTION_STATUSES, default=rules.NOT_STARTED)
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="improvement_actions")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["element__sort_key", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "number"], condition=~models.Q(number=""), name="action_number_unique_in_element"
            )
        ]

    def __str__(self):
        return f"{self.number or '–'} {self.text[:60]}"

    def save(self, *args, **kwargs):
        if self.number:
            self.sort_key = rules.sort_key(self.number)
        else:
            base = self.parent.number if self.parent_id else ""
            self.sort_key = rules.sort_key(base, position=self.position)
        reading = rules.parse_by_when(self.by_when)
        self.due, self.due_tentative = reading.due, reading.tentative
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """What the plan prints in the number column: "a)" for a sub-step of 7.2, "–" for an unnumbered one."""
        if not self.number:
            return "–"
        parent = self.parent.number if self.parent_id else None
        return rules.own_label(self.number, parent)

    @property
    def anchor(self) -> str:
        return f"action-{self.pk}"

    def status_on(self, on) -> str:
        return rules.effective_status(due=self.due, status=self.status, on=on)

    def brag_on(self, on) -> str:
        return rules.brag(due=self.due, status=self.status, on=on)


class ActionRisk(models.Model):
    """A risk an action affects, by the risk log's reference.

    The risk register was built alongside this app, so the link is kept by reference
    (e.g. "CR12") and resolved to the risk when one with that reference exists.
    """

    action = models.ForeignKey(Action, related_name="risk_links", on_delete=models.CASCADE)
    reference = models.CharField(max_length=40)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["action", "reference"]
        constraints = [models.UniqueConstraint(fields=["action", "reference"], name="action_risk_unique")]

    def __str__(self):
        return f"{self.action.number} -> {self.reference}"


class ProgressUpdate(models.Model):
    """A lead's update to an action for a cycle: progress, status and by-when, approved before it counts."""

    SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"
    STATES = [(SUBMITTED, "Awaiting approval"), (APPROVED, "Approved"), (RETURNED, "Returned")]
    FORM, HTMX, IMPORT, DEMO = "form", "htmx", "import", "demo"
    HOWS = [(h, h.title()) for h in (FORM, HTMX, IMPORT, DEMO)]

    action = models.ForeignKey(Action, related_name="updates", on_delete=models.PROTECT)
    as_at = models.DateField(help_text="The date the update describes.")
    progress = models.TextField()
    status = models.CharField(max_length=12, choices=ACTION_STATUSES)
    by_when = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default=SUBMITTED)
    how = models.CharField(max_length=10, choices=HOWS, default=FORM)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit; a stale version is refused.")
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+",
        help_text="Everyone who wrote or changed this update before it was decided: none of them may approve it.",
    )

    class Meta:
        ordering = ["action", "-as_at", "-submitted_at", "-id"]
        constraints = [
            # One update at a time awaits approval per action: a second save edits it.
            models.UniqueConstraint(
                fields=["action"], condition=models.Q(state="submitted"), name="one_pending_update_per_action"
            )
        ]

    def __str__(self):
        return f"{self.action.number} {self.as_at} ({self.state})"

    @property
    def status_word(self) -> str:
        return rules.STATUS_WORDS.get(self.status, self.status)

    def hands(self) -> set:
        """The ids of whoever submitted or changed this update (reads `contributors.all()`, so a
        prefetch is used): none of them may approve it (core.policy)."""
        return ({self.submitted_by_id} | {u.pk for u in self.contributors.all()}) - {None}


class DocumentVersion(models.Model):
    """A line of the plan's document log, written when a version is issued."""

    DRAFT, RELEASED = "Draft", "released"
    STATUSES = [(DRAFT, "Draft"), (RELEASED, "Released")]

    plan = models.ForeignKey(Plan, related_name="versions", on_delete=models.CASCADE)
    version = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=RELEASED)
    issued_on = models.DateField(null=True, blank=True)
    description = models.TextField("description of change")
    pages_affected = models.CharField(max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "issued_at", "id"]

    def __str__(self):
        return f"{self.plan} {self.version or self.status}"

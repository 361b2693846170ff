"""Resubmission of a deferred or refused project to a later call [P9].

The project is cloned into a new draft in the chosen call, linked to the original
(`resubmission_of`), so that its history — evaluation, decision — stays one click away.
The original is left as it was: a label (or a refusal) belongs to one call only.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pole.activity import record_activity
from projects.models import BudgetLine, Call, Partner, Project, ProjectState, RequestedAid
from projects.services.submission import GENERAL_FIELDS

RESUBMITTABLE_STATES = frozenset({ProjectState.DEFERRED, ProjectState.REFUSED})

# The general fields copied as they are.
CLONED_FIELDS = (*GENERAL_FIELDS, "lead_organisation_id")


class ResubmissionRefused(Exception):
    """The project cannot be resubmitted to that call; `message` says why (translated)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def calls_for_resubmission(project: Project, moment=None):
    """The calls `project` may be resubmitted to: open now, later than its own call
    (a later deadline), and accepting its kind."""
    moment = moment or timezone.now()
    calls = Call.objects.open_at(moment).exclude(pk=project.call_id).filter(deadline__gt=project.call.deadline)
    return [
        call
        for call in calls.select_related("funding_scheme")
        if not call.allowed_kinds or project.kind in call.allowed_kinds
    ]


def check_resubmission(project: Project, call: Call, moment=None) -> None:
    """Raise ResubmissionRefused when `project` may not go to `call`."""
    moment = moment or timezone.now()
    if project.state not in RESUBMITTABLE_STATES:
        raise ResubmissionRefused(_("Only a deferred or refused project can be resubmitted."))
    if call.pk == project.call_id:
        raise ResubmissionRefused(_("A project is resubmitted to another call than its own."))
    if not call.is_open(moment):
        raise ResubmissionRefused(_("This call is not open."))
    if call.deadline <= project.call.deadline:
        raise ResubmissionRefused(_("A project is resubmitted to a later call."))
    if call.allowed_kinds and project.kind not in call.allowed_kinds:
        raise ResubmissionRefused(_("This call does not accept this kind of project."))


def resubmit_project(*, project: Project, call: Call, actor) -> Project:
    """Clone the deferred or refused `project` into a new draft in the later, open `call`.

    Copied: the general fields, strategic domains and co-labelling poles, the partners
    (same organisations, contacts, lead, roles and tasks), their budget lines and
    requested aid. Not copied: the documents (they are uploaded again, for the new call),
    the reference, versions, evaluation and follow-up. The new project's
    `resubmission_of` is `project`.

    Side effects: locks the original's row (two clicks make one clone), creates the new
    project and its consortium, writes the activity log on both projects. Raises
    ResubmissionRefused (with the reason) when the state or the call does not allow it,
    or when the project was already resubmitted to that call."""
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("call").get(pk=project.pk)
        check_resubmission(project, call)
        if Project.objects.filter(resubmission_of=project, call=call).exists():
            raise ResubmissionRefused(_("This project has already been resubmitted to this call."))

        clone = Project(
            **{field: getattr(project, field) for field in CLONED_FIELDS},
            call=call,
            resubmission_of=project,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        clone.save()
        clone.strategic_domains.set(project.strategic_domains.all())
        clone.co_labelling_poles.set(project.co_labelling_poles.all())

        partners = project.partners.prefetch_related("budget_lines", "requested_aids").order_by("-is_lead", "pk")
        for partner in partners:
            copy = Partner.objects.create(
                project=clone,
                organisation_id=partner.organisation_id,
                is_lead=partner.is_lead,
                contact_id=partner.contact_id,
                role=partner.role,
                tasks=partner.tasks,
            )
            for line in partner.budget_lines.all():
                BudgetLine.objects.create(partner=copy, category=line.category, amount=line.amount)
            for aid in partner.requested_aids.all():
                RequestedAid.objects.create(partner=copy, funding_scheme_id=aid.funding_scheme_id, amount=aid.amount)

        record_activity(
            actor=actor,
            verb="project.resubmitted",
            target=project,
            data={"resubmission": clone.pk, "call": call.code},
        )
        record_activity(
            actor=actor,
            verb="project.created_as_resubmission",
            target=clone,
            data={"resubmission_of": project.pk, "from_call": project.call.code, "call": call.code},
        )
    return clone

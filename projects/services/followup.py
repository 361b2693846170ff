"""Follow-up of labelled projects [P7]: applications to funders with the amounts granted
per partner, milestones, periodic progress reports by the lead partner, and the final
outcomes (which feed the indicators [G7]).

Staff and the lead partner's contacts record the follow-up; the other partners read it.
Follow-up exists from the label on (FOLLOWUP_STATES); every change is written to the
activity log of the project.
"""

from decimal import Decimal

from django.db import transaction

from pole.activity import record_activity
from projects.models import (
    FundingApplication,
    GrantedAmount,
    Milestone,
    ProgressReport,
    Project,
    ProjectOutcome,
)
from projects.models.projects import FOLLOWUP_STATES


class FollowUpNotOpen(Exception):
    """The project has no follow-up in its state (not labelled, or withdrawn)."""


def _check_open(project: Project) -> None:
    if project.state not in FOLLOWUP_STATES:
        raise FollowUpNotOpen(project.state)


def save_funding_application(
    *, project: Project, application: FundingApplication, grants: dict, actor
) -> FundingApplication:
    """Create or update `application` (an instance with its fields set, saved or not) for
    `project`, and set the amount granted to each partner: `grants` maps Partner ids of
    this project to a Decimal, or to None to remove that partner's grant.

    Side effects: saves the application and its GrantedAmount rows, writes the activity
    log. Raises FollowUpNotOpen, or ValueError for a partner outside the consortium."""
    _check_open(project)
    partner_ids = set(project.partners.values_list("pk", flat=True))
    if set(grants) - partner_ids:
        raise ValueError("A grant names a partner outside the consortium.")
    created = application.pk is None
    with transaction.atomic():
        application.project = project
        application.save()
        existing = {grant.partner_id: grant for grant in application.grants.all()}
        for partner_id, amount in grants.items():
            grant = existing.get(partner_id)
            if amount is None:
                if grant is not None:
                    grant.delete()
            elif grant is None:
                GrantedAmount.objects.create(funding_application=application, partner_id=partner_id, amount=amount)
            elif grant.amount != amount:
                grant.amount = amount
                grant.save(update_fields=["amount"])
        total = sum((amount for amount in grants.values() if amount is not None), Decimal("0"))
        record_activity(
            actor=actor,
            verb="project.funding_application_created" if created else "project.funding_application_changed",
            target=project,
            data={
                "application": application.pk,
                "funding_scheme": application.funding_scheme.code,
                "outcome": application.outcome,
                "granted": str(total),
            },
        )
    return application


def delete_funding_application(*, application: FundingApplication, actor) -> None:
    """Side effects: deletes the application and its grants, writes the activity log."""
    project = application.project
    _check_open(project)
    with transaction.atomic():
        data = {"application": application.pk, "funding_scheme": application.funding_scheme.code}
        application.delete()
        record_activity(actor=actor, verb="project.funding_application_deleted", target=project, data=data)


def save_milestone(*, project: Project, milestone: Milestone, actor) -> Milestone:
    """Create or update `milestone`. Side effects: saves it, writes the activity log."""
    _check_open(project)
    created = milestone.pk is None
    with transaction.atomic():
        milestone.project = project
        milestone.save()
        record_activity(
            actor=actor,
            verb="project.milestone_created" if created else "project.milestone_changed",
            target=project,
            data={
                "milestone": milestone.pk,
                "title": milestone.title,
                "reached_on": milestone.reached_on.isoformat() if milestone.reached_on else None,
            },
        )
    return milestone


def delete_milestone(*, milestone: Milestone, actor) -> None:
    """Side effects: deletes the milestone, writes the activity log."""
    project = milestone.project
    _check_open(project)
    with transaction.atomic():
        data = {"milestone": milestone.pk, "title": milestone.title}
        milestone.delete()
        record_activity(actor=actor, verb="project.milestone_deleted", target=project, data=data)


def save_progress_report(*, project: Project, report: ProgressReport, actor) -> ProgressReport:
    """Create or update a progress report; a new one records its author.
    Side effects: saves it, writes the activity log."""
    _check_open(project)
    created = report.pk is None
    with transaction.atomic():
        report.project = project
        if created and actor is not None and actor.is_authenticated:
            report.submitted_by = actor
        report.save()
        record_activity(
            actor=actor,
            verb="project.progress_report_created" if created else "project.progress_report_changed",
            target=project,
            data={
                "report": report.pk,
                "period_start": report.period_start.isoformat(),
                "period_end": report.period_end.isoformat(),
            },
        )
    return report


def delete_progress_report(*, report: ProgressReport, actor) -> None:
    """Side effects: deletes the report, writes the activity log."""
    project = report.project
    _check_open(project)
    with transaction.atomic():
        data = {"report": report.pk, "period_end": report.period_end.isoformat()}
        report.delete()
        record_activity(actor=actor, verb="project.progress_report_deleted", target=project, data=data)


OUTCOME_FIELDS = ("patents", "products", "jobs", "turnover", "startups", "publications", "comments")


def save_outcome(*, project: Project, outcome: ProjectOutcome, actor) -> ProjectOutcome:
    """Create or update the project's final outcomes (one row per project).
    Side effects: saves it, writes the activity log with the figures."""
    _check_open(project)
    with transaction.atomic():
        outcome.project = project
        outcome.save()
        record_activity(
            actor=actor,
            verb="project.outcome_saved",
            target=project,
            data={field: str(getattr(outcome, field)) for field in OUTCOME_FIELDS if field != "comments"},
        )
    return outcome

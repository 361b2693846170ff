"""The project state machine [P1], in one table. Every later issue (screening, labelling,
funding) moves projects through `transition_project`; nothing else writes `state` or
`labelled_at`."""

from django.db import transaction
from django.utils import timezone

from pole.activity import record_activity
from projects.exceptions import IllegalTransition
from projects.models import Project, ProjectState

S = ProjectState

PROJECT_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.DEPOSITED, S.WITHDRAWN},
    S.DEPOSITED: {S.RETURNED, S.ADMISSIBLE, S.INADMISSIBLE, S.WITHDRAWN},
    S.RETURNED: {S.DEPOSITED, S.WITHDRAWN},
    S.ADMISSIBLE: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.INADMISSIBLE: set(),
    S.UNDER_REVIEW: {S.IN_COMMITTEE, S.WITHDRAWN},
    S.IN_COMMITTEE: {S.LABELLED, S.LABELLED_WITH_CONDITIONS, S.DEFERRED, S.REFUSED, S.SUPPORT_LETTER},
    S.LABELLED: {S.FUNDED, S.NOT_FUNDED, S.WITHDRAWN},
    S.LABELLED_WITH_CONDITIONS: {S.LABELLED, S.FUNDED, S.NOT_FUNDED, S.WITHDRAWN},
    S.DEFERRED: set(),
    S.REFUSED: set(),
    S.SUPPORT_LETTER: {S.FUNDED, S.NOT_FUNDED},
    S.FUNDED: {S.RUNNING, S.WITHDRAWN},
    S.NOT_FUNDED: set(),
    S.RUNNING: {S.CLOSED},
    S.CLOSED: set(),
    S.WITHDRAWN: set(),
}
# Moves that must say why (shown to the consortium and kept in the history [L10]).
REASON_REQUIRED = {S.RETURNED, S.INADMISSIBLE, S.WITHDRAWN, S.REFUSED, S.DEFERRED}
# The moves that give a project its label: the first one sets `labelled_at`.
LABEL_GRANTING = {S.LABELLED, S.LABELLED_WITH_CONDITIONS}


def allowed_targets(project: Project) -> set[str]:
    return PROJECT_TRANSITIONS[project.state]


def transition_project(*, project: Project, target: str, actor, reason: str = "", extra_fields=()) -> Project:
    """Move `project` to `target`.

    Side effects: locks the row (two clicks never both win), checks PROJECT_TRANSITIONS,
    saves `state` (and `extra_fields`, already set on `project` by the caller) with
    update_fields, sets `labelled_at` on the first label, writes the activity log (who,
    from, to, reason). Callers schedule their own e-mails and tasks with
    transaction.on_commit. Raises IllegalTransition, or ValueError when a required reason
    is missing."""
    reason = reason.strip()
    with transaction.atomic():
        source, labelled_at = Project.objects.select_for_update().values_list("state", "labelled_at").get(pk=project.pk)
        if target not in PROJECT_TRANSITIONS.get(source, set()):
            raise IllegalTransition("project", source, target)
        if target in REASON_REQUIRED and not reason:
            raise ValueError("A reason is required for this change.")
        project.state = target
        fields = ["state", "updated_at", *extra_fields]
        if target in LABEL_GRANTING and labelled_at is None:
            project.labelled_at = timezone.now()
            fields.append("labelled_at")
        project.save(update_fields=fields)
        record_activity(
            actor=actor, verb=f"project.{target}", target=project, data={"from": source, "to": target, "reason": reason}
        )
    return project

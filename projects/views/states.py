"""Staff moves of a project through its state machine, from the project page: one POST
form per move the table allows, with a reason; the move itself is
projects.services.states.transition_project, which refuses illegal moves."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pole.access import access, roles
from pole.roles import STAFF
from projects.exceptions import IllegalTransition
from projects.models import ProjectState
from projects.permissions import get_project_for_user
from projects.services.states import REASON_REQUIRED, transition_project

STATE_LABELS = dict(ProjectState.choices)
# Moves with their own page and side effects: the deposit (a version, a receipt) and the
# return for information (the consortium is e-mailed the questions).
DEDICATED_MOVES = {ProjectState.DEPOSITED: "projects:project-deposit", ProjectState.RETURNED: "projects:project-return"}


def staff_moves(project) -> list[dict]:
    """The moves the project page offers staff as forms, in the order of the states (the
    deposit and the return for information have their own pages)."""
    from projects.services.states import allowed_targets

    order = list(STATE_LABELS)
    return [
        {
            "target": target,
            "label": STATE_LABELS[target],
            "reason_required": target in REASON_REQUIRED,
        }
        for target in sorted(allowed_targets(project), key=order.index)
        if target not in DEDICATED_MOVES
    ]


@access(roles(STAFF))
@require_POST
def project_transition(request, pk: int):
    project = get_project_for_user(request.user, pk=pk)
    target = request.POST.get("target", "")
    reason = request.POST.get("reason", "")
    if target not in STATE_LABELS or target in DEDICATED_MOVES:
        messages.error(request, gettext("This change of state is not possible from this page."))
        return redirect(project)
    try:
        transition_project(project=project, target=target, actor=request.user, reason=reason)
    except IllegalTransition:
        project.refresh_from_db(fields=["state"])
        messages.error(
            request,
            gettext("The project is “%(state)s”: it cannot move to “%(target)s”.")
            % {"state": STATE_LABELS[project.state], "target": STATE_LABELS[target]},
        )
    except ValueError:
        messages.error(
            request, gettext("Say why the project moves to “%(target)s”.") % {"target": STATE_LABELS[target]}
        )
    else:
        messages.success(request, gettext("The project is now “%(target)s”.") % {"target": STATE_LABELS[target]})
    return redirect(project)


urlpatterns = [
    path("<int:pk>/state/", project_transition, name="project-transition"),
]

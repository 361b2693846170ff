"""The project lists [P8] and the project page.

- `mine/`: the projects of the user's organisations, with his role and the next step;
- `staff/projects/`: every project, for staff, with the CSV/XLSX export of the filtered list;
- `labelled/` and `labelled/<pk>/`: the public list of labelled projects whose consortium
  agreed to publication — public fields only: the confidential description, budgets, aid,
  contacts and documents are never even loaded;
- `<pk>/`: the project page, per role (staff, the lead's contacts, another partner's).

Every list runs the same number of queries whatever the number of projects.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from django_filters.views import FilterView

from pole.access import AUTHENTICATED, PUBLIC, AccessPolicyMixin, access, roles
from pole.exports import spreadsheet_response
from pole.pagination import PAGE_SIZE, ElidedPageRangeMixin
from pole.roles import STAFF
from projects.budgets import project_budget
from projects.filters import LabelledProjectFilter, MyProjectFilter, StaffProjectFilter, with_budget_totals
from projects.forms.dossier import ReturnAnswerForm
from projects.history import project_history
from projects.models import (
    Partner,
    PartnerConfirmation,
    Project,
    ProjectDocument,
    ProjectState,
    ProjectVersion,
    RequestedAid,
)
from projects.permissions import ProjectAccess, get_project_for_user, partners_awaiting_confirmation_for, partners_of
from projects.resources import ProjectResource
from projects.services.followup import FOLLOWUP_STATES
from projects.services.resubmission import RESUBMITTABLE_STATES
from projects.views.states import staff_moves

S = ProjectState
STATE_LABELS = dict(ProjectState.choices)

# What the consortium does next, by state: (for the lead's contacts, for the other partners).
NEXT_STEPS = {
    S.DRAFT: (_("Complete the dossier and deposit it"), _("Complete your organisation's part")),
    S.RETURNED: (
        _("Answer the pole's questions and deposit the dossier again"),
        _("Complete your organisation's part"),
    ),
    S.DEPOSITED: (_("Wait for the admissibility screening"),) * 2,
    S.ADMISSIBLE: (_("Wait for the experts' evaluation"),) * 2,
    S.UNDER_REVIEW: (_("Wait for the experts' evaluation"),) * 2,
    S.IN_COMMITTEE: (_("Wait for the labelling committee's decision"),) * 2,
    S.LABELLED: (_("Apply to funders and record the applications"), _("Follow the funding applications")),
    S.LABELLED_WITH_CONDITIONS: (_("Meet the conditions and apply to funders"), _("Follow the funding applications")),
    S.SUPPORT_LETTER: (_("Apply to funders and record the applications"), _("Follow the funding applications")),
    S.DEFERRED: (_("Improve the project and resubmit it to a later call"), _("Wait for the lead partner")),
    S.REFUSED: (_("You may resubmit the project to a later call"), _("Wait for the lead partner")),
    S.FUNDED: (_("Record the milestones and start the project"), _("Follow the milestones")),
    S.NOT_FUNDED: (_("Apply to other funders, or close the project"), _("Wait for the lead partner")),
    S.RUNNING: (_("Send the periodic progress reports"), _("Follow the progress reports")),
    S.CLOSED: (_("Report the project's final outcomes"), _("No further step")),
    S.INADMISSIBLE: (_("No further step"),) * 2,
    S.WITHDRAWN: (_("No further step"),) * 2,
}


def next_step(project, *, is_lead: bool) -> str:
    steps = NEXT_STEPS.get(project.state)
    if not steps:
        return ""
    return str(steps[0] if is_lead else steps[1])


class ProjectListView(AccessPolicyMixin, ElidedPageRangeMixin, FilterView):
    context_object_name = "projects"
    paginate_by = PAGE_SIZE
    http_method_names = ["get", "head"]


# --- My projects ---------------------------------------------------------------------------


def my_projects_queryset(user):
    mine = partners_of(user)
    awaiting = Partner.objects.filter(project=OuterRef("pk"), confirmation=PartnerConfirmation.AWAITING)
    return (
        Project.objects.filter(pk__in=mine.values("project_id"))
        .select_related("call", "lead_organisation")
        .prefetch_related("strategic_domains")
        .annotate(
            user_is_lead=Exists(mine.filter(project=OuterRef("pk"), is_lead=True)),
            has_awaiting_partner=Exists(awaiting),
        )
        .annotate(**_open_return())
        .order_by("-updated_at", "-pk")
    )


def _open_return() -> dict:
    """The pole's questions (and their date) while a project is returned for information:
    subqueries in the list's own query."""
    latest = ProjectVersion.objects.filter(
        project=OuterRef("pk"), project__state=ProjectState.RETURNED, returned_at__isnull=False
    ).order_by("-number")
    return {
        "open_return_at": Subquery(latest.values("returned_at")[:1]),
        "open_return_questions": Subquery(latest.values("return_questions")[:1]),
    }


class MyProjectsView(ProjectListView):
    """The projects of the user's organisations, with the state, the call, his role and
    what comes next."""

    access_policy = AUTHENTICATED
    filterset_class = MyProjectFilter
    template_name = "projects/lists/mine.html"

    def get_queryset(self):
        return my_projects_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for project in context["projects"]:
            project.next_step = next_step(project, is_lead=project.user_is_lead)
        context["awaiting_partners"] = list(
            partners_awaiting_confirmation_for(self.request.user)
            .filter(organisation__people__user=self.request.user)
            .select_related("organisation", "project__lead_organisation")
            .distinct()
            .order_by("created_at")
        )
        return context


# --- Staff ---------------------------------------------------------------------------------


def staff_projects_queryset():
    return (
        with_budget_totals(Project.objects.all())
        .select_related("call__funding_scheme", "lead_organisation")
        .prefetch_related("strategic_domains")
        .order_by("-created_at", "-pk")
    )


class StaffProjectsView(ProjectListView):
    """Every project, with its totals. `?format=csv` or `?format=xlsx` downloads the
    filtered list instead of showing it."""

    access_policy = roles(STAFF)
    filterset_class = StaffProjectFilter
    template_name = "projects/lists/staff.html"

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("format")
        if file_format is None:
            return super().get(request, *args, **kwargs)
        filterset = StaffProjectFilter(request.GET, queryset=staff_projects_queryset(), request=request)
        queryset = filterset.qs if filterset.is_valid() else Project.objects.none()
        return spreadsheet_response(ProjectResource(), queryset, file_format=file_format, name="projects")

    def get_queryset(self):
        return staff_projects_queryset()


# --- Public list of labelled projects ------------------------------------------------------

# The only columns the public pages read: the confidential description, markets, TRL,
# budgets, contacts and everything else are never loaded.
PUBLIC_PROJECT_FIELDS = (
    "id",
    "acronym",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "kind",
    "sub_kind",
    "call",
    "call__code",
    "call__title_fr",
    "call__title_en",
    "lead_organisation",
    "lead_organisation__legal_name",
    "lead_organisation__acronym",
    "labelled_at",
)


def labelled_queryset():
    partners = (
        Partner.objects.select_related("organisation")
        .only("id", "project", "is_lead", "organisation", "organisation__legal_name", "organisation__acronym")
        .order_by("-is_lead", "organisation__legal_name", "pk")
    )
    return (
        Project.objects.labelled_public()
        .select_related("call", "lead_organisation")
        .only(*PUBLIC_PROJECT_FIELDS)
        .prefetch_related("strategic_domains", Prefetch("partners", queryset=partners, to_attr="public_partners"))
        .order_by(F("labelled_at").desc(nulls_last=True), "acronym", "pk")
    )


class LabelledProjectsView(ProjectListView):
    """Labelled projects whose consortium agreed to publication, public fields only."""

    access_policy = PUBLIC
    filterset_class = LabelledProjectFilter
    template_name = "projects/lists/labelled.html"

    def get_queryset(self):
        return labelled_queryset()


class LabelledProjectDetailView(AccessPolicyMixin, DetailView):
    access_policy = PUBLIC
    template_name = "projects/lists/labelled_detail.html"
    context_object_name = "project"
    http_method_names = ["get", "head"]

    def get_object(self, queryset=None):
        return get_object_or_404(labelled_queryset(), pk=self.kwargs["pk"])


# --- The project page ----------------------------------------------------------------------


def _partners_with_details():
    return Partner.objects.select_related("organisation", "contact", "project_contact").prefetch_related(
        "budget_lines",
        Prefetch("requested_aids", queryset=RequestedAid.objects.select_related("funding_scheme")),
    )


def _project_for_page(user, pk):
    """The project the user may see, with everything the page shows, in a fixed number of
    queries."""
    project = get_project_for_user(user, pk=pk)
    prefetch_related_objects(
        [project],
        "call__funding_scheme",
        "lead_organisation",
        "resubmission_of__call",
        "strategic_domains",
        "co_labelling_poles",
        Prefetch("resubmissions", queryset=Project.objects.select_related("call").order_by("created_at")),
        Prefetch("partners", queryset=_partners_with_details()),
        Prefetch("documents", queryset=ProjectDocument.objects.current().order_by("kind", "uploaded_at")),
    )
    return project


def _budget_rows(budget, *, visible_ids, my_partners) -> list:
    """The budget's rows, each marked with whether the user sees its details and whether it
    is his organisation's."""
    rows = []
    for row in budget.rows:
        row.details_visible = row.partner.pk in visible_ids
        row.is_mine = row.partner in my_partners
        rows.append(row)
    return rows


def _visible_documents(project, partners, *, visible_ids) -> list:
    """The project's own documents and those of the partners whose details the user sees,
    each with its partner's name."""
    documents = [
        document
        for document in project.documents.all()
        if document.partner_id is None or document.partner_id in visible_ids
    ]
    partner_names = {partner.pk: partner.organisation.display_name for partner in partners}
    for document in documents:
        document.partner_name = partner_names.get(document.partner_id, "")
    return documents


def _returns_context(project, project_access) -> dict:
    """The pole's questions on returned versions, for the whole consortium [issue 9], and
    the answer form for those who may answer."""
    returns = list(project.versions.filter(returned_at__isnull=False).order_by("-number"))
    context = {"returns": returns, "can_answer_return": project_access.can_answer_return}
    if project_access.can_answer_return:
        current = returns[0] if returns else None
        context["answer_form"] = ReturnAnswerForm(initial={"answer": current.return_answer if current else ""})
    return context


@access(AUTHENTICATED)
@require_safe
def project_detail(request, pk):
    """One project, as the user's role allows: staff see everything, the state history
    and the moves the state machine allows; the lead's contacts see the whole consortium;
    another partner's contacts see the general part, the partners, the totals and the
    project's own documents (technical annex, consortium agreement…), but the budget lines,
    aid and documents of their own organisation only."""
    project = _project_for_page(request.user, pk)
    partners = list(project.partners.all())
    project_access = ProjectAccess(request.user, project)
    my_partners = [partner for partner in partners if partner.pk in project_access.my_partner_ids]
    is_lead = project_access.is_lead
    visible_ids = project_access.visible_partner_ids(partners)
    budget = project_budget(project, partners)
    context = {
        "project": project,
        "access": project_access,
        "domains": list(project.strategic_domains.all()),
        "co_labelling_poles": list(project.co_labelling_poles.all()),
        "resubmissions": list(project.resubmissions.all()),
        "partners": partners,
        "budget": budget,
        "budget_rows": _budget_rows(budget, visible_ids=visible_ids, my_partners=my_partners),
        "documents": _visible_documents(project, partners, visible_ids=visible_ids),
        "is_staff": project_access.is_staff,
        "is_lead": is_lead,
        "sees_everything": project_access.sees_all_partners,
        "my_partners": my_partners,
        "can_edit": project_access.can_edit,
        "can_edit_own_part": project_access.can_edit_anything,
        "has_followup": project.state in FOLLOWUP_STATES,
        "can_resubmit": is_lead and project.state in RESUBMITTABLE_STATES,
        "next_step": next_step(project, is_lead=is_lead) if my_partners else "",
        **_returns_context(project, project_access),
    }
    if project_access.is_staff:
        context["history"] = project_history(project, partners)
        context["staff_moves"] = staff_moves(project)
    return render(request, "projects/lists/detail.html", context)


urlpatterns = [
    path("mine/", MyProjectsView.as_view(), name="my-projects"),
    path("staff/projects/", StaffProjectsView.as_view(), name="staff-projects"),
    path("labelled/", LabelledProjectsView.as_view(), name="labelled"),
    path("labelled/<int:pk>/", LabelledProjectDetailView.as_view(), name="labelled-detail"),
    path("<int:pk>/", project_detail, name="project-detail"),
]

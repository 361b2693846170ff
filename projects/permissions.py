"""Who may see and change what in the projects app: the app's only home for object rules.

Two kinds of rules, plain Python:
- querysets that scope lists and fetches before any object is loaded
  (`partners_of`, `projects_visible_to`, `get_project_for_user`,
  `partners_awaiting_confirmation_for`); a project outside the scope answers 404;
- `ProjectAccess(user, project)`, computed once per request (two queries at most), whose
  properties and methods the views, the templates (as `access`) and the services read.

A user acts for a partner of a project when the partner is CONFIRMED and he is either an
active contact of its organisation (members.Person) or its contact for this project only
(PartnerContact) [A3]. Staff see every project. The lead's contacts see and, while the
dossier is editable, edit everything; another partner's contacts edit only their own part
and never see the other partners' budget lines or documents.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from members.models import Membership
from members.permissions import administered_organisations_of, organisations_of
from pole.roles import is_staff_member
from projects.models import Call, Partner, PartnerConfirmation, PartnerContact, PartnerSearch, Project, ProjectState
from projects.models.projects import FOLLOWUP_STATES


def partners_of(user):
    """The confirmed partners (of any project) `user` acts for: those of the
    organisations he is an active contact of, and those he is the project-scoped
    contact of."""
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(confirmation=PartnerConfirmation.CONFIRMED).filter(
        Q(organisation__in=organisations_of(user))
        | Q(pk__in=PartnerContact.objects.filter(user=user).values("partner_id"))
    )


def projects_visible_to(user):
    if is_staff_member(user):
        return Project.objects.all()
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(pk__in=partners_of(user).values("project_id"))


def get_project_for_user(user, *, pk: int) -> Project:
    return get_object_or_404(projects_visible_to(user), pk=pk)


def partners_answerable_by(user):
    """Partners (awaiting or not) whose confirmation `user` may answer for their
    organisation: those of the organisations he administers; every one for staff."""
    if is_staff_member(user):
        return Partner.objects.all()
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(organisation__in=administered_organisations_of(user))


def partners_awaiting_confirmation_for(user):
    """Partners awaiting confirmation that `user` may confirm or decline."""
    return partners_answerable_by(user).filter(confirmation=PartnerConfirmation.AWAITING)


def lead_organisations_for(user):
    """The organisations on whose behalf `user` may start a project: those he is an
    active contact of that hold an active membership."""
    return organisations_of(user).filter(
        pk__in=Membership.objects.filter(state=Membership.State.ACTIVE).values("organisation_id")
    )


def calls_visible_to(user):
    """Published calls for everyone; drafts too for staff."""
    if is_staff_member(user):
        return Call.objects.all()
    return Call.objects.published()


# --- Partner searches [P2] ------------------------------------------------------------------


def partner_searches_visible_to(user):
    """Open requests for everyone logged in; closed ones for their author and staff."""
    if is_staff_member(user):
        return PartnerSearch.objects.all()
    return PartnerSearch.objects.filter(Q(is_open=True) | Q(author=user))


def partner_search_answers_visible_to(user, search: PartnerSearch):
    """Every answer for the request's author and staff; his own for anyone else."""
    answers = search.answers.all()
    if search.author_id == user.pk or is_staff_member(user):
        return answers
    return answers.filter(author=user)


def organisations_for_posting(user):
    """The organisations on whose behalf `user` may post a request: those he is an active
    contact of that hold an active membership."""
    return lead_organisations_for(user).order_by("legal_name")


def organisations_for_answering(user, search: PartnerSearch):
    """The organisations on whose behalf `user` may answer `search`: any he is an active
    contact of, except the one that posted it."""
    return organisations_of(user).exclude(pk=search.organisation_id).order_by("legal_name")


class ProjectAccess:
    """What `user` may do on `project`, worked out once (one query for his partners)."""

    def __init__(self, user, project: Project):
        self.user = user
        self.project = project
        self.is_staff = bool(is_staff_member(user))
        self.my_partners = list(partners_of(user).filter(project=project).select_related("organisation"))
        self.my_partner_ids = {partner.pk for partner in self.my_partners}
        if self.my_partners and user.is_authenticated:
            contact_of = set(organisations_of(user).values_list("pk", flat=True))
        else:
            contact_of = set()
        # The partners he acts for as a contact of their organisation (not for this project only).
        self.organisation_partner_ids = {p.pk for p in self.my_partners if p.organisation_id in contact_of}
        self.is_lead = any(partner.is_lead for partner in self.my_partners)

    @property
    def is_partner(self) -> bool:
        """He acts for at least one confirmed partner of the project."""
        return bool(self.my_partners)

    @property
    def can_see(self) -> bool:
        return self.is_staff or self.is_partner

    @property
    def sees_all_partners(self) -> bool:
        """Every partner's budget lines, aid and documents, the project's own documents
        and the whole dossier (PDF, comparisons)."""
        return self.is_staff or self.is_lead

    def can_see_partner(self, partner: Partner) -> bool:
        """Budget lines, requested aid, contact and documents of one partner."""
        return self.sees_all_partners or partner.pk in self.my_partner_ids

    def visible_partner_ids(self, partners) -> set[int]:
        return {partner.pk for partner in partners if self.can_see_partner(partner)}

    @property
    def can_edit(self) -> bool:
        """General part, consortium composition, every partner's part, the project's own
        documents: the lead's contacts, while the dossier is editable."""
        return self.project.is_editable and self.is_lead

    @property
    def can_edit_anything(self) -> bool:
        return self.project.is_editable and self.is_partner

    def can_edit_partner(self, partner: Partner) -> bool:
        """One partner's part (contact, role, tasks, budget, aid, documents)."""
        return self.project.is_editable and (self.is_lead or partner.pk in self.my_partner_ids)

    def can_invite_for(self, partner: Partner) -> bool:
        """Invite a contact of `partner` for this project: the lead's contacts, and the
        partner's own organisation contacts (a project-scoped contact invites no one)."""
        if not self.project.is_editable:
            return False
        return self.is_lead or partner.pk in self.organisation_partner_ids

    def can_choose_organisation_contact(self, partner: Partner) -> bool:
        """Choose the partner's contact among its organisation's contacts (whose list only
        that organisation's contacts and staff may see)."""
        return self.is_staff or partner.pk in self.organisation_partner_ids

    @property
    def can_deposit(self) -> bool:
        """The deposit page (the state is checked by the service)."""
        return self.is_lead

    @property
    def can_answer_return(self) -> bool:
        """The answer to the pole's questions of a returned dossier: the lead's contacts."""
        return self.is_lead and self.project.state == ProjectState.RETURNED

    @property
    def can_download_dossier(self) -> bool:
        return self.sees_all_partners

    @property
    def can_manage_followup(self) -> bool:
        """Milestones, reports, funding applications and outcomes of a project that has
        a follow-up (labelled on)."""
        return self.project.state in FOLLOWUP_STATES and (self.is_staff or self.is_lead)

    @property
    def can_return(self) -> bool:
        return self.is_staff

    def can_remove_document(self, document) -> bool:
        if document.partner_id is None:
            return self.can_edit
        return self.can_edit_partner(document.partner)

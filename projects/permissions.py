"""Who may see and change what in the projects app. Querysets are scoped to the user
before any object is fetched; a project outside the scope answers 404.

- staff see every project;
- a contact of an organisation in the consortium sees the project (its general part, the
  partners' list and totals); the lead's contacts see and, while the dossier is editable,
  edit everything; another partner's contacts edit only their own part and never see the
  other partners' budget lines or documents.
"""

from django.shortcuts import get_object_or_404

from members.permissions import organisations_of
from pole.roles import is_staff_member
from projects.models import Partner, Project


def projects_visible_to(user):
    if is_staff_member(user):
        return Project.objects.all()
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(partners__organisation__in=organisations_of(user)).distinct()


def get_project_for_user(user, *, pk: int) -> Project:
    return get_object_or_404(projects_visible_to(user), pk=pk)


def partners_of_user(user, project: Project) -> list[Partner]:
    """The partners of `project` whose organisation `user` is a contact of."""
    if not user.is_authenticated:
        return []
    return list(project.partners.filter(organisation__in=organisations_of(user)))


def is_lead_contact(user, project: Project) -> bool:
    return any(partner.is_lead for partner in partners_of_user(user, project))


def can_edit_project(user, project: Project) -> bool:
    """General part, consortium composition, every partner's part: the lead's contacts,
    while the dossier is editable."""
    return project.is_editable and is_lead_contact(user, project)


def can_edit_partner(user, partner: Partner) -> bool:
    """One partner's part (contact, role, tasks, budget, aid, documents)."""
    if not partner.project.is_editable:
        return False
    return any(p.is_lead or p.pk == partner.pk for p in partners_of_user(user, partner.project))


def can_see_partner_details(user, partner: Partner) -> bool:
    """Budget lines, requested aid and documents of one partner."""
    if is_staff_member(user):
        return True
    return any(p.is_lead or p.pk == partner.pk for p in partners_of_user(user, partner.project))

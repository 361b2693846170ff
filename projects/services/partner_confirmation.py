"""The organisation boundary of a consortium [A3] [A4]: an organisation named as a partner
is told, and one that already has contacts on the portal confirms that it takes part.

- `add_partner` (projects.services.submission) makes a partner AWAITING when its
  organisation has active contacts, then calls `notify_partner_added`;
- one of the organisation's administrators (or staff) answers on the page the e-mail
  links to: `confirm_partner` (the partner then gives its contacts access to the project
  and may appear in a deposited dossier) or `decline_partner` (the partner leaves the
  consortium; the lead is told).
"""

from django.db import transaction
from django.utils import timezone, translation

from members.models import Organisation, Person
from pole.activity import record_activity
from pole.emails import send_email
from pole.links import absolute_url, language_of
from projects.exceptions import DossierLocked
from projects.models import Partner, PartnerConfirmation, Project


class ConfirmationNotPending(Exception):
    """The partner was already confirmed (or removed) in the meantime."""


def needs_confirmation(organisation: Organisation) -> bool:
    """An organisation with active contacts on the portal confirms each consortium that
    names it; one without (created on the fly by a lead) has no one to confirm."""
    return organisation.pk is not None and Person.objects.filter(organisation=organisation, is_active=True).exists()


def organisation_administrators(organisation: Organisation) -> list[Person]:
    """The active administrators of `organisation` who have an account and an address."""
    return list(
        Person.objects.filter(organisation=organisation, is_active=True, is_organisation_admin=True, user__isnull=False)
        .exclude(email="")
        .select_related("user")
        .order_by("pk")
    )


def _title(project: Project, language: str) -> str:
    with translation.override(language):
        return project.title


def notify_partner_added(*, partner: Partner, actor) -> int:
    """E-mail each administrator of the partner's organisation (but `actor`) that a
    consortium names it (with the link to confirm or decline when the partner awaits
    confirmation), in his language, after commit. Returns the number of e-mails
    scheduled."""
    project = partner.project
    lead = project.partners.filter(is_lead=True).select_related("organisation").first()
    sent = set()
    for person in organisation_administrators(partner.organisation):
        address = (person.user.email or person.email).lower()
        if address in sent or (actor is not None and person.user_id == actor.pk):
            continue
        sent.add(address)
        language = language_of(person.user)
        send_email(
            name="projects_partner_added",
            to=[address],
            language=language,
            context={
                "first_name": person.first_name,
                "organisation": partner.organisation.display_name,
                "project": project.acronym,
                "project_title": _title(project, language),
                "lead": lead.organisation.display_name if lead else "",
                "actor": (actor.get_full_name() or actor.email) if actor is not None else "",
                "awaiting": not partner.is_confirmed,
                "confirm_url": absolute_url("projects:partner-confirm", language=language, kwargs={"pk": partner.pk}),
            },
        )
    return len(sent)


def _lock_awaiting(partner: Partner) -> tuple[Project, Partner]:
    project = Project.objects.select_for_update().get(pk=partner.project_id)
    current = Partner.objects.select_related("organisation").filter(pk=partner.pk).first()
    if current is None or current.confirmation != PartnerConfirmation.AWAITING:
        raise ConfirmationNotPending(partner.pk)
    return project, current


def confirm_partner(*, partner: Partner, actor) -> Partner:
    """Confirm, for the partner's organisation, that it takes part in the project.

    Who may (an administrator of that organisation, or staff) is checked by the view
    (projects.permissions.partners_awaiting_confirmation_for). Side effects: locks the
    project, marks the partner confirmed (by whom, when), writes the activity log. Raises
    ConfirmationNotPending."""
    with transaction.atomic():
        project, current = _lock_awaiting(partner)
        current.confirmation = PartnerConfirmation.CONFIRMED
        current.confirmed_by = actor
        current.confirmed_at = timezone.now()
        current.save(update_fields=["confirmation", "confirmed_by", "confirmed_at"])
        record_activity(
            actor=actor,
            verb="project.partner_confirmed",
            target=project,
            data={"partner": current.pk, "organisation": current.organisation_id},
        )
    return current


def decline_partner(*, partner: Partner, actor) -> None:
    """Decline, for the partner's organisation, to take part in the project: the partner
    leaves the consortium (with its part and documents) and the lead's contact is told.

    Side effects: those of remove_partner, an activity log entry, and an e-mail after
    commit to the lead partner's contact (else the project's creator), in his language.
    Raises ConfirmationNotPending."""
    from projects.services.submission import remove_partner

    with transaction.atomic():
        project, current = _lock_awaiting(partner)
        organisation = current.organisation
        try:
            remove_partner(partner=current, actor=actor)
        except DossierLocked:
            # Only an editable dossier can have a partner awaiting; kept for safety.
            raise ConfirmationNotPending(partner.pk) from None
        record_activity(
            actor=actor,
            verb="project.partner_declined",
            target=project,
            data={"organisation": organisation.pk, "name": str(organisation)},
        )
        lead = project.partners.filter(is_lead=True).select_related("contact__user", "project_contact__user").first()
        contact = lead.shown_contact if lead is not None else None
        user = contact.user if contact is not None and contact.user_id else project.created_by
        address = (contact.email if contact is not None else "") or (user.email if user is not None else "")
        if not address:
            return
        language = language_of(user)
        send_email(
            name="projects_partner_declined",
            to=[address],
            language=language,
            context={
                "first_name": contact.first_name if contact is not None else (user.first_name if user else ""),
                "organisation": organisation.display_name,
                "project": project.acronym,
                "project_title": _title(project, language),
                "consortium_url": absolute_url(
                    "projects:project-edit-consortium", language=language, kwargs={"pk": project.pk}
                ),
            },
        )

"""Changes to an organisation's profile and contacts made from the member space [M6].

django-simple-history records every saved row on its own (its middleware knows who made
the request); the functions here add an activity-log entry saying what changed."""

import uuid

from django.db import transaction

from members.models import Organisation, Person
from members.permissions import OrganisationAccess
from pole.activity import record_activity

# The fields of the profile form: public data an organisation keeps up to date itself.
PROFILE_FIELDS = [
    "acronym",
    "website",
    "street",
    "postcode",
    "city",
    "country",
    "department",
    "headcount",
    "turnover",
    "balance_sheet",
    "description_fr",
    "description_en",
    "competences",
    "directory_opt_in",
]
CONTACT_FIELDS = [
    "phone",
    "job_title",
    "is_legal_representative",
    "is_main_contact",
    "is_billing_contact",
    "is_technical_contact",
    "is_organisation_admin",
]


class ContactChangeRefused(Exception):
    """A change to the contacts that would leave the organisation without an administrator."""


def update_organisation_profile(*, organisation: Organisation, actor, data: dict, logo=None) -> Organisation:
    """Write the public profile fields of `data` (see PROFILE_FIELDS, plus
    "strategic_domains" and "remove_logo") to `organisation`; `logo` is an already
    validated upload that replaces the current logo.

    Side effects: locks and saves the row (the model recomputes the size category and
    region; django-simple-history keeps the previous version), replaces or deletes the
    logo file, writes one activity-log entry listing the changed fields."""
    OrganisationAccess(actor, organisation).require("can_edit_profile")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = []
        for name in PROFILE_FIELDS:
            if name in data and getattr(locked, name) != data[name]:
                setattr(locked, name, data[name])
                changed.append(name)
        old_logo_name = locked.logo.name if locked.logo else ""
        if logo is not None:
            extension = logo.name.rsplit(".", 1)[-1].lower()
            locked.logo.save(f"{locked.slug}-{uuid.uuid4().hex[:8]}.{extension}", logo, save=False)
            changed.append("logo")
        elif data.get("remove_logo") and old_logo_name:
            locked.logo = ""
            changed.append("logo")
        if changed:
            locked.save()
        if "strategic_domains" in data:
            new_domains = {domain.pk for domain in data["strategic_domains"]}
            if new_domains != set(locked.strategic_domains.values_list("pk", flat=True)):
                locked.strategic_domains.set(new_domains)
                changed.append("strategic_domains")
        if changed:
            record_activity(actor=actor, verb="organisation.profile_updated", target=locked, data={"fields": changed})
        if "logo" in changed and old_logo_name:
            storage, name = locked.logo.storage, old_logo_name
            transaction.on_commit(lambda: storage.delete(name))
    organisation.refresh_from_db()
    return organisation


def _other_active_admins(person: Person):
    return Person.objects.filter(
        organisation_id=person.organisation_id, is_active=True, is_organisation_admin=True
    ).exclude(pk=person.pk)


def update_contact(*, person: Person, actor, data: dict) -> Person:
    """Write the phone, job title and roles of `data` (see CONTACT_FIELDS) to `person`.

    Side effects: saves the row, writes an activity-log entry listing the changed fields.
    Raises ContactChangeRefused when the organisation's last active administrator would
    lose that role."""
    OrganisationAccess(actor, person.organisation).require("can_manage_contacts")
    with transaction.atomic():
        # Lock the organisation's contacts: two admins demoting each other never both win.
        list(Person.objects.select_for_update().filter(organisation_id=person.organisation_id))
        locked = Person.objects.get(pk=person.pk)
        changed = [name for name in CONTACT_FIELDS if name in data and getattr(locked, name) != data[name]]
        if (
            "is_organisation_admin" in changed
            and not data["is_organisation_admin"]
            and locked.is_active
            and not _other_active_admins(locked).exists()
        ):
            raise ContactChangeRefused("last administrator")
        for name in changed:
            setattr(locked, name, data[name])
        if changed:
            locked.save(update_fields=changed)
            record_activity(
                actor=actor,
                verb="person.updated",
                target=locked,
                data={"fields": changed, "organisation": locked.organisation_id},
            )
    person.refresh_from_db()
    return person


def deactivate_contact(*, person: Person, actor) -> Person:
    """Mark `person` as no longer a contact of the organisation: his account, if any, loses
    access to the organisation's space.

    Side effects: saves the row, writes an activity-log entry. Raises ContactChangeRefused
    when `person` is the organisation's last active administrator."""
    OrganisationAccess(actor, person.organisation).require("can_manage_contacts")
    with transaction.atomic():
        list(Person.objects.select_for_update().filter(organisation_id=person.organisation_id))
        locked = Person.objects.get(pk=person.pk)
        if not locked.is_active:
            return person
        if locked.is_organisation_admin and not _other_active_admins(locked).exists():
            raise ContactChangeRefused("last administrator")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record_activity(
            actor=actor, verb="person.deactivated", target=locked, data={"organisation": locked.organisation_id}
        )
    person.refresh_from_db()
    return person

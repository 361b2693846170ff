"""Building a project's dossier before its deposit [P1]–[P3] [P5]: the project itself, its
consortium, each partner's part (contact, role, tasks, budget lines, requested aid) and its
documents.

Every function here refuses (projects.exceptions.DossierLocked) when the project is not
editable (deposited or further): the check is made on the row locked with
select_for_update, so that a change racing with the deposit never slips in after it.
None of them writes `Project.state` — only projects.services.states.transition_project
does. Who may call them (the lead's contacts, a partner's own contacts) is decided by the
views with projects.permissions; the functions check the data rules.
"""

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Organisation, Person
from pole.activity import record_activity
from pole.uploads import DOCUMENT_TYPES, safe_filename, validate_upload
from projects.exceptions import DossierLocked
from projects.models import (
    BudgetLine,
    Call,
    CostCategory,
    DocumentKind,
    NonRDSubKind,
    Partner,
    PartnerConfirmation,
    PartnerContact,
    Project,
    ProjectDocument,
    ProjectKind,
    RequestedAid,
)

CENT = Decimal("0.01")

# The fields of the "general" step, written by update_general.
GENERAL_FIELDS = [
    "acronym",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "description",
    "kind",
    "sub_kind",
    "markets",
    "duration_months",
    "start_date",
    "trl_from",
    "trl_to",
    "confidentiality",
    "public_consent",
]


class SubmissionRefused(Exception):
    """A change that breaks a rule of the dossier (the call is closed, the lead cannot be
    removed, an organisation is already a partner…). The message says why, translated."""


def _lock_editable(project_id: int) -> Project:
    """The project row, locked until the end of the transaction; DossierLocked when it can
    no longer be edited. Call inside transaction.atomic()."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if not project.is_editable:
        raise DossierLocked(project.state)
    return project


def _money(value) -> Decimal:
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise SubmissionRefused(_("An amount cannot be negative."))
    return amount


def _delete_files_after_commit(names: list[str]) -> None:
    # The storage bound to the field (private_storage, resolved when the model was loaded).
    storage = ProjectDocument._meta.get_field("file").storage

    def delete():
        for name in names:
            if name and storage.exists(name):
                storage.delete(name)

    if names:
        transaction.on_commit(delete)


# --- The project ------------------------------------------------------------------------


def create_project(
    *, call: Call, lead_organisation: Organisation, acronym: str, title_fr: str, created_by, kind: str = ProjectKind.RD
) -> Project:
    """Create a draft project in `call`, led by `lead_organisation`.

    Side effects: creates the project (in its initial state, draft) and its lead partner,
    whose contact is `created_by`'s active Person in the lead organisation (when he has
    one), then writes the activity log and e-mails the lead organisation's other
    administrators after commit (projects.services.partner_confirmation). Raises
    SubmissionRefused when the call is not open or does not accept `kind`."""
    from projects.services.partner_confirmation import notify_partner_added

    if not call.is_open():
        raise SubmissionRefused(_("This call is not open for submissions."))
    if call.allowed_kinds and kind not in call.allowed_kinds:
        raise SubmissionRefused(_("This call does not accept this kind of project."))
    with transaction.atomic():
        project = Project.objects.create(
            call=call,
            acronym=acronym.strip(),
            title_fr=title_fr.strip(),
            kind=kind,
            lead_organisation=lead_organisation,
            created_by=created_by,
        )
        contact = (
            Person.objects.filter(organisation=lead_organisation, user=created_by, is_active=True).first()
            if created_by is not None and created_by.is_authenticated
            else None
        )
        lead = Partner.objects.create(project=project, organisation=lead_organisation, is_lead=True, contact=contact)
        notify_partner_added(partner=lead, actor=created_by)
        record_activity(
            actor=created_by,
            verb="project.created",
            target=project,
            data={"call": call.code, "lead": lead_organisation.pk},
        )
    return project


def update_general(*, project: Project, actor, data: dict) -> Project:
    """Write the general part of the dossier: the GENERAL_FIELDS of `data`, plus
    "strategic_domains" and "co_labelling_poles" (iterables of rows) when present.

    A sub-kind only applies to non-R&D projects and TRLs only to R&D projects: the other
    values are cleared. Side effects: locks and saves the project row (history kept by
    django-simple-history), replaces the two many-to-many sets, writes the activity log
    with the changed fields. Raises DossierLocked."""
    with transaction.atomic():
        locked = _lock_editable(project.pk)
        values = {name: data[name] for name in GENERAL_FIELDS if name in data}
        kind = values.get("kind", locked.kind)
        if kind != ProjectKind.NON_RD:
            values["sub_kind"] = ""
        elif values.get("sub_kind", locked.sub_kind) not in NonRDSubKind.values:
            raise SubmissionRefused(_("Choose the sub-kind of this non-R&D project."))
        if kind != ProjectKind.RD:
            values["trl_from"] = values["trl_to"] = None
        trl_from, trl_to = values.get("trl_from", locked.trl_from), values.get("trl_to", locked.trl_to)
        if trl_from is not None and trl_to is not None and trl_from > trl_to:
            raise SubmissionRefused(_("The TRL at the end cannot be lower than the TRL at the start."))
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        for relation in ("strategic_domains", "co_labelling_poles"):
            if relation in data:
                new = {row.pk for row in data[relation]}
                manager = getattr(locked, relation)
                if new != set(manager.values_list("pk", flat=True)):
                    manager.set(list(new))
                    changed.append(relation)
        if changed:
            record_activity(actor=actor, verb="project.general_updated", target=locked, data={"fields": changed})
    return locked


# --- The consortium ---------------------------------------------------------------------


def add_partner(*, project: Project, organisation: Organisation, actor) -> Partner:
    """Add `organisation` to the consortium of `project` (not as its lead).

    `organisation` may be unsaved: an organisation created on the fly (a non-member,
    French or foreign) is then saved first. An organisation that already has active
    contacts on the portal joins AWAITING the confirmation of one of its administrators
    [A3] (projects.services.partner_confirmation). Side effects: locks the project,
    creates the organisation when new, creates the partner, writes the activity log,
    e-mails the organisation's administrators after commit. Raises DossierLocked, or
    SubmissionRefused when the organisation is already a partner."""
    from projects.services.partner_confirmation import needs_confirmation, notify_partner_added

    with transaction.atomic():
        locked = _lock_editable(project.pk)
        created = organisation.pk is None
        if created:
            organisation.save()
            record_activity(
                actor=actor, verb="organisation.created_for_project", target=organisation, data={"project": locked.pk}
            )
        elif locked.partners.filter(organisation=organisation).exists():
            raise SubmissionRefused(
                _("%(name)s is already a partner of this project.") % {"name": organisation.display_name}
            )
        awaiting = not created and needs_confirmation(organisation)
        partner = Partner.objects.create(
            project=locked,
            organisation=organisation,
            is_lead=False,
            confirmation=PartnerConfirmation.AWAITING if awaiting else PartnerConfirmation.CONFIRMED,
        )
        record_activity(
            actor=actor,
            verb="project.partner_added",
            target=locked,
            data={
                "organisation": organisation.pk,
                "partner": partner.pk,
                "new_organisation": created,
                "awaiting_confirmation": awaiting,
            },
        )
        if not created:
            notify_partner_added(partner=partner, actor=actor)
    return partner


def remove_partner(*, partner: Partner, actor) -> None:
    """Remove `partner` from its project's consortium.

    Side effects: locks the project, deletes the partner with its budget lines, requested
    aid, invitations and the documents added to the current version (their files are
    deleted after commit); its documents of a version already deposited stay with that
    version, withdrawn from this one. Writes the activity log. Raises DossierLocked, or
    SubmissionRefused for the lead partner (choose another lead first)."""
    with transaction.atomic():
        locked = _lock_editable(partner.project_id)
        current = Partner.objects.select_related("organisation").get(pk=partner.pk, project=locked)
        if current.is_lead:
            raise SubmissionRefused(_("The lead partner cannot be removed: choose another lead partner first."))
        documents = current.documents.current()
        kept = documents.filter(version__lt=locked.version).update(withdrawn_in_version=locked.version)
        drafts = documents.filter(version=locked.version)
        files = list(drafts.values_list("file", flat=True))
        drafts.delete()
        organisation = current.organisation
        current.delete()
        _delete_files_after_commit(files)
        record_activity(
            actor=actor,
            verb="project.partner_removed",
            target=locked,
            data={
                "organisation": organisation.pk,
                "name": str(organisation),
                "documents": len(files),
                "documents_kept": kept,
            },
        )


def set_lead_partner(*, partner: Partner, actor) -> Partner:
    """Make `partner` the lead of its project (the previous lead stays a partner).

    Side effects: locks the project, moves the lead flag, keeps Project.lead_organisation
    in step, writes the activity log. Raises DossierLocked."""
    with transaction.atomic():
        locked = _lock_editable(partner.project_id)
        new_lead = Partner.objects.get(pk=partner.pk, project=locked)
        if new_lead.is_lead:
            return new_lead
        if new_lead.confirmation != PartnerConfirmation.CONFIRMED:
            raise SubmissionRefused(
                _("A partner awaiting the confirmation of its organisation cannot become the lead partner.")
            )
        previous = locked.partners.filter(is_lead=True).first()
        if previous is not None:
            previous.is_lead = False
            previous.save(update_fields=["is_lead"])
        new_lead.is_lead = True
        new_lead.save(update_fields=["is_lead"])
        locked.lead_organisation_id = new_lead.organisation_id
        locked.save(update_fields=["lead_organisation", "updated_at"])
        record_activity(
            actor=actor,
            verb="project.lead_changed",
            target=locked,
            data={
                "from": previous.organisation_id if previous else None,
                "to": new_lead.organisation_id,
            },
        )
    partner.is_lead = True
    return new_lead


def update_partner_part(
    *, partner: Partner, actor, contact: Person | PartnerContact | None, role: str, tasks: str
) -> Partner:
    """Write a partner's contact (a Person of its organisation, a PartnerContact of this
    partner, or None), role and tasks.

    Side effects: locks the project, saves the partner, writes the activity log. Raises
    DossierLocked, or SubmissionRefused when `contact` belongs to another organisation or
    partner."""
    with transaction.atomic():
        locked = _lock_editable(partner.project_id)
        current = Partner.objects.get(pk=partner.pk, project=locked)
        person = contact if isinstance(contact, Person) else None
        project_contact = contact if isinstance(contact, PartnerContact) else None
        if person is not None and person.organisation_id != current.organisation_id:
            raise SubmissionRefused(_("The contact must be a person of the partner's organisation."))
        if project_contact is not None and project_contact.partner_id != current.pk:
            raise SubmissionRefused(_("The contact must be a person of the partner's organisation."))
        values = {
            "contact_id": person.pk if person else None,
            "project_contact_id": project_contact.pk if project_contact else None,
            "role": role.strip(),
            "tasks": tasks.strip(),
        }
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[name.removesuffix("_id") for name in changed])
            record_activity(
                actor=actor,
                verb="project.partner_updated",
                target=locked,
                data={"partner": current.pk, "fields": [name.removesuffix("_id") for name in changed]},
            )
    return current


def save_budget_lines(*, partner: Partner, actor, amounts: dict) -> list[BudgetLine]:
    """Write a partner's budget: `amounts` maps a CostCategory value to a Decimal (≥ 0,
    rounded to the cent) or None (no line for that category). Categories absent from
    `amounts` are left as they are.

    Side effects: locks the project, creates, updates or deletes the lines, writes the
    activity log when something changed. Raises DossierLocked, or SubmissionRefused for an
    unknown category or a negative amount."""
    unknown = set(amounts) - set(CostCategory.values)
    if unknown:
        raise SubmissionRefused(_("Unknown cost category."))
    cleaned = {category: None if value is None else _money(value) for category, value in amounts.items()}
    with transaction.atomic():
        _lock_editable(partner.project_id)
        existing = {line.category: line for line in BudgetLine.objects.filter(partner_id=partner.pk)}
        changed = []
        for category, amount in cleaned.items():
            line = existing.get(category)
            if amount is None:
                if line is not None:
                    line.delete()
                    del existing[category]
                    changed.append(category)
            elif line is None:
                existing[category] = BudgetLine.objects.create(partner_id=partner.pk, category=category, amount=amount)
                changed.append(category)
            elif line.amount != amount:
                line.amount = amount
                line.save(update_fields=["amount"])
                changed.append(category)
        if changed:
            record_activity(
                actor=actor,
                verb="project.budget_saved",
                target=partner.project,
                data={"partner": partner.pk, "categories": changed},
            )
    return sorted(existing.values(), key=lambda line: line.category)


def save_requested_aids(*, partner: Partner, actor, aids: list) -> list[RequestedAid]:
    """Replace the aid a partner requests: `aids` is a list of (FundingScheme, Decimal)
    pairs, one per scheme; schemes not in the list lose their row.

    Side effects: locks the project, creates, updates or deletes the rows, writes the
    activity log when something changed. Raises DossierLocked, or SubmissionRefused for a
    scheme given twice or a negative amount."""
    wanted = {}
    for scheme, amount in aids:
        if scheme.pk in wanted:
            raise SubmissionRefused(_("Each funding scheme may appear only once."))
        wanted[scheme.pk] = _money(amount)
    with transaction.atomic():
        _lock_editable(partner.project_id)
        existing = {aid.funding_scheme_id: aid for aid in RequestedAid.objects.filter(partner_id=partner.pk)}
        changed = False
        for scheme_id, aid in list(existing.items()):
            if scheme_id not in wanted:
                aid.delete()
                del existing[scheme_id]
                changed = True
        for scheme_id, amount in wanted.items():
            aid = existing.get(scheme_id)
            if aid is None:
                existing[scheme_id] = RequestedAid.objects.create(
                    partner_id=partner.pk, funding_scheme_id=scheme_id, amount=amount
                )
                changed = True
            elif aid.amount != amount:
                aid.amount = amount
                aid.save(update_fields=["amount"])
                changed = True
        if changed:
            record_activity(
                actor=actor,
                verb="project.aid_saved",
                target=partner.project,
                data={"partner": partner.pk, "aids": {str(k): str(v) for k, v in wanted.items()}},
            )
    return list(existing.values())


# --- Documents --------------------------------------------------------------------------


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def add_document(*, project: Project, partner: Partner | None, kind: str, upload, actor) -> ProjectDocument:
    """Attach `upload` to `project` (to one of its partners when `partner` is given).

    The file is checked again with pole.uploads.validate_upload (size, name, content:
    ValidationError says why), stored in the private storage under a safe name, with its
    size, detected type and SHA-256. Side effects: locks the project, stores the file,
    creates the row (tagged with the dossier's current version), writes the activity log.
    Raises DossierLocked, SubmissionRefused (unknown kind, partner of another project) or
    django.core.exceptions.ValidationError (the file)."""
    if kind not in DocumentKind.values:
        raise SubmissionRefused(_("Unknown document type."))
    content_type = validate_upload(upload, allowed=DOCUMENT_TYPES, max_size=settings.MAX_UPLOAD_SIZE)
    name = safe_filename(upload.name)
    with transaction.atomic():
        locked = _lock_editable(project.pk)
        if partner is not None and not Partner.objects.filter(pk=partner.pk, project=locked).exists():
            raise SubmissionRefused(_("This partner is not in the project's consortium."))
        document = ProjectDocument(
            project=locked,
            partner=partner,
            kind=kind,
            original_name=name,
            size=upload.size,
            content_type=content_type,
            sha256=_sha256(upload),
            version=locked.version,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        document.file.save(name, upload, save=False)
        document.save()
        record_activity(
            actor=actor,
            verb="project.document_added",
            target=locked,
            data={"document": document.pk, "kind": kind, "partner": partner.pk if partner else None, "name": name},
        )
    return document


def remove_document(*, document: ProjectDocument, actor) -> None:
    """Take a document out of a dossier that is still editable. A document added to the
    current version is deleted with its file; one added to an earlier, deposited version
    stays with that version (its snapshot and PDF list it) and is only withdrawn from this
    version and the next ones.

    Side effects: locks the project, deletes the row and its file after commit or marks it
    withdrawn, writes the activity log. Raises DossierLocked or SubmissionRefused."""
    with transaction.atomic():
        locked = _lock_editable(document.project_id)
        current = ProjectDocument.objects.current().filter(pk=document.pk, project=locked).first()
        if current is None:
            raise SubmissionRefused(_("This document is no longer part of the dossier."))
        if current.version < locked.version:
            current.withdrawn_in_version = locked.version
            current.save(update_fields=["withdrawn_in_version"])
        else:
            file_name = current.file.name
            current.delete()
            _delete_files_after_commit([file_name])
        record_activity(
            actor=actor,
            verb="project.document_removed",
            target=locked,
            data={"document": document.pk, "name": current.original_name, "kind": current.kind},
        )

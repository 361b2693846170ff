"""The deposit of a dossier and its return for information [P6].

`deposit_project` locks the dossier (state "deposited", through transition_project), stamps
it with a reference (`2026-FUI-0042`: year, funding scheme, sequence) on its first deposit,
freezes a version (snapshot) and, after commit, has a task render the immutable PDF of that
version and e-mails a receipt to every partner's contact. `return_for_information` (staff)
sends a deposited dossier back to the consortium: it unlocks, and its next deposit is a new
version.
"""

import hashlib
import logging
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from members.models import Person
from pole.activity import record_activity
from pole.emails import send_email
from pole.links import absolute_url, language_of
from pole.models import FundingScheme, PoleProfile
from pole.reports import FileRequest, request_file
from projects.eligibility import blocking_failures, check_eligibility
from projects.exceptions import DossierLocked, IllegalTransition
from projects.models import EDITABLE_STATES, Partner, Project, ProjectState, ProjectVersion
from projects.services import versions
from projects.services.states import transition_project

logger = logging.getLogger(__name__)

State = ProjectState
# The kind of generated file (pole.reports) that is the PDF of a deposited version.
DOSSIER_PDF = "projects.dossier_pdf"
REFERENCE_DIGITS = 4


class DepositRefused(Exception):
    """The eligibility checklist has blocking failures: `failures` lists them (their
    messages are translated and give the figures)."""

    def __init__(self, failures):
        self.failures = list(failures)
        super().__init__(" ".join(failure.message for failure in self.failures))


# --- The reference --------------------------------------------------------------------------


def reference_prefix(*, year: int, scheme_code: str) -> str:
    return f"{year}-{scheme_code.upper()}-"


def next_reference(*, year: int, funding_scheme: FundingScheme) -> str:
    """`{year}-{SCHEME}-{seq:04d}`, one above the highest sequence of that year and scheme.

    Locks the funding scheme's row until the end of the transaction, so that two deposits
    in the same scheme never compute the same number (PostgreSQL; SQLite serialises
    writers by itself). Call inside transaction.atomic()."""
    FundingScheme.objects.select_for_update().filter(pk=funding_scheme.pk).exists()
    prefix = reference_prefix(year=year, scheme_code=funding_scheme.code)
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    taken = Project.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    sequences = [int(match.group(1)) for reference in taken if (match := pattern.match(reference))]
    return f"{prefix}{max(sequences, default=0) + 1:0{REFERENCE_DIGITS}d}"


# --- The deposit ------------------------------------------------------------------------------


def deposit_project(*, project: Project, actor) -> Project:
    """Deposit the dossier of `project` (from draft, or returned for information).

    Who may (the lead partner's contacts) is checked by the view. Runs the eligibility
    checklist again and raises DepositRefused, changing nothing, when a rule fails. Raises
    IllegalTransition when the project is neither a draft nor returned.

    Side effects, in one transaction on the locked project row: the reference on the first
    deposit, `deposited_at`, a ProjectVersion (number = project.version, snapshot of the
    dossier, who and when), the state "deposited" with its activity-log row
    (transition_project). After commit: the task that renders the version's PDF
    (a pole.reports request, pdf queue) and a receipt e-mail to the contact of
    the lead and of every partner, each in his language, with links on PORTAL_URL."""
    with transaction.atomic():
        locked = (
            Project.objects.select_for_update(of=("self",)).select_related("call__funding_scheme").get(pk=project.pk)
        )
        if locked.state not in EDITABLE_STATES:
            raise IllegalTransition("project", locked.state, State.DEPOSITED)
        failures = blocking_failures(check_eligibility(locked))
        if failures:
            raise DepositRefused(failures)

        now = timezone.now()
        fields = ["deposited_at"]
        if not locked.reference:
            locked.reference = next_reference(
                year=timezone.localdate(now).year, funding_scheme=locked.call.funding_scheme
            )
            fields.append("reference")
        locked.deposited_at = now
        transition_project(project=locked, target=State.DEPOSITED, actor=actor, extra_fields=fields)
        version = ProjectVersion.objects.create(
            project=locked,
            number=locked.version,
            snapshot=versions.snapshot_project(locked),
            deposited_at=now,
            deposited_by=actor if actor is not None and actor.is_authenticated else None,
        )
        _schedule_pdf(version.pk, requested_by=actor)
        _send_receipts(locked, version)
    project.refresh_from_db()
    return project


def _schedule_pdf(version_id: int, *, requested_by=None) -> None:
    request_file(dossier_request(version_id), requested_by=requested_by)


# --- Return for information ---------------------------------------------------------------------


def return_for_information(*, project: Project, actor, reason: str) -> Project:
    """Send a deposited dossier back to its consortium for more information (staff; the
    view checks). `reason` is required: the lead partner reads it.

    Side effects, on the locked row: the version number goes up by one (a new version
    starts; the deposited one stays as it was), the state becomes "returned" (the dossier
    unlocks) with the reason in the activity log (transition_project). After commit: an
    e-mail with the reason to the lead partner's contact, in his language. Raises
    IllegalTransition when the project is not deposited, ValueError without a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(gettext("Say what information is needed: the lead partner will read it."))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.state != State.DEPOSITED:
            raise IllegalTransition("project", locked.state, State.RETURNED)
        returned_version = locked.version
        locked.version = returned_version + 1
        transition_project(project=locked, target=State.RETURNED, actor=actor, reason=reason, extra_fields=("version",))
        ProjectVersion.objects.filter(project=locked, number=returned_version).update(
            returned_at=timezone.now(),
            returned_by=actor if actor is not None and actor.is_authenticated else None,
            return_questions=reason,
        )
        _send_return_notice(locked, reason=reason, returned_version=returned_version)
    project.refresh_from_db()
    return project


def answer_return(*, project: Project, actor, answer: str) -> ProjectVersion:
    """The lead partner answers the pole's questions on a returned dossier (the view checks
    that `actor` is a contact of the lead); he may correct his answer until the next deposit.

    Side effects: stores the answer, its date and author on the returned version and writes
    the activity log. Raises DossierLocked when the project is not returned, ValueError
    on an empty answer."""
    answer = (answer or "").strip()
    if not answer:
        raise ValueError(gettext("Write your answer to the pole's questions."))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        version = (
            ProjectVersion.objects.filter(project=locked, returned_at__isnull=False).order_by("-number").first()
            if locked.state == State.RETURNED
            else None
        )
        if version is None:
            raise DossierLocked(gettext("This dossier is not waiting for an answer."))
        version.return_answer = answer
        version.answered_at = timezone.now()
        version.answered_by = actor
        version.save(update_fields=["return_answer", "answered_at", "answered_by"])
        record_activity(actor=actor, verb="project.return_answered", target=locked, data={"version": version.number})
    return version


# --- E-mails ----------------------------------------------------------------------------------


def _recipient_of(partner: Partner):
    """The partner's contact (a Person or a PartnerContact), or else its organisation's
    main contact (active ones only)."""
    contact = partner.shown_contact
    if contact is not None and contact.is_active and contact.email:
        return contact
    return (
        Person.objects.filter(organisation_id=partner.organisation_id, is_active=True, is_main_contact=True)
        .exclude(email="")
        .select_related("user")
        .order_by("pk")
        .first()
    )


def _project_context(project: Project, language: str) -> dict:
    with translation.override(language):
        title = project.title
    return {
        "pole_name": PoleProfile.current().name,
        "acronym": project.acronym,
        "title": title,
        "reference": project.reference or "",
    }


def _send_receipts(project: Project, version: ProjectVersion) -> None:
    partners = Partner.objects.filter(project=project).select_related(
        "organisation", "contact__user", "project_contact__user"
    )
    sent = set()
    for partner in partners.order_by("-is_lead", "created_at", "pk"):
        person = _recipient_of(partner)
        if person is None:
            logger.warning("Project %s: no contact to send the deposit receipt of %s to", project.pk, partner)
            continue
        if person.email.lower() in sent:
            continue
        sent.add(person.email.lower())
        language = language_of(person)
        with translation.override(language):
            deposited_at = formats.date_format(timezone.localtime(version.deposited_at), "DATETIME_FORMAT")
        context = {
            **_project_context(project, language),
            "contact_name": str(person),
            "organisation": partner.organisation.legal_name,
            "is_lead": partner.is_lead,
            "version": version.number,
            "deposited_at": deposited_at,
            "versions_url": absolute_url("projects:project-versions", language=language, kwargs={"pk": project.pk}),
        }
        send_email(name="projects_deposit_receipt", to=[person.email], context=context, language=language)


def _send_return_notice(project: Project, *, reason: str, returned_version: int) -> None:
    lead = (
        Partner.objects.filter(project=project, is_lead=True)
        .select_related("organisation", "contact__user", "project_contact__user")
        .first()
    )
    person = _recipient_of(lead) if lead is not None else None
    if person is None:
        logger.warning("Project %s: no lead contact to tell of its return for information", project.pk)
        return
    language = language_of(person)
    context = {
        **_project_context(project, language),
        "contact_name": str(person),
        "reason": reason,
        "returned_version": returned_version,
        "version": project.version,
        "project_url": absolute_url("projects:project-detail", language=language, kwargs={"pk": project.pk}),
    }
    send_email(name="projects_returned", to=[person.email], context=context, language=language)


# --- The dossier PDF -------------------------------------------------------------------------


def dossier_filename(version: ProjectVersion) -> str:
    """The name the PDF is stored and downloaded under: `2026-FUI-0042-v1.pdf`."""
    base = version.snapshot.get("reference") or version.project.reference or f"project-{version.project_id}"
    return f"{re.sub(r'[^A-Za-z0-9_-]+', '-', base)}-v{version.number}.pdf"


def dossier_request(version_id: int) -> FileRequest:
    """The generated file that is the PDF of a deposited version (pole.reports; kind
    registered in projects/reports.py). Always in French: it is the dossier as filed."""
    return FileRequest(
        kind=DOSSIER_PDF, parameters={"version_id": version_id}, language="fr", subject=f"{DOSSIER_PDF}:{version_id}"
    )


def _partner_context(partner: dict) -> dict:
    """One partner of a snapshot as the dossier prints it (labels in the active language)."""
    return {
        **partner,
        "display_name": versions.partner_display_name(partner),
        "lines": _by_category(partner.get("budget_lines", {})),
        "total": versions.as_decimal(partner.get("total")),
        "share": versions.as_decimal(partner.get("share")),
        "requested_aid": versions.as_decimal(partner.get("requested_aid")),
        "aid_rate": versions.as_decimal(partner.get("aid_rate")),
        "aids": _aids(partner.get("requested_aids", [])),
    }


def _by_category(amounts: dict) -> list[tuple[str, object]]:
    """(cost category, amount) pairs in the categories' order."""
    return [
        (versions.category_label(category), versions.as_decimal(amounts.get(category)))
        for category in versions.CostCategory.values
    ]


def _aids(entries: list[dict]) -> list[tuple[str, object]]:
    """(funding scheme, amount) pairs, the scheme by its name or else its code."""
    return [
        (versions.localised(entry) or entry.get("funding_scheme", "").upper(), versions.as_decimal(entry.get("amount")))
        for entry in entries
    ]


def _totals_context(totals: dict) -> dict:
    return {
        "category_totals": _by_category(totals.get("by_category", {})),
        "total_budget": versions.as_decimal(totals.get("budget")),
        "requested_aid": versions.as_decimal(totals.get("requested_aid")),
        "aid_rate": versions.as_decimal(totals.get("aid_rate")),
        "research_aid_share": versions.as_decimal(totals.get("research_aid_share")),
        "aid_by_scheme": _aids(totals.get("aid_by_scheme", [])),
    }


def dossier_context(version: ProjectVersion, *, language: str = "fr") -> dict:
    """What templates/reports/project_dossier.html prints, read from the version's
    snapshot (never from the live rows), with labels in `language`."""
    snapshot = version.snapshot
    general = snapshot.get("general", {})
    call = snapshot.get("call", {})
    with translation.override(language):
        partners = [_partner_context(partner) for partner in snapshot.get("partners", [])]
        names = {p["organisation_id"]: p["display_name"] for p in partners}
        return {
            "pole_name": PoleProfile.current().name,
            "version": version,
            "reference": snapshot.get("reference", ""),
            "number": version.number,
            "deposited_at": version.deposited_at,
            "deposited_by": version.deposited_by.get_full_name() if version.deposited_by else "",
            "general": general,
            **{
                field: versions.general_value(field, general.get(field))
                for field in ("kind", "sub_kind", "confidentiality", "start_date", "public_consent")
            },
            "call_title": versions.localised(call, "title"),
            "funding_scheme": versions.localised(call.get("funding_scheme", {})),
            "strategic_domains": [versions.localised(domain) for domain in snapshot.get("strategic_domains", [])],
            "co_labelling_poles": snapshot.get("co_labelling_poles", []),
            "partners": partners,
            **_totals_context(snapshot.get("totals", {})),
            "documents": [
                {
                    **document,
                    "kind_label": versions.choice_label(versions.DocumentKind, document.get("kind")),
                    "partner_name": names.get(document.get("partner_organisation_id"), ""),
                }
                for document in snapshot.get("documents", [])
            ],
        }


def render_dossier_pdf(*, version_id: int) -> bytes:
    """The PDF of one deposited version, in French, from its snapshot; the stored file
    itself when the version already has its PDF (immutable: never rendered twice)."""
    from pole.pdf import render_pdf

    version = ProjectVersion.objects.select_related("project", "deposited_by").get(pk=version_id)
    if version.pdf.name:
        with version.pdf.open("rb") as stored:
            return stored.read()
    return render_pdf("reports/project_dossier.html", dossier_context(version), language="fr")


def attach_dossier_pdf(*, version_id: int, content: bytes) -> str:
    """Store `content` as the PDF of a version, in `version.pdf` (private storage) with its
    SHA-256, unless the version already has one. Returns the name the version keeps.

    Immutable once written: the row is claimed by a conditional UPDATE (only where `pdf` is
    still empty), so of two runs at once the loser deletes its own file and one file
    remains. Side effects: one file, the row's `pdf` and `pdf_sha256`."""
    version = ProjectVersion.objects.select_related("project").get(pk=version_id)
    if version.pdf.name:
        return version.pdf.name
    field = ProjectVersion._meta.get_field("pdf")
    storage = field.storage
    name = storage.save(field.generate_filename(version, dossier_filename(version)), ContentFile(content))
    digest = hashlib.sha256(content).hexdigest()
    claimed = ProjectVersion.objects.filter(pk=version_id, pdf="").update(pdf=name, pdf_sha256=digest)
    if not claimed:
        storage.delete(name)
        return ProjectVersion.objects.values_list("pdf", flat=True).get(pk=version_id)
    return name


def store_dossier_pdf(*, version_id: int) -> str:
    """Render and store the PDF of one deposited version at once, without a request row
    (the deposit goes through pole.reports; this is for scripts and benchmarks). When the
    version already has its PDF, nothing is rendered or changed. Returns the stored name."""
    existing = ProjectVersion.objects.values_list("pdf", flat=True).get(pk=version_id)
    if existing:
        return existing
    return attach_dossier_pdf(version_id=version_id, content=render_dossier_pdf(version_id=version_id))

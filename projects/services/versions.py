"""Versions of a dossier [P6]: the frozen snapshot of a project as deposited, and what
changed between two snapshots, written for a person to read.

A snapshot is plain JSON (stored in ProjectVersion.snapshot): amounts are strings with two
places ("1234.50"), dates ISO strings, choices their stored values. It carries everything
the dossier PDF prints, so that the PDF of a version is rendered from the version itself,
never from the live rows that the consortium may have changed since (after a return).
The format is versioned (`SCHEMA`); readers use `.get()` so that an older snapshot still
renders.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext

from pole.money import format_euros
from projects.budgets import prefetch_for_budget, project_budget
from projects.models import (
    Confidentiality,
    CostCategory,
    DocumentKind,
    NonRDSubKind,
    Partner,
    Project,
    ProjectDocument,
    ProjectKind,
)
from projects.services.submission import GENERAL_FIELDS  # in the order the diff and the PDF show them

SCHEMA = 1

CHOICE_FIELDS = {"kind": ProjectKind, "sub_kind": NonRDSubKind, "confidentiality": Confidentiality}


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _bilingual(row, field: str = "name") -> dict:
    return {f"{field}_fr": getattr(row, f"{field}_fr"), f"{field}_en": getattr(row, f"{field}_en")}


def _person_name(person) -> str:
    return f"{person.first_name} {person.last_name}".strip() if person is not None else ""


def _snapshot_partner(row) -> dict:
    """One budget row (projects.budgets) as a partner entry of the snapshot."""
    partner, organisation = row.partner, row.partner.organisation
    return {
        "id": partner.pk,
        "organisation_id": organisation.pk,
        "name": organisation.legal_name,
        "acronym": organisation.acronym,
        "kind": organisation.kind,
        "siren": organisation.siren,
        "country": str(organisation.country.code or ""),
        "country_name": str(organisation.country.name or ""),
        "is_lead": partner.is_lead,
        "contact": _person_name(partner.shown_contact),
        "role": partner.role,
        "tasks": partner.tasks,
        "budget_lines": {category: str(amount) for category, amount in row.lines.items()},
        "total": str(row.total),
        "share": str(row.share),
        "requested_aid": str(row.requested_aid),
        "aid_rate": str(row.aid_rate),
        "requested_aids": [
            {"funding_scheme": aid.funding_scheme.code, **_bilingual(aid.funding_scheme), "amount": str(aid.amount)}
            for aid in sorted(row.aids, key=lambda aid: aid.funding_scheme.code)
        ],
    }


def _snapshot_document(document) -> dict:
    return {
        "kind": document.kind,
        "name": document.original_name,
        "sha256": document.sha256,
        "size": document.size,
        "partner_organisation_id": document.partner.organisation_id if document.partner else None,
        "uploaded_in_version": document.version,
    }


def _snapshot_totals(budget) -> dict:
    """The budget totals of the snapshot, amounts as strings."""
    return {
        "budget": str(budget.total),
        "requested_aid": str(budget.requested_aid),
        "aid_rate": str(budget.aid_rate),
        "research_aid": str(budget.research_aid),
        "research_aid_share": str(budget.research_aid_share),
        "by_category": {category: str(amount) for category, amount in budget.category_totals.items()},
        "aid_by_scheme": [
            {
                "funding_scheme": entry.funding_scheme.code,
                **_bilingual(entry.funding_scheme),
                "amount": str(entry.amount),
            }
            for entry in budget.aid_by_scheme
        ],
    }


def snapshot_project(project: Project) -> dict:
    """The dossier of `project` as it stands, as a JSON-serialisable dict: the general
    fields, the call, the strategic domains, the co-labelling poles, every partner (its
    organisation's name, SIREN and country, lead flag, contact's name, role, tasks, budget
    lines by cost category, requested aid by funding scheme, total, share and aid rate),
    the documents (kind, name, SHA-256) and the budget totals (projects.budgets).

    Reads the rows fresh from the database (a handful of queries, whatever the number of
    partners); changes nothing."""
    project = (
        Project.objects.select_related("call__funding_scheme")
        .prefetch_related(
            "strategic_domains",
            "co_labelling_poles",
            Prefetch(
                "documents",
                queryset=ProjectDocument.objects.current().select_related("partner").order_by("kind", "pk"),
            ),
        )
        .get(pk=project.pk)
    )
    partners = list(
        prefetch_for_budget(Partner.objects.filter(project=project))
        .select_related("contact", "project_contact")
        .order_by("-is_lead", "created_at", "pk")
    )
    budget = project_budget(project, partners=partners)
    call = project.call
    scheme = call.funding_scheme
    return {
        "schema": SCHEMA,
        "project_id": project.pk,
        "reference": project.reference or "",
        "version": project.version,
        "general": {name: _json_value(getattr(project, name)) for name in GENERAL_FIELDS},
        "call": {
            "code": call.code,
            **_bilingual(call, "title"),
            "funding_scheme": {"code": scheme.code, **_bilingual(scheme)},
        },
        "strategic_domains": [
            {"code": domain.code, **_bilingual(domain)} for domain in project.strategic_domains.all()
        ],
        "co_labelling_poles": sorted(pole.name for pole in project.co_labelling_poles.all()),
        "partners": [_snapshot_partner(row) for row in budget.rows],
        "documents": [_snapshot_document(document) for document in project.documents.all()],
        "totals": _snapshot_totals(budget),
    }


# --- Reading a snapshot ---------------------------------------------------------------------


def as_decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal("0.00")
    except InvalidOperation:
        return Decimal("0.00")


def localised(row: dict, field: str = "name") -> str:
    """The English or French variant of a bilingual snapshot entry, per the active language."""
    french, english = row.get(f"{field}_fr", ""), row.get(f"{field}_en", "")
    return english if (get_language() or "fr").startswith("en") and english else french


def choice_label(choices, value) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def general_value(name: str, value) -> str:
    """A general field's stored value as a person reads it, in the active language."""
    if value is None or value == "":
        return ""
    if name in CHOICE_FIELDS:
        return choice_label(CHOICE_FIELDS[name], value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if name == "start_date":
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def general_label(name: str) -> str:
    label = str(Project._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def category_label(category: str) -> str:
    return choice_label(CostCategory, category)


def partner_display_name(partner: dict) -> str:
    return partner.get("name") or partner.get("acronym") or gettext("Unknown organisation")


# --- Comparing two snapshots ------------------------------------------------------------------

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    """One difference between two versions, in words: `section` and `label` say what,
    `old` and `new` the values as shown ("" when absent).

    Views hide some rows, as the project page does: `organisation_id` is set on the
    details of one partner (contact, tasks, budget lines, requested aid, its documents),
    shown only to those who may see that partner's details; `lead_only` marks the
    project's own documents, shown only to staff and the lead partner's contacts."""

    section: str
    label: str
    old: str
    new: str
    kind: str = CHANGED
    organisation_id: int | None = None
    lead_only: bool = False


def diff_snapshots(old: dict, new: dict) -> list[Change]:
    """What changed from snapshot `old` to snapshot `new`, in reading order: general
    fields, call, strategic domains and co-labelling poles, partners added or removed and
    their role, tasks and contact, budget lines per partner and cost category, requested
    aid per partner and funding scheme, documents added or removed, and the totals.
    Labels and values are in the active language. An empty list means no change."""
    changes: list[Change] = []
    changes += _diff_general(old, new)
    changes += _diff_call(old, new)
    changes += _diff_partners(old, new)
    changes += _diff_budget(old, new)
    changes += _diff_documents(old, new)
    changes += _diff_totals(old, new)
    return changes


def _diff_general(old: dict, new: dict) -> list[Change]:
    section = gettext("General information")
    before, after = old.get("general", {}), new.get("general", {})
    changes = []
    for name in GENERAL_FIELDS:
        if before.get(name) != after.get(name):
            changes.append(
                Change(
                    section,
                    general_label(name),
                    general_value(name, before.get(name)),
                    general_value(name, after.get(name)),
                )
            )
    return changes


def _diff_call(old: dict, new: dict) -> list[Change]:
    changes = []
    old_call, new_call = old.get("call", {}), new.get("call", {})
    if old_call.get("code") != new_call.get("code"):
        changes.append(
            Change(
                gettext("General information"),
                gettext("Call"),
                localised(old_call, "title"),
                localised(new_call, "title"),
            )
        )
    for key, label in (
        ("strategic_domains", gettext("Strategic domains")),
        ("co_labelling_poles", gettext("Co-labelling poles")),
    ):
        before, after = _named_set(old.get(key, [])), _named_set(new.get(key, []))
        if set(before) != set(after):
            changes.append(
                Change(
                    gettext("General information"),
                    label,
                    ", ".join(sorted(before.values())),
                    ", ".join(sorted(after.values())),
                )
            )
    return changes


def _named_set(rows: list) -> dict:
    """{key: shown name} for a list of bilingual dicts (by code) or of plain names."""
    return {row["code"]: localised(row) for row in rows} if rows and isinstance(rows[0], dict) else {r: r for r in rows}


def _partners_by_organisation(snapshot: dict) -> dict[int, dict]:
    return {partner["organisation_id"]: partner for partner in snapshot.get("partners", [])}


def _diff_partners(old: dict, new: dict) -> list[Change]:
    section = gettext("Consortium")
    before, after = _partners_by_organisation(old), _partners_by_organisation(new)
    changes = []
    for organisation_id, partner in after.items():
        if organisation_id not in before:
            label = gettext("Lead partner added") if partner.get("is_lead") else gettext("Partner added")
            changes.append(Change(section, label, "", partner_display_name(partner), ADDED))
    for organisation_id, partner in before.items():
        if organisation_id not in after:
            label = gettext("Lead partner removed") if partner.get("is_lead") else gettext("Partner removed")
            changes.append(Change(section, label, partner_display_name(partner), "", REMOVED))

    old_lead = next((p for p in before.values() if p.get("is_lead")), None)
    new_lead = next((p for p in after.values() if p.get("is_lead")), None)
    old_lead_id = old_lead["organisation_id"] if old_lead else None
    new_lead_id = new_lead["organisation_id"] if new_lead else None
    if old_lead_id != new_lead_id:
        changes.append(
            Change(
                section,
                gettext("Lead partner"),
                partner_display_name(old_lead) if old_lead else "",
                partner_display_name(new_lead) if new_lead else "",
            )
        )

    # (key, label, one of the partner's details?)
    fields = (
        ("role", gettext("Role"), False),
        ("contact", gettext("Contact"), True),
        ("tasks", gettext("Tasks"), True),
    )
    for organisation_id, partner in after.items():
        previous = before.get(organisation_id)
        if previous is None:
            continue
        for key, field_label, is_detail in fields:
            if (previous.get(key) or "") != (partner.get(key) or ""):
                changes.append(
                    Change(
                        section,
                        f"{partner_display_name(partner)} — {field_label}",
                        previous.get(key) or "",
                        partner.get(key) or "",
                        organisation_id=organisation_id if is_detail else None,
                    )
                )
    return changes


def _diff_budget(old: dict, new: dict) -> list[Change]:
    """Budget lines per partner and category, then requested aid per partner and funding
    scheme; a partner present in one version only counts as zero in the other."""
    before, after = _partners_by_organisation(old), _partners_by_organisation(new)
    order = list(after) + [organisation_id for organisation_id in before if organisation_id not in after]
    lines, aids = [], []
    for organisation_id in order:
        partner = after.get(organisation_id) or before[organisation_id]
        name = partner_display_name(partner)
        old_lines = (before.get(organisation_id) or {}).get("budget_lines", {})
        new_lines = (after.get(organisation_id) or {}).get("budget_lines", {})
        categories = list(CostCategory.values) + sorted((set(old_lines) | set(new_lines)) - set(CostCategory.values))
        for category in categories:
            was, now = as_decimal(old_lines.get(category)), as_decimal(new_lines.get(category))
            if was != now:
                lines.append(
                    Change(
                        gettext("Budget"),
                        f"{name} — {category_label(category)}",
                        format_euros(was),
                        format_euros(now),
                        organisation_id=organisation_id,
                    )
                )
        old_aids = {aid["funding_scheme"]: aid for aid in (before.get(organisation_id) or {}).get("requested_aids", [])}
        new_aids = {aid["funding_scheme"]: aid for aid in (after.get(organisation_id) or {}).get("requested_aids", [])}
        for code in sorted(set(old_aids) | set(new_aids)):
            was = as_decimal(old_aids.get(code, {}).get("amount"))
            now = as_decimal(new_aids.get(code, {}).get("amount"))
            if was != now:
                scheme = new_aids.get(code) or old_aids[code]
                aids.append(
                    Change(
                        gettext("Requested aid"),
                        f"{name} — {localised(scheme) or code.upper()}",
                        format_euros(was),
                        format_euros(now),
                        organisation_id=organisation_id,
                    )
                )
    return lines + aids


def _document_key(document: dict) -> tuple:
    return (document.get("kind"), document.get("name"), document.get("sha256"), document.get("partner_organisation_id"))


def _diff_documents(old: dict, new: dict) -> list[Change]:
    """Documents are the same when kind, name, content (SHA-256) and partner match; a file
    replaced by another of the same name shows as one removed and one added."""
    section = gettext("Documents")
    before = Counter(_document_key(d) for d in old.get("documents", []))
    after = Counter(_document_key(d) for d in new.get("documents", []))
    changes = []
    for key in sorted((before - after).elements(), key=_sortable):
        changes.append(
            Change(section, _document_label(key), _document_value(key), "", REMOVED, key[3], lead_only=key[3] is None)
        )
    for key in sorted((after - before).elements(), key=_sortable):
        changes.append(
            Change(section, _document_label(key), "", _document_value(key), ADDED, key[3], lead_only=key[3] is None)
        )
    return changes


def _sortable(key: tuple) -> tuple:
    return tuple("" if part is None else str(part) for part in key)


def _document_label(key: tuple) -> str:
    return choice_label(DocumentKind, key[0]) or pgettext("document kind", "Other")


def _document_value(key: tuple) -> str:
    return f"{key[1]} (SHA-256 {str(key[2])[:12]}…)"


def _diff_totals(old: dict, new: dict) -> list[Change]:
    section = gettext("Totals")
    before, after = old.get("totals", {}), new.get("totals", {})
    changes = []
    for key, label in (("budget", gettext("Total budget")), ("requested_aid", gettext("Total requested aid"))):
        was, now = as_decimal(before.get(key)), as_decimal(after.get(key))
        if was != now:
            changes.append(Change(section, label, format_euros(was), format_euros(now)))
    return changes

"""The eligibility checklist [P4]: a project checked live against its call's parameters.

`check_eligibility(project)` returns one CheckResult per rule, each with a stable `code`,
a status ("pass", "warning" or "failure") and a translated message that gives the figures.
Failures block the deposit (`blocking_failures()`); warnings are shown but do not block.

The checks read the project's call, its partners (with organisation, budget lines and
requested aid) and its documents: a constant handful of queries, none when the project comes
from `prefetch_for_eligibility()`. Shares are compared once rounded to 0.01 %, the figure the
message shows, so that "70,00 %" always passes a 70 % ceiling and "70,01 %" always fails it.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext, ngettext

from members.models import OrganisationKind
from pole.money import format_euros
from projects.budgets import (
    RESEARCH_KINDS,
    format_percent,
    partners_for_budget,
    prefetch_for_budget,
    project_budget,
)
from projects.models import DocumentKind, PartnerConfirmation, Project, ProjectDocument, ProjectKind

PASS = "pass"
WARNING = "warning"
FAILURE = "failure"

# Stable codes, one per rule (required documents: one code per kind, "documents.<kind>").
GENERAL = "general.complete"
KIND = "kind.allowed"
LEAD_EXISTS = "lead.exists"
CONFIRMED = "consortium.confirmed"
LEAD_COMPANY = "lead.company"
COMPANIES = "consortium.companies"
RESEARCH = "consortium.research"
MAX_SHARE = "budget.max_partner_share"
RESEARCH_AID = "budget.research_aid_share"
FLOOR = "budget.floor"
CEILING = "budget.ceiling"
DOCUMENTS_PREFIX = "documents."


@dataclass(frozen=True)
class CheckResult:
    code: str
    status: str  # PASS, WARNING or FAILURE
    message: str  # translated, with the figures
    label: str = ""  # the rule in a few words (the checklist's first column)

    @property
    def passed(self) -> bool:
        return self.status == PASS

    @property
    def is_warning(self) -> bool:
        return self.status == WARNING

    @property
    def is_failure(self) -> bool:
        return self.status == FAILURE


def blocking_failures(results: list[CheckResult]) -> list[CheckResult]:
    """The results that forbid the deposit (warnings never do)."""
    return [result for result in results if result.status == FAILURE]


def prefetch_for_eligibility(queryset: QuerySet) -> QuerySet:
    """A Project queryset with everything `check_eligibility()` reads."""
    return prefetch_for_budget(queryset.select_related("call")).prefetch_related(
        Prefetch("documents", queryset=ProjectDocument.objects.current().only("id", "project_id", "kind"))
    )


def _current_document_kinds(project: Project) -> set[str]:
    if "documents" in getattr(project, "_prefetched_objects_cache", {}):
        return {doc.kind for doc in project.documents.all()}
    return set(project.documents.current().values_list("kind", flat=True))


def _company_key(organisation):
    """Establishments of one company share a SIREN and count once; a company without
    SIREN (a foreign one) counts on its own."""
    return ("siren", organisation.siren) if organisation.siren else ("pk", organisation.pk)


def _label(kind_value: str, choices) -> str:
    return str(dict(choices).get(kind_value, kind_value))


def check_eligibility(project: Project) -> list[CheckResult]:
    """Every rule of the project's call, checked live."""
    call = project.call
    partners = partners_for_budget(project)
    budget = project_budget(project, partners=partners)
    results = [_check_general(project), _check_kind(project, call)]

    leads = [partner for partner in partners if partner.is_lead]
    lead = leads[0] if leads else None
    label = gettext("Lead partner")
    if lead is None:
        results.append(CheckResult(LEAD_EXISTS, FAILURE, gettext("No lead partner is designated yet."), label))
    else:
        message = gettext("The lead partner is %(name)s.") % {"name": lead.organisation.display_name}
        results.append(CheckResult(LEAD_EXISTS, PASS, message, label))
    results.append(_check_lead_company(call, lead))
    results.append(_check_confirmed(partners))

    companies = {_company_key(p.organisation) for p in partners if p.organisation.kind == OrganisationKind.COMPANY}
    results.append(_check_companies(len(companies), call.min_companies))
    research_bodies = sum(1 for p in partners if p.organisation.kind in RESEARCH_KINDS)
    results.append(_check_research(research_bodies, call.min_research_or_training))

    results.append(_check_max_share(budget, call))
    results.append(_check_research_aid(budget, call))
    results.extend(_check_budget_range(budget, call))
    results.extend(_check_documents(project, call))
    return results


def _check_confirmed(partners) -> CheckResult:
    """Organisation boundary [A3]: a partner whose organisation already has contacts on
    the portal must be confirmed by one of its administrators before the deposit."""
    label = gettext("Partners' confirmation")
    awaiting = [p.organisation.display_name for p in partners if p.confirmation != PartnerConfirmation.CONFIRMED]
    if awaiting:
        message = gettext(
            "Awaiting confirmation by the administrators of their organisation on the portal: %(names)s."
        ) % {"names": ", ".join(awaiting)}
        return CheckResult(CONFIRMED, FAILURE, message, label)
    return CheckResult(CONFIRMED, PASS, gettext("Every partner has confirmed that it takes part."), label)


def _check_general(project: Project) -> CheckResult:
    label = gettext("General information")
    missing = []
    if not project.acronym.strip():
        missing.append(gettext("acronym"))
    if not (project.title_fr.strip() or project.title_en.strip()):
        missing.append(gettext("title"))
    if not (project.summary_fr.strip() or project.summary_en.strip()):
        missing.append(gettext("public summary"))
    if missing:
        message = gettext("Still missing: %(fields)s.") % {"fields": ", ".join(missing)}
        return CheckResult(GENERAL, FAILURE, message, label)
    return CheckResult(GENERAL, PASS, gettext("The acronym, title and public summary are filled in."), label)


def _check_kind(project: Project, call) -> CheckResult:
    label = gettext("Project kind")
    kind = _label(project.kind, ProjectKind.choices)
    if call.allowed_kinds and project.kind not in call.allowed_kinds:
        allowed = ", ".join(_label(value, ProjectKind.choices) for value in call.allowed_kinds)
        message = gettext("This call does not accept the kind “%(kind)s”; it accepts: %(allowed)s.") % {
            "kind": kind,
            "allowed": allowed,
        }
        return CheckResult(KIND, FAILURE, message, label)
    return CheckResult(KIND, PASS, gettext("This call accepts the kind “%(kind)s”.") % {"kind": kind}, label)


def _check_lead_company(call, lead) -> CheckResult:
    label = gettext("Lead partner is a company")
    if not call.lead_must_be_company:
        return CheckResult(
            LEAD_COMPANY, PASS, gettext("This call accepts a lead partner of any kind of organisation."), label
        )
    if lead is None:
        message = gettext("This call requires the lead partner to be a company; no lead partner is designated yet.")
        return CheckResult(LEAD_COMPANY, FAILURE, message, label)
    if lead.organisation.kind != OrganisationKind.COMPANY:
        message = gettext("The lead partner %(name)s is not a company; this call requires a company as lead.") % {
            "name": lead.organisation.display_name
        }
        return CheckResult(LEAD_COMPANY, FAILURE, message, label)
    message = gettext("The lead partner %(name)s is a company.") % {"name": lead.organisation.display_name}
    return CheckResult(LEAD_COMPANY, PASS, message, label)


def _check_companies(count: int, required: int) -> CheckResult:
    label = gettext("Independent companies")
    message = ngettext(
        "The consortium has %(count)s independent company; this call requires at least %(required)s.",
        "The consortium has %(count)s independent companies; this call requires at least %(required)s.",
        count,
    ) % {"count": count, "required": required}
    return CheckResult(COMPANIES, PASS if count >= required else FAILURE, message, label)


def _check_research(count: int, required: int) -> CheckResult:
    label = gettext("Research or training bodies")
    message = ngettext(
        "The consortium has %(count)s research or training body; this call requires at least %(required)s.",
        "The consortium has %(count)s research or training bodies; this call requires at least %(required)s.",
        count,
    ) % {"count": count, "required": required}
    return CheckResult(RESEARCH, PASS if count >= required else FAILURE, message, label)


def _check_max_share(budget, call) -> CheckResult:
    label = gettext("Share of one partner")
    maximum = format_percent(call.max_partner_share)
    over = [row for row in budget.rows if row.share > call.max_partner_share]
    if over:
        message = " ".join(
            gettext("The partner %(name)s holds %(share)s of the budget; this call allows at most %(max)s.")
            % {"name": row.organisation.display_name, "share": format_percent(row.share), "max": maximum}
            for row in over
        )
        return CheckResult(MAX_SHARE, FAILURE, message, label)
    largest = budget.largest_row
    if largest is None or not budget.total:
        message = gettext("No budget yet; this call allows at most %(max)s of the budget for one partner.") % {
            "max": maximum
        }
    else:
        message = gettext("The largest share is %(share)s (%(name)s); this call allows at most %(max)s.") % {
            "share": format_percent(largest.share),
            "name": largest.organisation.display_name,
            "max": maximum,
        }
    return CheckResult(MAX_SHARE, PASS, message, label)


def _check_research_aid(budget, call) -> CheckResult:
    label = gettext("Research share of the aid")
    figures = {
        "share": format_percent(budget.research_aid_share),
        "threshold": format_percent(call.research_aid_warning_share),
    }
    if budget.research_aid_share > call.research_aid_warning_share:
        message = (
            gettext(
                "Research and training bodies request %(share)s of the aid, above the %(threshold)s this call "
                "flags; the committee will look at the consortium's balance."
            )
            % figures
        )
        return CheckResult(RESEARCH_AID, WARNING, message, label)
    message = gettext("Research and training bodies request %(share)s of the aid (flagged above %(threshold)s).")
    return CheckResult(RESEARCH_AID, PASS, message % figures, label)


def _check_budget_range(budget, call) -> list[CheckResult]:
    results = []
    total = format_euros(budget.total)
    if call.budget_floor is not None:
        label = gettext("Minimum budget")
        figures = {"total": total, "floor": format_euros(call.budget_floor)}
        if budget.total < call.budget_floor:
            message = gettext("The total budget is %(total)s; this call requires at least %(floor)s.") % figures
            results.append(CheckResult(FLOOR, FAILURE, message, label))
        else:
            message = gettext("The total budget is %(total)s, at least the %(floor)s required.") % figures
            results.append(CheckResult(FLOOR, PASS, message, label))
    if call.budget_ceiling is not None:
        label = gettext("Maximum budget")
        figures = {"total": total, "ceiling": format_euros(call.budget_ceiling)}
        if budget.total > call.budget_ceiling:
            message = gettext("The total budget is %(total)s; this call allows at most %(ceiling)s.") % figures
            results.append(CheckResult(CEILING, FAILURE, message, label))
        else:
            message = gettext("The total budget is %(total)s, within the %(ceiling)s allowed.") % figures
            results.append(CheckResult(CEILING, PASS, message, label))
    return results


def _check_documents(project: Project, call) -> list[CheckResult]:
    if not call.required_document_kinds:
        return []
    present = _current_document_kinds(project)
    results = []
    for kind in call.required_document_kinds:
        name = _label(kind, DocumentKind.choices)
        label = gettext("Document: %(kind)s") % {"kind": name}
        if kind in present:
            results.append(CheckResult(DOCUMENTS_PREFIX + kind, PASS, gettext("Provided."), label))
        else:
            message = gettext("This call requires the document “%(kind)s”; it is missing.") % {"kind": name}
            results.append(CheckResult(DOCUMENTS_PREFIX + kind, FAILURE, message, label))
    return results


def call_rules(call) -> list[str]:
    """The call's eligibility rules in plain words, for its public page."""
    rules = []
    if call.min_companies:
        rules.append(
            ngettext(
                "At least %(count)s independent company in the consortium "
                "(several establishments of one company count once).",
                "At least %(count)s independent companies in the consortium "
                "(several establishments of one company count once).",
                call.min_companies,
            )
            % {"count": call.min_companies}
        )
    if call.min_research_or_training:
        rules.append(
            ngettext(
                "At least %(count)s research organisation, laboratory or training body.",
                "At least %(count)s research organisations, laboratories or training bodies.",
                call.min_research_or_training,
            )
            % {"count": call.min_research_or_training}
        )
    if call.lead_must_be_company:
        rules.append(gettext("The lead partner must be a company."))
    else:
        rules.append(gettext("The lead partner may be any kind of organisation."))
    rules.append(
        gettext("No partner may hold more than %(share)s of the total budget.")
        % {"share": format_percent(call.max_partner_share)}
    )
    rules.append(
        gettext(
            "When research and training bodies request more than %(share)s of the aid, the checklist shows a "
            "warning; the deposit remains possible."
        )
        % {"share": format_percent(call.research_aid_warning_share)}
    )
    floor, ceiling = call.budget_floor, call.budget_ceiling
    if floor is not None and ceiling is not None:
        rules.append(
            gettext("The total budget must be between %(floor)s and %(ceiling)s.")
            % {"floor": format_euros(floor), "ceiling": format_euros(ceiling)}
        )
    elif floor is not None:
        rules.append(gettext("The total budget must be at least %(floor)s.") % {"floor": format_euros(floor)})
    elif ceiling is not None:
        rules.append(gettext("The total budget must be at most %(ceiling)s.") % {"ceiling": format_euros(ceiling)})
    if call.required_document_kinds:
        names = ", ".join(_label(kind, DocumentKind.choices) for kind in call.required_document_kinds)
        rules.append(gettext("Required documents: %(documents)s.") % {"documents": names})
    return rules

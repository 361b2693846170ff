"""A project's budget, computed from its consortium [P2]: per-partner rows (lines by cost
category, total, share of the project's total, requested aid, aid rate), totals per cost
category, the project's totals and the share of the requested aid going to research or
training bodies (the eligibility checklist warns above a call's threshold [P4]).

Everything is Decimal, quantised to 0.01 with ROUND_HALF_UP; a zero denominator gives
0.00 % rather than an error. The figures are computed in Python from prefetched rows:
`prefetch_for_budget()` prepares a queryset so that `project_budget()` runs no query per
partner (and none at all when the project came from such a queryset).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.formats import number_format
from django.utils.translation import get_language

from members.models import OrganisationKind
from projects.models import CostCategory, Partner, Project, RequestedAid

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

# Organisations whose aid counts as "research" aid [P4]: research organisations and labs,
# higher-education and training bodies.
RESEARCH_KINDS = frozenset({OrganisationKind.RESEARCH, OrganisationKind.EDUCATION})


def money(value) -> Decimal:
    """`value` as euros with two places (ROUND_HALF_UP)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def percentage(part: Decimal, whole: Decimal) -> Decimal:
    """`part` as a percentage of `whole`, two places, ROUND_HALF_UP; 0.00 when `whole` is 0."""
    if not whole:
        return ZERO
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_percent(value) -> str:
    """« 74,00 % » in French (no-break space before the sign), "74.00%" in English."""
    figure = number_format(value, 2)
    return f"{figure}\u00a0%" if (get_language() or "fr").startswith("fr") else f"{figure}%"


@dataclass
class AidAmount:
    """Requested aid from one funding scheme (per partner or summed over the project)."""

    funding_scheme: object  # pole.models.FundingScheme
    amount: Decimal


@dataclass
class PartnerBudgetRow:
    partner: Partner
    lines: dict[str, Decimal]  # every CostCategory value → amount (0.00 when the partner has no line)
    total: Decimal
    share: Decimal  # % of the project's total budget
    requested_aid: Decimal
    aid_rate: Decimal  # % of the partner's own budget
    aids: list[AidAmount] = field(default_factory=list)

    @property
    def organisation(self):
        return self.partner.organisation

    @property
    def is_research(self) -> bool:
        return self.partner.organisation.kind in RESEARCH_KINDS

    @property
    def share_display(self) -> str:
        return format_percent(self.share)

    @property
    def aid_rate_display(self) -> str:
        return format_percent(self.aid_rate)

    @property
    def amounts(self) -> list[Decimal]:
        """The line amounts in CostCategory order (for table cells)."""
        return [self.lines[value] for value in CostCategory.values]


@dataclass
class ProjectBudget:
    rows: list[PartnerBudgetRow]
    category_totals: dict[str, Decimal]  # every CostCategory value → total over the partners
    total: Decimal
    requested_aid: Decimal
    aid_rate: Decimal  # % of the project's total budget
    research_aid: Decimal  # requested aid of research or training bodies
    research_aid_share: Decimal  # % of the requested aid
    aid_by_scheme: list[AidAmount] = field(default_factory=list)

    @property
    def aid_rate_display(self) -> str:
        return format_percent(self.aid_rate)

    @property
    def total_share_display(self) -> str:
        """The partners' shares add up to this (100 % once there is a budget)."""
        return format_percent(HUNDRED if self.total else ZERO)

    @property
    def research_aid_share_display(self) -> str:
        return format_percent(self.research_aid_share)

    @property
    def categories(self) -> list[tuple[str, str]]:
        """(value, label) of the cost categories, in order (for table headers)."""
        return list(CostCategory.choices)

    @property
    def category_total_amounts(self) -> list[Decimal]:
        return [self.category_totals[value] for value in CostCategory.values]

    @property
    def largest_row(self) -> PartnerBudgetRow | None:
        """The partner with the largest share (the first one on a tie), None without partners."""
        return max(self.rows, key=lambda row: row.total, default=None)

    def row_for(self, partner) -> PartnerBudgetRow | None:
        partner_id = getattr(partner, "pk", partner)
        return next((row for row in self.rows if row.partner.pk == partner_id), None)


def _partner_prefetches() -> list:
    return [
        "budget_lines",
        Prefetch("requested_aids", queryset=RequestedAid.objects.select_related("funding_scheme")),
    ]


def prefetch_for_budget(queryset: QuerySet) -> QuerySet:
    """`queryset` (of Project or of Partner) with what `project_budget()` reads: the
    partners with their organisation, budget lines and requested aid (with its funding
    scheme). Constant number of queries, whatever the number of projects or partners."""
    if queryset.model is Partner:
        return queryset.select_related("organisation").prefetch_related(*_partner_prefetches())
    if queryset.model is Project:
        partners = Partner.objects.select_related("organisation").prefetch_related(*_partner_prefetches())
        return queryset.prefetch_related(Prefetch("partners", queryset=partners))
    raise TypeError(f"prefetch_for_budget() takes a Project or Partner queryset, not {queryset.model.__name__}")


def _is_prefetched(instance, name: str) -> bool:
    return name in getattr(instance, "_prefetched_objects_cache", {})


def partners_for_budget(project: Project) -> list[Partner]:
    """The project's partners with their organisation, lines and aid: from the prefetched
    cache when the project came from `prefetch_for_budget()`, else in three queries
    (the result is not stored on `project`, so a later call never reads stale rows)."""
    if _is_prefetched(project, "partners"):
        partners = list(project.partners.all())
        if all(_is_prefetched(p, "budget_lines") and _is_prefetched(p, "requested_aids") for p in partners):
            return partners
    return list(prefetch_for_budget(Partner.objects.filter(project=project)))


def project_budget(project: Project, partners: list[Partner] | None = None) -> ProjectBudget:
    """The budget of `project`. `partners` may be given when the caller already holds them
    (as returned by `partners_for_budget()`); otherwise see `partners_for_budget()`."""
    if partners is None:
        partners = partners_for_budget(project)

    raw_rows = []
    category_totals = {value: ZERO for value in CostCategory.values}
    aid_by_scheme: dict[int, AidAmount] = {}
    for partner in partners:
        lines = {value: ZERO for value in CostCategory.values}
        for line in partner.budget_lines.all():
            lines[line.category] = money(lines.get(line.category, ZERO) + line.amount)
        for category, amount in lines.items():
            category_totals[category] = category_totals.get(category, ZERO) + amount
        per_scheme: dict[int, AidAmount] = {}
        for aid in partner.requested_aids.all():
            entry = per_scheme.setdefault(aid.funding_scheme_id, AidAmount(aid.funding_scheme, ZERO))
            entry.amount = money(entry.amount + aid.amount)
            project_entry = aid_by_scheme.setdefault(aid.funding_scheme_id, AidAmount(aid.funding_scheme, ZERO))
            project_entry.amount = money(project_entry.amount + aid.amount)
        total = money(sum(lines.values(), ZERO))
        aids = list(per_scheme.values())
        requested = money(sum((entry.amount for entry in aids), ZERO))
        raw_rows.append((partner, lines, total, requested, aids))

    total = money(sum((row[2] for row in raw_rows), ZERO))
    requested_aid = money(sum((row[3] for row in raw_rows), ZERO))
    research_aid = money(sum((row[3] for row in raw_rows if row[0].organisation.kind in RESEARCH_KINDS), ZERO))
    rows = [
        PartnerBudgetRow(
            partner=partner,
            lines=lines,
            total=partner_total,
            share=percentage(partner_total, total),
            requested_aid=requested,
            aid_rate=percentage(requested, partner_total),
            aids=aids,
        )
        for partner, lines, partner_total, requested, aids in raw_rows
    ]
    return ProjectBudget(
        rows=rows,
        category_totals={category: money(amount) for category, amount in category_totals.items()},
        total=total,
        requested_aid=requested_aid,
        aid_rate=percentage(requested_aid, total),
        research_aid=research_aid,
        research_aid_share=percentage(research_aid, requested_aid),
        aid_by_scheme=sorted(aid_by_scheme.values(), key=lambda entry: entry.funding_scheme.code),
    )

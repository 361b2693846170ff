"""The money of a demo project: the total by kind, its split between partners and cost
categories (whole hundreds of euros), the aid rate of each partner and the funding schemes
that share the aid."""

from decimal import Decimal

from members.models import OrganisationKind
from projects.budgets import RESEARCH_KINDS
from projects.demo.catalogue import FUI, LOPSIDED, NON_RD, OPEN, PLATFORM, RD, Spec
from projects.models import CostCategory, NonRDSubKind

# Aid rates on the partner's budget: FUI-like rules for companies by size, 100 % of the
# marginal costs (the budget they present) for research and training bodies.
RD_AID_RATES = {"micro": "0.45", "sme": "0.45", "midsize": "0.35", "large": "0.30"}


def _split(rng, total: int, weights: dict[str, tuple[float, float]]) -> dict[str, Decimal]:
    """`total` (whole euros, a multiple of 100) split by categories in hundreds of euros;
    categories drawn below 1 % are left out."""
    drawn = {category: rng.uniform(*bounds) for category, bounds in weights.items()}
    drawn = {category: value for category, value in drawn.items() if value >= 1}
    scale = sum(drawn.values())
    amounts, remaining = {}, total
    categories = list(drawn)
    for category in categories[:-1]:
        amount = round(total * drawn[category] / scale / 100) * 100
        amounts[category] = amount
        remaining -= amount
    amounts[categories[-1]] = remaining
    return {category: Decimal(amount).quantize(Decimal("0.01")) for category, amount in amounts.items() if amount > 0}


C = CostCategory
CATEGORY_WEIGHTS = {
    "company": {C.PERSONNEL: (50, 62), C.EQUIPMENT: (4, 14), C.SUBCONTRACTING: (0, 12), C.TRAVEL: (1, 3),
                C.OTHER_DIRECT: (3, 8), C.OVERHEADS: (14, 22)},
    "research": {C.PERSONNEL: (40, 55), C.EQUIPMENT: (10, 25), C.SUBCONTRACTING: (0, 5), C.TRAVEL: (2, 4),
                 C.OTHER_DIRECT: (8, 15), C.OVERHEADS: (3, 6)},
    "public": {C.PERSONNEL: (50, 70), C.SUBCONTRACTING: (10, 25), C.TRAVEL: (3, 8), C.OTHER_DIRECT: (5, 15),
               C.OVERHEADS: (5, 10)},
    "platform_lead": {C.PERSONNEL: (20, 30), C.EQUIPMENT: (40, 60), C.SUBCONTRACTING: (5, 10),
                      C.OTHER_DIRECT: (3, 8), C.OVERHEADS: (5, 10)},
    "real_estate": {C.PERSONNEL: (5, 10), C.EQUIPMENT: (60, 75), C.SUBCONTRACTING: (10, 20),
                    C.OTHER_DIRECT: (3, 8)},
    "non_rd": {C.PERSONNEL: (35, 55), C.SUBCONTRACTING: (15, 30), C.TRAVEL: (3, 15), C.OTHER_DIRECT: (10, 20),
               C.OVERHEADS: (5, 10)},
}  # fmt: skip


def budget_of(rng, spec: Spec, members: list[tuple]) -> list[dict[str, Decimal]]:
    """Budget lines per partner (same order as `members`): R&D 1 to 4 M€, platforms 0.8 to
    2.5 M€, non-R&D 0.12 to 0.9 M€; no partner above 60 % of the total (above 70 % for the
    LOPSIDED drafts, which the checklist must refuse)."""
    low, high = {RD: (1.1, 3.8), PLATFORM: (0.8, 2.5), NON_RD: (0.12, 0.9)}[spec.kind]
    total = rng.uniform(low, high) * 1_000_000
    weights = []
    for organisation, is_lead in members:
        if organisation.kind == OrganisationKind.COMPANY:
            weights.append(rng.uniform(1.6, 2.6) if is_lead else rng.uniform(0.7, 1.7))
        elif organisation.kind in RESEARCH_KINDS and spec.kind == RD:
            weights.append(rng.uniform(0.3, 0.65))
        else:
            weights.append(rng.uniform(1.2, 2.0) if is_lead else rng.uniform(0.4, 1.0))
    ceiling = 0.6 if spec.acronym not in LOPSIDED else 0.8
    if spec.acronym in LOPSIDED:
        weights[0] = sum(weights[1:]) * 4
    while max(weights) / sum(weights) > ceiling:
        top = weights.index(max(weights))
        weights[top] *= 0.9
    budgets = []
    for (organisation, is_lead), weight in zip(members, weights, strict=True):
        partner_total = max(100, round(total * weight / sum(weights) / 100) * 100)
        if spec.kind == NON_RD:
            profile = "real_estate" if spec.sub_kind == NonRDSubKind.REAL_ESTATE and is_lead else "non_rd"
        elif spec.kind == PLATFORM and is_lead:
            profile = "platform_lead"
        elif organisation.kind == OrganisationKind.COMPANY:
            profile = "company"
        elif organisation.kind in RESEARCH_KINDS:
            profile = "research"
        else:
            profile = "public"
        budgets.append(_split(rng, partner_total, CATEGORY_WEIGHTS[profile]))
    return budgets


def aid_rate(spec: Spec, organisation) -> Decimal:
    if spec.kind == RD:
        if organisation.kind in RESEARCH_KINDS:
            return Decimal("1.00")
        if organisation.kind == OrganisationKind.COMPANY:
            return Decimal(RD_AID_RATES.get(organisation.size_category, "0.40"))
        return Decimal("0.50")
    if spec.kind == NON_RD and spec.sub_kind == NonRDSubKind.REAL_ESTATE:
        return Decimal("0.30")
    return Decimal("0.50")


def aid_split(rng, spec: Spec, schemes: dict) -> list[tuple]:
    """[(funding scheme, fraction of the partner's aid)]: the call's scheme, co-funded by
    the Region for some FUI projects and by the ERDF for the platforms."""
    if spec.call_key == FUI:
        return (
            [(schemes["fui"], Decimal("0.6")), (schemes["region"], Decimal("0.4"))]
            if rng.random() < 0.6
            else [(schemes["fui"], Decimal("1"))]
        )
    if spec.call_key == OPEN:
        return [(schemes["pspc-regions"], Decimal("1"))]
    if spec.kind == PLATFORM:
        return [(schemes["region"], Decimal("0.5")), (schemes["feder"], Decimal("0.5"))]
    return [(schemes["region"], Decimal("1"))]


def euros(value) -> Decimal:
    return Decimal(round(value)).quantize(Decimal("0.01"))

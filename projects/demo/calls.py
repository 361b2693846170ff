"""The three demo calls, dated from today, found again by code."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from pole.models import FundingScheme
from projects.demo.catalogue import FUI, NON_RD, OPEN, PLATFORM, RD, REGION
from projects.models import Call, DocumentKind

PARIS = ZoneInfo("Europe/Paris")

# The rules of the national collaborative R&D schemes (FUI, PSPC): a company leads, with
# another company and a laboratory, for 1 to 4 M€.
COLLABORATIVE_RD_RULES = {
    "min_companies": 2,
    "min_research_or_training": 1,
    "lead_must_be_company": True,
    "max_partner_share": Decimal("70"),
    "research_aid_warning_share": Decimal("40"),
    "budget_floor": Decimal("1000000"),
    "budget_ceiling": Decimal("4000000"),
    "required_document_kinds": [DocumentKind.TECHNICAL_ANNEX, DocumentKind.CONSORTIUM_AGREEMENT],
}


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=PARIS)


def _fui_call(deadline: date) -> dict:
    return {
        "code": f"fui-{deadline.year}",
        "funding_scheme": "fui",
        "title_fr": f"FUI-Régions {deadline.year} — projets collaboratifs de R&D",
        "title_en": f"FUI-Regions {deadline.year} — collaborative R&D projects",
        "description_fr": "Appel à projets du Fonds unique interministériel, cofinancé par la Région : projets de "
        "R&D collaboratifs portés par une entreprise, associant au moins deux entreprises indépendantes et un "
        "laboratoire, labellisés par le pôle.",
        "description_en": "Call of the Single Inter-ministerial Fund, co-funded by the Region: collaborative R&D "
        "projects led by a company, with at least two independent companies and a laboratory, labelled by the "
        "cluster.",
        "allowed_kinds": [RD],
        "opens_at": _noon(deadline - timedelta(days=75)),
        "deadline": _noon(deadline),
        **COLLABORATIVE_RD_RULES,
    }


def _region_call(deadline: date) -> dict:
    return {
        "code": f"region-{deadline.year}",
        "funding_scheme": "region",
        "title_fr": f"Région — innovation et hydrogène {deadline.year}",
        "title_en": f"Region — innovation and hydrogen {deadline.year}",
        "description_fr": "Appel régional ouvert aux projets de R&D, aux plateformes d'innovation et aux projets "
        "structurants hors R&D (formation, immobilier, numérique, intelligence économique, promotion et "
        "international) de la filière hydrogène.",
        "description_en": "Regional call open to R&D projects, innovation platforms and non-R&D structuring "
        "projects (training, real estate, ICT, economic intelligence, promotion and international) of the "
        "hydrogen sector.",
        "allowed_kinds": [RD, PLATFORM, NON_RD],
        "opens_at": _noon(deadline - timedelta(days=70)),
        "deadline": _noon(deadline),
        "min_companies": 1,
        "min_research_or_training": 0,
        "lead_must_be_company": False,
        "max_partner_share": Decimal("70"),
        "research_aid_warning_share": Decimal("40"),
        "budget_floor": Decimal("100000"),
        "budget_ceiling": Decimal("4000000"),
        "required_document_kinds": [DocumentKind.TECHNICAL_ANNEX],
    }


def _open_call(opening: date, deadline: date) -> dict:
    return {
        "code": f"pspc-regions-{opening.year}",
        "funding_scheme": "pspc-regions",
        "title_fr": f"PSPC-Régions {opening.year} — hydrogène et mobilités bas carbone",
        "title_en": f"PSPC-Regions {opening.year} — hydrogen and low-carbon mobility",
        "description_fr": "Projets structurants pour la compétitivité, cofinancés par l'État et la Région : R&D "
        "collaborative de 1 à 4 M€ et plateformes d'innovation, portées par une entreprise.",
        "description_en": "Structuring projects for competitiveness, co-funded by the State and the Region: "
        "collaborative R&D of 1 to 4 M€ and innovation platforms, led by a company.",
        "allowed_kinds": [RD, PLATFORM],
        "opens_at": _noon(opening),
        "deadline": _noon(deadline),
        **COLLABORATIVE_RD_RULES,
    }


def call_specs(today: date) -> dict[str, dict]:
    """The three demo calls, dated from `today`: two past calls and one open for six more weeks."""
    return {
        FUI: _fui_call(date(today.year - 2, 3, 14)),
        REGION: _region_call(today - timedelta(days=140)),
        OPEN: _open_call(today - timedelta(days=35), today + timedelta(days=42)),
    }


def seed_calls(today: date) -> dict[str, Call]:
    calls = {}
    for key, spec in call_specs(today).items():
        call = Call.objects.filter(code=spec["code"]).first()
        if call is None:
            values = {**spec, "funding_scheme": FundingScheme.objects.get(code=spec["funding_scheme"])}
            call = Call.objects.create(**values)
        calls[key] = call
    return calls

"""Demo data of the bottom layer: the pole itself and its reference lists. Called by
`manage.py seed_demo`; idempotent (a second run changes no row)."""

import csv
from pathlib import Path

from django.conf import settings

from pole.models import FundingScheme, OtherCluster, PoleProfile, StrategicDomain

DATA_DIR = Path(settings.BASE_DIR) / "pole" / "data"

POLE = {
    "name": "Pôle Hydrogène & Mobilités Bas Carbone",
    "short_name": "HyMob",
    "tagline_fr": "Le pôle de compétitivité de la filière hydrogène et des mobilités décarbonées",
    "tagline_en": "The competitiveness cluster for hydrogen and low-carbon mobility",
    "presentation_fr": (
        "HyMob rassemble entreprises, laboratoires et organismes de formation autour de la "
        "production, du stockage et des usages de l'hydrogène décarboné. Le pôle fait émerger "
        "des projets collaboratifs d'innovation, les labellise et les accompagne jusqu'au "
        "financement et au marché."
    ),
    "presentation_en": (
        "HyMob brings together companies, laboratories and training bodies around the "
        "production, storage and uses of low-carbon hydrogen. The cluster builds collaborative "
        "innovation projects, labels them and supports them through funding and to market."
    ),
    "territory": "Auvergne-Rhône-Alpes",
    "address": "12 rue de l'Innovation\n69007 Lyon",
    "contact_email": "contact@demo.example",
    "website": "https://hymob.example",
    "bank_details": "Titulaire : Association HyMob\nIBAN : FR76 3000 4000 0500 0012 3456 789\nBIC : BNPAFRPPXXX",
}

DOMAINS = [
    (
        "production",
        "Production d'hydrogène décarboné",
        "Low-carbon hydrogen production",
        "Électrolyse, biomasse, valorisation des coproduits.",
        "Electrolysis, biomass, by-product recovery.",
    ),
    (
        "storage",
        "Stockage, transport et distribution",
        "Storage, transport and distribution",
        "Réservoirs, compression, stations de recharge.",
        "Tanks, compression, refuelling stations.",
    ),
    (
        "fuel-cells",
        "Piles à combustible et systèmes",
        "Fuel cells and systems",
        "Cœurs de pile, intégration, électronique de puissance.",
        "Stacks, integration, power electronics.",
    ),
    (
        "heavy-mobility",
        "Mobilités lourdes, fluviales et ferroviaires",
        "Heavy, river and rail mobility",
        "Poids lourds, bus, bateaux, trains à hydrogène.",
        "Trucks, buses, boats, hydrogen trains.",
    ),
    (
        "industry",
        "Usages industriels et écosystèmes territoriaux",
        "Industrial uses and local ecosystems",
        "Décarbonation de l'industrie, hubs territoriaux.",
        "Decarbonising industry, local hubs.",
    ),
    (
        "safety",
        "Sécurité, normes et acceptabilité",
        "Safety, standards and acceptance",
        "Essais, certification, sciences humaines et sociales.",
        "Testing, certification, social sciences.",
    ),
]


def _upsert(model, lookup: dict, values: dict):
    """Create the row, or update it only where a value differs (so that a second run
    changes nothing)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)
    return obj, False


def seed(*, stdout, scale: int = 1) -> None:
    profile = PoleProfile.objects.order_by("pk").first()
    if profile is None:
        PoleProfile.objects.create(**POLE)
    elif not profile.bank_details:
        profile.bank_details = POLE["bank_details"]
        profile.save(update_fields=["bank_details"])
    for position, (code, fr, en, desc_fr, desc_en) in enumerate(DOMAINS):
        _upsert(
            StrategicDomain,
            {"code": code},
            {"name_fr": fr, "name_en": en, "description_fr": desc_fr, "description_en": desc_en, "position": position},
        )
    with open(DATA_DIR / "funding-schemes.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _upsert(
                FundingScheme,
                {"code": row["code"].lower()},
                {
                    "name_fr": row["name_fr"],
                    "name_en": row["name_en"],
                    "level": row["level"],
                    "typical_use": row["typical_use"],
                },
            )
    names = [
        line.strip()
        for line in (DATA_DIR / "poles-de-competitivite.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    existing = set(OtherCluster.objects.values_list("name", flat=True))
    OtherCluster.objects.bulk_create([OtherCluster(name=name) for name in names if name not in existing])
    stdout.write(
        f"Pole: {StrategicDomain.objects.count()} strategic domains, "
        f"{FundingScheme.objects.count()} funding schemes, {OtherCluster.objects.count()} other clusters."
    )

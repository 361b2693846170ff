"""Demo partner searches (the pole's matchmaking board), with a few answers."""

import random
from datetime import timedelta

from django.utils import timezone

from members.models import OrganisationKind
from projects.demo.catalogue import SEED
from projects.demo.consortia import account_of, main_contact
from projects.demo.seeder import Seeder
from projects.models import PartnerSearch, PartnerSearchAnswer

SEARCHES = [
    ("member", "fuel-cells", True, "Laboratoire pour caractériser des membranes sans PFAS",
     "Nous préparons un projet de R&D sur des membranes de pile sans PFAS et cherchons un laboratoire capable de "
     "mesurer la conductivité protonique et la tenue chimique en vieillissement accéléré.",
     ["research", "research"]),
    ("partner", "heavy-mobility", True, "Intégrateur poids lourd pour un démonstrateur",
     "PME spécialisée dans les réservoirs, nous cherchons un carrossier ou un intégrateur de poids lourds pour "
     "démontrer un camion frigorifique à hydrogène en conditions réelles.",
     ["member"]),
    (None, "storage", False, "Partenaire industriel pour des essais de réservoirs de type IV",
     "Laboratoire équipé d'un banc d'éclatement, nous cherchons un fabricant de réservoirs de type IV pour une "
     "thèse CIFRE sur la fatigue des liners polymères.",
     ["company", "company"]),
    (None, "industry", True, "Collectivité pour un hub hydrogène territorial",
     "Consortium d'industriels de la chimie, nous cherchons une collectivité prête à accueillir une station "
     "multi-usages et à mobiliser sa flotte de bennes et de bus.",
     ["public"]),
    (None, "safety", True, "Organisme de formation pour un parcours de maintenance",
     "Nous voulons bâtir un parcours certifiant de maintenance des stations hydrogène avec un organisme de "
     "formation et deux exploitants.",
     []),
]  # fmt: skip


def seed_partner_searches(seeder: Seeder) -> int:
    existing = set(PartnerSearch.objects.values_list("title", flat=True))
    created = 0
    for index, (author_key, domain, is_open, title, description, answerers) in enumerate(SEARCHES, start=1):
        rng = random.Random(SEED + 1000 + index)  # noqa: S311 - demo data
        if title in existing or domain not in seeder.domains:
            continue
        used: set[int] = set(organisation.pk for organisation in seeder.demo_orgs.values())
        if author_key:
            person = seeder.demo_people.get(author_key)
        else:
            kind = OrganisationKind.RESEARCH if domain == "storage" else OrganisationKind.COMPANY
            person = main_contact(seeder.pools.pick(rng, kind, used))
        if person is None:
            continue
        search = PartnerSearch.objects.create(
            author=account_of(person),
            organisation=person.organisation,
            strategic_domain=seeder.domains[domain],
            title=title,
            description=description,
            is_open=is_open,
        )
        posted = timezone.now() - timedelta(days=rng.randint(10, 90))
        PartnerSearch.objects.filter(pk=search.pk).update(created_at=posted)
        for number, answerer in enumerate(answerers, start=1):
            if answerer in seeder.demo_people:
                replier = seeder.demo_people[answerer]
            else:
                replier = main_contact(seeder.pools.pick(rng, answerer, used))
            if replier is None:
                continue
            answer = PartnerSearchAnswer.objects.create(
                search=search,
                author=account_of(replier),
                organisation=replier.organisation,
                message=f"Bonjour, {replier.organisation.display_name} peut répondre à votre besoin : nous avons "
                "mené des travaux proches ces dernières années. Seriez-vous disponible pour un échange ?",
            )
            PartnerSearchAnswer.objects.filter(pk=answer.pk).update(created_at=posted + timedelta(days=number * 3))
        created += 1
    return created

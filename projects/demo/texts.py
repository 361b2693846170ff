"""The words of a demo dossier: public summary, confidential description, markets, work
packages and each partner's role, written from the project's domain or non-R&D sub-kind."""

from members.models import OrganisationKind
from projects.demo.catalogue import NON_RD, PLATFORM, RD, Spec
from projects.models import NonRDSubKind

# Per strategic domain: the context of the public summary, the scientific lock of the
# confidential description, the target markets and the work packages.
DOMAIN_TEXT = {
    "production": {
        "context_fr": "La production d'hydrogène décarboné reste trop coûteuse pour les usages de masse : le coût des "
        "électrolyseurs et leur durée de vie freinent encore le déploiement.",
        "context_en": "Low-carbon hydrogen is still too costly for mass uses: the cost and lifetime of electrolysers "
        "hold back deployment.",
        "lock": "réduire la charge en métaux critiques tout en garantissant 60 000 heures de fonctionnement",
        "markets": "Producteurs d'hydrogène, chimie et raffinage, énergéticiens, collectivités",
        "packages": ["Spécifications et cahier des charges", "Matériaux et composants", "Intégration du prototype",
                     "Essais et qualification", "Analyse technico-économique et cycle de vie"],
    },
    "storage": {
        "context_fr": "Stocker, comprimer et distribuer l'hydrogène représente près de la moitié de son coût à la "
        "pompe ; les solutions actuelles sont lourdes, énergivores ou importées.",
        "context_en": "Storing, compressing and distributing hydrogen account for nearly half its price at the pump; "
        "today's solutions are heavy, energy-hungry or imported.",
        "lock": "garantir l'étanchéité et la tenue en fatigue à haute pression sur 15 000 cycles",
        "markets": "Stations de recharge, logisticiens, gaziers, constructeurs de véhicules",
        "packages": ["Architecture et dimensionnement", "Matériaux et procédés", "Prototype et instrumentation",
                     "Essais de certification", "Industrialisation"],
    },
    "fuel-cells": {
        "context_fr": "Les piles à combustible doivent gagner en durabilité et en coût pour équiper les véhicules et "
        "les applications stationnaires à grande échelle.",
        "context_en": "Fuel cells must become more durable and cheaper to equip vehicles and stationary applications "
        "at scale.",
        "lock": "maîtriser la dégradation des assemblages membrane-électrodes en cycles dynamiques",
        "markets": "Constructeurs automobiles, intégrateurs de systèmes, équipementiers, bâtiment",
        "packages": ["Cahier des charges système", "Composants et assemblages", "Intégration et contrôle-commande",
                     "Essais d'endurance", "Analyse de cycle de vie et coûts"],
    },
    "heavy-mobility": {
        "context_fr": "Les mobilités lourdes — camions, bus, trains, bateaux — ne peuvent pas toutes passer à la "
        "batterie : l'hydrogène offre l'autonomie et le temps de recharge qu'elles exigent.",
        "context_en": "Heavy mobility — trucks, buses, trains, boats — cannot all switch to batteries: hydrogen gives "
        "the range and refuelling time they need.",
        "lock": "intégrer la chaîne de traction et le stockage embarqué sans pénaliser la charge utile",
        "markets": "Transporteurs, opérateurs de transport public, chargeurs, collectivités",
        "packages": ["Besoins des opérateurs", "Architecture du véhicule", "Intégration de la chaîne de traction",
                     "Démonstration en exploitation", "Modèle économique et déploiement"],
    },
    "industry": {
        "context_fr": "L'industrie du territoire consomme déjà de l'hydrogène d'origine fossile ; le remplacer par de "
        "l'hydrogène décarboné est un levier majeur de décarbonation.",
        "context_en": "Local industry already uses fossil hydrogen; replacing it with low-carbon hydrogen is a major "
        "lever for decarbonisation.",
        "lock": "adapter les procédés industriels à une alimentation en hydrogène variable et décarbonée",
        "markets": "Chimie, sidérurgie, verre, agriculture, zones industrielles",
        "packages": ["Étude des besoins du site", "Adaptation des procédés", "Pilote sur site",
                     "Évaluation environnementale", "Plan de déploiement"],
    },
    "safety": {
        "context_fr": "La sécurité et l'acceptabilité conditionnent le déploiement de l'hydrogène : normes, essais et "
        "compétences doivent suivre le rythme des projets.",
        "context_en": "Safety and acceptance govern the deployment of hydrogen: standards, tests and skills must keep "
        "pace with the projects.",
        "lock": "qualifier des méthodes d'essai reproductibles et reconnues par les organismes de certification",
        "markets": "Exploitants de stations, bureaux de contrôle, assureurs, industriels",
        "packages": ["État de l'art et retours d'expérience", "Méthodes et protocoles", "Campagnes d'essais",
                     "Recommandations et normalisation", "Diffusion et formation"],
    },
}  # fmt: skip

NON_RD_TEXT = {
    NonRDSubKind.TRAINING: (
        "Les entreprises de la filière peinent à recruter des techniciens et des ingénieurs formés à l'hydrogène.",
        "Companies of the sector struggle to hire technicians and engineers trained in hydrogen.",
    ),
    NonRDSubKind.REAL_ESTATE: (
        "Les jeunes entreprises de la filière manquent de locaux adaptés aux essais et à la manipulation de gaz.",
        "Young companies of the sector lack premises suited to testing and gas handling.",
    ),
    NonRDSubKind.ICT: (
        "Les données de la filière sont dispersées et rarement partagées entre acteurs.",
        "The sector's data are scattered and seldom shared between players.",
    ),
    NonRDSubKind.INTELLIGENCE: (
        "Les PME n'ont pas les moyens de suivre seules l'état de l'art, les brevets et les marchés de l'hydrogène.",
        "SMEs cannot follow the state of the art, patents and markets of hydrogen on their own.",
    ),
    NonRDSubKind.PROMOTION: (
        "Le territoire compte parmi les premiers écosystèmes hydrogène d'Europe mais reste peu visible.",
        "The territory is one of Europe's leading hydrogen ecosystems, yet little known.",
    ),
    NonRDSubKind.INTERNATIONAL: (
        "Les PME de la filière doivent se développer à l'export pour atteindre la taille critique.",
        "The sector's SMEs must grow abroad to reach critical mass.",
    ),
}

NON_RD_PACKAGES = {
    NonRDSubKind.TRAINING: ["Analyse des besoins en compétences", "Conception des modules", "Plateau pédagogique",
                            "Sessions pilotes", "Certification et essaimage"],
    NonRDSubKind.REAL_ESTATE: ["Programmation et études", "Permis et marchés de travaux", "Construction et aménagement",
                               "Équipements de sécurité gaz", "Commercialisation des locaux"],
    NonRDSubKind.ICT: ["Recueil des besoins", "Modèle de données", "Développement de la plateforme",
                       "Ouverture aux adhérents", "Animation et maintenance"],
    NonRDSubKind.INTELLIGENCE: ["Plan de veille", "Outils de collecte", "Analyses thématiques", "Notes de synthèse",
                                "Diffusion aux adhérents"],
    NonRDSubKind.PROMOTION: ["Stratégie de marque territoriale", "Supports et contenus", "Salons et événements",
                             "Accueil de délégations", "Mesure des retombées"],
    NonRDSubKind.INTERNATIONAL: ["Diagnostic export", "Missions de prospection", "Rendez-vous d'affaires",
                                 "Accompagnement des PME", "Suivi des contrats"],
}  # fmt: skip
CONFIDENTIAL = "Informations confidentielles, réservées au pôle, aux experts et aux financeurs."


def packages_of(spec: Spec) -> tuple[str, list[str]]:
    """What the work is split into ("Lot" or "Action") and the titles of the parts."""
    if spec.kind == NON_RD:
        return "Action", NON_RD_PACKAGES[spec.sub_kind]
    return "Lot", DOMAIN_TEXT[spec.domain]["packages"]


def texts(rng, spec: Spec, duration: int, trl: tuple) -> dict:
    """Public summary (FR/EN), confidential description and markets of a project."""
    domain = DOMAIN_TEXT[spec.domain]
    topic_fr = spec.title_fr[0].lower() + spec.title_fr[1:]
    topic_en = spec.title_en[0].lower() + spec.title_en[1:]
    word, packages = packages_of(spec)
    plan = "\n".join(f"{word} {number} : {title}" for number, title in enumerate(packages, start=1))
    if spec.kind == RD:
        context_fr, context_en = domain["context_fr"], domain["context_en"]
        result_fr = (
            f"Le consortium vise un démonstrateur de niveau TRL {trl[1]} en {duration} mois, "
            "puis une mise sur le marché par le chef de file."
        )
        result_en = (
            f"The consortium aims at a TRL {trl[1]} demonstrator within {duration} months, "
            "then a market launch by the lead partner."
        )
        description = (
            f"Verrou principal : {domain['lock']}.\n\nProgramme de travail en {len(packages)} lots :\n{plan}\n\n"
            f"Propriété intellectuelle : {rng.randint(1, 3)} demande(s) de brevet prévue(s), déposée(s) par les "
            "partenaires qui auront obtenu les résultats ; les connaissances antérieures restent la propriété de "
            "chacun."
        )
        markets = domain["markets"]
    elif spec.kind == PLATFORM:
        context_fr, context_en = domain["context_fr"], domain["context_en"]
        result_fr = (
            "La plateforme sera ouverte aux PME et aux laboratoires du territoire, avec une tarification "
            "publique et un comité d'usagers."
        )
        result_en = (
            "The platform will be open to the territory's SMEs and laboratories, with public prices and a "
            "users' committee."
        )
        description = (
            f"Besoin couvert : {domain['lock']}.\n\nMise en place en {len(packages)} lots :\n{plan}\n\n"
            f"Modèle économique : prestations facturées aux usagers, équilibre d'exploitation visé la "
            f"{rng.choice(['troisième', 'quatrième'])} année ; gouvernance par un comité d'usagers."
        )
        markets = domain["markets"]
    else:
        context_fr, context_en = NON_RD_TEXT[spec.sub_kind]
        result_fr = f"Le projet s'étend sur {duration} mois et bénéficiera à l'ensemble des adhérents du pôle."
        result_en = f"The project runs over {duration} months and will benefit all the cluster's members."
        description = (
            f"Constat : {context_fr}\n\nProgramme en {len(packages)} actions :\n{plan}\n\n"
            f"Indicateurs de résultat : {rng.randint(15, 60)} entreprises accompagnées, "
            f"{rng.randint(2, 6)} partenariats noués."
        )
        markets = "Entreprises, laboratoires et collectivités de la filière hydrogène du territoire"
    return {
        "summary_fr": f"{context_fr} Objet du projet {spec.acronym} : {topic_fr}. {result_fr}",
        "summary_en": f"{context_en} {spec.acronym} addresses this topic: {topic_en}. {result_en}",
        "description": f"{description}\n\n{CONFIDENTIAL}",
        "markets": markets,
    }


def role_and_tasks(spec: Spec, organisation, is_lead: bool, position: int) -> tuple[str, str]:
    word, packages = packages_of(spec)
    if is_lead:
        role = "Chef de file — coordination et intégration" if spec.kind != NON_RD else "Porteur — coordination"
        return role, f"{word} 0 : coordination du projet\n{word} 3 : {packages[2]}"
    if organisation.kind == OrganisationKind.RESEARCH:
        return "Partenaire de recherche — modélisation et caractérisation", f"{word} 2 : {packages[1]}"
    if organisation.kind == OrganisationKind.EDUCATION:
        return "Formation et diffusion des résultats", f"{word} {len(packages)} : {packages[-1]}"
    if organisation.kind == OrganisationKind.COMPANY:
        number = (position % (len(packages) - 1)) + 2
        return "Partenaire industriel", f"{word} {number} : {packages[number - 1]}"
    return "Utilisateur final et relais territorial", f"{word} 4 : {packages[3]}"

"""Demo calls, projects and partner searches for `manage.py seed_demo` (runs after
members/demo.py, whose organisations and demo accounts it uses).

Three calls (an FUI-like call two years ago, a regional call a few months ago, and a
PSPC-Régions call open for six more weeks) and 60 projects of every kind, in every state of
the project state machine, with consortia drawn from the demo organisations, budgets per
cost category (Decimal), requested aid per funding scheme, documents (small generated PDFs
in the private storage), deposited versions and, from the label on, their follow-up.

States are reached through projects.services.states.transition_project along a plausible
path. The projects of the open call are deposited and returned through the real services
(projects.services.deposit) when they exist; those of the past calls are deposited "back
then" (reference of the call's year, date before its deadline) with a snapshot from
projects.services.versions and a small stand-in PDF, since the deposit service stamps the
current time and would refuse a closed call.

Deterministic (one random stream per project, `random.Random(SEED + index)`) and
idempotent: calls are found again by code, projects by acronym, partner searches by title,
and what exists is left as it is, so a second run changes no row."""

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Prefetch
from django.utils import timezone

from members.models import Organisation, OrganisationKind, Person, User
from pole.models import FundingScheme, OtherCluster, StrategicDomain
from projects.budgets import RESEARCH_KINDS
from projects.models import (
    BudgetLine,
    Call,
    CostCategory,
    DocumentKind,
    FundingApplication,
    GrantedAmount,
    Milestone,
    NonRDSubKind,
    Partner,
    PartnerInvitation,
    PartnerSearch,
    PartnerSearchAnswer,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectKind,
    ProjectOutcome,
    ProjectState,
    ProjectVersion,
    RequestedAid,
)
from projects.services.states import transition_project

SEED = 2026_400
PARIS = ZoneInfo("Europe/Paris")
S = ProjectState
RD, PLATFORM, NON_RD = ProjectKind.RD, ProjectKind.PLATFORM, ProjectKind.NON_RD

# --- Calls ------------------------------------------------------------------------------------

FUI, REGION, OPEN = "fui", "region", "open"


def call_specs(today: date) -> dict[str, dict]:
    """The three demo calls, dated from `today`: two past calls and one open for six more weeks."""
    fui_deadline = date(today.year - 2, 3, 14)
    region_deadline = today - timedelta(days=140)
    open_deadline = today + timedelta(days=42)
    open_opening = today - timedelta(days=35)

    def noon(day):
        return datetime.combine(day, time(12, 0), tzinfo=PARIS)

    return {
        FUI: {
            "code": f"fui-{fui_deadline.year}",
            "funding_scheme": "fui",
            "title_fr": f"FUI-Régions {fui_deadline.year} — projets collaboratifs de R&D",
            "title_en": f"FUI-Regions {fui_deadline.year} — collaborative R&D projects",
            "description_fr": "Appel à projets du Fonds unique interministériel, cofinancé par la Région : projets de "
            "R&D collaboratifs portés par une entreprise, associant au moins deux entreprises indépendantes et un "
            "laboratoire, labellisés par le pôle.",
            "description_en": "Call of the Single Inter-ministerial Fund, co-funded by the Region: collaborative R&D "
            "projects led by a company, with at least two independent companies and a laboratory, labelled by the "
            "cluster.",
            "allowed_kinds": [RD],
            "opens_at": noon(fui_deadline - timedelta(days=75)),
            "deadline": noon(fui_deadline),
            "min_companies": 2,
            "min_research_or_training": 1,
            "lead_must_be_company": True,
            "max_partner_share": Decimal("70"),
            "research_aid_warning_share": Decimal("40"),
            "budget_floor": Decimal("1000000"),
            "budget_ceiling": Decimal("4000000"),
            "required_document_kinds": [DocumentKind.TECHNICAL_ANNEX, DocumentKind.CONSORTIUM_AGREEMENT],
        },
        REGION: {
            "code": f"region-{region_deadline.year}",
            "funding_scheme": "region",
            "title_fr": f"Région — innovation et hydrogène {region_deadline.year}",
            "title_en": f"Region — innovation and hydrogen {region_deadline.year}",
            "description_fr": "Appel régional ouvert aux projets de R&D, aux plateformes d'innovation et aux projets "
            "structurants hors R&D (formation, immobilier, numérique, intelligence économique, promotion et "
            "international) de la filière hydrogène.",
            "description_en": "Regional call open to R&D projects, innovation platforms and non-R&D structuring "
            "projects (training, real estate, ICT, economic intelligence, promotion and international) of the "
            "hydrogen sector.",
            "allowed_kinds": [RD, PLATFORM, NON_RD],
            "opens_at": noon(region_deadline - timedelta(days=70)),
            "deadline": noon(region_deadline),
            "min_companies": 1,
            "min_research_or_training": 0,
            "lead_must_be_company": False,
            "max_partner_share": Decimal("70"),
            "research_aid_warning_share": Decimal("40"),
            "budget_floor": Decimal("100000"),
            "budget_ceiling": Decimal("4000000"),
            "required_document_kinds": [DocumentKind.TECHNICAL_ANNEX],
        },
        OPEN: {
            "code": f"pspc-regions-{open_opening.year}",
            "funding_scheme": "pspc-regions",
            "title_fr": f"PSPC-Régions {open_opening.year} — hydrogène et mobilités bas carbone",
            "title_en": f"PSPC-Regions {open_opening.year} — hydrogen and low-carbon mobility",
            "description_fr": "Projets structurants pour la compétitivité, cofinancés par l'État et la Région : R&D "
            "collaborative de 1 à 4 M€ et plateformes d'innovation, portées par une entreprise.",
            "description_en": "Structuring projects for competitiveness, co-funded by the State and the Region: "
            "collaborative R&D of 1 to 4 M€ and innovation platforms, led by a company.",
            "allowed_kinds": [RD, PLATFORM],
            "opens_at": noon(open_opening),
            "deadline": noon(open_deadline),
            "min_companies": 2,
            "min_research_or_training": 1,
            "lead_must_be_company": True,
            "max_partner_share": Decimal("70"),
            "research_aid_warning_share": Decimal("40"),
            "budget_floor": Decimal("1000000"),
            "budget_ceiling": Decimal("4000000"),
            "required_document_kinds": [DocumentKind.TECHNICAL_ANNEX, DocumentKind.CONSORTIUM_AGREEMENT],
        },
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


# --- The projects ---------------------------------------------------------------------------------

# (acronym, final state, call, kind, sub-kind, strategic domain, title FR, title EN)
P = [
    # The open call: drafts and fresh deposits.
    ("HYDROLYS", S.DRAFT, OPEN, RD, "", "production",
     "Électrolyseur PEM haute pression pour la production décentralisée d'hydrogène",
     "High-pressure PEM electrolyser for decentralised hydrogen production"),
    ("PILOTIS", S.DRAFT, OPEN, RD, "", "production",
     "Pilotage intelligent d'électrolyseurs couplés au réseau électrique",
     "Smart control of grid-connected electrolysers"),
    ("VALOXY", S.DRAFT, OPEN, RD, "", "production",
     "Valorisation de l'oxygène coproduit par électrolyse",
     "Recovery of the oxygen co-produced by electrolysis"),
    ("RECYPAC", S.DRAFT, OPEN, RD, "", "fuel-cells",
     "Recyclage des métaux précieux des piles en fin de vie",
     "Recycling precious metals from end-of-life fuel cells"),
    ("CRASHTANK", S.DRAFT, OPEN, RD, "", "safety",
     "Tenue au choc des réservoirs d'hydrogène embarqués",
     "Crashworthiness of on-board hydrogen tanks"),
    ("NAVHY", S.DRAFT, OPEN, RD, "", "heavy-mobility",
     "Navette autonome à hydrogène pour sites industriels",
     "Autonomous hydrogen shuttle for industrial sites"),
    ("FABH2", S.DRAFT, OPEN, PLATFORM, "", "fuel-cells",
     "Atelier pilote de fabrication de plaques bipolaires",
     "Pilot workshop for bipolar plate manufacturing"),
    ("CATALYS", S.DEPOSITED, OPEN, RD, "", "production",
     "Catalyseurs à faible teneur en iridium pour électrolyseurs PEM",
     "Low-iridium catalysts for PEM electrolysers"),
    ("MEMBRANA", S.DEPOSITED, OPEN, RD, "", "fuel-cells",
     "Membranes sans PFAS pour piles à combustible",
     "PFAS-free membranes for fuel cells"),
    ("LOHCAR", S.DEPOSITED, OPEN, RD, "", "storage",
     "Transport d'hydrogène par porteurs organiques liquides",
     "Hydrogen transport with liquid organic carriers"),
    ("AEROHY", S.DEPOSITED, OPEN, RD, "", "heavy-mobility",
     "Groupe auxiliaire à hydrogène pour engins aéroportuaires",
     "Hydrogen auxiliary power unit for airport ground equipment"),
    ("PRISME", S.DEPOSITED, OPEN, PLATFORM, "", "storage",
     "Plateforme de caractérisation des matériaux composites pour réservoirs",
     "Characterisation platform for tank composite materials"),
    ("HYDRURE", S.RETURNED, OPEN, RD, "", "storage",
     "Stockage solide de l'hydrogène dans des hydrures métalliques",
     "Solid-state hydrogen storage in metal hydrides"),
    ("JUMEAUH", S.RETURNED, OPEN, RD, "", "industry",
     "Jumeau numérique d'une chaîne hydrogène complète",
     "Digital twin of a complete hydrogen chain"),
    ("EFUEL", S.WITHDRAWN, OPEN, RD, "", "industry",
     "Carburants de synthèse pour l'aviation régionale",
     "Synthetic fuels for regional aviation"),
    # The regional call, a few months ago: screening, review, committee, labels, first funding.
    ("SOLHYD", S.ADMISSIBLE, REGION, RD, "", "production",
     "Couplage photovoltaïque et électrolyse pour sites isolés",
     "Coupling photovoltaics and electrolysis for off-grid sites"),
    ("BIOH2", S.ADMISSIBLE, REGION, RD, "", "production",
     "Production d'hydrogène par gazéification de biomasse forestière",
     "Hydrogen from forest biomass gasification"),
    ("EXPORTH2", S.ADMISSIBLE, REGION, NON_RD, NonRDSubKind.INTERNATIONAL, "industry",
     "Accompagnement export des PME hydrogène vers l'Allemagne",
     "Export support for hydrogen SMEs towards Germany"),
    ("ACCEPTH", S.INADMISSIBLE, REGION, RD, "", "safety",
     "Acceptabilité sociale des infrastructures hydrogène",
     "Social acceptance of hydrogen infrastructure"),
    ("HYVOSTAND", S.INADMISSIBLE, REGION, NON_RD, NonRDSubKind.PROMOTION, "heavy-mobility",
     "Présence collective de la filière au salon Hyvolution",
     "Joint stand of the sector at the Hyvolution trade fair"),
    ("COMPRESS", S.UNDER_REVIEW, REGION, RD, "", "storage",
     "Compresseur électrochimique silencieux pour stations de recharge",
     "Silent electrochemical compressor for refuelling stations"),
    ("CRYOLAB", S.UNDER_REVIEW, REGION, PLATFORM, "", "storage",
     "Plateforme mutualisée d'essais cryogéniques",
     "Shared cryogenic test platform"),
    ("DATAHY", S.UNDER_REVIEW, REGION, NON_RD, NonRDSubKind.ICT, "industry",
     "Plateforme de données ouvertes sur la filière hydrogène",
     "Open data platform on the hydrogen sector"),
    ("HUMIDIF", S.IN_COMMITTEE, REGION, RD, "", "fuel-cells",
     "Gestion de l'eau et de l'humidification des membranes de pile",
     "Water and humidification management of fuel-cell membranes"),
    ("DAMH2", S.IN_COMMITTEE, REGION, RD, "", "heavy-mobility",
     "Dameuse à hydrogène pour les stations de ski",
     "Hydrogen snow groomer for ski resorts"),
    ("VEILLEH2", S.IN_COMMITTEE, REGION, NON_RD, NonRDSubKind.INTELLIGENCE, "production",
     "Veille technologique et brevets sur l'hydrogène",
     "Hydrogen technology and patent watch"),
    ("STACKPRO", S.LABELLED, REGION, RD, "", "fuel-cells",
     "Cœur de pile PEM à plaques bipolaires métalliques embouties",
     "PEM stack with stamped metal bipolar plates"),
    ("CHANTIERH", S.LABELLED, REGION, RD, "", "heavy-mobility",
     "Engins de chantier à hydrogène",
     "Hydrogen construction machinery"),
    ("PLATESSAI", S.LABELLED, REGION, PLATFORM, "", "fuel-cells",
     "Plateforme d'essais d'endurance de systèmes pile à combustible",
     "Endurance test platform for fuel-cell systems"),
    ("FORMH2", S.LABELLED, REGION, NON_RD, NonRDSubKind.TRAINING, "safety",
     "Parcours de formation des techniciens de maintenance hydrogène",
     "Training path for hydrogen maintenance technicians"),
    ("DIAGPAC", S.LABELLED_WITH_CONDITIONS, REGION, RD, "", "fuel-cells",
     "Diagnostic embarqué de l'état de santé des piles à combustible",
     "On-board state-of-health diagnosis of fuel cells"),
    ("PIPEH2", S.LABELLED_WITH_CONDITIONS, REGION, RD, "", "storage",
     "Conversion de réseaux gaziers au transport d'hydrogène",
     "Converting gas pipelines to hydrogen transport"),
    ("HYCAMPUS", S.LABELLED_WITH_CONDITIONS, REGION, PLATFORM, "", "production",
     "Plateforme de démonstration de l'électrolyse sur un campus",
     "Campus electrolysis demonstration platform"),
    ("SOECALP", S.DEFERRED, REGION, RD, "", "production",
     "Électrolyse haute température alimentée par la chaleur fatale industrielle",
     "High-temperature electrolysis fed by industrial waste heat"),
    ("ATEXPRO", S.REFUSED, REGION, RD, "", "safety",
     "Méthodes d'évaluation ATEX pour les stations de recharge",
     "ATEX assessment methods for refuelling stations"),
    ("BENNEH", S.REFUSED, REGION, RD, "", "heavy-mobility",
     "Benne à ordures ménagères à pile à combustible",
     "Fuel-cell refuse collection truck"),
    ("TERRH2", S.SUPPORT_LETTER, REGION, NON_RD, NonRDSubKind.PROMOTION, "industry",
     "Promotion du territoire hydrogène d'Auvergne-Rhône-Alpes",
     "Promoting the Auvergne-Rhône-Alpes hydrogen territory"),
    ("HYNTERNAT", S.SUPPORT_LETTER, REGION, NON_RD, NonRDSubKind.INTERNATIONAL, "heavy-mobility",
     "Mission franco-japonaise sur la mobilité hydrogène",
     "French-Japanese mission on hydrogen mobility"),
    ("STATIONH", S.FUNDED, REGION, RD, "", "storage",
     "Station de recharge modulaire 350/700 bar pour flottes captives",
     "Modular 350/700-bar refuelling station for captive fleets"),
    ("METHANOR", S.FUNDED, REGION, RD, "", "industry",
     "Méthanation du CO2 industriel avec de l'hydrogène vert",
     "Methanation of industrial CO2 with green hydrogen"),
    ("SECURIH", S.FUNDED, REGION, PLATFORM, "", "safety",
     "Plateforme d'essais de sécurité et de certification",
     "Safety testing and certification platform"),
    ("HYPARK", S.FUNDED, REGION, NON_RD, NonRDSubKind.REAL_ESTATE, "industry",
     "Hôtel d'entreprises de la filière hydrogène",
     "Business incubator building for the hydrogen sector"),
    ("METIERSH", S.NOT_FUNDED, REGION, NON_RD, NonRDSubKind.TRAINING, "industry",
     "Campus des métiers de l'hydrogène",
     "Hydrogen trades campus"),
    ("MOBILAB", S.WITHDRAWN, REGION, PLATFORM, "", "heavy-mobility",
     "Banc d'essais pour chaînes de traction hydrogène",
     "Test bench for hydrogen powertrains"),
    # The FUI call two years ago: decisions, funding, projects running or closed.
    ("ALCALINOX", S.DEFERRED, FUI, RD, "", "production",
     "Électrolyse alcaline avancée sans métaux critiques",
     "Advanced alkaline electrolysis without critical metals"),
    ("FRAGIL", S.REFUSED, FUI, RD, "", "safety",
     "Fragilisation des aciers par l'hydrogène en service",
     "Hydrogen embrittlement of steels in service"),
    ("SOFCOGEN", S.NOT_FUNDED, FUI, RD, "", "fuel-cells",
     "Cogénération par pile à oxyde solide pour le tertiaire",
     "Solid-oxide fuel-cell cogeneration for commercial buildings"),
    ("AMMOLOC", S.NOT_FUNDED, FUI, RD, "", "industry",
     "Ammoniac vert produit localement pour l'agriculture",
     "Locally produced green ammonia for farming"),
    ("HYTRUCK", S.RUNNING, FUI, RD, "", "heavy-mobility",
     "Poids lourd de 44 tonnes à pile à combustible pour le transport régional",
     "44-tonne fuel-cell truck for regional haulage"),
    ("HYBUS", S.RUNNING, FUI, RD, "", "heavy-mobility",
     "Rétrofit de bus urbains à l'hydrogène",
     "Retrofitting city buses to hydrogen"),
    ("RHONAV", S.RUNNING, FUI, RD, "", "heavy-mobility",
     "Bateau fluvial à hydrogène pour le fret sur le Rhône",
     "Hydrogen river vessel for freight on the Rhône"),
    ("FERROH2", S.RUNNING, FUI, RD, "", "heavy-mobility",
     "Train régional à hydrogène pour les lignes non électrifiées",
     "Regional hydrogen train for non-electrified lines"),
    ("RESERV4", S.RUNNING, FUI, RD, "", "storage",
     "Réservoirs composites recyclables de type IV à 700 bar",
     "Recyclable 700-bar type IV composite tanks"),
    ("CONVERTH", S.RUNNING, FUI, RD, "", "fuel-cells",
     "Électronique de puissance SiC pour systèmes pile à combustible",
     "SiC power electronics for fuel-cell systems"),
    ("DURAPAC", S.CLOSED, FUI, RD, "", "fuel-cells",
     "Durabilité des piles à combustible en cycles automobiles",
     "Fuel-cell durability under automotive cycles"),
    ("CRYOLINE", S.CLOSED, FUI, RD, "", "storage",
     "Stockage et transfert d'hydrogène liquide pour la logistique",
     "Liquid hydrogen storage and transfer for logistics"),
    ("SAFEH2", S.CLOSED, FUI, RD, "", "safety",
     "Détection précoce des fuites d'hydrogène par capteurs optiques",
     "Early hydrogen leak detection with optical sensors"),
    ("VERRHY", S.CLOSED, FUI, RD, "", "industry",
     "Décarbonation des fours verriers par combustion d'hydrogène",
     "Decarbonising glass furnaces with hydrogen combustion"),
    ("ACIERVERT", S.CLOSED, FUI, RD, "", "industry",
     "Réduction directe du minerai de fer à l'hydrogène",
     "Direct reduction of iron ore with hydrogen"),
    ("HUBVALLEE", S.WITHDRAWN, FUI, RD, "", "industry",
     "Écosystème territorial hydrogène de la vallée de la chimie",
     "Local hydrogen ecosystem in the chemical valley"),
]  # fmt: skip

# The demo accounts' organisations (members/demo.py links member@ and partner@ to two companies).
MEMBER_LEADS = {"HYDROLYS", "CATALYS"}
MEMBER_PARTNER_IN = {"HYTRUCK"}
PARTNER_PARTNER_IN = {"HYDROLYS", "STACKPRO"}
# Projects deposited, returned for information, then deposited again (two versions).
REDEPOSITED = {"RESERV4", "PIPEH2"}
# How the withdrawn projects got there.
WITHDRAWN_AFTER = {"EFUEL": S.DRAFT, "MOBILAB": S.ADMISSIBLE, "HUBVALLEE": S.FUNDED}
# The documents a dossier still lacks (the checklist shows the failure).
MISSING_DOCUMENTS = {
    "HYDROLYS": {DocumentKind.CONSORTIUM_AGREEMENT},
    "VALOXY": {DocumentKind.TECHNICAL_ANNEX, DocumentKind.CONSORTIUM_AGREEMENT},
    "NAVHY": {DocumentKind.CONSORTIUM_AGREEMENT},
    "ACCEPTH": {DocumentKind.TECHNICAL_ANNEX},
}
# Drafts whose budget breaks a rule of the call (one partner holds too much of it).
LOPSIDED = {"CRASHTANK"}

REASONS = {
    S.RETURNED: "Merci de détailler le plan de charge par lot dans l'annexe technique et de préciser le rôle du "
    "laboratoire dans le lot 3.",
    S.REFUSED: "Le comité juge le caractère innovant insuffisant au regard de l'état de l'art, et le marché visé "
    "insuffisamment étayé.",
    S.DEFERRED: "Le comité invite le consortium à renforcer la présence d'utilisateurs finaux et à représenter le "
    "projet à un prochain appel.",
    S.LABELLED_WITH_CONDITIONS: "Label assorti d'une condition : signer l'accord de consortium avant le dépôt auprès "
    "des financeurs.",
}
INADMISSIBLE_REASONS = {
    "ACCEPTH": "Dossier incomplet : l'annexe technique exigée par l'appel n'a pas été fournie.",
    "HYVOSTAND": "Les dépenses présentées (réception et hospitalité) ne sont pas éligibles au programme régional.",
}
WITHDRAWN_REASONS = {
    "EFUEL": "Le chef de file a choisi de présenter le projet à un appel européen.",
    "MOBILAB": "Le partenaire porteur de l'investissement a revu sa stratégie industrielle.",
    "HUBVALLEE": "Sortie d'un partenaire industriel majeur : le consortium renonce au financement obtenu.",
}

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

# Aid rates on the partner's budget: FUI-like rules for companies by size, 100 % of the
# marginal costs (the budget they present) for research and training bodies.
RD_AID_RATES = {"micro": "0.45", "sme": "0.45", "midsize": "0.35", "large": "0.30"}
OTHER_CLUSTERS = ["Tenerrdis", "CapEnergies", "Axelera", "Minalogic"]


@dataclass
class Spec:
    index: int
    acronym: str
    state: str
    call_key: str
    kind: str
    sub_kind: str
    domain: str
    title_fr: str
    title_en: str


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal, valid one-page PDF showing `lines` (Helvetica, WinAnsi encoding)."""

    def literal(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "\n".join(f"({literal(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 72 770 Td\n{text}\nET".encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


def _optional(module: str, name: str):
    """A service another part of the projects app may provide (None until it exists)."""
    if find_spec(module) is None:
        return None
    return getattr(import_module(module), name, None)


class Pools:
    """The demo organisations to draw consortia from, in a stable order (by SIRET), and
    their contacts."""

    def __init__(self, reserved: set[int]):
        organisations = list(
            Organisation.objects.exclude(pk__in=reserved)
            .exclude(siret="")
            .order_by("siret")
            .prefetch_related(Prefetch("people", queryset=Person.objects.filter(is_active=True).order_by("pk")))
        )
        active = set(
            Organisation.objects.filter(memberships__state="active", pk__in=[o.pk for o in organisations]).values_list(
                "pk", flat=True
            )
        )
        self.by_kind = {kind: [o for o in organisations if o.kind == kind] for kind in OrganisationKind.values}
        self.active_companies = [o for o in self.by_kind[OrganisationKind.COMPANY] if o.pk in active]

    def pick(self, rng, kind: str, used: set[int], *, active_only: bool = False):
        pool = self.active_companies if active_only else self.by_kind[kind]
        candidates = [o for o in pool if o.pk not in used]
        if not candidates:
            return None
        organisation = rng.choice(candidates)
        used.add(organisation.pk)
        return organisation


def main_contact(organisation):
    people = list(organisation.people.all())
    mains = [person for person in people if person.is_main_contact]
    return (mains or people or [None])[0]


def account_of(person):
    """The user account of a demo contact, created (without a usable password) when he has
    none, so that the dossiers he created and deposited name him."""
    if person is None:
        return None
    if person.user_id:
        return person.user
    user = User.objects.filter(email=person.email.lower()).first()
    if user is None:
        user = User.objects.create_user(person.email, None, first_name=person.first_name, last_name=person.last_name)
    person.user = user
    person.save(update_fields=["user"])
    return user


# --- Consortium, budget, documents ----------------------------------------------------------------


def consortium(rng, spec: Spec, call: Call, pools: Pools, demo_orgs: dict) -> list[tuple]:
    """[(organisation, is_lead)], the lead first: 2 to 6 partners."""
    used: set[int] = set()
    kinds = OrganisationKind
    member, partner = demo_orgs.get("member"), demo_orgs.get("partner")
    if spec.kind == RD:
        lead = (
            member
            if spec.acronym in MEMBER_LEADS and member
            else pools.pick(rng, kinds.COMPANY, used, active_only=True)
        )
        others = [pools.pick(rng, kinds.COMPANY, used) for _ in range(rng.choice([1, 1, 2, 2, 2, 3]))]
        labs = 2 if rng.random() < 0.3 else 1
        if spec.call_key == REGION and rng.random() < 0.2:
            labs = 0
        others += [pools.pick(rng, kinds.RESEARCH, used) for _ in range(labs)]
        if rng.random() < 0.15:
            others.append(pools.pick(rng, kinds.EDUCATION, used))
    elif spec.kind == PLATFORM:
        if call.lead_must_be_company:
            lead = pools.pick(rng, kinds.COMPANY, used, active_only=True)
            others = [pools.pick(rng, kinds.RESEARCH, used)]
        else:
            lead = pools.pick(rng, rng.choice([kinds.RESEARCH, kinds.EDUCATION]), used)
            others = [pools.pick(rng, kinds.RESEARCH, used)] if rng.random() < 0.4 else []
        others += [pools.pick(rng, kinds.COMPANY, used) for _ in range(rng.randint(2, 3))]
    else:
        lead_kind = {
            NonRDSubKind.TRAINING: kinds.EDUCATION,
            NonRDSubKind.REAL_ESTATE: kinds.PUBLIC,
            NonRDSubKind.ICT: kinds.OTHER,
            NonRDSubKind.INTELLIGENCE: kinds.OTHER,
            NonRDSubKind.PROMOTION: kinds.PUBLIC,
            NonRDSubKind.INTERNATIONAL: kinds.OTHER,
        }[spec.sub_kind]
        lead = pools.pick(rng, lead_kind, used)
        others = [pools.pick(rng, kinds.COMPANY, used) for _ in range(rng.randint(1, 2))]
        others.append(pools.pick(rng, rng.choice([kinds.PUBLIC, kinds.EDUCATION, kinds.OTHER]), used))
    others = [organisation for organisation in others if organisation is not None]
    if spec.acronym in MEMBER_PARTNER_IN and member:
        others.insert(0, member)
    if spec.acronym in PARTNER_PARTNER_IN and partner:
        others.insert(0, partner)
    return [(lead, True)] + [(organisation, False) for organisation in others[:5]]


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


def _euros(value) -> Decimal:
    return Decimal(round(value)).quantize(Decimal("0.01"))


DOCUMENT_NAMES = {
    DocumentKind.TECHNICAL_ANNEX: "annexe-technique",
    DocumentKind.CONSORTIUM_AGREEMENT: "accord-de-consortium",
    DocumentKind.COMMITMENT_LETTER: "lettre-engagement",
    DocumentKind.KBIS: "extrait-kbis",
    DocumentKind.ACCOUNTS: "comptes-annuels",
}
DOCUMENT_TITLES = {
    DocumentKind.TECHNICAL_ANNEX: "Annexe technique",
    DocumentKind.CONSORTIUM_AGREEMENT: "Accord de consortium",
    DocumentKind.COMMITMENT_LETTER: "Lettre d'engagement",
    DocumentKind.KBIS: "Extrait Kbis",
    DocumentKind.ACCOUNTS: "Comptes annuels",
}


def add_document(project: Project, kind: str, *, partner=None, user=None, suffix: str = "") -> None:
    subject = partner.organisation.display_name if partner else project.acronym
    lines = [
        f"{DOCUMENT_TITLES[kind]} — {project.acronym}" + (f" — {subject}" if partner else ""),
        project.title_fr,
        f"Version {project.version} du dossier",
        "Document de démonstration généré par seed_demo.",
    ]
    content = pdf_bytes(lines)
    name = f"{DOCUMENT_NAMES[kind]}-{project.acronym.lower()}{suffix}.pdf"
    ProjectDocument.objects.create(
        project=project,
        partner=partner,
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        version=project.version,
        uploaded_by=user,
    )


def add_documents(rng, project: Project, partners: list[Partner], user) -> None:
    missing = MISSING_DOCUMENTS.get(project.acronym, set())
    for kind in (DocumentKind.TECHNICAL_ANNEX, DocumentKind.CONSORTIUM_AGREEMENT):
        if kind not in missing and (project.kind != NON_RD or kind == DocumentKind.TECHNICAL_ANNEX):
            add_document(project, kind, user=user)
    lead = partners[0]
    if lead.organisation.kind == OrganisationKind.COMPANY:
        add_document(project, DocumentKind.KBIS, partner=lead, user=user)
    for partner in partners[1:3]:
        if rng.random() < 0.7:
            add_document(project, DocumentKind.COMMITMENT_LETTER, partner=partner, user=user)


# --- Texts ----------------------------------------------------------------------------------------


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


# --- Paths through the state machine ------------------------------------------------------------

BEFORE_COMMITTEE = [S.DEPOSITED, S.ADMISSIBLE, S.UNDER_REVIEW, S.IN_COMMITTEE]
PATHS = {
    S.DRAFT: [],
    S.DEPOSITED: [S.DEPOSITED],
    S.RETURNED: [S.DEPOSITED, S.RETURNED],
    S.ADMISSIBLE: [S.DEPOSITED, S.ADMISSIBLE],
    S.INADMISSIBLE: [S.DEPOSITED, S.INADMISSIBLE],
    S.UNDER_REVIEW: BEFORE_COMMITTEE[:3],
    S.IN_COMMITTEE: BEFORE_COMMITTEE,
    S.LABELLED: [*BEFORE_COMMITTEE, S.LABELLED],
    S.LABELLED_WITH_CONDITIONS: [*BEFORE_COMMITTEE, S.LABELLED_WITH_CONDITIONS],
    S.DEFERRED: [*BEFORE_COMMITTEE, S.DEFERRED],
    S.REFUSED: [*BEFORE_COMMITTEE, S.REFUSED],
    S.SUPPORT_LETTER: [*BEFORE_COMMITTEE, S.SUPPORT_LETTER],
    S.FUNDED: [*BEFORE_COMMITTEE, S.LABELLED, S.FUNDED],
    S.NOT_FUNDED: [*BEFORE_COMMITTEE, S.LABELLED, S.NOT_FUNDED],
    S.RUNNING: [*BEFORE_COMMITTEE, S.LABELLED, S.FUNDED, S.RUNNING],
    S.CLOSED: [*BEFORE_COMMITTEE, S.LABELLED, S.FUNDED, S.RUNNING, S.CLOSED],
}


def path_of(spec: Spec) -> list[str]:
    if spec.state == S.WITHDRAWN:
        return [*PATHS[WITHDRAWN_AFTER[spec.acronym]], S.WITHDRAWN]
    path = list(PATHS[spec.state])
    if spec.acronym in REDEPOSITED:
        path = [S.DEPOSITED, S.RETURNED, *path]
    if spec.kind == NON_RD and spec.state == S.FUNDED:
        path = [*BEFORE_COMMITTEE, S.SUPPORT_LETTER, S.FUNDED]
    if spec.acronym == "METHANOR":  # labelled with conditions, then funded once they were met
        path = [*BEFORE_COMMITTEE, S.LABELLED_WITH_CONDITIONS, S.FUNDED]
    return path


# --- Seeding --------------------------------------------------------------------------------------


class Seeder:
    def __init__(self, *, today: date):
        self.today = today
        self.staff = User.objects.filter(email=f"staff@{settings.DEMO_EMAIL_DOMAIN}").first()
        self.demo_users = {
            local: User.objects.filter(email=f"{local}@{settings.DEMO_EMAIL_DOMAIN}").first()
            for local in ("member", "partner")
        }
        self.demo_people = {
            local: Person.objects.filter(user=user).select_related("organisation").first() if user else None
            for local, user in self.demo_users.items()
        }
        self.demo_orgs = {local: person.organisation for local, person in self.demo_people.items() if person}
        self.pools = Pools({organisation.pk for organisation in self.demo_orgs.values()})
        self.schemes = {scheme.code: scheme for scheme in FundingScheme.objects.all()}
        self.domains = {domain.code: domain for domain in StrategicDomain.objects.all()}
        self.clusters = list(OtherCluster.objects.filter(name__in=OTHER_CLUSTERS).order_by("name"))
        self.deposit_project = _optional("projects.services.deposit", "deposit_project")
        self.return_for_information = _optional("projects.services.deposit", "return_for_information")
        self.snapshot_project = _optional("projects.services.versions", "snapshot_project")

    # The calendar of a project, from its call.
    def milestones_of_call(self, call: Call) -> dict:
        deadline = timezone.localtime(call.deadline, PARIS).date()
        committee = deadline + timedelta(days=70 if call.deadline.year < self.today.year else 60)
        submitted = committee + timedelta(days=20)
        decided = min(submitted + timedelta(days=100), self.today - timedelta(days=6))
        return {"deadline": deadline, "committee": committee, "submitted": submitted, "decided": decided}

    def seed(self, calls: dict[str, Call]) -> int:
        existing = set(Project.objects.filter(acronym__in=[row[0] for row in P]).values_list("acronym", flat=True))
        created = 0
        for index, row in enumerate(P, start=1):
            spec = Spec(index, *row)
            rng = random.Random(SEED + index)  # noqa: S311 - demo data, one reproducible stream per project
            if spec.acronym in existing:
                continue
            self.seed_project(rng, spec, calls[spec.call_key])
            created += 1
        return created

    def seed_project(self, rng, spec: Spec, call: Call) -> None:
        members = consortium(rng, spec, call, self.pools, self.demo_orgs)
        lead_organisation = members[0][0]
        member_led = spec.acronym in MEMBER_LEADS and "member" in self.demo_orgs
        lead_contact = self.demo_people["member"] if member_led else main_contact(lead_organisation)
        author = account_of(lead_contact)
        calendar = self.milestones_of_call(call)
        duration = rng.choice([24, 30, 36, 36, 42]) if spec.kind != NON_RD else rng.choice([12, 18, 24])
        start = calendar["decided"] + timedelta(days=30) if spec.call_key != OPEN else date(self.today.year + 1, 4, 1)
        months_since_start = (self.today.year - start.year) * 12 + self.today.month - start.month
        if spec.state == S.CLOSED:  # ended a few months ago
            duration = min(rng.choice([18, 20, 24]), months_since_start - rng.randint(1, 5))
        elif spec.state == S.RUNNING:  # ends in a few months or years
            duration = max(duration, months_since_start + rng.randint(4, 14))
        trl_from = rng.randint(2, 4)
        trl = (trl_from, min(9, trl_from + rng.randint(2, 3)))
        confidentiality = rng.choices(["public", "restricted", "confidential"], weights=[35, 55, 10])[0]
        labelled_or_later = spec.state in {S.LABELLED, S.LABELLED_WITH_CONDITIONS, S.FUNDED, S.RUNNING, S.CLOSED,
                                           S.NOT_FUNDED, S.SUPPORT_LETTER}  # fmt: skip
        if labelled_or_later and confidentiality == "confidential" and rng.random() < 0.7:
            confidentiality = "restricted"
        project = Project.objects.create(
            acronym=spec.acronym,
            title_fr=spec.title_fr,
            title_en=spec.title_en,
            kind=spec.kind,
            sub_kind=spec.sub_kind,
            duration_months=duration,
            start_date=start,
            trl_from=trl[0] if spec.kind == RD else None,
            trl_to=trl[1] if spec.kind == RD else None,
            confidentiality=confidentiality,
            public_consent=rng.random() < (0.85 if labelled_or_later else 0.6),
            call=call,
            lead_organisation=lead_organisation,
            created_by=author,
            **texts(rng, spec, duration, trl),
        )
        domains = [self.domains[spec.domain]] if spec.domain in self.domains else []
        extra = [domain for code, domain in sorted(self.domains.items()) if code != spec.domain]
        if extra and rng.random() < 0.4:
            domains.append(rng.choice(extra))
        project.strategic_domains.set(domains)
        if self.clusters and rng.random() < 0.3:
            project.co_labelling_poles.set(rng.sample(self.clusters, k=rng.randint(1, 2)))

        partners = self.seed_consortium(rng, spec, project, members, lead_contact)
        add_documents(rng, project, partners, author)
        self.walk(rng, spec, project, partners, author, call, calendar)
        # Created some days after the call opened, and before its first deposit.
        opened = timezone.localtime(call.opens_at, PARIS)
        first_deposit = project.versions.order_by("number").values_list("deposited_at", flat=True).first()
        latest = (first_deposit or timezone.now()) - timedelta(days=1)
        created_at = min(opened + timedelta(days=rng.randint(3, 30), hours=rng.randint(0, 9)), latest)
        Project.objects.filter(pk=project.pk).update(created_at=created_at)

    def seed_consortium(self, rng, spec, project, members, lead_contact) -> list[Partner]:
        budgets = budget_of(rng, spec, members)
        split = aid_split(rng, spec, self.schemes)
        partners = []
        for position, ((organisation, is_lead), lines) in enumerate(zip(members, budgets, strict=True)):
            if is_lead:
                contact = lead_contact
            elif organisation == self.demo_orgs.get("partner"):
                contact = self.demo_people["partner"]
            elif organisation == self.demo_orgs.get("member"):
                contact = self.demo_people["member"]
            else:
                contact = main_contact(organisation)
            role, tasks = role_and_tasks(spec, organisation, is_lead, position)
            partner = Partner.objects.create(
                project=project, organisation=organisation, is_lead=is_lead, contact=contact, role=role, tasks=tasks
            )
            for category, amount in lines.items():
                BudgetLine.objects.create(partner=partner, category=category, amount=amount)
            aid = sum(lines.values()) * aid_rate(spec, organisation)
            remaining = _euros(aid)
            for number, (scheme, fraction) in enumerate(split):
                amount = remaining if number == len(split) - 1 else _euros(aid * fraction)
                RequestedAid.objects.create(partner=partner, funding_scheme=scheme, amount=amount)
                remaining -= amount
            partners.append(partner)
        invited = [p for p in partners if p.organisation == self.demo_orgs.get("partner")]
        if invited and spec.state == S.DRAFT:
            PartnerInvitation.objects.create(
                partner=invited[0],
                email=self.demo_users["partner"].email,
                first_name=self.demo_users["partner"].first_name,
                last_name=self.demo_users["partner"].last_name,
                invited_by=project.created_by,
                created_at=timezone.now() - timedelta(days=6),
                accepted_at=timezone.now() - timedelta(days=5),
            )
        return partners

    # --- The state machine -----------------------------------------------------------------------

    def walk(self, rng, spec, project, partners, author, call, calendar) -> None:
        path = path_of(spec)
        live = spec.call_key == OPEN  # deposited now, through the real services when they exist
        deposit_day = calendar["deadline"] - timedelta(days=rng.randint(1, 12))
        for step, target in enumerate(path):
            if target == S.DEPOSITED:
                if live and self.deposit_project is not None:
                    project = self.deposit_project(project=project, actor=author)
                else:
                    when = datetime.combine(deposit_day, time(rng.randint(9, 18), rng.randint(0, 59)), tzinfo=PARIS)
                    if live:
                        when = min(when, timezone.now() - timedelta(days=rng.randint(1, 10)))
                    if step:  # deposited again after a return
                        when = max(when, project.deposited_at + timedelta(days=8))
                    self.deposit_backdated(project, when=when, actor=author)
                continue
            if target == S.RETURNED:
                reason = REASONS[S.RETURNED]
                if live and self.return_for_information is not None:
                    project = self.return_for_information(project=project, actor=self.staff, reason=reason)
                else:
                    project.version += 1
                    transition_project(
                        project=project, target=target, actor=self.staff, reason=reason, extra_fields=["version"]
                    )
                # The consortium answers with the documents of the new version.
                add_document(project, DocumentKind.TECHNICAL_ANNEX, user=author, suffix=f"-v{project.version}")
                add_document(project, DocumentKind.CONSORTIUM_AGREEMENT, user=author, suffix=f"-v{project.version}")
                continue
            reason = REASONS.get(target, "")
            if target == S.INADMISSIBLE:
                reason = INADMISSIBLE_REASONS[spec.acronym]
            elif target == S.WITHDRAWN:
                reason = WITHDRAWN_REASONS[spec.acronym]
            actor = author if target == S.WITHDRAWN else self.staff
            transition_project(project=project, target=target, actor=actor, reason=reason)
        if spec.state in {S.LABELLED, S.LABELLED_WITH_CONDITIONS, S.SUPPORT_LETTER, S.FUNDED, S.NOT_FUNDED,
                          S.RUNNING, S.CLOSED}:  # fmt: skip
            self.follow_up(rng, spec, project, partners, author, calendar)

    def deposit_backdated(self, project: Project, *, when: datetime, actor) -> None:
        """The deposit as it happened before the deadline: a reference of that year, a
        version with its snapshot and a stand-in PDF of the dossier."""
        fields = ["deposited_at"]
        if not project.reference:
            scheme = project.call.funding_scheme.code.upper()
            prefix = f"{timezone.localtime(when, PARIS).year}-{scheme}-"
            sequence = Project.objects.filter(reference__startswith=prefix).count() + 1
            while Project.objects.filter(reference=f"{prefix}{sequence:04d}").exists():
                sequence += 1
            project.reference = f"{prefix}{sequence:04d}"
            fields.append("reference")
        project.deposited_at = when
        transition_project(project=project, target=S.DEPOSITED, actor=actor, extra_fields=fields)
        snapshot = (
            self.snapshot_project(project)
            if self.snapshot_project
            else {"reference": project.reference, "version": project.version, "acronym": project.acronym}
        )
        content = pdf_bytes(
            [
                f"Dossier déposé — {project.reference} — version {project.version}",
                f"{project.acronym} : {project.title_fr}",
                f"Déposé le {timezone.localtime(when, PARIS):%d/%m/%Y à %H:%M}",
                "Exemplaire de démonstration généré par seed_demo.",
            ]
        )
        ProjectVersion.objects.create(
            project=project,
            number=project.version,
            snapshot=snapshot,
            deposited_at=when,
            deposited_by=actor,
            pdf=ContentFile(content, name=f"{project.reference}-v{project.version}.pdf"),
            pdf_sha256=hashlib.sha256(content).hexdigest(),
        )

    # --- Follow-up -------------------------------------------------------------------------------

    def follow_up(self, rng, spec, project, partners, author, calendar) -> None:
        state = spec.state
        outcome = {
            S.FUNDED: FundingApplication.Outcome.GRANTED,
            S.RUNNING: FundingApplication.Outcome.GRANTED,
            S.CLOSED: FundingApplication.Outcome.GRANTED,
            S.NOT_FUNDED: FundingApplication.Outcome.REJECTED,
        }.get(state, FundingApplication.Outcome.PENDING)
        decided = calendar["decided"] if outcome != FundingApplication.Outcome.PENDING else None
        start = project.start_date
        end = add_months(start, project.duration_months or 24)
        aids: dict[int, dict[int, Decimal]] = {}
        for aid in RequestedAid.objects.filter(partner__project=project):
            aids.setdefault(aid.funding_scheme_id, {})[aid.partner_id] = aid.amount
        for scheme_id, by_partner in sorted(aids.items()):
            application = FundingApplication.objects.create(
                project=project,
                funding_scheme_id=scheme_id,
                submitted_on=calendar["submitted"],
                outcome=outcome,
                decided_on=decided,
                start_date=start if outcome == FundingApplication.Outcome.GRANTED else None,
                end_date=end if outcome == FundingApplication.Outcome.GRANTED else None,
            )
            if outcome == FundingApplication.Outcome.GRANTED:
                factor = Decimal(rng.choice(["1", "1", "0.95", "0.9"]))
                GrantedAmount.objects.bulk_create(
                    GrantedAmount(
                        funding_application=application, partner_id=partner_id, amount=_euros(amount * factor)
                    )
                    for partner_id, amount in sorted(by_partner.items())
                )
        if state not in {S.FUNDED, S.RUNNING, S.CLOSED}:
            return
        titles = ["Réunion de lancement", "Spécifications figées", "Prototype assemblé", "Fin des essais",
                  "Rapport final"]  # fmt: skip
        months = project.duration_months or 24
        for position, title in enumerate(titles):
            due = add_months(start, round(months * position / (len(titles) - 1))) if position else start
            late = rng.choice([0, 0, 0, 7, 21])
            reached = due + timedelta(days=late) if due + timedelta(days=late) < self.today else None
            if state == S.RUNNING and position == 2 and rng.random() < 0.5:
                reached = None  # one milestone running late
            Milestone.objects.create(project=project, title=title, due_on=due, reached_on=reached)
        if state in {S.RUNNING, S.CLOSED}:
            period_start = start
            periods = 0
            while add_months(period_start, 6) < min(self.today, end) and periods < 4:
                period_end = add_months(period_start, 6) - timedelta(days=1)
                ProgressReport.objects.create(
                    project=project,
                    period_start=period_start,
                    period_end=period_end,
                    achievements=f"Avancement conforme au plan sur la période : lot {periods + 1} "
                    f"({packages_of(spec)[1][periods]}) réalisé à {rng.randint(70, 100)} %.",
                    difficulties=rng.choice(
                        [
                            "",
                            "Retard de livraison d'un composant importé (six semaines).",
                            "Départ d'un ingénieur chez un partenaire, remplacé en trois mois.",
                        ]
                    ),
                    next_steps=f"Engager le lot {periods + 2} et préparer le prochain comité de pilotage.",
                    submitted_by=author,
                )
                period_start = period_end + timedelta(days=1)
                periods += 1
        if state == S.CLOSED:
            ProjectOutcome.objects.create(
                project=project,
                patents=rng.randint(0, 3),
                products=rng.randint(0, 2),
                jobs=rng.randint(1, 12),
                turnover=_euros(rng.randint(0, 25) * 100_000),
                startups=rng.choice([0, 0, 0, 1]),
                publications=rng.randint(1, 8),
                comments="Résultats déclarés par le chef de file à la clôture du projet.",
            )


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


# --- Partner searches -----------------------------------------------------------------------------

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


def seed(*, stdout, scale: int = 1) -> None:
    if not Organisation.objects.exists() or not FundingScheme.objects.exists():
        stdout.write("Projects: no organisations or funding schemes yet, nothing to do.")
        return
    today = timezone.localdate()
    calls = seed_calls(today)
    seeder = Seeder(today=today)
    created = seeder.seed(calls)
    searches = seed_partner_searches(seeder)
    states = len(set(Project.objects.values_list("state", flat=True)))
    stdout.write(
        f"Projects: {created} created, {Project.objects.count()} in all ({states} states), "
        f"{Call.objects.count()} calls, {searches} partner searches created."
    )

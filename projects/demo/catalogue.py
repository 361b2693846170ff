"""The demo projects as data: one row per project in `P` (its call, kind, domain, final
state and titles) and the sets that single some out (the demo accounts' projects, the
redeposited, the withdrawn, the incomplete, the lopsided), with the reasons of the
decisions. No database access here."""

from dataclasses import dataclass

from projects.models import DocumentKind, NonRDSubKind, ProjectKind, ProjectState

SEED = 2026_400  # project n draws from random.Random(SEED + n)
S = ProjectState
RD, PLATFORM, NON_RD = ProjectKind.RD, ProjectKind.PLATFORM, ProjectKind.NON_RD
FUI, REGION, OPEN = "fui", "region", "open"  # the keys of the three demo calls (calls.py)


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
# The member leads JUMEAUH too: returned for information, the pole's questions wait for his answer.
MEMBER_LEADS = {"HYDROLYS", "CATALYS", "JUMEAUH"}
MEMBER_PARTNER_IN = {"HYTRUCK"}
PARTNER_PARTNER_IN = {"HYDROLYS", "STACKPRO"}
# Drafts that name the member's organisation as a partner awaiting the confirmation of its
# administrator (the demo member) [A3]: "My projects" asks him to confirm or decline.
MEMBER_AWAITING_IN = {"PILOTIS"}
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
# The lead partner's answer to the pole's questions: the redeposited projects answered before
# their second deposit; HYDRURE has answered and not deposited again yet (JUMEAUH has not answered).
RETURN_ANSWER = (
    "Le plan de charge par lot figure désormais en annexe technique (tableau 4) ; le laboratoire pilote le lot 3 "
    "(modélisation et essais de validation) avec 14 personnes-mois."
)
ANSWERED_RETURNS = REDEPOSITED | {"HYDRURE"}
INADMISSIBLE_REASONS = {
    "ACCEPTH": "Dossier incomplet : l'annexe technique exigée par l'appel n'a pas été fournie.",
    "HYVOSTAND": "Les dépenses présentées (réception et hospitalité) ne sont pas éligibles au programme régional.",
}
WITHDRAWN_REASONS = {
    "EFUEL": "Le chef de file a choisi de présenter le projet à un appel européen.",
    "MOBILAB": "Le partenaire porteur de l'investissement a revu sa stratégie industrielle.",
    "HUBVALLEE": "Sortie d'un partenaire industriel majeur : le consortium renonce au financement obtenu.",
}


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

"""Demo accounts, one per role, for `manage.py seed_demo`. Idempotent: a second run
changes no row. The accounts whose role requires two-factor authentication come
enrolled, with a TOTP secret printed by the command (and shown on the login page
when DEBUG is on)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User
from pole import roles
from pole.integrations import activate_recovery_codes, activate_totp

# (local part, first name, last name, role group or None, is Django-admin staff, label)
DEMO_ACCOUNTS = [
    ("staff", "Claire", "Moreau", roles.STAFF, True, _("staff")),
    ("expert", "Julien", "Bertrand", roles.EXPERT, False, _("expert")),
    ("committee", "Sophie", "Lefebvre", roles.COMMITTEE, False, _("committee member")),
    ("board", "Marc", "Dubois", roles.BOARD, False, _("board member")),
    ("funder", "Nathalie", "Girard", roles.FUNDER, False, _("funder")),
    ("member", "Thomas", "Petit", None, False, _("member contact")),
    ("partner", "Amélie", "Roux", None, False, _("project partner")),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{settings.DEMO_EMAIL_DOMAIN}"


def totp_secret_of(user) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def demo_account_rows() -> list[dict]:
    """The demo accounts as shown by the command and the login page."""
    users = {u.email: u for u in User.objects.filter(email__endswith="@" + settings.DEMO_EMAIL_DOMAIN)}
    secrets = {
        a.user_id: decrypt(a.data["secret"])
        for a in Authenticator.objects.filter(user__in=users.values(), type=Authenticator.Type.TOTP)
    }
    rows = []
    for local, _first, _last, _group, _admin, label in DEMO_ACCOUNTS:
        user = users.get(demo_email(local))
        if user is not None:
            rows.append({"email": user.email, "role": label, "totp_secret": secrets.get(user.pk, "")})
    return rows


def ensure_role_groups_exist() -> None:
    for name in roles.GROUP_ROLES:
        Group.objects.get_or_create(name=name)


def seed(*, stdout, scale: int = 1) -> None:
    ensure_role_groups_exist()
    for local, first, last, group, is_admin, _label in DEMO_ACCOUNTS:
        email = demo_email(local)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, settings.DEMO_PASSWORD, first_name=first, last_name=last, is_staff=is_admin
            )
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if group and not user.groups.filter(name=group).exists():
            user.groups.add(Group.objects.get(name=group))
        if group and totp_secret_of(user) is None:
            activate_totp(user)
            activate_recovery_codes(user)
    seed_organisations(stdout=stdout, actor=User.objects.get(email=demo_email("staff")))
    link_demo_contacts()
    seed_dues(stdout=stdout, actor=User.objects.get(email=demo_email("staff")))
    stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
    for row in demo_account_rows():
        secret = f"  TOTP secret: {row['totp_secret']}" if row["totp_secret"] else ""
        stdout.write(f"  {row['email']:<28} {str(row['role']):<20}{secret}")


# --- Demo organisations, people and memberships [M1]–[M3] ---------------------------------

PLACES = ["Alpes", "Rhône", "Dauphiné", "Savoie", "Forez", "Vercors", "Belledonne", "Chartreuse", "Beaujolais",
          "Auvergne", "Loire", "Drôme", "Ardèche", "Mont-Blanc", "Isère", "Bugey", "Dombes", "Velay"]  # fmt: skip
TRADES = ["Hydrogène", "Énergies", "Mobilité", "Systèmes", "Cryogénie", "Électrolyse", "Composites",
          "Stockage", "Piles", "Ingénierie", "Process", "Mécatronique", "Compression", "Capteurs"]  # fmt: skip
LEGAL_FORMS = ["SAS", "SA", "SARL", "SASU"]
STREETS = ["rue de la République", "avenue Pasteur", "rue des Forges", "boulevard Victor Hugo", "rue de l'Industrie"]
FIRST_NAMES = ["Camille", "Louis", "Léa", "Hugo", "Manon", "Lucas", "Chloé", "Nathan", "Inès", "Théo", "Sarah",
               "Antoine", "Julie", "Maxime", "Émilie", "Nicolas", "Pauline", "Romain", "Céline", "Yann"]  # fmt: skip
LAST_NAMES = ["Martin", "Bernard", "Thomas", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
              "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet",
              "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "André"]  # fmt: skip
JOBS = ["Directeur général", "Directrice R&D", "Responsable innovation", "Ingénieur projets", "Chargée d'affaires",
        "Directeur technique", "Responsable administrative et financière", "Chef de projet"]  # fmt: skip
# Departments weighted toward the pole's territory (Auvergne-Rhône-Alpes).
DEPARTMENTS = (
    ["69"] * 8 + ["38"] * 7 + ["73"] * 3 + ["74"] * 3 + ["42"] * 3 + ["63"] * 3
    + ["01", "26", "07", "03", "43", "15"]
    + ["75", "92", "13", "31", "67", "44", "59", "21", "25", "33"]
)  # fmt: skip
CITIES = {
    "69": ("Lyon", "69007"), "38": ("Grenoble", "38000"), "73": ("Chambéry", "73000"), "74": ("Annecy", "74000"),
    "42": ("Saint-Étienne", "42000"), "63": ("Clermont-Ferrand", "63000"), "01": ("Bourg-en-Bresse", "01000"),
    "26": ("Valence", "26000"), "07": ("Privas", "07000"), "03": ("Moulins", "03000"),
    "43": ("Le Puy-en-Velay", "43000"), "15": ("Aurillac", "15000"), "75": ("Paris", "75013"),
    "92": ("Nanterre", "92000"), "13": ("Marseille", "13002"), "31": ("Toulouse", "31000"),
    "67": ("Strasbourg", "67000"), "44": ("Nantes", "44000"), "59": ("Lille", "59000"), "21": ("Dijon", "21000"),
    "25": ("Besançon", "25000"), "33": ("Bordeaux", "33000"),
}  # fmt: skip
RESEARCH = ["Laboratoire d'électrochimie des matériaux", "Institut des systèmes énergétiques", "Centre de recherche "
            "sur les piles à combustible", "Laboratoire de cryogénie appliquée", "Institut de mécanique des fluides",
            "Laboratoire des matériaux composites", "Centre d'études des procédés catalytiques",
            "Laboratoire d'automatique et de mécatronique"]  # fmt: skip
EDUCATION = ["École d'ingénieurs des énergies", "Lycée technologique", "CFA de l'industrie", "IUT génie électrique",
             "Campus des métiers de la transition énergétique", "Institut de formation continue"]  # fmt: skip
PUBLIC = ["Métropole", "Communauté d'agglomération", "Département", "Chambre de commerce et d'industrie",
          "Agence de développement économique"]  # fmt: skip
OTHER = ["Association des acteurs de l'hydrogène", "Cluster énergie", "Fondation pour la mobilité propre",
         "Réseau des transporteurs"]  # fmt: skip
# 150 organisations: kind and how many of each.
KIND_MIX = [("company", 100), ("research", 18), ("education", 12), ("public", 12), ("other", 8)]
# Company sizes: (headcount range, turnover range in M€)
SIZES = [((2, 9), (0.1, 1.8)), ((10, 249), (1, 45)), ((250, 4000), (60, 900)), ((5000, 30000), (1600, 9000))]
# Membership states for the 150 organisations, in order of creation.
STATE_MIX = [("active", 112), ("applied", 7), ("under_review", 6), ("approved", 2), ("withdrawn", 10),
             ("excluded", 3), ("refused", 10)]  # fmt: skip
COLLEGE_OF_KIND = {"research": "research", "education": "training", "public": "local-authorities", "other": "other"}


def ascii_email(address: str) -> str:
    """léa.lefèvre.3@demo.example → lea.lefevre.3@demo.example"""
    import unicodedata

    return unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode().lower().replace(" ", "")


def luhn_complete(digits: str) -> str:
    """`digits` followed by the check digit that makes the whole pass the Luhn test."""
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for position, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def demo_siret(rng) -> str:
    siren = luhn_complete(f"{rng.randrange(10**7, 9 * 10**7):08d}")
    return luhn_complete(siren + f"{rng.randrange(1, 9999):04d}")


def _organisation_name(rng, kind: str, department: str, used: set[str]) -> tuple[str, str]:
    """A believable, not yet used name (and acronym) for an organisation of `kind`."""
    city = CITIES[department][0]
    for attempt in range(50):
        if kind == "company":
            name, acronym = f"{rng.choice(TRADES)} {rng.choice(PLACES)} {rng.choice(LEGAL_FORMS)}", ""
        elif kind == "research":
            base = rng.choice(RESEARCH)
            name = f"{base} de {city}" if attempt < 5 else f"{base} de {city} {attempt}"
            acronym = "".join(word[0] for word in base.replace("'", " ").split() if len(word) > 3).upper()
        else:
            base = {"education": EDUCATION, "public": PUBLIC, "other": OTHER}[kind]
            suffix = city if kind != "other" else rng.choice(PLACES)
            name, acronym = f"{rng.choice(base)} {'de ' if kind != 'other' else ''}{suffix}", ""
        if name not in used:
            used.add(name)
            return name, acronym
    raise AssertionError("no free demo name")


COMPETENCES = [
    "électrolyse PEM",
    "réservoirs type IV",
    "essais d'endurance",
    "intégration système",
    "simulation numérique",
    "sécurité ATEX",
    "électronique de puissance",
    "catalyse",
]
# The moves of a demo membership to reach each state, and the reasons the staff give.
MEMBERSHIP_PATHS = {
    "applied": [],
    "under_review": ["under_review"],
    "approved": ["under_review", "approved"],
    "active": ["under_review", "approved", "active"],
    "withdrawn": ["under_review", "approved", "active", "withdrawn"],
    "excluded": ["under_review", "approved", "active", "excluded"],
    "refused": ["under_review", "refused"],
}
MEMBERSHIP_REASONS = {
    "refused": "Activité sans lien avec les domaines stratégiques du pôle.",
    "withdrawn": "Réorientation de l'activité de l'entreprise.",
    "excluded": "Cotisations impayées depuis deux exercices.",
}


def seed_organisations(*, stdout, actor) -> None:
    """About 150 organisations of every kind and size, with contacts and memberships in
    every state. Deterministic (a fixed random seed) and idempotent: organisations are
    found again by their SIRET, and an existing one is left as it is."""
    import random

    from members.models import Organisation
    from pole.models import StrategicDomain

    domains = list(StrategicDomain.objects.all())
    states = [state for state, count in STATE_MIX for _ in range(count)]
    existing = set(Organisation.objects.values_list("siret", flat=True))
    created = 0
    index = 0
    used_names: set[str] = set()
    for kind, count in KIND_MIX:
        for _position in range(count):
            index += 1
            rng = random.Random(2026_000 + index)  # noqa: S311 - demo data, one reproducible stream per organisation
            profile = _draw_organisation(rng, kind=kind, index=index, domains=domains, used_names=used_names)
            if profile["siret"] in existing:
                continue
            organisation = _create_organisation(rng, profile)
            contacts = _create_contacts(rng, organisation, people=profile["people"], index=index)
            _create_membership(
                rng,
                organisation,
                applicant=contacts[-1],
                state=states[(index * 7) % len(states)],
                college=profile["college"],
                applied_days_ago=profile["applied_days_ago"],
                actor=actor,
            )
            created += 1
    stdout.write(f"Organisations: {created} created, {Organisation.objects.count()} in all.")


def _draw_organisation(rng, *, kind: str, index: int, domains: list, used_names: set[str]) -> dict:
    """What the random stream of one demo organisation decides before we know whether it
    exists already (the draws stay in the same order, so the demo stays the same)."""
    from decimal import Decimal

    department = rng.choice(DEPARTMENTS)
    legal_name, acronym = _organisation_name(rng, kind, department, used_names)
    siret = demo_siret(rng)
    size = SIZES[rng.choices(range(4), weights=[30, 50, 13, 7])[0]]
    headcount = rng.randint(*size[0])
    turnover = Decimal(str(round(rng.uniform(*size[1]), 2))) * 1_000_000
    picked_domains = rng.sample(domains, k=rng.randint(1, 3)) if domains else []
    people = [(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(JOBS)) for _ in range(rng.randint(1, 3))]
    return {
        "kind": kind,
        "department": department,
        "legal_name": legal_name,
        "acronym": acronym,
        "siret": siret,
        "headcount": headcount,
        "turnover": turnover,
        "domains": picked_domains,
        "people": people,
        "college": COLLEGE_OF_KIND.get(kind) or ("smes" if headcount < 250 else "large-companies"),
        "opt_in": rng.random() < 0.8,
        "applied_days_ago": rng.randint(30, 2000),
    }


def _create_organisation(rng, profile: dict):
    from django.utils.text import slugify

    from members.models import Organisation

    kind, legal_name, picked_domains = profile["kind"], profile["legal_name"], profile["domains"]
    city, postcode = CITIES[profile["department"]]
    organisation = Organisation.objects.create(
        legal_name=legal_name,
        acronym=profile["acronym"],
        kind=kind,
        siret=profile["siret"],
        naf_code=rng.choice(["27.90Z", "28.29B", "71.12B", "72.19Z", "20.11Z", "29.32Z"]),
        headcount=profile["headcount"] if kind == "company" else rng.randint(20, 600),
        turnover=profile["turnover"] if kind == "company" else None,
        street=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        postcode=postcode,
        city=city,
        department=profile["department"],
        website=f"https://www.{slugify(profile['acronym'] or legal_name)[:40]}.example",
        description_fr=f"{legal_name} intervient dans les domaines suivants : "
        + ", ".join(d.name_fr.lower() for d in picked_domains)
        + ".",
        description_en=f"{legal_name} works on " + ", ".join(d.name_en.lower() for d in picked_domains) + ".",
        competences="\n".join(rng.sample(COMPETENCES, k=3)),
        directory_opt_in=profile["opt_in"],
    )
    organisation.strategic_domains.set(picked_domains)
    return organisation


def _create_contacts(rng, organisation, *, people: list, index: int) -> list:
    """The organisation's contacts: the first is its legal representative and billing
    contact, the last its main contact and administrator."""
    from members.models import Person

    contacts = []
    for position, (first, last, job) in enumerate(people):
        contacts.append(
            Person.objects.create(
                organisation=organisation,
                first_name=first,
                last_name=last,
                email=ascii_email(f"{first}.{last}.{index}@{settings.DEMO_EMAIL_DOMAIN}"),
                phone="04 " + " ".join(str(rng.randint(10, 99)) for _ in range(4)),
                job_title=job,
                is_legal_representative=position == 0,
                is_main_contact=position == len(people) - 1,
                is_billing_contact=position == 0,
                is_technical_contact=position > 0,
                is_organisation_admin=position == len(people) - 1,
            )
        )
    return contacts


def _create_membership(rng, organisation, *, applicant, state: str, college: str, applied_days_ago: int, actor):
    """An application by `applicant`, then the moves of the state machine up to `state`,
    decided by the board a month after the application."""
    from datetime import date, timedelta

    from members.models import Membership
    from members.services.memberships import transition_membership

    applied_at = timezone.now() - timedelta(days=applied_days_ago)
    membership = Membership.objects.create(
        organisation=organisation, college=college, applicant=applicant, applied_at=applied_at,
        motivation="Rejoindre l'écosystème hydrogène du territoire et monter des projets collaboratifs.",
    )  # fmt: skip
    decision = (applied_at + timedelta(days=30)).date()
    for target in MEMBERSHIP_PATHS[state]:
        effective = None
        if target == "active":
            effective = decision
        if target in {"withdrawn", "excluded"}:
            effective = min(date.today(), decision + timedelta(days=rng.randint(200, 900)))
        transition_membership(
            membership=membership,
            target=target,
            actor=actor,
            reason=MEMBERSHIP_REASONS.get(target, ""),
            decision_date=decision,
            decision_reference=f"CA-{decision:%Y-%m}" if target in {"approved", "refused"} else "",
            effective_date=effective,
        )


def link_demo_contacts() -> None:
    """The member and partner demo accounts become contacts of two active members."""
    from members.models import Membership, Person

    active = (
        Membership.objects.filter(state="active", organisation__kind="company")
        .select_related("organisation")
        .order_by("organisation__siret")
    )
    targets = {"member": active.first(), "partner": active.last()}
    for local, membership in targets.items():
        user = User.objects.filter(email=demo_email(local)).first()
        if user is None or membership is None or Person.objects.filter(user=user).exists():
            continue
        Person.objects.create(
            organisation=membership.organisation,
            user=user,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            job_title="Responsable innovation",
            is_technical_contact=True,
            is_organisation_admin=True,
        )


# --- Demo dues [M4] ----------------------------------------------------------------------

DEMO_SCALE = {
    ("company", "micro"): "300.00",
    ("company", "sme"): "1200.00",
    ("company", "midsize"): "4500.00",
    ("company", "large"): "12000.00",
    ("research", "any"): "800.00",
    ("education", "any"): "600.00",
    ("public", "any"): "2500.00",
    ("other", "any"): "400.00",
}
# This year's dues, by position: every status is represented.
STATUS_CYCLE = ["paid", "paid", "paid", "invoiced", "invoiced", "to_invoice", "overdue", "paid", "waived", "invoiced"]


def seed_dues(*, stdout, actor) -> None:
    """Last year's and this year's scales, this year's call, and statuses spread over the
    records. Only a call that created records spreads statuses, so a second run changes
    nothing."""
    from datetime import timedelta
    from decimal import Decimal

    from members.models import Dues, DuesRate
    from members.services.dues import call_dues, save_dues_scale, transition_dues

    year = timezone.localdate().year
    for scale_year in (year - 1, year):
        if not DuesRate.objects.filter(year=scale_year).exists():
            amounts = {cell: Decimal(amount) for cell, amount in DEMO_SCALE.items()}
            save_dues_scale(year=scale_year, amounts=amounts, actor=actor)
    if not call_dues(year=year, actor=actor):
        return
    today = timezone.localdate()
    for position, dues in enumerate(Dues.objects.filter(year=year).order_by("pk")):
        status = STATUS_CYCLE[position % len(STATUS_CYCLE)]
        if status == "to_invoice":
            continue
        if status == "waived":
            transition_dues(
                dues=dues, target="waived", actor=actor, waiver_reason="Adhésion offerte la première année."
            )
            continue
        invoiced_on = today - timedelta(days=75 if status == "overdue" else 20)
        dues = transition_dues(dues=dues, target="invoiced", actor=actor, invoiced_on=invoiced_on)
        if status == "paid":
            transition_dues(
                dues=dues, target="paid", actor=actor, paid_on=invoiced_on + timedelta(days=12),
                payment_reference=f"VIR-{dues.invoice_number}",
            )  # fmt: skip
        elif status == "overdue":
            transition_dues(dues=dues, target="overdue", actor=None)
    stdout.write(f"Dues {year}: {Dues.objects.filter(year=year).count()} records.")

"""Who is in a demo project: the pools of demo organisations, their contacts and accounts,
and the consortium drawn for each project (the lead first)."""

from django.db.models import Prefetch

from members.models import Organisation, OrganisationKind, Person, User
from projects.demo.catalogue import (
    MEMBER_AWAITING_IN,
    MEMBER_LEADS,
    MEMBER_PARTNER_IN,
    PARTNER_PARTNER_IN,
    PLATFORM,
    RD,
    REGION,
    Spec,
)
from projects.models import Call, NonRDSubKind


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
    if (spec.acronym in MEMBER_PARTNER_IN or spec.acronym in MEMBER_AWAITING_IN) and member:
        others.insert(0, member)
    if spec.acronym in PARTNER_PARTNER_IN and partner:
        others.insert(0, partner)
    return [(lead, True)] + [(organisation, False) for organisation in others[:5]]

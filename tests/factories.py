"""factory_boy factories shared by the test suite. Factories may set state fields
directly: they build the situation a test starts from, they are not a workflow."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import College, Dues, Membership, Organisation, OrganisationKind, Person, User

# Valid SIRENs (Luhn), for tests that need several distinct companies.
VALID_SIRENS = ["732829320", "552100554", "542051180", "775672272", "383474814", "403335904", "572093920"]


def luhn_siren(n: int) -> str:
    """A valid SIREN built from `n` (8 digits + Luhn check digit)."""
    base = f"{n:08d}"[-8:]
    for check in range(10):
        candidate = base + str(check)
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch)
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Société Exemple {n}")
    kind = OrganisationKind.COMPANY
    siren = factory.Sequence(lambda n: luhn_siren(10_000_000 + n))
    headcount = 40
    turnover = 5_000_000
    department = "69"
    city = "Lyon"
    postcode = "69007"
    description_fr = "Une entreprise exemplaire."
    description_en = "An exemplary company."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Louise"
    last_name = factory.Sequence(lambda n: f"Bernard{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    is_main_contact = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    college = College.SMES
    state = Membership.State.ACTIVE


class DuesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dues

    membership = factory.SubFactory(MembershipFactory)
    year = 2026
    amount = "1200.00"
    status = Dues.Status.TO_INVOICE


# --- Projects ---------------------------------------------------------------------------


def funding_scheme(code="fui"):
    from pole.models import FundingScheme

    names = {"fui": ("Fonds unique interministériel (FUI)", "Single Inter-ministerial Fund (FUI)")}
    name_fr, name_en = names.get(code, (code.upper(), code.upper()))
    scheme, _created = FundingScheme.objects.get_or_create(
        code=code, defaults={"name_fr": name_fr, "name_en": name_en, "level": "national"}
    )
    return scheme


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Call"

    code = factory.Sequence(lambda n: f"fui-{n}")
    title_fr = factory.Sequence(lambda n: f"Appel à projets FUI n°{n}")
    title_en = factory.Sequence(lambda n: f"FUI call no. {n}")
    funding_scheme = factory.LazyFunction(funding_scheme)
    allowed_kinds = factory.LazyFunction(lambda: ["rd", "platform", "non_rd"])
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Project"

    acronym = factory.Sequence(lambda n: f"HYPRO{n}")
    title_fr = "Production d'hydrogène par électrolyse à haute température"
    title_en = "High-temperature electrolysis hydrogen production"
    summary_fr = "Résumé public du projet."
    summary_en = "Public summary of the project."
    description = "Description confidentielle : procédé breveté X-42."
    call = factory.SubFactory(CallFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Partner"

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_lead = False
    role = "Partenaire industriel"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.BudgetLine"

    partner = factory.SubFactory(PartnerFactory)
    category = "personnel"
    amount = "100000.00"

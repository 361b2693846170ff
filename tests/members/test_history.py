"""History [D1]: changes to organisations, people, memberships and dues are kept and shown
to staff with who made them and when."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.history import organisation_history
from members.models import Dues, Membership, Organisation
from members.services.memberships import transition_membership
from members.services.sizes import override_size_category
from pole.models import StrategicDomain
from tests.conftest import login
from tests.factories import DuesFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    staff_user.first_name, staff_user.last_name = "Claire", "Moreau"
    staff_user.save()
    staff_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="members"))
    login(client, staff_user, totp_secret)
    return client


def staff_page(client, organisation):
    with translation.override("en"):
        address = reverse("members:staff-member", kwargs={"slug": organisation.slug})
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def history_rows(page) -> list[str]:
    """The history table's rows as plain text, newest first."""
    table = page[page.index('id="history-title"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]


def admin_change_data(response) -> dict:
    """The POST data of an admin change form as the browser would send it unchanged."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or name in {"logo", "file"}:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.forms:
            add(form)
    return data


def test_a_change_in_the_admin_shows_on_the_staff_history_page_with_its_author(staff_client):
    organisation = OrganisationFactory(legal_name="Ancien Nom", headcount=40)
    PersonFactory(organisation=organisation, first_name="Paul", last_name="Contact")
    address = f"/en/admin/members/organisation/{organisation.pk}/change/"
    data = admin_change_data(staff_client.get(address))
    data.update({"legal_name": "Nouveau Nom", "headcount": "300"})

    response = staff_client.post(address, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert (organisation.legal_name, organisation.size_category) == ("Nouveau Nom", "midsize")
    rows = history_rows(staff_page(staff_client, organisation))
    newest = rows[0]
    assert "Claire Moreau" in newest
    assert "Organisation — Changed" in newest
    assert "Legal name: Ancien Nom → Nouveau Nom" in newest
    assert "Headcount: 40 → 300" in newest
    assert "Size category: SME (PME) → Mid-size company (ETI)" in newest
    assert any("Organisation — Created" in row for row in rows)
    assert any("Contact Paul Contact — Created" in row for row in rows)


def test_a_staff_size_override_shows_with_its_author_and_reason(staff_client):
    organisation = OrganisationFactory(legal_name="Filiale", headcount=40)
    with translation.override("en"):
        address = reverse("members:staff-member-size", kwargs={"slug": organisation.slug})

    staff_client.post(address, {"size": "large", "reason": "Filiale d'un grand groupe"})

    rows = history_rows(staff_page(staff_client, organisation))
    changed = next(row for row in rows if "Organisation — Changed" in row)
    assert "Claire Moreau" in changed
    assert "Size category set by staff: — → Large company (GE)" in changed
    assert "Reason for the size set by staff: — → Filiale d'un grand groupe" in changed
    logged = next(row for row in rows if "Size category set by staff" in row and "Reason:" in row)
    assert "Claire Moreau" in logged and "Reason: Filiale d'un grand groupe" in logged


def test_people_memberships_and_dues_changes_are_in_the_history(staff_client, staff_user):
    organisation = OrganisationFactory(legal_name="Historique SA")
    person = PersonFactory(organisation=organisation, first_name="Léa", last_name="Martin", job_title="CTO")
    membership = MembershipFactory(organisation=organisation, state=Membership.State.ACTIVE)
    dues = DuesFactory(membership=membership, year=2026, amount="900.00")
    person.job_title = "CEO"
    person.save()
    dues.invoice_number = "F-2026-001"
    dues.save()
    transition_membership(membership=membership, target="withdrawn", actor=staff_user, reason="Cessation d'activité")

    rows = history_rows(staff_page(staff_client, organisation))

    assert any("Contact Léa Martin — Changed" in row and "Job title: CTO → CEO" in row for row in rows)
    assert any("Dues 2026 — Changed" in row and "Invoice number: — → F-2026-001" in row for row in rows)
    assert any(
        "Membership (SMEs and start-ups) — Changed" in row and "State: Active → Withdrawn" in row for row in rows
    )
    transition = next(row for row in rows if "Membership: Withdrawn" in row)
    assert "Claire Moreau" in transition
    assert "Active → Withdrawn" in transition and "Reason: Cessation d'activité" in transition
    # newest first
    whens = [entry["when"] for entry in organisation_history(organisation)]
    assert whens == sorted(whens, reverse=True)


def test_the_history_shows_readable_values(staff_client, staff_user):
    organisation = OrganisationFactory(legal_name="Lisible SA")
    person = PersonFactory(organisation=organisation, first_name="Léa", last_name="Martin", user=None)
    dues = DuesFactory(membership=MembershipFactory(organisation=organisation), year=2026, amount="900.00")
    person.user = staff_user
    person.save()
    dues.paid_on = datetime.date(2026, 3, 5)
    dues.amount = Decimal("1250.50")
    dues.notice.name = "dues-notices/2026/avis-F-2026-001.pdf"
    dues.save()
    domain = StrategicDomain.objects.create(code="energy", name_fr="Énergie", name_en="Energy", position=1)
    organisation.strategic_domains.add(domain)
    organisation.save()

    rows = history_rows(staff_page(staff_client, organisation))

    assert any(f"User account: — → {staff_user}" in row for row in rows), rows
    paid = next(row for row in rows if "Dues 2026 — Changed" in row)
    assert "Paid on: — → 05/03/2026" in paid
    assert "Amount (€): 900.00 → 1,250.50" in paid
    assert "Dues notice (PDF): — → avis-F-2026-001.pdf" in paid
    assert any("Strategic domains: — → Energy" in row for row in rows), rows
    user_row = next(row for row in rows if "User account:" in row)
    assert not re.search(rf"→ {staff_user.pk}\b", user_row), user_row


def test_another_organisations_history_is_not_mixed_in(staff_client):
    mine = OrganisationFactory(legal_name="Mienne")
    other = OrganisationFactory(legal_name="Autre")
    PersonFactory(organisation=other, first_name="Intrus", last_name="Externe")
    DuesFactory(membership=MembershipFactory(organisation=other), year=2031)

    page = staff_page(staff_client, mine)

    assert "Intrus" not in page and "Dues 2031" not in page


def test_the_history_page_query_count_does_not_grow_with_the_records(staff_client, staff_user):
    organisation = OrganisationFactory(legal_name="Compteur")
    membership = MembershipFactory(organisation=organisation, state=Membership.State.ACTIVE)
    PersonFactory(organisation=organisation)
    DuesFactory(membership=membership, year=2025)
    staff_page(staff_client, organisation)
    with CaptureQueriesContext(connection) as few:
        staff_page(staff_client, organisation)

    for n in range(10):
        organisation.description_fr = f"Version {n}"
        organisation.save()
        override_size_category(
            organisation=organisation, size="large" if n % 2 else "", reason="test", actor=staff_user
        )
        PersonFactory(organisation=organisation)
    DuesFactory(membership=membership, year=2026)
    Dues.objects.filter(membership=membership).update(amount="1.00")
    with CaptureQueriesContext(connection) as many:
        page = staff_page(staff_client, organisation)

    assert len(history_rows(page)) > 30
    assert len(many) == len(few)


def test_state_fields_are_read_only_in_the_admin_and_old_versions_cannot_be_restored(staff_client):
    membership = MembershipFactory(state=Membership.State.APPLIED)
    dues = DuesFactory(membership=MembershipFactory(), status=Dues.Status.TO_INVOICE)

    page = staff_client.get(f"/en/admin/members/membership/{membership.pk}/change/")
    assert "state" not in page.context["adminform"].form.fields
    page = staff_client.get(f"/en/admin/members/dues/{dues.pk}/change/")
    assert "status" not in page.context["adminform"].form.fields

    version = membership.history.first()
    address = f"/en/admin/members/membership/{membership.pk}/history/{version.history_id}/"
    assert staff_client.get(address).status_code == 200
    assert staff_client.post(address, {"college": "other"}).status_code == 403
    assert Organisation.objects.count() == 2

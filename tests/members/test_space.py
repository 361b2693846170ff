"""The member space [M6]: a contact sees and edits his own organisation only."""

import io
import os

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from members.models import Dues, Membership, Organisation, Person
from members.services.memberships import transition_membership
from pole.activity import record_activity
from pole.models import ActivityLog, StrategicDomain
from tests.conftest import login
from tests.factories import DuesFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def make_contact(user, organisation=None, *, admin=True, **extra):
    organisation = organisation or OrganisationFactory()
    return PersonFactory(
        organisation=organisation,
        user=user,
        email=user.email,
        first_name=user.first_name or "Alice",
        last_name=user.last_name or "Martin",
        is_organisation_admin=admin,
        **extra,
    )


@pytest.fixture
def own(member_user):
    """The member's organisation, which he administers, with an active membership."""
    organisation = OrganisationFactory(legal_name="Acme Robotique", acronym="ACME")
    make_contact(member_user, organisation)
    MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def other(other_member_user):
    organisation = OrganisationFactory(legal_name="Autre Industrie", description_fr="Texte d'origine")
    make_contact(other_member_user, organisation)
    MembershipFactory(organisation=organisation)
    return organisation


def png_bytes(size=(8, 8), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 93, 122)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, content, content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def profile_data(organisation, **changes):
    data = {
        "acronym": organisation.acronym,
        "website": organisation.website,
        "street": organisation.street,
        "postcode": organisation.postcode,
        "city": organisation.city,
        "country": "FR",
        "department": organisation.department,
        "headcount": organisation.headcount if organisation.headcount is not None else "",
        "turnover": organisation.turnover if organisation.turnover is not None else "",
        "balance_sheet": organisation.balance_sheet if organisation.balance_sheet is not None else "",
        "description_fr": organisation.description_fr,
        "description_en": organisation.description_en,
        "competences": organisation.competences,
    }
    data.update(changes)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def space_urls(organisation, person_pk):
    slug = organisation.slug
    return [
        f"/fr/members/my-organisation/{slug}/",
        f"/fr/members/my-organisation/{slug}/profile/",
        f"/fr/members/my-organisation/{slug}/contacts/",
        f"/fr/members/my-organisation/{slug}/contacts/invite/",
        f"/fr/members/my-organisation/{slug}/contacts/{person_pk}/edit/",
    ]


# --- my-organisation/ ----------------------------------------------------------------------


def test_a_contact_of_one_organisation_goes_straight_to_its_space(client, member_user, own):
    login(client, member_user)
    response = client.get("/fr/members/my-organisation/")
    assert response.status_code == 302
    assert response["Location"] == f"/fr/members/my-organisation/{own.slug}/"


def test_a_contact_of_several_organisations_chooses(client, member_user, own):
    second = OrganisationFactory(legal_name="Beta Capteurs")
    make_contact(member_user, second, admin=False)
    login(client, member_user)
    response = client.get("/fr/members/my-organisation/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="/fr/members/my-organisation/{own.slug}/"' in content
    assert f'href="/fr/members/my-organisation/{second.slug}/"' in content


def test_a_user_without_organisation_learns_how_to_join(client, member_user, other):
    login(client, member_user)
    response = client.get("/en/members/my-organisation/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "not linked to any organisation" in content
    assert "ask one of its administrators to invite you" in content
    assert other.legal_name not in content


def test_an_anonymous_visitor_is_sent_to_log_in(client, own):
    response = client.get(f"/fr/members/my-organisation/{own.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/?next=")


# --- scope: his own organisation only ------------------------------------------------------


def test_a_contact_edits_his_own_profile(client, member_user, own):
    login(client, member_user)
    domain = StrategicDomain.objects.create(code="robotics", name_fr="Robotique", name_en="Robotics")
    data = profile_data(own, acronym="ACME-R", city="Villeurbanne", strategic_domains=[domain.pk])
    response = client.post(f"/en/members/my-organisation/{own.slug}/profile/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/en/members/my-organisation/{own.slug}/"
    assert messages_of(response)[-1] == "The organisation's profile has been saved."
    own.refresh_from_db()
    assert (own.acronym, own.city) == ("ACME-R", "Villeurbanne")
    assert list(own.strategic_domains.all()) == [domain]
    entry = ActivityLog.objects.get(verb="organisation.profile_updated")
    assert entry.actor == member_user
    assert sorted(entry.data["fields"]) == ["acronym", "city", "strategic_domains"]
    latest = own.history.first()
    assert latest.history_user == member_user and latest.acronym == "ACME-R"


def test_both_descriptions_are_saved(client, member_user, own):
    login(client, member_user)
    data = profile_data(own, description_fr="Nous concevons des robots.", description_en="We design robots.")
    assert client.post(f"/fr/members/my-organisation/{own.slug}/profile/", data).status_code == 302
    own.refresh_from_db()
    assert own.description_fr == "Nous concevons des robots."
    assert own.description_en == "We design robots."
    content = client.get(f"/fr/members/my-organisation/{own.slug}/").content.decode()
    assert "Nous concevons des robots." in content and "We design robots." in content


def test_the_size_category_follows_the_figures(client, member_user, own):
    login(client, member_user)
    data = profile_data(own, headcount=300, turnover="60000000", balance_sheet="")
    assert client.post(f"/fr/members/my-organisation/{own.slug}/profile/", data).status_code == 302
    own.refresh_from_db()
    assert own.size_category == "midsize"


def test_every_page_of_another_organisation_answers_404(client, member_user, own, other):
    login(client, member_user)
    other_person = other.people.get()
    for url in space_urls(other, other_person.pk):
        assert client.get(url).status_code == 404, url


def test_forged_posts_to_another_organisation_change_nothing(client, member_user, own, other):
    login(client, member_user)
    other_person = other.people.get()
    slug = other.slug
    before_org = Organisation.objects.filter(pk=other.pk).values().get()
    before_person = Person.objects.filter(pk=other_person.pk).values().get()
    posts = {
        f"/fr/members/my-organisation/{slug}/profile/": profile_data(other, description_fr="Piraté"),
        f"/fr/members/my-organisation/{slug}/contacts/{other_person.pk}/edit/": {"phone": "0600000000"},
        f"/fr/members/my-organisation/{slug}/contacts/{other_person.pk}/deactivate/": {},
        f"/fr/members/my-organisation/{slug}/contacts/invite/": {"email": "intrus@example.org"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert Organisation.objects.filter(pk=other.pk).values().get() == before_org
    assert Person.objects.filter(pk=other_person.pk).values().get() == before_person
    assert not other.invitations.exists()
    assert not ActivityLog.objects.exists()


def test_his_own_contact_pk_under_another_slug_is_404(client, member_user, own, other):
    """The person is looked up inside the organisation of the URL, never on its own."""
    login(client, member_user)
    other_person = other.people.get()
    response = client.post(f"/fr/members/my-organisation/{own.slug}/contacts/{other_person.pk}/edit/", {"phone": "1"})
    assert response.status_code == 404
    other_person.refresh_from_db()
    assert other_person.phone == ""


def test_a_non_admin_contact_gets_403_on_the_editing_pages(client, member_user):
    organisation = OrganisationFactory()
    person = make_contact(member_user, organisation, admin=False)
    login(client, member_user)
    slug = organisation.slug
    assert client.get(f"/fr/members/my-organisation/{slug}/").status_code == 200
    assert client.get(f"/fr/members/my-organisation/{slug}/contacts/").status_code == 200
    assert client.get(f"/fr/members/my-organisation/{slug}/profile/").status_code == 403
    response = client.post(f"/fr/members/my-organisation/{slug}/profile/", profile_data(organisation, acronym="X"))
    assert response.status_code == 403
    assert client.get(f"/fr/members/my-organisation/{slug}/contacts/{person.pk}/edit/").status_code == 403
    organisation.refresh_from_db()
    assert organisation.acronym == ""
    content = client.get(f"/fr/members/my-organisation/{slug}/").content.decode()
    assert f"/fr/members/my-organisation/{slug}/profile/" not in content


def test_a_deactivated_contact_loses_access(client, member_user, own):
    own.people.filter(user=member_user).update(is_active=False)
    login(client, member_user)
    assert client.get(f"/fr/members/my-organisation/{own.slug}/").status_code == 404


def test_staff_may_open_every_space(client, staff_user, totp_secret, own):
    login(client, staff_user, totp_secret)
    assert client.get(f"/fr/members/my-organisation/{own.slug}/").status_code == 200
    assert client.get(f"/fr/members/my-organisation/{own.slug}/profile/").status_code == 200


# --- dues and history ----------------------------------------------------------------------


def test_he_never_sees_another_organisations_dues(client, member_user, own, other):
    DuesFactory(membership=own.memberships.get(), year=2025, amount="1200.00", status=Dues.Status.PAID)
    invoiced = DuesFactory(
        membership=own.memberships.get(),
        year=2026,
        amount="1500.00",
        status=Dues.Status.INVOICED,
        invoice_number="COT-2026-0001",
    )
    foreign = DuesFactory(
        membership=other.memberships.get(),
        year=2024,
        amount="4321.98",
        status=Dues.Status.OVERDUE,
        invoice_number="COT-2024-0099",
    )
    login(client, member_user)
    response = client.get(f"/fr/members/my-organisation/{own.slug}/")
    content = response.content.decode()
    assert [d.year for d in response.context["dues_list"]] == [2026, 2025]
    assert "1\u202f500,00\u00a0€" in content and "1\u202f200,00\u00a0€" in content
    assert f'href="/fr/members/dues/{invoiced.pk}/notice/"' in content
    assert "321,98" not in content and "2024" not in content and "COT-2024-0099" not in content
    assert f"/dues/{foreign.pk}/notice/" not in content
    assert "Autre Industrie" not in content


def test_the_membership_history_lists_states_and_log(client, member_user, staff_user):
    organisation = OrganisationFactory()
    make_contact(member_user, organisation)
    old = MembershipFactory(organisation=organisation, state=Membership.State.REFUSED, reason="Dossier incomplet")
    current = MembershipFactory(organisation=organisation, state=Membership.State.APPLIED)
    transition_membership(membership=current, target=Membership.State.UNDER_REVIEW, actor=staff_user)
    record_activity(actor=member_user, verb="membership.applied", target=current, data={})
    login(client, member_user)
    response = client.get(f"/en/members/my-organisation/{organisation.slug}/")
    assert response.status_code == 200
    assert {m.pk for m in response.context["memberships"]} == {old.pk, current.pk}
    assert response.context["current_membership"] == current
    content = response.content.decode()
    assert "Dossier incomplet" in content
    assert "Applied → Under review" in content
    assert "Membership application sent" in content and "membership.applied" not in content


def test_the_overview_query_count_does_not_grow_with_contacts_and_dues(
    client, member_user, own, django_assert_num_queries
):
    login(client, member_user)
    url = f"/fr/members/my-organisation/{own.slug}/"
    membership = own.memberships.get()
    DuesFactory(membership=membership, year=2000)
    client.get(url)  # warm the session and content-type caches

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(19):
        PersonFactory(organisation=own)
    for year in range(2001, 2020):
        DuesFactory(membership=membership, year=year)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["organisation"].active_contacts) == 20
    assert len(response.context["dues_list"]) == 20


# --- the logo -------------------------------------------------------------------------------


def test_a_real_small_png_is_saved(client, member_user, own):
    login(client, member_user)
    data = profile_data(own)
    data["new_logo"] = upload("logo.png", png_bytes())
    response = client.post(f"/fr/members/my-organisation/{own.slug}/profile/", data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.logo.name.startswith("logos/") and own.logo.name.endswith(".png")
    with own.logo.open("rb") as stored:
        assert Image.open(stored).format == "PNG"


def test_a_webp_logo_is_saved(client, member_user, own):
    login(client, member_user)
    data = profile_data(own)
    data["new_logo"] = upload("Logo Final.WEBP", png_bytes(fmt="WEBP"), "image/webp")
    assert client.post(f"/fr/members/my-organisation/{own.slug}/profile/", data).status_code == 302
    own.refresh_from_db()
    assert own.logo.name.startswith(f"logos/{own.slug}-") and own.logo.name.endswith(".webp")


def test_a_logo_that_is_too_big_is_refused_and_typed_values_are_kept(client, member_user, own, settings):
    assert settings.MAX_LOGO_SIZE == 2 * 1024 * 1024
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))  # does not compress: > 2 MB as PNG
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > settings.MAX_LOGO_SIZE
    login(client, member_user)
    data = profile_data(own, description_en="Typed text that must survive")
    data["new_logo"] = upload("logo.png", buffer.getvalue())
    response = client.post(f"/en/members/my-organisation/{own.slug}/profile/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["new_logo"] == ["This file is too big: the limit is 2 MB."]
    content = response.content.decode()
    assert "This file is too big: the limit is 2 MB." in content
    assert "Typed text that must survive" in content
    own.refresh_from_db()
    assert not own.logo and own.description_en == "An exemplary company."


def test_a_png_that_is_really_text_is_refused(client, member_user, own):
    login(client, member_user)
    data = profile_data(own, acronym="NEW")
    data["new_logo"] = upload("logo.png", b"This is plain text, not an image.\n" * 10)
    response = client.post(f"/en/members/my-organisation/{own.slug}/profile/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["new_logo"] == [
        "The content of this file does not match its extension .png: it may be damaged or disguised as another type."
    ]
    content = response.content.decode()
    assert "does not match its extension .png" in content
    assert 'value="NEW"' in content
    own.refresh_from_db()
    assert not own.logo and own.acronym == "ACME"


def test_an_svg_renamed_png_is_refused(client, member_user, own):
    login(client, member_user)
    data = profile_data(own)
    data["new_logo"] = upload("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    response = client.post(f"/en/members/my-organisation/{own.slug}/profile/", data)
    assert "does not match its extension .png" in response.context["form"].errors["new_logo"][0]
    own.refresh_from_db()
    assert not own.logo


def test_a_file_that_only_starts_like_a_png_is_refused(client, member_user, own):
    login(client, member_user)
    data = profile_data(own)
    data["new_logo"] = upload("logo.png", png_bytes()[:40] + b"<?php system($_GET['c']); ?>" * 20)
    response = client.post(f"/en/members/my-organisation/{own.slug}/profile/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["new_logo"] == [
        "This file is not a valid PNG, JPEG or WebP image: it may be damaged."
    ]
    own.refresh_from_db()
    assert not own.logo


@pytest.mark.parametrize(
    "name,content",
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        (
            "logo.gif",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
            b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        ),
    ],
)
def test_svg_and_other_formats_are_refused(client, member_user, own, name, content):
    login(client, member_user)
    data = profile_data(own)
    data["new_logo"] = upload(name, content, "image/png")
    response = client.post(f"/en/members/my-organisation/{own.slug}/profile/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["new_logo"] == [
        "This type of file is not accepted. Allowed formats: JPEG, PNG, WebP."
    ]
    own.refresh_from_db()
    assert not own.logo


def test_the_logo_can_be_removed(client, member_user, own):
    login(client, member_user)
    data = profile_data(own)
    data["new_logo"] = upload("logo.jpg", png_bytes(fmt="JPEG"))
    client.post(f"/fr/members/my-organisation/{own.slug}/profile/", data)
    own.refresh_from_db()
    stored_name = own.logo.name
    assert stored_name.endswith(".jpg") and own.logo.storage.exists(stored_name)
    client.post(f"/fr/members/my-organisation/{own.slug}/profile/", profile_data(own, remove_logo="on"))
    own.refresh_from_db()
    assert not own.logo


def test_bad_input_keeps_what_was_typed(client, member_user, own):
    login(client, member_user)
    data = profile_data(own, website="not a web address", description_fr="Ma description tapée")
    response = client.post(f"/fr/members/my-organisation/{own.slug}/profile/", data)
    assert response.status_code == 200
    assert "website" in response.context["form"].errors
    content = response.content.decode()
    assert "Ma description tapée" in content and 'value="not a web address"' in content
    own.refresh_from_db()
    assert own.description_fr == "Une entreprise exemplaire."


# --- contacts -------------------------------------------------------------------------------


def test_an_admin_edits_a_colleague(client, member_user, own):
    colleague = PersonFactory(organisation=own, job_title="Technicien")
    login(client, member_user)
    url = f"/fr/members/my-organisation/{own.slug}/contacts/{colleague.pk}/edit/"
    response = client.post(url, {"phone": "04 72 00 00 00", "job_title": "Ingénieur", "is_billing_contact": "on"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.phone, colleague.job_title, colleague.is_billing_contact) == ("04 72 00 00 00", "Ingénieur", True)
    assert colleague.is_main_contact is False
    assert ActivityLog.objects.get(verb="person.updated").actor == member_user


def test_the_last_admin_can_neither_leave_nor_lose_the_role(client, member_user, own):
    me = own.people.get(user=member_user)
    login(client, member_user)
    response = client.post(f"/fr/members/my-organisation/{own.slug}/contacts/{me.pk}/deactivate/")
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.is_active
    response = client.post(f"/en/members/my-organisation/{own.slug}/contacts/{me.pk}/edit/", {"phone": "1"})
    assert response.status_code == 200
    assert "at least one administrator" in response.content.decode()
    me.refresh_from_db()
    assert me.is_organisation_admin and me.phone == ""


def test_an_admin_deactivates_a_colleague(client, member_user, own):
    colleague = PersonFactory(organisation=own)
    login(client, member_user)
    response = client.post(f"/fr/members/my-organisation/{own.slug}/contacts/{colleague.pk}/deactivate/")
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_active is False
    content = client.get(f"/fr/members/my-organisation/{own.slug}/").content.decode()
    assert colleague.email not in content


def test_deactivation_is_post_only(client, member_user, own):
    colleague = PersonFactory(organisation=own)
    login(client, member_user)
    response = client.get(f"/fr/members/my-organisation/{own.slug}/contacts/{colleague.pk}/deactivate/")
    assert response.status_code == 405
    colleague.refresh_from_db()
    assert colleague.is_active


def test_the_contacts_page_query_count_is_constant(client, member_user, own, django_assert_num_queries):
    login(client, member_user)
    url = f"/fr/members/my-organisation/{own.slug}/contacts/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(19):
        PersonFactory(organisation=own)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["active_contacts"]) == 20

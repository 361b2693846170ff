"""Partner search [S4]: members post requests by domain, others answer through the portal;
the answer is e-mailed to the author without exposing either party's address."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.models import Membership
from pole.models import ActivityLog, StrategicDomain
from projects.models import PartnerSearch, PartnerSearchAnswer
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

AUTHOR_EMAIL = "auteur.prive@acme.example"
ANSWERER_EMAIL = "repondant.prive@labo.example"


def url(name, language="en", query="", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")


@pytest.fixture
def domains():
    return {
        "energy": StrategicDomain.objects.create(code="energy", name_fr="Énergie", name_en="Energy"),
        "health": StrategicDomain.objects.create(code="health", name_fr="Santé", name_en="Health"),
    }


@pytest.fixture
def author(django_user_model):
    user = UserFactory(email=AUTHOR_EMAIL, first_name="Alice", last_name="Auteur", language="en")
    organisation = OrganisationFactory(legal_name="ACME Énergie")
    MembershipFactory(organisation=organisation, state=Membership.State.ACTIVE)
    PersonFactory(organisation=organisation, user=user, email=AUTHOR_EMAIL)
    user.organisation = organisation
    return user


@pytest.fixture
def answerer():
    user = UserFactory(email=ANSWERER_EMAIL, first_name="Rémi", last_name="Répondant")
    organisation = OrganisationFactory(legal_name="Labo des Matériaux")  # not a member: may answer, not post
    PersonFactory(organisation=organisation, user=user, email=ANSWERER_EMAIL)
    user.organisation = organisation
    return user


@pytest.fixture
def search(author, domains):
    return PartnerSearch.objects.create(
        author=author,
        organisation=author.organisation,
        strategic_domain=domains["energy"],
        title="Cherche laboratoire en électrochimie",
        description="Pour un projet FUI sur le stockage.",
    )


@pytest.mark.parametrize("name, kwargs", [("partner-searches", {}), ("partner-search-create", {})])
def test_anonymous_visitors_are_sent_to_login(client, name, kwargs):
    response = client.get(url(f"projects:{name}", **kwargs))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_visitors_cannot_read_a_request(client, search):
    response = client.get(url("projects:partner-search-detail", pk=search.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert search.title not in response.content.decode()


def test_a_member_contact_posts_a_request(client, author, domains):
    client.force_login(author)
    data = {
        "organisation": author.organisation.pk,
        "strategic_domain": domains["health"].pk,
        "title": "Cherche PME",
        "description": "Capteurs",
    }
    response = client.post(url("projects:partner-search-create"), data)
    search = PartnerSearch.objects.get()
    assert response.status_code == 302 and response["Location"] == url("projects:partner-search-detail", pk=search.pk)
    assert (search.author, search.organisation, search.strategic_domain, search.is_open) == (
        author,
        author.organisation,
        domains["health"],
        True,
    )
    assert ActivityLog.objects.filter(verb="partner_search.posted").exists()


def test_a_bad_request_keeps_what_was_typed(client, author, domains):
    client.force_login(author)
    data = {"organisation": author.organisation.pk, "strategic_domain": "", "title": "Titre tapé", "description": ""}
    response = client.post(url("projects:partner-search-create"), data)
    assert response.status_code == 400
    assert 'value="Titre tapé"' in response.content.decode()
    assert not PartnerSearch.objects.exists()


def test_one_cannot_post_for_an_organisation_one_is_not_a_contact_of(client, author, domains):
    client.force_login(author)
    elsewhere = OrganisationFactory()
    MembershipFactory(organisation=elsewhere)
    data = {"organisation": elsewhere.pk, "strategic_domain": domains["health"].pk, "title": "T", "description": "D"}
    assert client.post(url("projects:partner-search-create"), data).status_code == 400
    assert not PartnerSearch.objects.exists()


def test_a_non_member_contact_may_not_post(client, answerer):
    client.force_login(answerer)
    response = client.get(url("projects:partner-search-create"))
    assert response.status_code == 302 and response["Location"] == url("projects:partner-searches")
    assert url("projects:partner-search-create") not in client.get(url("projects:partner-searches")).content.decode()


def test_the_list_shows_open_requests_filtered_by_domain(client, answerer, search, author, domains):
    PartnerSearch.objects.create(
        author=author, organisation=author.organisation, strategic_domain=domains["health"], title="Santé ouverte",
        description="x",
    )  # fmt: skip
    PartnerSearch.objects.create(
        author=author, organisation=author.organisation, strategic_domain=domains["energy"], title="Déjà fermée",
        description="x", is_open=False,
    )  # fmt: skip
    client.force_login(answerer)
    html = client.get(url("projects:partner-searches")).content.decode()
    assert search.title in html and "Santé ouverte" in html and "Déjà fermée" not in html
    html = client.get(url("projects:partner-searches", query="domain=health")).content.decode()
    assert "Santé ouverte" in html and search.title not in html


def test_an_answer_is_stored_and_emailed_to_the_author_without_addresses(
    client, answerer, author, search, django_capture_on_commit_callbacks
):
    client.force_login(answerer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("projects:partner-search-detail", language="fr", pk=search.pk),
            {"organisation": answerer.organisation.pk, "message": "Nous avons un banc d'électrochimie."},
        )
    assert response.status_code == 302
    answer = PartnerSearchAnswer.objects.get()
    assert (answer.author, answer.organisation, answer.search) == (answerer, answerer.organisation, search)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [AUTHOR_EMAIL]
    assert message.reply_to == []
    assert "Reply-To" not in message.message()
    assert message.subject == "New answer to your partner search “Cherche laboratoire en électrochimie”"  # in English
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Rémi Répondant" in body and "Labo des Matériaux" in body
        assert "banc d" in body
        assert f"/en/projects/partner-searches/{search.pk}/" in body  # a link in the author's language
        assert ANSWERER_EMAIL not in body
    assert ActivityLog.objects.filter(verb="partner_search.answered").exists()


def test_no_email_address_appears_on_the_pages(client, answerer, author, search):
    PartnerSearchAnswer.objects.create(
        search=search, author=answerer, organisation=answerer.organisation, message="Oui"
    )
    own_address = "({})"  # the navigation names the logged-in user's own address, for screen readers
    client.force_login(author)
    html = client.get(url("projects:partner-search-detail", pk=search.pk)).content.decode()
    assert "Rémi Répondant" in html and "Labo des Matériaux" in html and "Oui" in html  # the author reads answers
    assert ANSWERER_EMAIL not in html
    assert AUTHOR_EMAIL not in html.replace(own_address.format(AUTHOR_EMAIL), "")
    client.force_login(answerer)
    html = client.get(url("projects:partner-search-detail", pk=search.pk)).content.decode()
    assert "Alice Auteur" in html and "ACME Énergie" in html
    assert AUTHOR_EMAIL not in html
    assert AUTHOR_EMAIL not in client.get(url("projects:partner-searches")).content.decode()


def test_others_do_not_see_the_answers(client, answerer, search):
    PartnerSearchAnswer.objects.create(
        search=search, author=answerer, organisation=answerer.organisation, message="Réponse privée"
    )
    third = UserFactory()
    PersonFactory(user=third)
    client.force_login(third)
    assert "Réponse privée" not in client.get(url("projects:partner-search-detail", pk=search.pk)).content.decode()


def test_the_author_cannot_answer_his_own_request(client, author, search):
    client.force_login(author)
    response = client.post(
        url("projects:partner-search-detail", pk=search.pk), {"organisation": author.organisation.pk, "message": "Moi"}
    )
    assert response.status_code == 400
    assert not PartnerSearchAnswer.objects.exists()


def test_a_closed_request_takes_no_answer(client, answerer, search):
    search.is_open = False
    search.save()
    client.force_login(answerer)
    response = client.post(
        url("projects:partner-search-detail", pk=search.pk), {"organisation": answerer.organisation.pk, "message": "x"}
    )
    assert response.status_code == 404  # closed requests are the author's only
    assert not PartnerSearchAnswer.objects.exists()


def test_only_the_author_closes_a_request(client, answerer, author, search):
    client.force_login(answerer)
    client.post(url("projects:partner-search-close", pk=search.pk))
    search.refresh_from_db()
    assert search.is_open
    client.force_login(author)
    assert client.get(url("projects:partner-search-close", pk=search.pk)).status_code == 405
    response = client.post(url("projects:partner-search-close", pk=search.pk))
    assert response.status_code == 302
    search.refresh_from_db()
    assert not search.is_open
    assert ActivityLog.objects.filter(verb="partner_search.closed").count() == 1
    assert search.title in client.get(url("projects:partner-search-detail", pk=search.pk)).content.decode()


def test_list_query_count_is_the_same_with_1_and_10_requests(client, answerer, author, search, domains,
                                                           django_assert_num_queries):  # fmt: skip
    client.force_login(answerer)
    client.get(url("projects:partner-searches"))
    with CaptureQueriesContext(connection) as with_one:
        client.get(url("projects:partner-searches"))
    for n in range(9):
        PartnerSearch.objects.create(
            author=author, organisation=author.organisation, strategic_domain=domains["health"], title=f"R{n}",
            description="x",
        )  # fmt: skip
    with django_assert_num_queries(len(with_one)):
        client.get(url("projects:partner-searches"))

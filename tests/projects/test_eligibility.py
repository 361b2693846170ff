"""The eligibility checklist [P4]: every rule at its boundary, with its figures in the message."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from members.models import OrganisationKind
from projects import eligibility as E
from projects.eligibility import blocking_failures, check_eligibility, prefetch_for_eligibility
from projects.models import Project, ProjectDocument, RequestedAid
from tests.factories import (
    BudgetLineFactory,
    CallFactory,
    OrganisationFactory,
    PartnerFactory,
    ProjectFactory,
    funding_scheme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted on their English msgids (the French catalogue is merged later);
    French figures are asserted on their own below."""
    with translation.override("en"):
        yield


def company(**kwargs):
    return OrganisationFactory(kind=OrganisationKind.COMPANY, **kwargs)


def lab(**kwargs):
    return OrganisationFactory(
        kind=OrganisationKind.RESEARCH, siren="", legal_name=kwargs.pop("name", "Labo"), **kwargs
    )


def add_partner(project, organisation, budget="0", aid=None, is_lead=False):
    partner = PartnerFactory(project=project, organisation=organisation, is_lead=is_lead)
    if Decimal(budget):
        BudgetLineFactory(partner=partner, category="personnel", amount=budget)
    if aid is not None:
        RequestedAid.objects.create(partner=partner, funding_scheme=funding_scheme(), amount=aid)
    return partner


def eligible_project(**call_kwargs):
    """Two companies (lead first) and a lab, 50/30/20 % of a 1 000 000 € budget, 30 % of the
    aid to the lab: passes the default FUI-style rules."""
    project = ProjectFactory(call=CallFactory(**call_kwargs))
    add_partner(project, company(legal_name="Alpha"), "500000", "150000", is_lead=True)
    add_partner(project, company(legal_name="Beta"), "300000", "90000")
    add_partner(project, lab(name="Gamma"), "200000", "100000")
    return project


def result(project, code):
    results = {r.code: r for r in check_eligibility(Project.objects.get(pk=project.pk))}
    return results[code]


def test_eligible_project_passes_every_rule():
    project = eligible_project()
    results = check_eligibility(project)

    assert [r.code for r in results] == [
        E.GENERAL,
        E.KIND,
        E.LEAD_EXISTS,
        E.LEAD_COMPANY,
        E.CONFIRMED,
        E.COMPANIES,
        E.RESEARCH,
        E.MAX_SHARE,
        E.RESEARCH_AID,
    ]
    assert {r.status for r in results} == {E.PASS}
    assert blocking_failures(results) == []
    assert all(r.message and r.label for r in results)


# --- maximum share of one partner ---------------------------------------------------------


def share_project(lead_amount, other_amount, max_share="70"):
    project = ProjectFactory(call=CallFactory(max_partner_share=Decimal(max_share)))
    add_partner(project, company(legal_name="Alpha"), lead_amount, is_lead=True)
    add_partner(project, company(legal_name="Beta"), other_amount)
    add_partner(project, lab(), "0")
    return project


def test_partner_at_exactly_the_maximum_share_passes():
    check = result(share_project("700000", "300000"), E.MAX_SHARE)

    assert check.status == E.PASS
    assert check.message == "The largest share is 70.00% (Alpha); this call allows at most 70.00%."


def test_partner_one_hundredth_above_the_maximum_share_fails():
    check = result(share_project("700100", "299900"), E.MAX_SHARE)

    assert check.status == E.FAILURE
    assert check.message == "The partner Alpha holds 70.01% of the budget; this call allows at most 70.00%."


def test_share_figures_in_french():
    project = share_project("740000", "260000")
    with translation.override("fr"):
        check = result(project, E.MAX_SHARE)

    assert "74,00\u00a0%" in check.message
    assert "70,00\u00a0%" in check.message
    assert "Alpha" in check.message


def test_share_failure_blocks_the_deposit():
    project = share_project("740000", "260000")
    results = check_eligibility(project)

    assert [r.code for r in blocking_failures(results)] == [E.MAX_SHARE]


# --- companies ----------------------------------------------------------------------------


def test_one_company_fails_where_two_are_required():
    project = ProjectFactory(call=CallFactory(min_companies=2))
    add_partner(project, company(legal_name="Alpha"), "100", is_lead=True)
    add_partner(project, lab(), "100")
    check = result(project, E.COMPANIES)

    assert check.status == E.FAILURE
    assert check.message == "The consortium has 1 independent company; this call requires at least 2."


def test_two_companies_pass_where_two_are_required():
    project = ProjectFactory(call=CallFactory(min_companies=2))
    add_partner(project, company(), "100", is_lead=True)
    add_partner(project, company(), "100")

    check = result(project, E.COMPANIES)
    assert check.status == E.PASS
    assert check.message == "The consortium has 2 independent companies; this call requires at least 2."


def test_two_establishments_of_one_siren_count_as_one_company():
    project = ProjectFactory(call=CallFactory(min_companies=2))
    add_partner(project, company(legal_name="Alpha Lyon", siret="73282932000074", siren=""), "100", is_lead=True)
    add_partner(project, company(legal_name="Alpha Grenoble", siret="73282932000033", siren=""), "100")

    assert Project.objects.get(pk=project.pk).partners.filter(organisation__siren="732829320").count() == 2
    assert result(project, E.COMPANIES).status == E.FAILURE
    assert "has 1 independent company" in result(project, E.COMPANIES).message


def test_foreign_companies_without_siren_count_each():
    project = ProjectFactory(call=CallFactory(min_companies=2))
    add_partner(project, company(siren="", country="DE"), "100", is_lead=True)
    add_partner(project, company(siren="", country="IT"), "100")

    assert result(project, E.COMPANIES).status == E.PASS


def test_labs_and_public_bodies_are_not_companies():
    project = ProjectFactory(call=CallFactory(min_companies=1))
    add_partner(project, lab(), "100", is_lead=True)
    add_partner(project, OrganisationFactory(kind=OrganisationKind.PUBLIC, siren=""), "100")

    assert result(project, E.COMPANIES).status == E.FAILURE


# --- research or training bodies ----------------------------------------------------------


def test_no_research_body_fails_where_one_is_required():
    project = ProjectFactory(call=CallFactory(min_research_or_training=1))
    add_partner(project, company(), "100", is_lead=True)
    check = result(project, E.RESEARCH)

    assert check.status == E.FAILURE
    assert check.message == ("The consortium has 0 research or training bodies; this call requires at least 1.")


def test_a_training_body_satisfies_the_research_rule():
    project = ProjectFactory(call=CallFactory(min_research_or_training=1))
    add_partner(project, company(), "100", is_lead=True)
    add_partner(project, OrganisationFactory(kind=OrganisationKind.EDUCATION, siren=""), "100")

    assert result(project, E.RESEARCH).status == E.PASS


# --- lead partner -------------------------------------------------------------------------


def test_lab_as_lead_fails_when_a_company_lead_is_required():
    project = ProjectFactory(call=CallFactory(lead_must_be_company=True))
    add_partner(project, lab(name="CEA-Liten"), "100", is_lead=True)
    check = result(project, E.LEAD_COMPANY)

    assert check.status == E.FAILURE
    assert check.message == "The lead partner CEA-Liten is not a company; this call requires a company as lead."


def test_lab_as_lead_passes_when_not_required():
    project = ProjectFactory(call=CallFactory(lead_must_be_company=False))
    add_partner(project, lab(), "100", is_lead=True)

    assert result(project, E.LEAD_COMPANY).status == E.PASS


def test_missing_lead_fails():
    project = ProjectFactory()
    add_partner(project, company(), "100")

    assert result(project, E.LEAD_EXISTS).status == E.FAILURE
    assert result(project, E.LEAD_COMPANY).status == E.FAILURE


# --- research share of the aid (warning) -------------------------------------------------


def research_aid_project(company_aid, lab_aid):
    project = ProjectFactory(call=CallFactory(research_aid_warning_share=Decimal("40")))
    add_partner(project, company(legal_name="Alpha"), "500000", company_aid, is_lead=True)
    add_partner(project, company(legal_name="Beta"), "300000")
    add_partner(project, lab(), "200000", lab_aid)
    return project


def test_research_share_at_the_threshold_gives_no_warning():
    check = result(research_aid_project("600.00", "400.00"), E.RESEARCH_AID)

    assert check.status == E.PASS
    assert check.message == "Research and training bodies request 40.00% of the aid (flagged above 40.00%)."


def test_research_share_one_hundredth_above_gives_a_warning_that_does_not_block():
    project = research_aid_project("599.90", "400.10")
    results = check_eligibility(project)
    check = next(r for r in results if r.code == E.RESEARCH_AID)

    assert check.status == E.WARNING
    assert check.message.startswith("Research and training bodies request 40.01% of the aid, above the 40.00%")
    assert blocking_failures(results) == []


# --- budget floor and ceiling -------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "floor", "ceiling"),
    [
        ("999999.99", E.FAILURE, E.PASS),
        ("1000000.00", E.PASS, E.PASS),
        ("4000000.00", E.PASS, E.PASS),
        ("4000000.01", E.PASS, E.FAILURE),
    ],
)
def test_budget_floor_and_ceiling_at_the_exact_amounts(total, floor, ceiling):
    project = ProjectFactory(
        call=CallFactory(budget_floor=Decimal("1000000"), budget_ceiling=Decimal("4000000"), max_partner_share=100)
    )
    add_partner(project, company(), total, is_lead=True)
    checks = {r.code: r.status for r in check_eligibility(project)}

    assert (checks[E.FLOOR], checks[E.CEILING]) == (floor, ceiling)


def test_budget_floor_message_has_the_figures():
    project = ProjectFactory(call=CallFactory(budget_floor=Decimal("1000000")))
    add_partner(project, company(), "999999.99", is_lead=True)

    assert result(project, E.FLOOR).message == (
        "The total budget is 999\u202f999,99\u00a0€; this call requires at least 1\u202f000\u202f000,00\u00a0€."
    )


def test_no_floor_nor_ceiling_no_check():
    codes = {r.code for r in check_eligibility(eligible_project())}

    assert E.FLOOR not in codes and E.CEILING not in codes


# --- documents ----------------------------------------------------------------------------


def add_document(project, kind, version=None):
    return ProjectDocument.objects.create(
        project=project,
        kind=kind,
        file=ContentFile(b"%PDF-1.4", name="annexe.pdf"),
        original_name="annexe.pdf",
        size=8,
        content_type="application/pdf",
        sha256="0" * 64,
        version=version or project.version,
    )


def test_missing_required_document_fails():
    project = eligible_project(required_document_kinds=["technical_annex", "consortium_agreement"])
    add_document(project, "technical_annex")
    results = {r.code: r for r in check_eligibility(project)}

    assert results["documents.technical_annex"].status == E.PASS
    assert results["documents.consortium_agreement"].status == E.FAILURE
    assert results["documents.consortium_agreement"].message == (
        "This call requires the document “Consortium agreement”; it is missing."
    )
    assert [r.code for r in blocking_failures(list(results.values()))] == ["documents.consortium_agreement"]


def test_document_of_a_previous_version_counts_until_withdrawn():
    project = eligible_project(required_document_kinds=["technical_annex"])
    Project.objects.filter(pk=project.pk).update(version=2)
    project.refresh_from_db()
    annex = add_document(project, "technical_annex", version=1)
    assert result(project, "documents.technical_annex").status == E.PASS

    annex.withdrawn_in_version = 2
    annex.save()
    assert result(project, "documents.technical_annex").status == E.FAILURE
    add_document(project, "technical_annex", version=2)
    assert result(project, "documents.technical_annex").status == E.PASS


# --- kind and general information ---------------------------------------------------------


def test_kind_not_allowed_fails():
    project = eligible_project(allowed_kinds=["platform"])

    check = result(project, E.KIND)
    assert check.status == E.FAILURE
    assert check.message == "This call does not accept the kind “R&D project”; it accepts: Innovation platform."


def test_general_information_missing_fails():
    project = eligible_project()
    Project.objects.filter(pk=project.pk).update(summary_fr="", summary_en="  ", title_en="")
    check = result(project, E.GENERAL)

    assert check.status == E.FAILURE
    assert check.message == "Still missing: public summary."


# --- cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize("partners", [1, 12])
def test_checks_cost_constant_queries(django_assert_num_queries, partners):
    project = ProjectFactory(call=CallFactory(required_document_kinds=["technical_annex"]))
    for n in range(partners):
        add_partner(project, company(), "1000", "100", is_lead=n == 0)
    project = Project.objects.get(pk=project.pk)

    # call, partners (+ organisations), budget lines, requested aid (+ schemes), documents
    with django_assert_num_queries(5):
        check_eligibility(project)

    prefetched = prefetch_for_eligibility(Project.objects.filter(pk=project.pk)).get()
    with django_assert_num_queries(0):
        check_eligibility(prefetched)


# --- the checklist partial --------------------------------------------------------------------


def test_checklist_partial_shows_each_status_with_an_icon_and_words():
    project = research_aid_project("599.90", "400.10")  # a warning
    Project.objects.filter(pk=project.pk).update(summary_fr="", summary_en="")  # a failure
    results = check_eligibility(Project.objects.get(pk=project.pk))

    html = render_to_string("projects/includes/checklist.html", {"results": results})

    items = html.split("<li")[1:]
    assert len(items) == len(results)
    for item, check in zip(items, results, strict=True):
        assert f'data-code="{check.code}"' in item
        assert escape(check.message) in item
        icon, colour, word = {
            E.PASS: ("✓", "success", "Passed"),
            E.WARNING: ("⚠", "warning-emphasis", "Warning"),
            E.FAILURE: ("✗", "danger", "Failed"),
        }[check.status]
        assert f'<span class="text-{colour} fw-bold" aria-hidden="true">{icon}</span>' in item
        assert f">{word}</span>" in item
    assert {check.status for check in results} == {E.PASS, E.WARNING, E.FAILURE}

"""Budget arithmetic in Decimal [P2]: totals, shares, aid rates, totals per cost category,
the research share of the aid; zero budgets; no query per partner."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from members.models import OrganisationKind
from projects.budgets import percentage, prefetch_for_budget, project_budget
from projects.models import Project, RequestedAid
from tests.factories import BudgetLineFactory, OrganisationFactory, PartnerFactory, ProjectFactory, funding_scheme

pytestmark = pytest.mark.django_db


def aid(partner, amount, scheme="fui"):
    return RequestedAid.objects.create(partner=partner, funding_scheme=funding_scheme(scheme), amount=amount)


def three_partner_project():
    project = ProjectFactory()
    lead = PartnerFactory(project=project, is_lead=True)
    company = PartnerFactory(project=project)
    lab = PartnerFactory(project=project, organisation=OrganisationFactory(kind=OrganisationKind.RESEARCH, siren=""))
    BudgetLineFactory(partner=lead, category="personnel", amount="100000.00")
    BudgetLineFactory(partner=lead, category="equipment", amount="33333.33")
    BudgetLineFactory(partner=company, category="personnel", amount="50000.00")
    BudgetLineFactory(partner=company, category="overheads", amount="16666.67")
    BudgetLineFactory(partner=lab, category="personnel", amount="100000.01")
    aid(lead, "40000.00")
    aid(lead, "13333.33", "region")
    aid(company, "20000.00")
    aid(lab, "100000.01")
    return project, lead, company, lab


def test_totals_shares_and_rates_are_exact_decimals():
    project, lead, company, lab = three_partner_project()
    budget = project_budget(project)

    assert budget.total == Decimal("300000.01")
    assert [row.partner for row in budget.rows] == [lead, company, lab]
    lead_row, company_row, lab_row = budget.rows
    assert lead_row.total == Decimal("133333.33")
    assert company_row.total == Decimal("66666.67")
    assert lab_row.total == Decimal("100000.01")
    # 133333.33 / 300000.01 = 44.44444296… → 44.44; 66666.67 / 300000.01 = 22.2222… → 22.22
    assert lead_row.share == Decimal("44.44")
    assert company_row.share == Decimal("22.22")
    assert lab_row.share == Decimal("33.33")
    assert all(isinstance(value, Decimal) for value in (lead_row.share, lead_row.total, budget.total))
    # aid
    assert lead_row.requested_aid == Decimal("53333.33")
    assert lead_row.aid_rate == Decimal("40.00")  # 53333.33 / 133333.33 = 39.9999…% → 40.00
    assert company_row.aid_rate == Decimal("30.00")
    assert lab_row.aid_rate == Decimal("100.00")
    assert budget.requested_aid == Decimal("173333.34")
    assert budget.aid_rate == Decimal("57.78")
    assert [(entry.funding_scheme.code, entry.amount) for entry in lead_row.aids] == [
        ("fui", Decimal("40000.00")),
        ("region", Decimal("13333.33")),
    ]
    assert [(entry.funding_scheme.code, entry.amount) for entry in budget.aid_by_scheme] == [
        ("fui", Decimal("160000.01")),
        ("region", Decimal("13333.33")),
    ]


def test_totals_per_cost_category():
    project, lead, _company, _lab = three_partner_project()
    budget = project_budget(project)

    assert budget.category_totals == {
        "personnel": Decimal("250000.01"),
        "equipment": Decimal("33333.33"),
        "subcontracting": Decimal("0.00"),
        "travel": Decimal("0.00"),
        "other_direct": Decimal("0.00"),
        "overheads": Decimal("16666.67"),
    }
    assert sum(budget.category_totals.values()) == budget.total
    assert budget.row_for(lead).lines["equipment"] == Decimal("33333.33")
    assert budget.row_for(lead).amounts == [
        Decimal("100000.00"),
        Decimal("33333.33"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]


def test_research_aid_share():
    project, _lead, _company, _lab = three_partner_project()
    budget = project_budget(project)

    assert budget.research_aid == Decimal("100000.01")
    # 100000.01 / 173333.34 = 57.6923…%
    assert budget.research_aid_share == Decimal("57.69")


def test_education_bodies_count_as_research():
    project = ProjectFactory()
    company = PartnerFactory(project=project, is_lead=True)
    school = PartnerFactory(project=project, organisation=OrganisationFactory(kind=OrganisationKind.EDUCATION))
    aid(company, "600.00")
    aid(school, "400.00")

    assert project_budget(project).research_aid_share == Decimal("40.00")


def test_zero_budget_gives_zero_percent_without_division_error():
    project = ProjectFactory()
    partner = PartnerFactory(project=project, is_lead=True)
    budget = project_budget(project)

    assert budget.total == Decimal("0.00")
    assert budget.row_for(partner).share == Decimal("0.00")
    assert budget.row_for(partner).aid_rate == Decimal("0.00")
    assert budget.aid_rate == Decimal("0.00")
    assert budget.research_aid_share == Decimal("0.00")


def test_aid_without_budget_gives_zero_rate():
    project = ProjectFactory()
    partner = PartnerFactory(project=project, is_lead=True)
    aid(partner, "1000.00")

    assert project_budget(project).row_for(partner).aid_rate == Decimal("0.00")


def test_project_without_partners():
    budget = project_budget(ProjectFactory())

    assert budget.rows == []
    assert budget.total == Decimal("0.00")
    assert budget.largest_row is None


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        ("1", "3", "33.33"),
        ("2", "3", "66.67"),
        ("0.125", "1", "12.50"),
        ("0.00125", "1", "0.13"),  # ROUND_HALF_UP, not banker's rounding
        ("0.00005", "1", "0.01"),
        ("70", "100", "70.00"),
        ("7001", "10000", "70.01"),
        ("5", "0", "0.00"),
    ],
)
def test_percentage_rounds_half_up_to_two_places(part, whole, expected):
    assert percentage(Decimal(part), Decimal(whole)) == Decimal(expected)


def test_computed_from_prefetched_rows_without_queries(django_assert_num_queries):
    for _ in range(2):
        project = ProjectFactory()
        for n in range(10):
            partner = PartnerFactory(project=project, is_lead=n == 0)
            BudgetLineFactory(partner=partner)
            aid(partner, "10.00")

    projects = list(prefetch_for_budget(Project.objects.order_by("pk")))
    with django_assert_num_queries(0):
        budgets = [project_budget(project) for project in projects]
    assert [budget.total for budget in budgets] == [Decimal("1000000.00")] * 2


@pytest.mark.parametrize("partners", [1, 15])
def test_unprefetched_project_costs_constant_queries(django_assert_num_queries, partners):
    project = ProjectFactory()
    for n in range(partners):
        partner = PartnerFactory(project=project, is_lead=n == 0)
        BudgetLineFactory(partner=partner)
        aid(partner, "10.00")
    project = Project.objects.get(pk=project.pk)

    # partners with organisations, budget lines, requested aid with funding schemes
    with django_assert_num_queries(3):
        budget = project_budget(project)
    assert len(budget.rows) == partners


# --- the budget table partial -----------------------------------------------------------------


def test_budget_table_shows_totals_for_all_and_lines_only_for_the_allowed_partners():
    project, lead, company, lab = three_partner_project()
    budget = project_budget(project)

    with translation.override("fr"):
        own_part = render_to_string(
            "projects/includes/budget_table.html", {"budget": budget, "line_partner_ids": {company.pk}}
        )
        everything = render_to_string("projects/includes/budget_table.html", {"budget": budget, "show_all_lines": True})

    # totals and shares of every partner, French formatting
    for html in (own_part, everything):
        assert "133\u202f333,33\u00a0€" in html and "44,44\u00a0%" in html
        assert "300\u202f000,01\u00a0€" in html
        assert "57,78\u00a0%" in html  # the project's aid rate
    # the company sees its own lines, not the lead's equipment line nor the category totals
    assert "16\u202f666,67\u00a0€" in own_part
    assert ">33\u202f333,33\u00a0€" not in own_part
    assert "250\u202f000,01\u00a0€" not in own_part
    assert ">33\u202f333,33\u00a0€" in everything and "250\u202f000,01\u00a0€" in everything

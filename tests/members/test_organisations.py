"""SIREN/SIRET validation, regions and the size category of companies [M1]."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import SizeCategory, compute_size_category
from pole.identifiers import region_of_department, validate_siren, validate_siret
from tests.factories import OrganisationFactory

M = Decimal("1000000")


@pytest.mark.parametrize("value", ["732829320", "732 829 320", "552100554"])
def test_valid_sirens(value):
    validate_siren(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("732829321", "siren_checksum"), ("73282932", "siren_length"), ("7328293200", "siren_length"),
     ("73282932A", "siren_length"), ("", "siren_length")],
)  # fmt: skip
def test_invalid_sirens(value, code):
    with pytest.raises(ValidationError) as error:
        validate_siren(value)
    assert error.value.code == code


@pytest.mark.parametrize("value", ["73282932000074", "732 829 320 00074", "55210055400013"])
def test_valid_sirets(value):
    validate_siret(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("73282932000075", "siret_checksum"),  # SIREN right, establishment number wrong
        ("73282932100074", "siret_checksum"),  # SIREN check digit wrong
        ("7328293200007", "siret_length"),
        ("732829320000744", "siret_length"),
    ],
)
def test_invalid_sirets(value, code):
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert error.value.code == code


def test_region_of_department():
    assert region_of_department("69") == "84"  # Rhône → Auvergne-Rhône-Alpes
    assert region_of_department("2A") == "94"
    assert region_of_department("59") == "32"
    assert region_of_department("974") == "04"
    assert region_of_department("") == ""


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "expected"),
    [
        (9, 2 * M, None, SizeCategory.MICRO),
        (10, 2 * M, None, SizeCategory.SME),
        (249, 50 * M, None, SizeCategory.SME),
        (250, 10 * M, None, SizeCategory.MIDSIZE),  # 250 staff: no longer an SME
        (100, 50 * M, None, SizeCategory.SME),  # 50 M€ turnover: still an SME
        (100, 50 * M + Decimal("0.01"), None, SizeCategory.MIDSIZE),
        (100, 80 * M, 43 * M, SizeCategory.SME),  # the balance sheet rescues it
        (100, 80 * M, 43 * M + Decimal("0.01"), SizeCategory.MIDSIZE),
        (4999, 1000 * M, None, SizeCategory.MIDSIZE),
        (5000, 1000 * M, None, SizeCategory.LARGE),  # 5,000 staff: a large company
        (4999, 1600 * M, 2100 * M, SizeCategory.LARGE),
        (120, None, None, SizeCategory.SME),  # financials unknown: headcount decides
        (None, 10 * M, None, ""),
    ],
)
def test_size_category_at_each_boundary(headcount, turnover, balance, expected):
    assert compute_size_category(headcount, turnover, balance) == expected


@pytest.mark.django_db
def test_the_size_is_stored_for_companies_only_and_staff_can_override_it():
    company = OrganisationFactory(headcount=300, turnover=20 * M)
    assert company.size_category == "midsize"
    company.size_override = "sme"
    company.size_override_reason = "Filiale indépendante d'un groupe, effectif consolidé erroné"
    company.save()
    company.refresh_from_db()
    assert company.size_category == "sme"
    lab = OrganisationFactory(kind="research", headcount=300)
    assert lab.size_category == ""
    assert lab.region == "84"

"""SIREN and SIRET checked by python-stdnum [M1], at the boundaries of each rule."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pole.identifiers import validate_siren, validate_siret


@pytest.mark.parametrize(
    "value",
    [
        "35600000000048",  # La Poste's head office: Luhn, not the sum of digits
        "35600000049837",  # a post office: digits sum to 45, a multiple of 5, Luhn fails
        "356 000 000 12341",  # digits sum to 25
        "73282932000074",
    ],
)
def test_valid_sirets_including_la_poste(value):
    validate_siret(value)


@pytest.mark.parametrize(
    "value",
    [
        "73282932100007",  # the whole number passes Luhn, its SIREN 732829321 does not
        "35600000049838",  # La Poste: digits sum to 46
        "35600000000049",  # La Poste's head office with a wrong check digit
        "73282932000075",
    ],
)
def test_invalid_sirets(value):
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert error.value.code == "siret_checksum"


def test_a_siret_whose_siren_is_wrong_is_refused_in_both_languages():
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_siret("73282932100007")
    assert error.value.messages == ["Ce numéro SIRET n'est pas valide (sa clé de contrôle est fausse)."]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_siret("73282932100007")
    assert error.value.messages == ["This SIRET number is not valid (its check digit is wrong)."]


def test_length_messages_carry_the_figures():
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_siret("7328293200007")
    assert error.value.messages == ["Un numéro SIRET comporte exactement 14 chiffres."]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_siren("73282932")
    assert error.value.messages == ["A SIREN number has exactly 9 digits."]


@pytest.mark.parametrize(("value", "valid"), [("356000000", True), ("732829320", True), ("732829321", False)])
def test_sirens(value, valid):
    if valid:
        validate_siren(value)
    else:
        with pytest.raises(ValidationError):
            validate_siren(value)

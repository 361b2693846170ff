"""French identifiers: SIREN and SIRET (Luhn checksum, via django-localflavor's fields),
and the 2016 region of a department."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from localflavor.fr.forms import FRSIRENField, FRSIRETField
from localflavor.fr.fr_department import DEPARTMENT_CHOICES_PER_REGION

# INSEE region codes before the 2016 reform → after it.
REGION_2016_OF_OLD_REGION = {
    "01": "01", "02": "02", "03": "03", "04": "04", "05": "06", "06": "06",
    "11": "11", "21": "44", "22": "32", "23": "28", "24": "24", "25": "28", "26": "27",
    "31": "32", "41": "44", "42": "44", "43": "27", "52": "52", "53": "53", "54": "75",
    "72": "75", "73": "76", "74": "75", "82": "84", "83": "84", "91": "76", "93": "93", "94": "94",
}  # fmt: skip
REGION_OF_DEPARTMENT = {
    code: REGION_2016_OF_OLD_REGION.get(old_region or "", "")
    for code, _name, old_region in DEPARTMENT_CHOICES_PER_REGION
}


def region_of_department(department: str) -> str:
    return REGION_OF_DEPARTMENT.get(department or "", "")


def normalise_identifier(value: str) -> str:
    return (value or "").replace(" ", "").replace("-", "").replace(".", "").upper()


def validate_siren(value: str) -> None:
    value = normalise_identifier(value)
    if not value.isdigit() or len(value) != 9:
        raise ValidationError(_("A SIREN number has exactly 9 digits."), code="siren_length")
    try:
        FRSIRENField().clean(value)
    except ValidationError:
        raise ValidationError(
            _("This SIREN number is not valid (its check digit is wrong)."), code="siren_checksum"
        ) from None


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def validate_siret(value: str) -> None:
    """14 digits; the SIREN part and the whole SIRET pass the Luhn test (La Poste's
    establishments, SIREN 356000000, follow their own rule: digits summing to a multiple
    of 5)."""
    value = normalise_identifier(value)
    if not value.isdigit() or len(value) != 14:
        raise ValidationError(_("A SIRET number has exactly 14 digits."), code="siret_length")
    try:
        FRSIRETField().clean(value)
        if not value.startswith("356000000") and not luhn_is_valid(value):
            raise ValidationError("whole SIRET fails the Luhn test")
    except ValidationError:
        raise ValidationError(
            _("This SIRET number is not valid (its check digit is wrong)."), code="siret_checksum"
        ) from None

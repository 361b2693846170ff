"""French identifiers, for every app: SIREN and SIRET (checked by python-stdnum), and the 2016 region of
a department."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from localflavor.fr.fr_department import DEPARTMENT_CHOICES_PER_REGION
from stdnum.fr import siren, siret

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
    if not siren.is_valid(value):
        raise ValidationError(_("This SIREN number is not valid (its check digit is wrong)."), code="siren_checksum")


def validate_siret(value: str) -> None:
    """14 digits, and python-stdnum's rules: the whole SIRET and its SIREN part both
    pass the Luhn test, except La Poste's establishments (SIREN 356000000), whose digits
    sum to a multiple of 5 (its head office, 356 000 000 00048, follows Luhn)."""
    value = normalise_identifier(value)
    if not value.isdigit() or len(value) != 14:
        raise ValidationError(_("A SIRET number has exactly 14 digits."), code="siret_length")
    if not siret.is_valid(value):  # stdnum checks the SIREN part too
        raise ValidationError(_("This SIRET number is not valid (its check digit is wrong)."), code="siret_checksum")

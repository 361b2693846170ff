"""Amounts in euros, read and shown the way the page's language writes them.

One form field for every amount typed on the site (`MoneyField`) and, for other decimals
such as percentages, the same reading without the money defaults (`LocalDecimalField`).
Input is read as the user means it in the page's language, or refused with a message —
never guessed:

===================  ==================  ==================
typed                French page         English page
===================  ==================  ==================
``12 500,50``        12500.50            refused
``12 500``           12500               12500
``12,500.50``        12500.50            12500.50
``12500.50``         12500.50            12500.50
``1,5``              1.5                 refused
``12,500``           refused (ambiguous) 12500
``12.500``           refused (ambiguous) refused (ambiguous)
``1.250.000``        1250000             refused
===================  ==================  ==================

Spaces between thousands may be ordinary, no-break (U+00A0) or narrow no-break (U+202F)
spaces; groups must have three digits. When both a comma and a point appear, the last one
is the decimal separator. A single separator followed by exactly three digits is
ambiguous unless it is the page's own thousands separator (a comma on an English page).

Amounts are *displayed* the French way on every page (`format_euros`, « 1 234,56 € »,
house rule for a French pole); inputs show their value back in the page's language
(`format_amount`), so that what the user typed and what he reads agree.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

NARROW_NO_BREAK_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"
CENT = Decimal("0.01")
# Spaces people type or paste between thousands.
SPACES = " \u00a0\u202f\u2009\u2007"
_SPACES_RE = re.compile(f"[{SPACES}]")
_SHAPE = re.compile(f"^[0-9.,{SPACES}]+$")


class AmountError(ValueError):
    """The text is not an amount (`code` "invalid") or can be read two ways ("ambiguous")."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _language(language: str | None) -> str:
    return "en" if (language or get_language() or "fr")[:2] == "en" else "fr"


def _grouped(integer: str, separators: str) -> str:
    """`integer` without its thousands separators, after checking that its groups have
    three digits (the first one to three)."""
    groups = re.split(f"[{re.escape(separators)}]", integer) if separators else [integer]
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])):
        raise AmountError("invalid")
    if not all(group.isdigit() for group in groups):
        raise AmountError("invalid")
    return "".join(groups)


def parse_amount(text: str, *, language: str | None = None) -> Decimal | None:
    """The Decimal that `text` means on a page in `language` (the active one by default);
    None for a blank text. Raises AmountError when it is not a number or is ambiguous."""
    language = _language(language)
    value = (text or "").strip().strip("€").strip(SPACES)
    if not value:
        return None
    sign = ""
    if value[0] in "-+":
        sign, value = ("-" if value[0] == "-" else ""), value[1:].lstrip(SPACES)
    if not value or not _SHAPE.match(value) or not value[0].isdigit():
        raise AmountError("invalid")
    has_space = bool(_SPACES_RE.search(value))
    commas, points = value.count(","), value.count(".")
    decimal = None  # the decimal separator, if any
    if commas and points:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        if value.count(decimal) > 1:
            raise AmountError("invalid")
    elif commas or points:
        separator = "," if commas else "."
        count = commas or points
        digits_after = len(value) - value.rfind(separator) - 1
        page_decimal = "," if language == "fr" else "."
        page_thousands = "," if language == "en" else "."
        if count > 1:
            if separator != page_thousands or has_space:
                raise AmountError("invalid")
            decimal = None
        elif digits_after == 3 and not has_space:
            if separator == page_thousands and language == "en":
                decimal = None
            else:
                raise AmountError("ambiguous")
        elif separator == page_decimal or (separator == "." and language == "fr"):
            # A French page also takes a point as the decimal separator ("12500.50").
            decimal = separator
        else:
            # A comma on an English page that is not between thousands ("1,5", "12 500,50").
            raise AmountError("ambiguous")
    if decimal:
        integer, _sep, fraction = value.rpartition(decimal)
        if fraction and not fraction.isdigit():
            raise AmountError("invalid")
    else:
        integer, fraction = value, ""
    thousands = SPACES + ({",": ".", ".": ","}[decimal] if decimal else ",.")
    digits = _grouped(integer, thousands)
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation:
        raise AmountError("invalid") from None


def _grouped_digits(units: str, separator: str) -> str:
    groups = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    return separator.join(groups)


def format_amount(value, *, language: str | None = None, decimal_places: int = 2) -> str:
    """`value` written for an input of a page in `language`: « 12 500,50 » in French,
    « 12,500.50 » in English; "" for None or ""; any other string unchanged (what the
    user typed, shown back with its error)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if decimal_places:
        amount = amount.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    units, _dot, fraction = f"{abs(amount):f}".partition(".")
    if _language(language) == "en":
        text = _grouped_digits(units, ",") + (f".{fraction}" if fraction else "")
    else:
        text = _grouped_digits(units, NARROW_NO_BREAK_SPACE) + (f",{fraction}" if fraction else "")
    return sign + text


def format_euros(value) -> str:
    """`value` (Decimal, int, str or float) as « 1 234,56 € » with a narrow no-break space
    between thousands and a no-break space before the sign, on every page; "" for None, ""
    or a value that is not a number."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return ""
    return f"{format_amount(amount, language='fr')}{NO_BREAK_SPACE}€"


class AmountInput(forms.TextInput):
    """A text input (not type=number, which refuses spaces and commas) that shows its
    value in the page's language."""

    def __init__(self, attrs=None, *, decimal_places: int = 2):
        self.decimal_places = decimal_places
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        return format_amount(value, decimal_places=self.decimal_places) or None


class LocalDecimalField(forms.DecimalField):
    """A decimal typed as the page's language writes it (see the module's table)."""

    widget = AmountInput
    default_error_messages = {
        "invalid": _("Enter a number, for example %(example)s."),
        "ambiguous": _(
            "“%(value)s” can be read two ways. Write it without thousands separators, for example %(example)s."
        ),
    }
    example = Decimal("12500.50")

    def __init__(self, *, max_digits=None, decimal_places=None, widget=None, **kwargs):
        kwargs.pop("localize", None)
        if widget is None or isinstance(widget, forms.NumberInput) or widget is forms.NumberInput:
            widget = AmountInput(decimal_places=decimal_places or 0)
        elif isinstance(widget, AmountInput):
            widget.decimal_places = decimal_places or 0
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, widget=widget, **kwargs)

    def widget_attrs(self, widget):
        # No step/min/max: they belong to type=number inputs, which this is not.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        text = str(value)
        try:
            return parse_amount(text)
        except AmountError as error:
            raise ValidationError(
                self.error_messages[error.code],
                code=error.code,
                params={"value": text.strip(), "example": format_amount(self.example)},
            ) from None

    def validate(self, value):
        forms.Field.validate(self, value)


class MoneyField(LocalDecimalField):
    """An amount in euros: two decimal places, never negative unless `min_value` says so,
    bounded by its column's `max_digits` (14 when not given)."""

    def __init__(self, *, max_digits=14, decimal_places=2, min_value=Decimal("0"), **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, min_value=min_value, **kwargs)


def money_formfield(model_field, **kwargs) -> MoneyField:
    """The form field of a DecimalField column holding an amount."""
    return model_field.formfield(form_class=MoneyField, **kwargs)

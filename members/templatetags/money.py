"""Money shown the French way: `{{ amount|euros }}` → « 1 234,56 € ».

The thousands separator is a narrow no-break space (U+202F) and a no-break space
(U+00A0) stands before the euro sign, as French typography wants, so that an amount never
breaks across two lines. The format does not change with the page's language: amounts are
in euros, for a French pole.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

NARROW_NO_BREAK_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"
CENT = Decimal("0.01")


def format_euros(value) -> str:
    """`value` (Decimal, int, str or float) as « 1 234,56 € »; "" for None, "" or a value
    that is not a number."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return ""
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    return f"{sign}{NARROW_NO_BREAK_SPACE.join(groups)},{cents}{NO_BREAK_SPACE}€"


@register.filter(is_safe=True)
def euros(value) -> str:
    return format_euros(value)

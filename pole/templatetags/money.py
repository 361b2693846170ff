"""Money in templates, the portal's one filter for amounts: `{% load money %}`,
`{{ amount|euros }}` → « 1 234,56 € ». The formatting lives in pole.money."""

from django import template

from pole.money import format_euros

register = template.Library()


@register.filter(is_safe=True)
def euros(value) -> str:
    return format_euros(value)

"""Money in templates: `{{ amount|euros }}` → « 1 234,56 € ». The formatting lives in
pole.money, the site's one home for amounts; `format_euros` stays importable from here."""

from django import template

from pole.money import format_euros

register = template.Library()

__all__ = ["format_euros", "euros"]


@register.filter(is_safe=True)
def euros(value) -> str:
    return format_euros(value)

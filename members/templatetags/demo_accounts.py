"""The demo accounts panel of the login page (rendered only when DEBUG is on)."""

from django import template
from django.conf import settings

from members.demo import demo_account_rows

register = template.Library()


@register.inclusion_tag("includes/demo_accounts.html")
def demo_accounts_panel():
    if not settings.DEBUG:
        return {"rows": []}
    return {"rows": demo_account_rows(), "password": settings.DEMO_PASSWORD}

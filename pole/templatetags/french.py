"""`{{ sentence|elide_de:name }}`: French elision after "de" (see pole/french.py). Use it on
a sentence rendered with `{% blocktranslate … asvar sentence %}`."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from pole import french

register = template.Library()


@register.filter
def elide_de(sentence, name):
    if isinstance(sentence, SafeData):
        # Safe: the sentence was escaped already; only its escaped name and "d'" go back in.
        return mark_safe(french.elide_de(str(sentence), conditional_escape(name)))  # noqa: S308
    return french.elide_de(sentence, name)

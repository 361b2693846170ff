"""`{% elide_de sentence name %}`: French elision after "de" (see pole/french.py), on a
sentence rendered with `{% blocktranslate … asvar sentence %}`. A tag rather than a filter:
a name missing from the context (an e-mail's optional value) renders the sentence as it
is instead of failing."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from pole import french

register = template.Library()


@register.simple_tag(takes_context=True)
def elide_de(context, sentence, name):
    if isinstance(sentence, SafeData):
        # Safe: the sentence was escaped already (when autoescaping: plain-text e-mails are
        # not); only its name, escaped the same way, and "d'" go back in.
        name = conditional_escape(name) if context.autoescape else name
        return mark_safe(french.elide_de(str(sentence), str(name)))  # noqa: S308
    return french.elide_de(sentence, name)

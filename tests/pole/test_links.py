"""pole.links: the links of e-mails are built on PORTAL_URL in the recipient's language, and a
URL name that does not exist fails rather than leaving an e-mail without its link."""

from types import SimpleNamespace

import pytest
from django.urls import NoReverseMatch

from pole.links import absolute_url, language_of, portal_language


def test_absolute_url_reverses_a_name_in_the_given_language_on_the_portal_url(settings):
    settings.PORTAL_URL = "https://portal.example/"
    assert absolute_url("members:directory", language="fr") == "https://portal.example/fr/members/directory/"
    assert absolute_url("members:directory", language="en") == "https://portal.example/en/members/directory/"
    assert absolute_url("/fr/anything/") == "https://portal.example/fr/anything/"


def test_an_unknown_url_name_raises():
    with pytest.raises(NoReverseMatch):
        absolute_url("members:no-such-page", language="fr")


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [
        (SimpleNamespace(language="en"), "en"),
        (SimpleNamespace(language="en-gb"), "en"),
        (SimpleNamespace(language="de"), "fr"),
        (SimpleNamespace(language=""), "fr"),
        (SimpleNamespace(user=SimpleNamespace(language="en")), "en"),  # a person, through his account
        (SimpleNamespace(user=None), "fr"),  # a person without account
        (None, "fr"),
    ],
)
def test_the_recipients_language_is_one_the_portal_speaks(recipient, expected):
    assert language_of(recipient) == expected


def test_portal_language_falls_back_on_the_default():
    assert portal_language("en-us") == "en"
    assert portal_language(None) == portal_language("xx") == "fr"

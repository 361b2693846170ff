"""French first, English second: both catalogues complete and in step with the code."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    entries = [entry for entry in catalogue if not entry.obsolete]
    assert len(entries) > 100
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy


def test_french_placeholders_match_the_english_ones():
    import re

    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    mismatches = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and not entry.msgid_plural
        and set(placeholder.findall(entry.msgid)) != set(placeholder.findall(entry.msgstr))
    ]
    assert mismatches == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_compiled_catalogue_is_up_to_date(language):
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = polib.mofile(str(folder / "django.mo"))
    source = polib.pofile(str(folder / "django.po"))
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if not e.msgid_plural and e.msgid} == {
        (e.msgctxt, e.msgid): e.msgstr for e in source if not e.obsolete and not e.msgid_plural
    }

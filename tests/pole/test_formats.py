"""English pages show dates the European way, French pages the French way."""

import datetime

from django.utils import formats, translation


def test_english_dates_are_day_month_year():
    day = datetime.date(2026, 3, 5)
    moment = datetime.datetime(2026, 3, 5, 14, 30)
    with translation.override("en"):
        assert formats.date_format(day) == "5 March 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/03/2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "5 March 2026, 14:30"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
    with translation.override("fr"):
        assert formats.date_format(day) == "5 mars 2026"


def test_english_forms_read_european_and_iso_dates():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("2026-03-05") == datetime.date(2026, 3, 5)
        assert field.clean("05/03/2026") == datetime.date(2026, 3, 5)

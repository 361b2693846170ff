"""pole.timeline on its own: field-level diffs from django-simple-history and activity-log
events merged into one readable timeline, whatever the app that registers them."""

import datetime
from decimal import Decimal

import pytest
from django.db import models
from django.utils import translation

from members.models import Organisation
from pole.activity import record_activity
from pole.models import StrategicDomain
from pole.timeline import activity_entries, display_value, historical_records, timeline
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_values_are_shown_as_a_reader_understands_them():
    with translation.override("en"):
        assert display_value(models.CharField(), None) == "—"
        assert display_value(models.CharField(), "") == "—"
        assert display_value(models.CharField(choices=[("a", "Alpha")]), "a") == "Alpha"
        assert display_value(models.BooleanField(), True) == "yes"
        assert display_value(models.DateField(), datetime.date(2026, 3, 5)) == "05/03/2026"
        assert display_value(models.DecimalField(), Decimal("1250.50")) == "1,250.50"
        assert display_value(models.FileField(), "dues/2026/notice.pdf") == "notice.pdf"
        assert display_value(models.TextField(), "x" * 200) == "x" * 119 + "…"
    field = Organisation._meta.get_field("strategic_domains")
    assert display_value(field, [2, 1], {1: "Énergie", 2: "Chimie"}) == "Chimie, Énergie"


def test_records_and_events_are_merged_newest_first_with_the_app_s_words(staff_user):
    organisation = OrganisationFactory(legal_name="Avant", headcount=40)
    organisation.legal_name = "Après"
    organisation.save()
    organisation.save()  # nothing changed: no entry
    record_activity(actor=staff_user, verb="thing.done", target=organisation, data={"reason": "Parce que"})

    with translation.override("en"):
        entries = timeline(
            records=[(historical_records(Organisation, id=organisation.pk), lambda record: "The organisation")],
            activity={Organisation: [organisation.pk]},
            describe_activity=lambda entry, data: {"action": f"Said {entry.verb}"},
            limit=10,
        )
        actions = [(entry["source"], str(entry["action"])) for entry in entries]

    assert actions == [
        ("activity", "Said thing.done"),
        ("history", "Changed"),
        ("history", "Created"),
    ]
    activity, changed, created = entries
    assert (activity["who"], activity["reason"], activity["subject"]) == (staff_user, "Parce que", "Après")
    assert changed["subject"] == "The organisation"
    assert [(c["old"], c["new"]) for c in changed["changes"]] == [("Avant", "Après")]
    assert created["changes"] == []


def test_the_limit_keeps_the_newest_entries():
    organisation = OrganisationFactory(legal_name="Version 0")
    for n in range(1, 5):
        organisation.legal_name = f"Version {n}"
        organisation.save()

    entries = timeline(
        records=[(historical_records(Organisation, id=organisation.pk), str)], limit=2, describe_activity=None
    )

    assert [entry["changes"][0]["new"] for entry in entries] == ["Version 4", "Version 3"]


def test_the_activity_of_other_objects_is_not_mixed_in(django_assert_num_queries):
    mine, other = (
        StrategicDomain.objects.create(code="a", position=1),
        StrategicDomain.objects.create(code="b", position=2),
    )
    record_activity(actor=None, verb="domain.mine", target=mine)
    record_activity(actor=None, verb="domain.other", target=other)

    entries = activity_entries({StrategicDomain: [mine.pk]}, describe=lambda e, d: {"action": e.verb}, limit=10)

    assert [entry["action"] for entry in entries] == ["domain.mine"]
    with django_assert_num_queries(0):
        assert activity_entries({StrategicDomain: []}, describe=None, limit=10) == []

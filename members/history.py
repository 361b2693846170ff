"""The staff history of an organisation [D1]: its records' field-level changes
(django-simple-history) and the activity log of the same objects, merged by
pole.timeline; this module only says which records belong to an organisation, how each
is named, and how the members app's verbs read (members/activity.py)."""

from django.utils.translation import gettext

from members.activity import change_reason_label, transition_labels, verb_label
from members.models import College, Dues, Membership, Organisation, Person
from pole.timeline import historical_records, timeline

HISTORY_LIMIT = 200
COLLEGE_LABELS = dict(College.choices)


def record_subject(record) -> str:
    """What a historical record of the members app is about, as the history names it."""
    model = record.instance_type
    if model is Organisation:
        return gettext("Organisation")
    if model is Person:
        return gettext("Contact %(name)s") % {"name": f"{record.first_name} {record.last_name}"}
    if model is Membership:
        return gettext("Membership (%(college)s)") % {"college": COLLEGE_LABELS.get(record.college, record.college)}
    return gettext("Dues %(year)s") % {"year": record.year}


def describe_activity(entry, data: dict) -> dict:
    """The action and the readable transition of one activity-log entry of the members app."""
    return {
        "action": verb_label(entry.verb),
        "transition": transition_labels(entry.verb, data) if data.get("from") or data.get("to") else None,
    }


def organisation_history(organisation) -> list[dict]:
    """Every recorded change to `organisation`, its people, memberships and dues, and the
    activity log of the same objects (transitions with their reasons), newest first, at
    most HISTORY_LIMIT entries, with readable values. A constant number of queries
    whatever the number of records: five, one for the strategic domains of the
    organisation's records, one per kind of related object that changed (plus one for
    content types on a cold cache)."""
    organisation_records = historical_records(Organisation, id=organisation.pk)
    person_records = historical_records(Person, organisation_id=organisation.pk)
    membership_records = historical_records(Membership, organisation_id=organisation.pk)
    membership_ids = {record.id for record in membership_records}
    dues_records = historical_records(Dues, membership_id__in=membership_ids) if membership_ids else []
    records = (organisation_records, person_records, membership_records, dues_records)
    return timeline(
        records=[(model_records, record_subject) for model_records in records],
        activity={
            Organisation: [organisation.pk],
            Person: {record.id for record in person_records},
            Membership: membership_ids,
            Dues: {record.id for record in dues_records},
        },
        describe_activity=describe_activity,
        reason_label=change_reason_label,
        limit=HISTORY_LIMIT,
    )

"""One history for any object: a timeline that merges the two records the portal keeps.

- **django-simple-history** keeps the *field-level history of records*: every save of a
  tracked model (``history = HistoricalRecords()``) writes a full copy of the row with who
  and when. It answers "which value changed, from what to what" and is shown as diffs
  ("Headcount: 40 → 300"). Nobody writes to it by hand; the model's ``save()`` does.
- **The activity log** (``pole.models.ActivityLog``, written by
  ``pole.activity.record_activity`` from services only) keeps *domain events*: a verb
  (``project.deposited``, ``membership.applied``, ``invitation.sent``) with who, when, the
  target and its data (for a transition: from, to, reason). It answers "what happened" and
  is shown as a sentence that the app owning the verb provides (``members/activity.py``,
  ``projects/history.py``).

Neither is a store of domain facts: a date or a flag that the code needs (the date a
project was labelled…) is a column of its model, set by the service that causes it, never
read back from either history.

An app builds its timeline by registering its sources, and reuses everything else here:

    entries = timeline(
        records=[(historical_records(Person, organisation_id=pk), person_subject), …],
        activity={Organisation: [pk], Person: person_ids, …},
        describe_activity=lambda entry, data: {"action": …, "transition": …},
        limit=200,
    )

Every entry is a dict with ``when``, ``who``, ``subject``, ``action``, ``changes`` (a list of
``{"field", "old", "new"}`` with readable values), ``reason`` and ``source`` (``"history"`` or
``"activity"``), plus what ``describe_activity`` adds. The number of queries does not
grow with the number of records.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import reduce
from itertools import groupby
from operator import or_
from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy

from pole.models import ActivityLog

# Fields whose change says nothing to a reader (they change on every save).
IGNORED_FIELDS = {"updated_at", "created_at", "last_reminder_at"}

ACTIONS = {
    "+": pgettext_lazy("history action", "Created"),
    "~": pgettext_lazy("history action", "Changed"),
    "-": pgettext_lazy("history action", "Deleted"),
}

# --- Values as a reader understands them ---------------------------------------------------


def _related_pks(field, value) -> list:
    """The primary keys a history value points at: one for a foreign key, several for a
    many-to-many field (see _m2m_values)."""
    if value in (None, ""):
        return []
    if field.many_to_many:
        return list(value)
    return [value]


def display_value(field, value, related: dict | None = None) -> str:
    """A history value as a reader understands it: the label of a choice, yes/no, a date
    in the page's format, a file's own name, the names of related objects (`related`:
    primary key → name, fetched in bulk)."""
    if value is None or value == "" or value == []:
        return "—"
    if field.is_relation:
        names = [str((related or {}).get(pk, pk)) for pk in _related_pks(field, value)]
        return ", ".join(sorted(names)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(field, models.FileField):
        return PurePosixPath(str(value)).name
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _label_changes(entries: list[dict]) -> None:
    """Turn the raw values of the history changes into readable ones, in place; the
    related objects are fetched with one query per related model, whatever the number of
    changes."""
    wanted = defaultdict(set)
    for entry in entries:
        for change in entry["changes"]:
            field = change["model_field"]
            if field.is_relation:
                for value in (change["old"], change["new"]):
                    wanted[field.related_model].update(pk for pk in _related_pks(field, value) if pk is not None)
    names = {
        model: {pk: str(row) for pk, row in model._default_manager.in_bulk(pks).items()}
        for model, pks in wanted.items()
    }
    for entry in entries:
        for change in entry["changes"]:
            field = change.pop("model_field")
            related = names.get(field.related_model) if field.is_relation else None
            change["old"] = display_value(field, change["old"], related)
            change["new"] = display_value(field, change["new"], related)


# --- django-simple-history: field-level diffs ----------------------------------------------


def historical_records(model, **lookup) -> list:
    """The historical records of `model` matching `lookup`, grouped by object and in the
    order they were written, with their authors: what record_entries expects."""
    return list(
        model.history.filter(**lookup).select_related("history_user").order_by("id", "history_date", "history_id")
    )


def _m2m_values(records) -> dict[int, dict[str, frozenset]]:
    """The many-to-many values of historical records (history_id → field name → primary
    keys), one query per field whatever the number of records: simple-history's own
    diff_against would run two queries per pair of records."""
    values = defaultdict(lambda: defaultdict(frozenset))
    if not records:
        return values
    for field in getattr(records[0], "_history_m2m_fields", []):
        through = getattr(records[0], field.name).model
        target = next(
            f.attname for f in through._meta.fields if f.is_relation and f.related_model is field.related_model
        )
        rows = through.objects.filter(history_id__in=[record.history_id for record in records])
        for history_id, pk in rows.values_list("history_id", target):
            values[history_id][field.name] |= {pk}
    return values


def _changes_between(previous, record, m2m) -> list[dict]:
    """The fields that differ between two versions of one object. diff_against compares
    the editable fields; the derived ones (size category, region) and the many-to-many
    ones (`m2m`, from _m2m_values) are compared here."""
    tracked = [f for f in record.tracked_fields if f.name not in IGNORED_FIELDS and not f.primary_key]
    delta = record.diff_against(previous, included_fields=[f.name for f in tracked if f.editable])
    pairs = [(change.field, change.old, change.new) for change in delta.changes]
    for field in tracked:
        if not field.editable and getattr(previous, field.attname) != getattr(record, field.attname):
            pairs.append((field.name, getattr(previous, field.attname), getattr(record, field.attname)))
    for field in getattr(record, "_history_m2m_fields", []):
        old, new = m2m[previous.history_id][field.name], m2m[record.history_id][field.name]
        if old != new:
            pairs.append((field.name, sorted(old), sorted(new)))
    model = record.instance_type
    changes = []
    for name, old, new in pairs:
        field = model._meta.get_field(name)
        changes.append({"field": field.verbose_name, "model_field": field, "old": old, "new": new})
    return changes


def record_entries(records: list, *, subject: Callable, reason_label: Callable = str) -> list[dict]:
    """Timeline entries of one model's historical records (from historical_records): each
    record compared with the previous record of the same object; a change that touched
    only ignored fields is left out. `subject(record)` names the object ("Contact Léa
    Martin"); `reason_label(code)` shows a change reason in the reader's language. The
    values are still raw: timeline() makes them readable for all sources at once."""
    entries = []
    m2m = _m2m_values(records)
    for _pk, versions in groupby(records, key=lambda record: record.id):
        previous = None
        for record in versions:
            changes = []
            if previous is not None and record.history_type == "~":
                changes = _changes_between(previous, record, m2m)
            if previous is None or record.history_type != "~" or changes:
                entries.append(
                    {
                        "when": record.history_date,
                        "who": record.history_user,
                        "subject": subject(record),
                        "action": ACTIONS.get(record.history_type, record.history_type),
                        "changes": changes,
                        "reason": reason_label(record.history_change_reason or ""),
                        "source": "history",
                    }
                )
            previous = record
    return entries


# --- The activity log: domain events ---------------------------------------------------------


def activity_entries(targets: dict, *, describe: Callable, limit: int) -> list[dict]:
    """Timeline entries of the activity log of several objects, newest first, in one query
    (plus one for content types on a cold cache). `targets` maps a model to the primary
    keys of its objects; `describe(entry, data)` returns what the app says about an entry
    (at least its "action"), merged into the entry."""
    types = ContentType.objects.get_for_models(*targets)
    conditions = [
        Q(target_type=types[model], target_id__in={str(pk) for pk in ids}) for model, ids in targets.items() if ids
    ]
    if not conditions:
        return []
    entries = []
    for entry in ActivityLog.objects.filter(reduce(or_, conditions)).select_related("actor")[:limit]:
        data = entry.data if isinstance(entry.data, dict) else {}
        entries.append(
            {
                "when": entry.created_at,
                "who": entry.actor,
                "subject": entry.target_repr,
                "changes": [],
                "reason": data.get("reason", ""),
                "source": "activity",
                **describe(entry, data),
            }
        )
    return entries


# --- Both, merged ------------------------------------------------------------------------------


def timeline(
    *,
    records: Iterable[tuple[list, Callable]] = (),
    activity: dict | None = None,
    describe_activity: Callable | None = None,
    reason_label: Callable = str,
    limit: int,
) -> list[dict]:
    """The merged history, newest first, at most `limit` entries, with readable values.

    `records`: pairs of (historical records of one model, subject function), see
    record_entries; `activity`: model → primary keys whose activity log is shown, each
    entry described by `describe_activity(entry, data)`. Queries: one per model of
    records, one per many-to-many field, one per kind of related object that changed, one
    for the activity log."""
    entries = []
    for model_records, subject in records:
        entries += record_entries(model_records, subject=subject, reason_label=reason_label)
    _label_changes(entries)
    if activity:
        entries += activity_entries(activity, describe=describe_activity, limit=limit)
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]

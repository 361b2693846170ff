"""Writing to the activity log (pole.models.ActivityLog)."""

from django.contrib.contenttypes.models import ContentType

from pole.models import ActivityLog


def record_activity(*, actor, verb: str, target=None, data: dict | None = None) -> ActivityLog:
    """Append one row to the activity log. `actor` may be None (a scheduled job);
    `data` must be JSON-serialisable (for transitions: from, to, reason)."""
    entry = ActivityLog(
        actor=actor if actor is not None and actor.is_authenticated else None, verb=verb, data=data or {}
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.save()
    return entry


def activity_for(target):
    """The log of one object, newest first, with the actors fetched in the same query."""
    return ActivityLog.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")

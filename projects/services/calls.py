"""Writing calls for projects [L1] [P4]: staff create and edit them through `save_call`."""

from django.db import transaction

from pole.activity import record_activity
from projects.models import Call

# The fields staff edit (projects.forms.calls.CallForm gives them, validated).
CALL_FIELDS = (
    "code",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "funding_scheme",
    "allowed_kinds",
    "opens_at",
    "deadline",
    "is_published",
    "min_companies",
    "min_research_or_training",
    "lead_must_be_company",
    "max_partner_share",
    "research_aid_warning_share",
    "budget_floor",
    "budget_ceiling",
    "required_document_kinds",
)


def _comparable(value):
    return getattr(value, "pk", value)


def save_call(*, call: Call, data: dict, actor) -> Call:
    """Create (`call` unsaved) or update `call` with the validated `data` (keys of
    CALL_FIELDS; missing keys keep their value).

    Side effects: saves the row (its history keeps the previous values), writes the activity
    log (`call.created`, or `call.updated` with the names of the changed fields; nothing is
    logged when nothing changed). Returns the saved call."""
    creating = call.pk is None
    with transaction.atomic():
        changed = []
        for name in CALL_FIELDS:
            if name not in data:
                continue
            value = data[name]
            if name in ("allowed_kinds", "required_document_kinds"):
                value = list(value or [])
            if creating or _comparable(getattr(call, name)) != _comparable(value):
                changed.append(name)
            setattr(call, name, value)
        if creating:
            call.save()
            record_activity(actor=actor, verb="call.created", target=call, data={"code": call.code})
        elif changed:
            call.save()
            record_activity(actor=actor, verb="call.updated", target=call, data={"changed": changed})
    return call

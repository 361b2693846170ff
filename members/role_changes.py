"""Every change of a person's role is recorded and told to the superusers [A4].

A role is a group (pole/roles.py) or one of Django's two flags, `is_staff` (access to the
administration) and `is_superuser` (every right). They change through the admin, the
shell, a management command or a future service; to catch all of them these receivers
listen to Django's own model signals on the account and its groups (ARCHITECTURE.md
allows signals for third-party events: the groups relation belongs to django.contrib.auth),
connected in MembersConfig.ready(). Each change writes one activity-log row
(verb "user.role_changed", the account as target, the request's user as actor when there
is one) and e-mails every active superuser in their language, after commit.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext as _

from pole.activity import record_activity
from pole.emails import send_email_to_user
from pole.links import absolute_url, language_of
from pole.roles import GROUP_ROLES

ROLE_FLAGS = ("is_staff", "is_superuser")


def _current_actor():
    """The user of the request being served, if any (simple_history's middleware keeps it)."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _describe(changes: dict) -> list[str]:
    """The changes as sentences, in the active language."""
    lines = []
    for flag, granted_text, withdrawn_text in (
        ("is_superuser", _("Superuser status granted (every right)"), _("Superuser status withdrawn")),
        ("is_staff", _("Access to the administration granted"), _("Access to the administration withdrawn")),
    ):
        if flag in changes:
            lines.append(granted_text if changes[flag][1] else withdrawn_text)
    for name in changes.get("groups_added", []):
        lines.append(_("Added to the group “%(group)s”") % {"group": GROUP_ROLES.get(name, name)})
    for name in changes.get("groups_removed", []):
        lines.append(_("Removed from the group “%(group)s”") % {"group": GROUP_ROLES.get(name, name)})
    return lines


def record_role_change(*, user, changes: dict, actor=None) -> None:
    """Log `changes` (`{"is_staff": [before, after], "groups_added": [names], …}`) of
    `user` and e-mail the superusers after commit."""
    actor = actor or _current_actor()
    record_activity(actor=actor, verb="user.role_changed", target=user, data=changes)
    admin_url = absolute_url("admin:members_user_change", args=[user.pk])
    for superuser in get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email=""):
        with translation.override(language_of(superuser)):
            context = {
                "person": str(user),
                "email": user.email,
                "actor": str(actor) if actor else _("a command or a scheduled job (no signed-in user)"),
                "changes": _describe(changes),
                "admin_url": admin_url,
            }
        send_email_to_user(user=superuser, name="members_role_changed", context=context)


# --- Receivers (connected in members.apps.MembersConfig.ready) ---------------------------------


def remember_role_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._role_flags_before = None
    if raw or (update_fields is not None and not set(ROLE_FLAGS) & set(update_fields)):
        return
    before = None
    if not instance._state.adding and instance.pk is not None:
        before = sender.objects.filter(pk=instance.pk).values_list(*ROLE_FLAGS).first()
    instance._role_flags_before = before or (False, False)


def record_role_flag_changes(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_role_flags_before", None)
    instance._role_flags_before = None
    if raw or before is None:
        return
    changes = {
        flag: [old, getattr(instance, flag)]
        for flag, old in zip(ROLE_FLAGS, before, strict=True)
        if old != getattr(instance, flag)
    }
    if changes:
        record_role_change(user=instance, changes=changes)


def record_group_changes(sender, instance, action, reverse, pk_set, **kwargs):
    """`user.groups.add/remove/set/clear` (reverse=False) and `group.user_set.…` (True)."""
    if action == "pre_clear":
        related = instance.user_set if reverse else instance.groups
        instance._role_clear_before = set(related.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_role_clear_before", set())
    if not pk_set:
        return
    key = "groups_added" if action == "post_add" else "groups_removed"
    if reverse:
        for user in get_user_model().objects.filter(pk__in=pk_set):
            record_role_change(user=user, changes={key: [instance.name]})
    else:
        names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        record_role_change(user=instance, changes={key: names})

"""Demo accounts, one per role, for `manage.py seed_demo`. Idempotent: a second run
changes no row. The accounts whose role requires two-factor authentication come
enrolled, with a TOTP secret printed by the command (and shown on the login page
when DEBUG is on)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth.models import Group

from members.models import User
from pole import roles

# (local part, first name, last name, role group or None, is Django-admin staff, label)
DEMO_ACCOUNTS = [
    ("staff", "Claire", "Moreau", roles.STAFF, True, "staff (équipe permanente)"),
    ("expert", "Julien", "Bertrand", roles.EXPERT, False, "expert (rapporteur)"),
    ("committee", "Sophie", "Lefebvre", roles.COMMITTEE, False, "committee member"),
    ("board", "Marc", "Dubois", roles.BOARD, False, "board member"),
    ("funder", "Nathalie", "Girard", roles.FUNDER, False, "funder (Région)"),
    ("member", "Thomas", "Petit", None, False, "member contact"),
    ("partner", "Amélie", "Roux", None, False, "project partner"),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{settings.DEMO_EMAIL_DOMAIN}"


def totp_secret_of(user) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def demo_account_rows() -> list[dict]:
    """The demo accounts as shown by the command and the login page."""
    users = {u.email: u for u in User.objects.filter(email__endswith="@" + settings.DEMO_EMAIL_DOMAIN)}
    secrets = {
        a.user_id: decrypt(a.data["secret"])
        for a in Authenticator.objects.filter(user__in=users.values(), type=Authenticator.Type.TOTP)
    }
    rows = []
    for local, _first, _last, _group, _admin, label in DEMO_ACCOUNTS:
        user = users.get(demo_email(local))
        if user is not None:
            rows.append({"email": user.email, "role": label, "totp_secret": secrets.get(user.pk, "")})
    return rows


def ensure_role_groups_exist() -> None:
    for name in roles.GROUP_ROLES:
        Group.objects.get_or_create(name=name)


def seed(*, stdout, scale: int = 1) -> None:
    ensure_role_groups_exist()
    for local, first, last, group, is_admin, _label in DEMO_ACCOUNTS:
        email = demo_email(local)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, settings.DEMO_PASSWORD, first_name=first, last_name=last, is_staff=is_admin
            )
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if group and not user.groups.filter(name=group).exists():
            user.groups.add(Group.objects.get(name=group))
        if group and totp_secret_of(user) is None:
            TOTP.activate(user, generate_totp_secret())
            RecoveryCodes.activate(user)
    stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
    for row in demo_account_rows():
        secret = f"  TOTP secret: {row['totp_secret']}" if row["totp_secret"] else ""
        stdout.write(f"  {row['email']:<28} {row['role']:<28}{secret}")

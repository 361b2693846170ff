"""The membership application journey [M3]: the public "join" form creates the
organisation, its people, an applied membership and the contact's account; staff review
the application (duplicate warning), then approve or refuse it; each step e-mails the
main contact.

Until governance meetings exist, approval records the board decision's date and
reference; the governance app will later call approve_application from its meeting
service (governance ← members, never the other way).
"""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, translation

from members.models import Membership, MembershipDocument, Organisation, Person, User
from members.services.memberships import transition_membership
from pole.activity import record_activity
from pole.emails import send_email, send_email_to_user
from pole.links import absolute_url, language_of, portal_language
from pole.models import PoleProfile
from pole.roles import STAFF
from pole.uploads import safe_filename

State = Membership.State
# States in which a membership blocks a new application of the same SIREN.
OPEN_STATES = (State.APPLIED, State.UNDER_REVIEW, State.APPROVED, State.ACTIVE)
# States staff review.
PENDING_STATES = (State.APPLIED, State.UNDER_REVIEW)
MAX_DOCUMENTS = 3


# How long the owner of an existing account may confirm that he is an applicant's contact.
CONTACT_CONFIRMATION_MAX_AGE = 14 * 24 * 60 * 60
CONTACT_CONFIRMATION_SALT = "members.applications.contact-confirmation"


class InvalidConfirmation(Exception):
    """A contact confirmation link that is forged, expired, already used, or meant for
    another address than the logged-in user's."""


@dataclass(frozen=True)
class ApplicationDocument:
    kind: str
    file: UploadedFile
    content_type: str  # detected from the content by pole.uploads.validate_upload


# --- Submission ------------------------------------------------------------------------


def siren_has_open_membership(siren: str) -> bool:
    """True when an organisation with `siren` is a member or has an application pending.
    For staff only: the public form never tells (it would reveal who applied)."""
    if not siren:
        return False
    return Membership.objects.filter(organisation__siren=siren, state__in=OPEN_STATES).exists()


def submit_application(
    *,
    organisation: dict,
    legal_representative: dict,
    main_contact: dict,
    college: str,
    strategic_domains,
    motivation: str,
    documents: list[ApplicationDocument],
    language: str,
    actor=None,
) -> Membership:
    """Record an application to join the pole, from the public form.

    `organisation` holds Organisation field values; `legal_representative` and
    `main_contact` hold Person field values (first_name, last_name, email, job_title,
    phone). `language` is the applicant's; the links of the e-mails are absolute, on
    settings.PORTAL_URL (pole.links).

    Side effects: creates a new Organisation with its strategic domains; one Person per
    role (a single one when both roles share an e-mail address), the main contact being
    the organisation's administrator; an APPLIED Membership with the main contact as
    applicant; the documents, in the private storage; a User for the main contact when
    no account has his e-mail address (unusable password, unverified address), linked to
    his Person; the activity log. After commit, e-mails the contact (a link to set his
    password for a new account) and every staff member.

    An existing account with the contact's address is never bound by this form (anyone
    may type anyone's address): unless `actor` is that very account, logged in, the
    contact stays without account and the address is e-mailed a link to log in and confirm
    that he is the contact (`confirm_contact`). A SIREN that is already a member or has
    applied is accepted too, so that the public form reveals nothing; the activity log
    flags it and the staff's review shows the duplicates."""
    if len(documents) > MAX_DOCUMENTS:
        raise ValueError(f"At most {MAX_DOCUMENTS} documents.")
    language = portal_language(language)
    with transaction.atomic():
        siren = (organisation.get("siret") or "")[:9] or organisation.get("siren", "")
        possible_duplicate = siren_has_open_membership(siren)
        new_organisation, contact = _create_organisation(
            organisation=organisation,
            strategic_domains=strategic_domains,
            legal_representative=legal_representative,
            main_contact=main_contact,
        )
        user, created = _account_for(contact, language=language)
        to_confirm = not created and not (getattr(actor, "is_authenticated", False) and actor.pk == user.pk)
        if not to_confirm:
            contact.user = user
            contact.save(update_fields=["user"])

        membership = Membership.objects.create(
            organisation=new_organisation,
            college=college,
            applicant=contact,
            motivation=motivation.strip(),
            created_applicant_account=created,
        )
        for document in documents:
            _store_document(membership, document)

        record_activity(
            actor=actor,
            verb="membership.applied",
            target=membership,
            data={
                "organisation": new_organisation.legal_name,
                "contact": contact.email,
                "new_account": created,
                "contact_to_confirm": to_confirm,
                "possible_duplicate": possible_duplicate,
                "documents": len(documents),
            },
        )
        _email_applicant(contact, user, created=created, to_confirm=to_confirm, language=language)
        _notify_staff(membership)
    return membership


def _create_organisation(
    *, organisation: dict, strategic_domains, legal_representative: dict, main_contact: dict
) -> tuple[Organisation, Person]:
    """The applicant organisation and its people: the main contact (its administrator) and
    the legal representative (the same Person when both share an e-mail address)."""
    new_organisation = Organisation(**organisation)
    new_organisation.save()
    new_organisation.strategic_domains.set(strategic_domains)

    contact_email = main_contact["email"].strip().lower()
    same_person = legal_representative["email"].strip().lower() == contact_email
    contact = Person.objects.create(
        organisation=new_organisation,
        **{**main_contact, "email": contact_email},
        is_main_contact=True,
        is_organisation_admin=True,
        is_legal_representative=same_person,
    )
    if not same_person:
        Person.objects.create(
            organisation=new_organisation,
            **{**legal_representative, "email": legal_representative["email"].strip().lower()},
            is_legal_representative=True,
        )
    return new_organisation, contact


def _email_applicant(contact: Person, user: User, *, created: bool, to_confirm: bool, language: str) -> None:
    """The applicant's e-mail: a link to set his password (new account), a link to confirm
    that he is the contact (an account he did not log in with), or a plain receipt."""
    context = {
        **_pole_context(),
        "organisation": contact.organisation.legal_name,
        "first_name": contact.first_name,
        "login_url": absolute_url("account_login", language=language),
    }
    if created:
        context["set_password_url"] = password_setup_url(user, language=language)
        context["link_validity_days"] = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)
        name = "members_application_welcome"
    elif to_confirm:
        context["confirm_url"] = absolute_url(
            "members:join-confirm-contact", language=language, kwargs={"token": contact_confirmation_token(contact)}
        )
        context["link_validity_days"] = CONTACT_CONFIRMATION_MAX_AGE // (24 * 60 * 60)
        name = "members_application_confirm_contact"
    else:
        name = "members_application_received"
    send_email(name=name, to=[contact.email], context=context, language=language)


def _account_for(contact: Person, *, language: str) -> tuple[User, bool]:
    """The account of `contact`'s e-mail address, created when there is none (no usable
    password until he sets one through the e-mailed link). Returns (user, created)."""
    email = contact.email
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
        user = address.user if address else None
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email, password=None, first_name=contact.first_name, last_name=contact.last_name, language=language
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user, True


def contact_confirmation_token(contact: Person) -> str:
    """A signed token naming `contact` and his address, for the confirmation link."""
    return signing.dumps({"person": contact.pk, "email": contact.email}, salt=CONTACT_CONFIRMATION_SALT)


def contact_to_confirm(token: str) -> Person:
    """The contact awaiting confirmation that `token` names. Raises InvalidConfirmation
    when the token is forged or expired, or the contact already has an account."""
    try:
        data = signing.loads(token, salt=CONTACT_CONFIRMATION_SALT, max_age=CONTACT_CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        raise InvalidConfirmation from None
    contact = (
        Person.objects.select_related("organisation")
        .filter(pk=data.get("person"), email__iexact=data.get("email", ""), user__isnull=True, is_active=True)
        .first()
    )
    if contact is None:
        raise InvalidConfirmation
    return contact


def owns_address(user, email: str) -> bool:
    return user.email.lower() == email.lower() or (
        EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    )


def confirm_contact(*, token: str, user) -> Person:
    """The logged-in `user` confirms that he is the contact the application named by his
    address: his account becomes that contact's.

    Side effects: links the Person to `user`; the activity log. Raises InvalidConfirmation
    when the token is not valid or `user` does not own the address it names."""
    with transaction.atomic():
        contact = contact_to_confirm(token)
        contact = Person.objects.select_for_update().get(pk=contact.pk)
        if contact.user_id is not None or not owns_address(user, contact.email):
            raise InvalidConfirmation
        contact.user = user
        contact.save(update_fields=["user"])
        membership = Membership.objects.filter(applicant=contact).order_by("-pk").first()
        record_activity(
            actor=user,
            verb="membership.contact_confirmed",
            target=membership or contact.organisation,
            data={"organisation": contact.organisation.legal_name, "contact": contact.email},
        )
    return contact


def _store_document(membership: Membership, document: ApplicationDocument) -> MembershipDocument:
    name = safe_filename(document.file.name)
    stored = MembershipDocument(
        membership=membership,
        kind=document.kind,
        original_name=name,
        size=document.file.size,
        content_type=document.content_type,
    )
    document.file.seek(0)
    stored.file.save(name, document.file, save=False)
    stored.save()
    return stored


def password_setup_url(user, *, language: str) -> str:
    """A link to allauth's "set a new password" page for `user`, valid for
    PASSWORD_RESET_TIMEOUT. Setting the password proves that he reads this address."""
    key = default_token_generator.make_token(user)
    return absolute_url(
        "account_reset_password_from_key",
        language=language,
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )


def staff_members():
    return User.objects.filter(groups__name=STAFF, is_active=True).distinct()


def _pole_context() -> dict:
    """The pole's name and contact address, for the e-mails (JSON-serialisable)."""
    profile = PoleProfile.current()
    return {"pole_name": str(profile.name), "pole_email": profile.contact_email}


def _notify_staff(membership: Membership) -> None:
    organisation = membership.organisation
    for user in staff_members():
        language = language_of(user)
        send_email_to_user(
            user=user,
            name="members_application_new",
            context={
                "organisation": organisation.legal_name,
                "kind": _in_language(language, organisation.get_kind_display),
                "college": _in_language(language, membership.get_college_display),
                "review_url": absolute_url(
                    "members:staff-application", language=language, kwargs={"pk": membership.pk}
                ),
            },
        )


def _in_language(language: str, getter) -> str:
    with translation.override(language):
        return str(getter())


# --- Review -----------------------------------------------------------------------------


def _contact_of(membership: Membership) -> Person | None:
    """The person who receives the e-mails about an application: its applicant, else the
    organisation's main contact."""
    if membership.applicant_id:
        return membership.applicant
    return membership.organisation.people.filter(is_main_contact=True, is_active=True).order_by("pk").first()


def start_review(*, membership: Membership, actor) -> Membership:
    """Staff take an application up (APPLIED → UNDER_REVIEW).

    Side effects: the transition and its activity-log row. Raises IllegalTransition."""
    return transition_membership(membership=membership, target=State.UNDER_REVIEW, actor=actor)


def approve_application(
    *,
    membership: Membership,
    actor,
    decision_date: date,
    decision_reference: str,
    start_date: date,
) -> Membership:
    """Record the board's approval of an application under review and start the membership
    (UNDER_REVIEW → APPROVED → ACTIVE from `start_date`).

    Side effects: two transitions with their activity-log rows, in one transaction; marks
    the contact's e-mail address verified when his account was created by this application
    (such an account gets a password only through a link sent to that address, so whoever
    can log in with it reads that mailbox; an older unverified account is left alone). After
    commit, e-mails the contact a welcome with links to log in, to set his password if he
    has none, and to the member space. Raises IllegalTransition (e.g. not under review)."""
    with transaction.atomic():
        transition_membership(
            membership=membership,
            target=State.APPROVED,
            actor=actor,
            decision_date=decision_date,
            decision_reference=decision_reference.strip(),
        )
        transition_membership(membership=membership, target=State.ACTIVE, actor=actor, effective_date=start_date)
        contact = _contact_of(membership)
        if contact is not None:
            language = language_of(contact)
            context = {
                **_pole_context(),
                "organisation": membership.organisation.legal_name,
                "first_name": contact.first_name,
                "start_date": _in_language(language, lambda: formats.date_format(start_date, "SHORT_DATE_FORMAT")),
                "login_url": absolute_url("account_login", language=language),
                "space_url": absolute_url("members:space", language=language),
            }
            user = contact.user
            if user is not None and membership.created_applicant_account:
                EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
            if user is not None and not user.has_usable_password():
                context["set_password_url"] = password_setup_url(user, language=language)
                context["link_validity_days"] = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)
            send_email(name="members_application_approved", to=[contact.email], context=context, language=language)
    return membership


def refuse_application(*, membership: Membership, actor, reason: str) -> Membership:
    """Refuse an application (APPLIED or UNDER_REVIEW → REFUSED) with a reason.

    Side effects: the transition and its activity-log row; after commit, e-mails the
    reason to the contact. Raises IllegalTransition, or ValueError without a reason."""
    with transaction.atomic():
        transition_membership(membership=membership, target=State.REFUSED, actor=actor, reason=reason)
        contact = _contact_of(membership)
        if contact is not None:
            language = language_of(contact)
            send_email(
                name="members_application_refused",
                to=[contact.email],
                language=language,
                context={
                    "organisation": membership.organisation.legal_name,
                    "first_name": contact.first_name,
                    "reason": reason.strip(),
                    **_pole_context(),
                },
            )
    return membership


# --- Duplicates -------------------------------------------------------------------------

# Words of legal forms, left out when comparing names ("ACME SAS" is "Acme").
LEGAL_FORM_WORDS = frozenset(
    "sas sasu sarl eurl sa sca snc sci scop scic selarl gie eirl association assoc ste societe".split()
)
SIMILARITY_THRESHOLD = 0.85


def normalise_name(name: str) -> str:
    """A name reduced for comparison: lowercase, no accents, no punctuation, no legal form."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", "")  # "S.A.S." → "sas"
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(word for word in words if word not in LEGAL_FORM_WORDS)


def _similar(matcher: difflib.SequenceMatcher, other: str) -> bool:
    matcher.set_seq1(other)
    return (
        matcher.real_quick_ratio() >= SIMILARITY_THRESHOLD
        and matcher.quick_ratio() >= SIMILARITY_THRESHOLD
        and matcher.ratio() >= SIMILARITY_THRESHOLD
    )


def duplicate_candidates(organisations) -> dict[int, dict[int, set[str]]]:
    """For each of `organisations`: {pk of another organisation: reasons}, the reasons
    being "siren" (same SIREN) and "name" (equal or very similar normalised name).
    Two queries whatever the number of organisations."""
    organisations = list(organisations)
    found: dict[int, dict[int, set[str]]] = {org.pk: defaultdict(set) for org in organisations}
    by_siren = defaultdict(list)
    for org in organisations:
        if org.siren:
            by_siren[org.siren].append(org.pk)
    if by_siren:
        for pk, siren in Organisation.objects.filter(siren__in=by_siren).order_by().values_list("pk", "siren"):
            for target in by_siren[siren]:
                if target != pk:
                    found[target][pk].add("siren")

    matchers = []
    for org in organisations:
        name = normalise_name(org.legal_name)
        if name:
            matcher = difflib.SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(name)
            matchers.append((org.pk, name, matcher))
    if matchers:
        for pk, legal_name in Organisation.objects.order_by().values_list("pk", "legal_name").iterator(chunk_size=2000):
            other = normalise_name(legal_name)
            if not other:
                continue
            for target, name, matcher in matchers:
                if pk != target and (other == name or _similar(matcher, other)):
                    found[target][pk].add("name")
    return found


def find_possible_duplicates(organisation: Organisation) -> list[Organisation]:
    """Other organisations with the same SIREN or a very similar name, by name; each
    carries `duplicate_reasons` ({"siren", "name"}) and `open_memberships` (their
    memberships in an open state)."""
    candidates = duplicate_candidates([organisation])[organisation.pk]
    if not candidates:
        return []
    others = list(Organisation.objects.filter(pk__in=candidates).order_by("legal_name"))
    states = defaultdict(list)
    for organisation_id, state in Membership.objects.filter(organisation__in=others, state__in=OPEN_STATES).values_list(
        "organisation_id", "state"
    ):
        states[organisation_id].append(State(state))
    for other in others:
        other.duplicate_reasons = candidates[other.pk]
        other.open_memberships = states[other.pk]
    return others

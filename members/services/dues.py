"""Dues [M4]: the yearly scale, the call for dues, the dues state machine, notices and
reminders.

The status of a dues record moves only through `transition_dues`, along the table
DUES_TRANSITIONS. The call for dues and the reminders work in bulk (a few queries for
thousands of records); e-mails and PDF notices are scheduled after commit.
"""

import logging
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from members.exceptions import IllegalTransition
from members.models import Dues, DuesRate, Membership, Organisation, OrganisationKind, Person, SizeBand
from pole.activity import record_activity
from pole.emails import send_email
from pole.links import language_of
from pole.models import PoleProfile
from pole.money import format_euros
from pole.reports import FileRequest, request_file

logger = logging.getLogger(__name__)

Status = Dues.Status
# The kind of generated file (pole.reports) that is a dues notice.
DUES_NOTICE = "members.dues_notice"

# The only moves a dues record can make. Anything else raises IllegalTransition.
DUES_TRANSITIONS: dict[str, set[str]] = {
    Status.TO_INVOICE: {Status.INVOICED, Status.WAIVED},
    Status.INVOICED: {Status.PAID, Status.OVERDUE, Status.WAIVED},
    Status.OVERDUE: {Status.PAID, Status.WAIVED},
    Status.PAID: set(),
    Status.WAIVED: set(),
}

# The bands a company may fall in; other kinds of organisation use SizeBand.ANY.
COMPANY_BANDS = [SizeBand.MICRO, SizeBand.SME, SizeBand.MIDSIZE, SizeBand.LARGE]
# A company whose size is unknown pays the SME rate.
DEFAULT_COMPANY_BAND = SizeBand.SME
# A membership that ended after this day of its last year still owes that year's dues.
DUES_CUTOFF_MONTH, DUES_CUTOFF_DAY = 3, 31

CENT = Decimal("0.01")


class DuesScaleIncomplete(ValueError):
    """The year's scale lacks an amount that the call for dues needs."""

    def __init__(self, year: int, missing: list[tuple[str, str]]):
        self.year, self.missing = year, missing
        labels = ", ".join(cell_label(kind, band) for kind, band in missing)
        super().__init__(
            gettext("The %(year)s dues scale has no amount for: %(cells)s.") % {"year": year, "cells": labels}
        )


def cell_label(kind: str, band: str) -> str:
    return f"{OrganisationKind(kind).label} — {SizeBand(band).label}"


def bands_for_kind(kind: str) -> list[str]:
    """The columns of the scale that apply to organisations of `kind`."""
    return list(COMPANY_BANDS) if kind == OrganisationKind.COMPANY else [SizeBand.ANY]


def scale_cells() -> list[tuple[str, str]]:
    """Every (kind, band) cell a complete scale has."""
    return [(kind, band) for kind in OrganisationKind.values for band in bands_for_kind(kind)]


def size_band_of(kind: str, size_category: str) -> str:
    """The band of the scale an organisation pays in."""
    if kind != OrganisationKind.COMPANY:
        return SizeBand.ANY
    return size_category if size_category in COMPANY_BANDS else DEFAULT_COMPANY_BAND


def rate_for(organisation: Organisation, year: int) -> Decimal:
    """The amount `organisation` owes for `year` according to that year's scale.
    Raises DuesScaleIncomplete when the scale has no amount for its cell."""
    band = size_band_of(organisation.kind, organisation.size_category)
    rate = DuesRate.objects.filter(year=year, kind=organisation.kind, size_band=band).first()
    if rate is None:
        raise DuesScaleIncomplete(year, [(organisation.kind, band)])
    return rate.amount


# --- The scale -----------------------------------------------------------------------------


def scale_of(year: int) -> dict[tuple[str, str], Decimal]:
    """The year's scale as {(kind, band): amount}."""
    return {(r.kind, r.size_band): r.amount for r in DuesRate.objects.filter(year=year)}


def save_dues_scale(*, year: int, amounts: dict[tuple[str, str], Decimal | None], actor) -> int:
    """Write the year's scale: each (kind, band) with an amount is created or updated, each
    with None is removed. Returns the number of cells changed.

    Side effects: DuesRate rows (with their history), one activity-log row."""
    changed = 0
    with transaction.atomic():
        current = {(r.kind, r.size_band): r for r in DuesRate.objects.select_for_update().filter(year=year)}
        for cell, amount in amounts.items():
            rate = current.get(cell)
            if amount is None:
                if rate is not None:
                    rate.delete()
                    changed += 1
                continue
            amount = Decimal(amount).quantize(CENT)
            if rate is None:
                DuesRate.objects.create(year=year, kind=cell[0], size_band=cell[1], amount=amount)
                changed += 1
            elif rate.amount != amount:
                rate.amount = amount
                rate.save(update_fields=["amount"])
                changed += 1
        if changed:
            record_activity(actor=actor, verb="dues.scale_saved", data={"year": year, "changed": changed})
    return changed


# --- The call for dues ---------------------------------------------------------------------


@dataclass
class DuesCallPlan:
    """What a call for dues would create: one (membership id, amount) per record, and the
    cells of the scale that are missing (the call is refused while any is)."""

    year: int
    rows: list[tuple[int, Decimal]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def missing_labels(self) -> list[str]:
        return [cell_label(kind, band) for kind, band in self.missing]


def memberships_owing(year: int):
    """Memberships that owe dues for `year` and have none yet for their organisation:
    active ones, and those withdrawn or excluded after 31 March of that year (a withdrawal
    dated on or before 31 March owes nothing). A membership that starts after the year
    owes nothing for it."""
    cutoff = date(year, DUES_CUTOFF_MONTH, DUES_CUTOFF_DAY)
    owes = Q(state=Membership.State.ACTIVE) | Q(
        state__in=[Membership.State.WITHDRAWN, Membership.State.EXCLUDED], end_date__gt=cutoff
    )
    started = Q(start_date__isnull=True) | Q(start_date__lte=date(year, 12, 31))
    already_called = Dues.objects.filter(year=year, membership__organisation=OuterRef("organisation"))
    return Membership.objects.filter(owes, started).exclude(Exists(already_called))


def plan_dues_call(*, year: int) -> DuesCallPlan:
    """What `call_dues(year=year)` would create, in two queries."""
    plan = DuesCallPlan(year=year)
    rates = scale_of(year)
    rows = memberships_owing(year).values_list(
        "pk", "organisation_id", "state", "organisation__kind", "organisation__size_category"
    )
    # An organisation owes one year's dues once, even if it left and came back in the year:
    # its active membership pays, else its latest ended one.
    chosen: dict[int, tuple] = {}
    for row in sorted(rows, key=lambda r: (r[2] != Membership.State.ACTIVE, -r[0])):
        chosen.setdefault(row[1], row)
    missing = set()
    for membership_id, _organisation_id, _state, kind, size_category in sorted(chosen.values()):
        cell = (kind, size_band_of(kind, size_category))
        if cell in rates:
            plan.rows.append((membership_id, rates[cell]))
        else:
            missing.add(cell)
    plan.missing = sorted(missing)
    return plan


def _lock(name: str) -> None:
    """Serialise the transactions that take the lock `name` (PostgreSQL advisory lock, held
    until commit). SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])


def call_dues(*, year: int, actor) -> int:
    """Create the dues records of `year`: one per membership that owes them, at the amount
    of the year's scale. Idempotent: a second call creates nothing. Returns the number of
    records created. Raises DuesScaleIncomplete, creating nothing, when the scale lacks an
    amount that is needed.

    Side effects: Dues rows (bulk, with their history rows), one activity-log row. No
    e-mail: members hear of their dues when they are invoiced."""
    with transaction.atomic():
        _lock(f"dues-call-{year}")
        plan = plan_dues_call(year=year)
        if plan.missing:
            raise DuesScaleIncomplete(year, plan.missing)
        if not plan.rows:
            return 0
        started = timezone.now()
        Dues.objects.bulk_create(
            [Dues(membership_id=membership_id, year=year, amount=amount) for membership_id, amount in plan.rows],
            batch_size=500,
            ignore_conflicts=True,  # the unique constraint (membership, year) keeps it idempotent
        )
        # bulk_create skips simple_history's signal: write the history of the new rows here.
        created = list(
            Dues.objects.filter(year=year, created_at__gte=started).exclude(
                Exists(Dues.history.model.objects.filter(id=OuterRef("pk")))
            )
        )
        Dues.history.bulk_history_create(
            created, batch_size=500, default_user=actor, default_change_reason="dues.called", default_date=started
        )
        record_activity(actor=actor, verb="dues.called", data={"year": year, "created": len(created)})
    return len(created)


# --- The state machine -----------------------------------------------------------------------


def allowed_targets(dues: Dues) -> set[str]:
    return DUES_TRANSITIONS[dues.status]


INVOICE_NUMBER_PATTERN = r"^{year}-[0-9]{{5}}$"


def next_invoice_number(year: int) -> str:
    """`{year}-{seq:05d}`, one above the highest number of the year. Call it inside a
    transaction holding the lock `dues-invoice-{year}`."""
    last = (
        Dues.objects.filter(invoice_number__regex=INVOICE_NUMBER_PATTERN.format(year=year))
        .order_by("-invoice_number")
        .values_list("invoice_number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{year}-{sequence:05d}"


def billing_recipient(organisation_id: int) -> Person | None:
    """Whom dues e-mails go to: the organisation's billing contact, else its main contact."""
    return (
        Person.objects.filter(organisation_id=organisation_id, is_active=True)
        .filter(Q(is_billing_contact=True) | Q(is_main_contact=True))
        .select_related("user")
        .order_by("-is_billing_contact", "pk")
        .first()
    )


def _email_context(dues: Dues, person: Person, language: str) -> dict:
    """A JSON-serialisable context, with dates already written in `language`."""
    with translation.override(language):
        due_date = formats.date_format(dues.due_date, "j F Y") if dues.due_date else ""
    organisation = dues.membership.organisation
    return {
        "pole_name": PoleProfile.current().name,
        "contact_name": f"{person.first_name} {person.last_name}".strip(),
        "organisation": organisation.legal_name,
        "year": str(dues.year),
        "amount": format_euros(dues.amount),
        "invoice_number": dues.invoice_number,
        "due_date": due_date,
        "reminders_sent": dues.reminders_sent,
    }


def _send_dues_email(*, dues: Dues, name: str) -> bool:
    """E-mail `name` about `dues` to its billing contact (after commit); False if there is
    nobody to write to."""
    person = billing_recipient(dues.membership.organisation_id)
    if person is None:
        logger.warning("Dues %s: no billing or main contact to send %s to", dues.pk, name)
        return False
    language = language_of(person)
    send_email(name=name, to=[person.email], context=_email_context(dues, person, language), language=language)
    return True


def transition_dues(
    *,
    dues: Dues,
    target: str,
    actor,
    invoice_number: str = "",
    invoiced_on: date | None = None,
    paid_on: date | None = None,
    payment_reference: str = "",
    waiver_reason: str = "",
) -> Dues:
    """Move `dues` to `target` (actor None for a scheduled job).

    - to invoiced: sets the invoice number (`{year}-{seq:05d}` unless given; unique in the
      year), invoiced_on (today unless given) and due_date (invoiced_on +
      DUES_PAYMENT_TERM_DAYS); after commit, e-mails the notice to the billing contact (or
      the main contact) in his language and generates the PDF notice in a task (a
      pole.reports request).
    - to paid: needs paid_on and payment_reference.
    - to waived: needs waiver_reason.
    - to overdue: nothing more (the reminders follow, see remind_unpaid_dues).

    Side effects: locks the row (two clicks never both win), checks DUES_TRANSITIONS,
    saves with update_fields (a history row), writes the activity log.
    Raises IllegalTransition, or ValueError when a required detail is missing."""
    payment_reference, waiver_reason, invoice_number = (
        payment_reference.strip(),
        waiver_reason.strip(),
        invoice_number.strip(),
    )
    with transaction.atomic():
        locked = Dues.objects.select_for_update(of=("self",)).select_related("membership").get(pk=dues.pk)
        source = locked.status
        if target not in DUES_TRANSITIONS.get(source, set()):
            raise IllegalTransition("dues", source, target)
        fields, details = _set_details(
            locked,
            target,
            invoice_number=invoice_number,
            invoiced_on=invoiced_on,
            paid_on=paid_on,
            payment_reference=payment_reference,
            waiver_reason=waiver_reason,
        )
        locked.status = target
        locked.save(update_fields=["status", *fields])
        record_activity(
            actor=actor, verb=f"dues.{target}", target=locked, data={"from": source, "to": target, **details}
        )
        if target == Status.INVOICED:
            _send_dues_email(dues=locked, name="members_dues_invoiced")
            request_file(notice_request(locked), requested_by=actor)
    dues.refresh_from_db()
    return dues


def _set_details(
    locked: Dues, target: str, *, invoice_number, invoiced_on, paid_on, payment_reference, waiver_reason
) -> tuple[list[str], dict]:
    """Set on `locked` what the move to `target` records; return the fields to save and
    the details for the activity log. Raises ValueError when a required detail is missing."""
    if target == Status.INVOICED:
        _lock(f"dues-invoice-{locked.year}")
        if invoice_number:
            if Dues.objects.filter(year=locked.year, invoice_number=invoice_number).exclude(pk=locked.pk).exists():
                raise ValueError(gettext("This invoice number is already used this year."))
            locked.invoice_number = invoice_number
        else:
            locked.invoice_number = next_invoice_number(locked.year)
        locked.invoiced_on = invoiced_on or timezone.localdate()
        locked.due_date = locked.invoiced_on + timedelta(days=settings.DUES_PAYMENT_TERM_DAYS)
        details = {"invoice_number": locked.invoice_number, "due_date": locked.due_date.isoformat()}
        return ["invoice_number", "invoiced_on", "due_date"], details
    if target == Status.PAID:
        if paid_on is None or not payment_reference:
            raise ValueError(gettext("A payment date and a payment reference are required."))
        locked.paid_on, locked.payment_reference = paid_on, payment_reference
        details = {"paid_on": paid_on.isoformat(), "payment_reference": payment_reference}
        return ["paid_on", "payment_reference"], details
    if target == Status.WAIVED:
        if not waiver_reason:
            raise ValueError(gettext("A reason is required to waive dues."))
        locked.waiver_reason = waiver_reason
        return ["waiver_reason"], {"reason": waiver_reason}
    return [], {}


def invoice_all_dues(*, year: int, actor) -> int:
    """Invoice every to-invoice record of `year` (see transition_dues). Returns how many."""
    count = 0
    for dues in Dues.objects.filter(year=year, status=Status.TO_INVOICE).order_by(
        "membership__organisation__legal_name"
    ):
        try:
            transition_dues(dues=dues, target=Status.INVOICED, actor=actor)
        except IllegalTransition:
            continue  # moved meanwhile by someone else
        count += 1
    return count


# --- The PDF notice ------------------------------------------------------------------------


def notice_filename(dues: Dues) -> str:
    """The name the notice is downloaded under."""
    return f"dues-notice-{dues.invoice_number or dues.year}.pdf".replace("/", "-")


def notice_request(dues: Dues) -> FileRequest:
    """The generated file that is the notice of `dues` (pole.reports; kind registered in
    members/reports.py), in its recipient's language."""
    language = language_of(billing_recipient(dues.membership.organisation_id))
    return FileRequest(
        kind=DUES_NOTICE, parameters={"dues_id": dues.pk}, language=language, subject=f"{DUES_NOTICE}:{dues.pk}"
    )


def notice_is_expected(dues: Dues) -> bool:
    """A notice exists for invoiced dues (and for the later states of invoiced dues)."""
    return bool(dues.invoice_number) and dues.status != Status.TO_INVOICE


def render_dues_notice(*, dues_id: int, language: str) -> bytes:
    """The PDF notice of a dues record, in `language`."""
    from pole.pdf import render_pdf

    dues = Dues.objects.select_related("membership__organisation").get(pk=dues_id)
    organisation = dues.membership.organisation
    pole = PoleProfile.current()
    context = {
        "pole": pole,
        "pole_name": pole.name,
        "dues": dues,
        "organisation": organisation,
        "recipient": billing_recipient(organisation.pk),
        "bank_details": pole.bank_details,
    }
    return render_pdf("reports/dues_notice.html", context, language=language)


def store_dues_notice(*, dues_id: int, content: bytes) -> str:
    """Store `content` as the notice of a dues record, in `dues.notice` (private storage),
    replacing the earlier file once the new one is committed: running twice leaves one
    file. Returns the stored name.

    Side effects: a file in the private storage, the row's `notice` column."""
    dues = Dues.objects.get(pk=dues_id)
    field = Dues._meta.get_field("notice")
    storage = field.storage
    new_name = storage.save(
        field.generate_filename(dues, f"{dues.year}/{dues.pk}-{uuid.uuid4().hex[:12]}.pdf"), ContentFile(content)
    )
    try:
        with transaction.atomic():
            locked = Dues.objects.select_for_update().get(pk=dues_id)
            old_name = locked.notice.name
            locked.notice = new_name
            locked.save(update_fields=["notice"])
    except Exception:
        storage.delete(new_name)
        raise
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return new_name


# --- Reminders -------------------------------------------------------------------------------


def remind_unpaid_dues(*, now=None) -> int:
    """The daily job: mark invoiced records whose due date has passed as overdue, then
    e-mail a reminder for each overdue record not reminded within the last
    DUES_REMINDER_INTERVAL_DAYS days. Returns the number of reminders sent.

    Each reminder is claimed by a conditional UPDATE (last_reminder_at empty or older than
    the interval), and only a worker whose UPDATE changed the row sends the e-mail: two
    workers running at once never both send, and a second run in the same interval sends
    nothing. Side effects: transitions to overdue (activity log), last_reminder_at and
    reminders_sent, e-mails after commit, an activity-log row per reminder."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    for dues in Dues.objects.filter(status=Status.INVOICED, due_date__lt=today):
        try:
            transition_dues(dues=dues, target=Status.OVERDUE, actor=None)
        except IllegalTransition:
            continue  # paid or waived meanwhile

    threshold = now - timedelta(days=settings.DUES_REMINDER_INTERVAL_DAYS)
    due_for_reminder = Q(status=Status.OVERDUE) & (
        Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=threshold)
    )
    sent = 0
    for dues_id in Dues.objects.filter(due_for_reminder).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = (
                Dues.objects.filter(due_for_reminder, pk=dues_id).update(
                    last_reminder_at=now, reminders_sent=F("reminders_sent") + 1
                )
                == 1
            )
            if not claimed:
                continue  # another worker reminded it, or it was paid meanwhile
            dues = Dues.objects.select_related("membership__organisation").get(pk=dues_id)
            if _send_dues_email(dues=dues, name="members_dues_reminder"):
                sent += 1
            record_activity(actor=None, verb="dues.reminded", target=dues, data={"reminders_sent": dues.reminders_sent})
    return sent

"""The consortium and its budget [P2], and the partners invited by e-mail [A3]."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Organisation, Person
from pole import invitations
from pole.models import FundingScheme
from pole.money import format_euros
from projects.models.base import MONEY
from projects.models.projects import (
    Project,
)


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    EQUIPMENT = "equipment", _("Equipment")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    TRAVEL = "travel", _("Travel")
    OTHER_DIRECT = "other_direct", _("Other direct costs")
    OVERHEADS = "overheads", _("Overheads")


class PartnerConfirmation(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    AWAITING = "awaiting", _("Awaiting confirmation")


class Partner(models.Model):
    """An organisation in a project's consortium (member or not, French or foreign), with
    its contact, role and tasks. Exactly one partner of a project is the lead.

    Organisation boundary [A3]: a partner whose organisation already had contacts in the
    portal when it was added is AWAITING until one of that organisation's administrators
    (or staff) confirms it (projects.services.partner_confirmation); until then it gives
    no one access to the project and blocks the deposit. The partner's contact is either
    a contact of the organisation (`contact`, a members.Person) or a person invited for
    this project only (`project_contact`, a PartnerContact), never both."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="partnerships"
    )
    is_lead = models.BooleanField(_("lead partner"), default=False)
    contact = models.ForeignKey(
        Person, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project_contact = models.ForeignKey(
        "PartnerContact",
        verbose_name=_("contact for this project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(_("role in the project"), max_length=200, blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    confirmation = models.CharField(
        _("confirmation by the organisation"),
        max_length=20,
        choices=PartnerConfirmation.choices,
        default=PartnerConfirmation.CONFIRMED,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_lead", "created_at"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="one_partnership_per_organisation"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(is_lead=True), name="one_lead_per_project"),
            models.CheckConstraint(
                condition=models.Q(contact__isnull=True) | models.Q(project_contact__isnull=True),
                name="partner_one_kind_of_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.project}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmation == PartnerConfirmation.CONFIRMED

    @property
    def shown_contact(self):
        """The partner's contact, a members.Person or a PartnerContact (both have
        first_name, last_name, email, phone and user), or None."""
        return self.contact or self.project_contact


class PartnerContact(models.Model):
    """A person invited to be a partner's contact for one project only [A3]: he sees the
    project and edits that partner's part while the dossier is editable, and nothing of
    the partner's organisation (he is not one of its contacts, members.Person)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="project_contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), on_delete=models.CASCADE, related_name="+"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact for one project")
        verbose_name_plural = _("contacts for one project")
        constraints = [models.UniqueConstraint(fields=["partner", "user"], name="one_project_contact_per_user")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return True


class BudgetLine(models.Model):
    """One partner's cost in one category, in euros (Decimal, two places)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(0)], **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "category"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.UniqueConstraint(fields=["partner", "category"], name="one_line_per_category")]

    def __str__(self) -> str:
        return f"{self.partner.organisation}: {self.get_category_display()} {format_euros(self.amount)}"


class RequestedAid(models.Model):
    """The aid one partner requests from one funding scheme."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="requested_aids")
    funding_scheme = models.ForeignKey(FundingScheme, verbose_name=_("funding scheme"), on_delete=models.PROTECT)
    amount = models.DecimalField(_("requested aid (€)"), validators=[MinValueValidator(0)], **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "funding_scheme"]
        verbose_name = _("requested aid")
        verbose_name_plural = _("requested aids")
        constraints = [models.UniqueConstraint(fields=["partner", "funding_scheme"], name="one_aid_per_scheme")]

    def __str__(self) -> str:
        return f"{self.partner.organisation}: {format_euros(self.amount)} ({self.funding_scheme})"


# Kept for the migrations and tests that name them; the mechanism is pole.invitations.
PARTNER_INVITATION_VALIDITY = invitations.INVITATION_VALIDITY
new_token = invitations.new_token


class PartnerInvitation(invitations.InvitationBase):
    """An invitation to a partner's contact to complete his organisation's part [A3].
    Accepting it makes a contact for this project only (PartnerContact), never a contact
    of the partner's organisation: projects.services.partner_invitations."""

    accept_url_name = "projects:partner-invitation-accept"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")

    class Meta(invitations.InvitationBase.Meta):
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.partner}"

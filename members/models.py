"""Users, organisations, people, memberships and dues [A1] [M1]–[M4].

State fields (Membership.state, Dues.status) are written only by the transition
functions of members/services/; nothing else assigns them.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from localflavor.fr.fr_department import DEPARTMENT_CHOICES
from localflavor.fr.fr_region import REGION_2016_CHOICES
from simple_history.models import HistoricalRecords

from pole import invitations
from pole.bounds import non_negative_amount_validators, positive_integer_validators
from pole.identifiers import region_of_department, validate_siren, validate_siret
from pole.models import StrategicDomain, UploadedFile
from pole.money import format_euros
from pole.storage import private_storage


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account, identified by its e-mail address (no username) [A1]."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("E-mails from the portal are written in this language."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


# --- Organisations [M1] ------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    RESEARCH = "research", _("Research organisation or laboratory")
    EDUCATION = "education", _("Higher-education or training body")
    PUBLIC = "public", _("Local authority or public body")
    OTHER = "other", pgettext_lazy("organisation kind", "Other")


class SizeCategory(models.TextChoices):
    MICRO = "micro", _("Micro-enterprise")
    SME = "sme", _("SME (PME)")
    MIDSIZE = "midsize", _("Mid-size company (ETI)")
    LARGE = "large", _("Large company (GE)")


MILLION = Decimal("1000000")
# The thresholds of PRODUCT.md [M1] (French law, décret 2008-1354), in euros.
SIZE_THRESHOLDS = [
    # (category, staff strictly below, turnover at most, balance sheet at most)
    (SizeCategory.MICRO, 10, 2 * MILLION, 2 * MILLION),
    (SizeCategory.SME, 250, 50 * MILLION, 43 * MILLION),
    (SizeCategory.MIDSIZE, 5000, 1500 * MILLION, 2000 * MILLION),
]


def compute_size_category(headcount, turnover, balance_sheet) -> str:
    """The size category of a company from its headcount and its turnover or balance
    sheet total; "" when the headcount is unknown. Financial limits are met when either
    the turnover or the balance sheet is within its limit (or neither is known)."""
    if headcount is None:
        return ""
    for category, max_staff, max_turnover, max_balance in SIZE_THRESHOLDS:
        if headcount >= max_staff:
            continue
        financials_unknown = turnover is None and balance_sheet is None
        within_turnover = turnover is not None and turnover <= max_turnover
        within_balance = balance_sheet is not None and balance_sheet <= max_balance
        if financials_unknown or within_turnover or within_balance:
            return category
    return SizeCategory.LARGE


naf_validator = RegexValidator(
    r"^\d{2}\.\d{2}[A-Z]$", _("Enter a NAF/APE code such as 62.01Z (two digits, a dot, two digits, a letter).")
)
rnsr_validator = RegexValidator(r"^\d{9}[A-Z]$", _("Enter an RNSR number: nine digits followed by a letter."))


class OrganisationQuerySet(models.QuerySet):
    def with_active_membership(self):
        return self.filter(memberships__state=Membership.State.ACTIVE).distinct()

    def in_directory(self):
        """Organisations the public directory may show: opted in, with an active membership."""
        return self.filter(
            directory_opt_in=True,
            pk__in=Membership.objects.filter(state=Membership.State.ACTIVE).values("organisation_id"),
        )

    def for_list(self):
        return self.prefetch_related("strategic_domains")


class Organisation(models.Model):
    """A company, lab, training body, local authority or other body: member or not
    (consortium partners may be non-members, French or foreign)."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    acronym = models.CharField(_("acronym or usual name"), max_length=60, blank=True)
    slug = models.SlugField(_("address in the directory"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True, validators=[validate_siren])
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[validate_siret], help_text=_("14 digits, spaces allowed.")
    )
    naf_code = models.CharField(_("NAF/APE code"), max_length=6, blank=True, validators=[naf_validator])
    rnsr = models.CharField(_("RNSR number (laboratories)"), max_length=10, blank=True, validators=[rnsr_validator])
    headcount = models.PositiveIntegerField(
        _("headcount"), null=True, blank=True, validators=positive_integer_validators()
    )
    turnover = models.DecimalField(
        _("turnover (€)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=non_negative_amount_validators(),
    )
    balance_sheet = models.DecimalField(
        _("balance sheet total (€)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=non_negative_amount_validators(),
    )
    size_category = models.CharField(
        _("size category"), max_length=10, choices=SizeCategory.choices, blank=True, db_index=True, editable=False
    )
    size_override = models.CharField(
        _("size category set by staff"), max_length=10, choices=SizeCategory.choices, blank=True
    )
    size_override_reason = models.CharField(_("reason for the size set by staff"), max_length=300, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), default="FR")
    department = models.CharField(_("department"), max_length=3, choices=DEPARTMENT_CHOICES, blank=True)
    region = models.CharField(
        _("region"), max_length=2, choices=REGION_2016_CHOICES, blank=True, db_index=True, editable=False
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    strategic_domains = models.ManyToManyField(StrategicDomain, verbose_name=_("strategic domains"), blank=True)
    competences = models.TextField(_("competences"), blank=True, help_text=_("Key skills, one per line."))
    directory_opt_in = models.BooleanField(
        _("show in the public directory"),
        default=False,
        help_text=_("The public directory shows the name, kind, size, region, website, logo, description and domains."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[strategic_domains])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.acronym})" if self.acronym else self.legal_name

    def save(self, *args, **kwargs):
        # Derived columns, computed from this row only (filters and the directory read them).
        if not self.slug:
            self.slug = self._unique_slug()
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        if self.kind == OrganisationKind.COMPANY:
            self.size_category = self.size_override or compute_size_category(
                self.headcount, self.turnover, self.balance_sheet
            )
        else:
            self.size_category = ""
        self.region = region_of_department(self.department) if self.country == "FR" else ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "slug", "siren", "size_category", "region"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:directory-detail", kwargs={"slug": self.slug})

    def _unique_slug(self) -> str:
        base = slugify(self.acronym or self.legal_name)[:60] or "organisation"
        slug, n = base, 1
        while Organisation.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" and self.description_en else self.description_fr

    @property
    def display_name(self) -> str:
        return self.acronym or self.legal_name


# --- People [M2] -------------------------------------------------------------------------


class Person(models.Model):
    """A contact of an organisation, with or without a user account."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="people"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    is_legal_representative = models.BooleanField(_("legal representative"), default=False)
    is_main_contact = models.BooleanField(_("main contact"), default=False)
    is_billing_contact = models.BooleanField(_("billing contact"), default=False)
    is_technical_contact = models.BooleanField(_("technical contact"), default=False)
    is_organisation_admin = models.BooleanField(
        _("organisation administrator"),
        default=False,
        help_text=_("May edit the organisation's profile and invite colleagues."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_person_per_user_and_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def role_labels(self) -> list[str]:
        flags = [
            (self.is_legal_representative, _("legal representative")),
            (self.is_main_contact, _("main contact")),
            (self.is_billing_contact, _("billing contact")),
            (self.is_technical_contact, _("technical contact")),
        ]
        return [label for flag, label in flags if flag]


# --- Memberships [M3] --------------------------------------------------------------------


class College(models.TextChoices):
    LARGE_COMPANIES = "large-companies", _("Large and mid-size companies")
    SMES = "smes", _("SMEs and start-ups")
    RESEARCH = "research", _("Research and higher education")
    TRAINING = "training", _("Training bodies")
    LOCAL_AUTHORITIES = "local-authorities", _("Local authorities and public bodies")
    OTHER = "other", _("Other partners")


class Membership(models.Model):
    """An organisation's membership (*adhésion*), yearly with tacit renewal.

    `state` is written only by members.services.memberships.transition_membership."""

    class State(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("membership state", "Applied")
        UNDER_REVIEW = "under_review", pgettext_lazy("membership state", "Under review")
        APPROVED = "approved", pgettext_lazy("membership state", "Approved")
        ACTIVE = "active", pgettext_lazy("membership state", "Active")
        WITHDRAWN = "withdrawn", pgettext_lazy("membership state", "Withdrawn")
        EXCLUDED = "excluded", pgettext_lazy("membership state", "Excluded")
        REFUSED = "refused", pgettext_lazy("membership state", "Refused")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    college = models.CharField(_("college"), max_length=30, choices=College.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.APPLIED, db_index=True)
    applicant = models.ForeignKey(
        Person, verbose_name=_("applicant"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motivation = models.TextField(_("motivation"), blank=True)
    applied_at = models.DateTimeField(_("applied on"), default=timezone.now)
    created_applicant_account = models.BooleanField(
        _("the application created the applicant's account"),
        default=False,
        editable=False,
        help_text=_("Set by the public application form; its address is verified when the application is approved."),
    )
    decision_date = models.DateField(_("board decision date"), null=True, blank=True)
    decision_reference = models.CharField(_("board decision reference"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the application was refused, or the membership ended.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(state__in=["applied", "under_review", "approved", "active"]),
                name="one_open_membership_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_state_display()}"


def membership_document_path(instance, filename):
    return f"memberships/{instance.membership_id}/{uuid.uuid4().hex}/{filename}"


class MembershipDocument(UploadedFile):
    """A document attached to an application (statutes, Kbis, accounts…), stored in the
    private storage and served by a permission-checked view."""

    class Kind(models.TextChoices):
        KBIS = "kbis", _("Company registration extract (Kbis)")
        STATUTES = "statutes", _("Statutes")
        ACCOUNTS = "accounts", _("Latest accounts")
        PRESENTATION = "presentation", _("Presentation")
        OTHER = "other", pgettext_lazy("document kind", "Other")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=membership_document_path, storage=private_storage)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("membership document")
        verbose_name_plural = _("membership documents")


# --- Dues [M4] ---------------------------------------------------------------------------


class SizeBand(models.TextChoices):
    """The size bands of the dues scale; organisations that are not companies use ANY."""

    MICRO = "micro", _("Micro-enterprise")
    SME = "sme", _("SME (PME)")
    MIDSIZE = "midsize", _("Mid-size company (ETI)")
    LARGE = "large", _("Large company (GE)")
    ANY = "any", _("Any size")


class DuesRate(models.Model):
    """One cell of a year's dues scale: kind × size band → amount."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    size_band = models.CharField(_("size band"), max_length=10, choices=SizeBand.choices)
    amount = models.DecimalField(_("amount (€)"), max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "kind", "size_band"]
        verbose_name = _("dues rate")
        verbose_name_plural = _("dues scale")
        constraints = [models.UniqueConstraint(fields=["year", "kind", "size_band"], name="one_rate_per_cell")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.get_size_band_display()}: {format_euros(self.amount)}"


class Dues(models.Model):
    """One year's dues of one membership. `status` is written only by
    members.services.dues.transition_dues."""

    class Status(models.TextChoices):
        TO_INVOICE = "to_invoice", pgettext_lazy("dues status", "To invoice")
        INVOICED = "invoiced", pgettext_lazy("dues status", "Invoiced")
        PAID = "paid", pgettext_lazy("dues status", "Paid")
        WAIVED = "waived", pgettext_lazy("dues status", "Waived")
        OVERDUE = "overdue", pgettext_lazy("dues status", "Overdue")

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="dues"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount = models.DecimalField(_("amount (€)"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TO_INVOICE, db_index=True
    )
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoiced_on = models.DateField(_("invoiced on"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    waiver_reason = models.CharField(_("reason for the waiver"), max_length=300, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    notice = models.FileField(_("dues notice (PDF)"), upload_to="dues-notices/", storage=private_storage, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "membership__organisation__legal_name"]
        verbose_name = _("dues")
        verbose_name_plural = _("dues")
        constraints = [models.UniqueConstraint(fields=["membership", "year"], name="one_dues_per_membership_and_year")]

    def __str__(self) -> str:
        return f"{self.membership.organisation} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.TO_INVOICE, self.Status.INVOICED, self.Status.OVERDUE}


# --- Invitations [A3] --------------------------------------------------------------------

# Kept for the migrations that name them; the mechanism is pole.invitations.
INVITATION_VALIDITY = invitations.INVITATION_VALIDITY
new_invitation_token = invitations.new_token


class Invitation(invitations.InvitationBase):
    """An invitation to join an organisation as a colleague; valid 14 days, used once.
    Accepting it makes a contact (Person) of the organisation: members.services.invitations."""

    accept_url_name = "members:invitation-accept"
    accepted_fields = ("person",)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    make_admin = models.BooleanField(_("organisation administrator"), default=False)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(invitations.InvitationBase.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

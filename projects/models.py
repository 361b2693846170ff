"""Calls for projects (submission side), projects, consortia, budgets, documents, versions,
follow-up and partner search [P1]–[P9] [S4].

`Project.state` is written only by projects.services.states.transition_project.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Organisation, Person
from pole.models import FundingScheme, OtherCluster, StrategicDomain, UploadedFile
from pole.storage import private_storage

MONEY = {"max_digits": 14, "decimal_places": 2}


class BilingualTextMixin:
    def _localised(self, field: str) -> str:
        french, english = getattr(self, f"{field}_fr"), getattr(self, f"{field}_en")
        return english if get_language() == "en" and english else french


class ProjectKind(models.TextChoices):
    RD = "rd", _("R&D project")
    PLATFORM = "platform", _("Innovation platform")
    NON_RD = "non_rd", _("Non-R&D project")


class NonRDSubKind(models.TextChoices):
    TRAINING = "training", _("Training")
    REAL_ESTATE = "real_estate", _("Real-estate investment")
    ICT = "ict", _("ICT infrastructure")
    INTELLIGENCE = "intelligence", _("Economic watch and intelligence")
    PROMOTION = "promotion", _("Promotion of the territory")
    INTERNATIONAL = "international", _("International development")


class DocumentKind(models.TextChoices):
    TECHNICAL_ANNEX = "technical_annex", _("Technical annex")
    CONSORTIUM_AGREEMENT = "consortium_agreement", _("Consortium agreement")
    COMMITMENT_LETTER = "commitment_letter", _("Commitment letter")
    KBIS = "kbis", _("Company registration extract (Kbis)")
    ACCOUNTS = "accounts", _("Annual accounts")
    OTHER = "other", pgettext_lazy("document kind", "Other")


# --- Calls [P4] [L1] -------------------------------------------------------------------


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_at(self, moment):
        return self.published().filter(opens_at__lte=moment, deadline__gt=moment)

    def upcoming_at(self, moment):
        return self.published().filter(opens_at__gt=moment)


class Call(BilingualTextMixin, models.Model):
    """A call for projects: what may be submitted, until when, and the eligibility rules
    the checklist applies [P4]. Dates are aware datetimes, shown in Europe/Paris."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Used in project references."))
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    funding_scheme = models.ForeignKey(
        FundingScheme, verbose_name=_("funding scheme"), on_delete=models.PROTECT, related_name="calls"
    )
    allowed_kinds = models.JSONField(_("allowed project kinds"), default=list)
    opens_at = models.DateTimeField(_("opening"))
    deadline = models.DateTimeField(_("deadline"))
    is_published = models.BooleanField(_("published"), default=True)
    # Eligibility parameters [P4]
    min_companies = models.PositiveSmallIntegerField(_("minimum number of independent companies"), default=2)
    min_research_or_training = models.PositiveSmallIntegerField(
        _("minimum number of research or training bodies"), default=1
    )
    lead_must_be_company = models.BooleanField(_("the lead partner must be a company"), default=True)
    max_partner_share = models.DecimalField(
        _("maximum share of one partner in the budget (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    research_aid_warning_share = models.DecimalField(
        _("research share of the aid above which a warning shows (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    budget_floor = models.DecimalField(_("minimum total budget (€)"), null=True, blank=True, **MONEY)
    budget_ceiling = models.DecimalField(_("maximum total budget (€)"), null=True, blank=True, **MONEY)
    required_document_kinds = models.JSONField(_("required document types"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        return reverse("projects:call-detail", kwargs={"code": self.code})

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def description(self) -> str:
        return self._localised("description")

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment < self.deadline


# --- Projects [P1] ---------------------------------------------------------------------


class ProjectState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("project state", "Draft")
    DEPOSITED = "deposited", pgettext_lazy("project state", "Deposited")
    RETURNED = "returned", pgettext_lazy("project state", "Returned for information")
    ADMISSIBLE = "admissible", pgettext_lazy("project state", "Admissible")
    INADMISSIBLE = "inadmissible", pgettext_lazy("project state", "Inadmissible")
    UNDER_REVIEW = "under_review", pgettext_lazy("project state", "Under review")
    IN_COMMITTEE = "in_committee", pgettext_lazy("project state", "In committee")
    LABELLED = "labelled", pgettext_lazy("project state", "Labelled")
    LABELLED_WITH_CONDITIONS = "labelled_with_conditions", pgettext_lazy("project state", "Labelled with conditions")
    DEFERRED = "deferred", pgettext_lazy("project state", "Deferred")
    REFUSED = "refused", pgettext_lazy("project state", "Refused")
    SUPPORT_LETTER = "support_letter", pgettext_lazy("project state", "Letter of support")
    FUNDED = "funded", pgettext_lazy("project state", "Funded")
    NOT_FUNDED = "not_funded", pgettext_lazy("project state", "Not funded")
    RUNNING = "running", pgettext_lazy("project state", "Running")
    CLOSED = "closed", pgettext_lazy("project state", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("project state", "Withdrawn")


# States in which the consortium may edit the dossier.
EDITABLE_STATES = {ProjectState.DRAFT, ProjectState.RETURNED}
# States shown on the public list of labelled projects.
LABELLED_STATES = {
    ProjectState.LABELLED,
    ProjectState.LABELLED_WITH_CONDITIONS,
    ProjectState.FUNDED,
    ProjectState.NOT_FUNDED,
    ProjectState.RUNNING,
    ProjectState.CLOSED,
}


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public summary may be published")
    RESTRICTED = "restricted", _("Restricted to the pole and the funders")
    CONFIDENTIAL = "confidential", _("Confidential")


class ProjectQuerySet(models.QuerySet):
    def labelled_public(self):
        """Labelled projects whose consortium agreed to publication: the public list [P8]."""
        return self.filter(state__in=LABELLED_STATES, public_consent=True).exclude(
            confidentiality=Confidentiality.CONFIDENTIAL
        )

    def for_list(self):
        return self.select_related("call", "lead_organisation").prefetch_related("strategic_domains")


class Project(BilingualTextMixin, models.Model):
    """A collaborative project, from draft to closure. `state` is written only by
    projects.services.states.transition_project."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, null=True, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40)
    title_fr = models.CharField(_("title (French)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    summary_fr = models.TextField(_("public summary (French)"), blank=True)
    summary_en = models.TextField(_("public summary (English)"), blank=True)
    description = models.TextField(_("confidential description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.RD)
    sub_kind = models.CharField(_("sub-kind"), max_length=20, choices=NonRDSubKind.choices, blank=True)
    strategic_domains = models.ManyToManyField(StrategicDomain, verbose_name=_("strategic domains"), blank=True)
    markets = models.TextField(_("target markets"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    trl_from = models.PositiveSmallIntegerField(
        _("TRL at start"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    trl_to = models.PositiveSmallIntegerField(
        _("TRL at end"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.RESTRICTED
    )
    public_consent = models.BooleanField(
        _("the consortium agrees to the publication of the title and public summary once labelled"), default=False
    )
    co_labelling_poles = models.ManyToManyField(OtherCluster, verbose_name=_("co-labelling poles"), blank=True)
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="projects")
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
        help_text=_("Kept in step with the consortium's lead partner by the services."),
    )
    state = models.CharField(
        _("state"), max_length=30, choices=ProjectState.choices, default=ProjectState.DRAFT, db_index=True
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    deposited_at = models.DateTimeField(_("deposited on"), null=True, blank=True)
    resubmission_of = models.ForeignKey(
        "self",
        verbose_name=_("resubmission of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resubmissions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="created_projects"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[strategic_domains])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self):
        return reverse("projects:project-detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def summary(self) -> str:
        return self._localised("summary")

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


# --- Consortium and budget [P2] -----------------------------------------------------------


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    EQUIPMENT = "equipment", _("Equipment")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    TRAVEL = "travel", _("Travel")
    OTHER_DIRECT = "other_direct", _("Other direct costs")
    OVERHEADS = "overheads", _("Overheads")


class Partner(models.Model):
    """An organisation in a project's consortium (member or not, French or foreign), with
    its contact, role and tasks. Exactly one partner of a project is the lead."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="partnerships"
    )
    is_lead = models.BooleanField(_("lead partner"), default=False)
    contact = models.ForeignKey(
        Person, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("role in the project"), max_length=200, blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_lead", "created_at"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="one_partnership_per_organisation"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(is_lead=True), name="one_lead_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.project}"


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
        return f"{self.partner.organisation}: {self.get_category_display()} {self.amount} €"


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
        return f"{self.partner.organisation}: {self.amount} € ({self.funding_scheme})"


PARTNER_INVITATION_VALIDITY = timedelta(days=14)


def new_token() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


class PartnerInvitation(models.Model):
    """An invitation to a partner's contact to complete his organisation's part [A3]."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.partner}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.created_at + PARTNER_INVITATION_VALIDITY


# --- Documents [P5] --------------------------------------------------------------------


def project_document_path(instance, filename):
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}/{filename}"


class ProjectDocumentQuerySet(models.QuerySet):
    def current(self):
        """The documents of the dossier being prepared or last deposited: a document stays in
        the dossier from the version it was added in until it is withdrawn."""
        return self.filter(withdrawn_in_version__isnull=True)


class ProjectDocument(UploadedFile):
    """A typed attachment, stored privately, downloaded only through a permission-checked
    view (every download is written to the activity log).

    A document added in one version stays in the next ones: after a return for information
    the consortium replaces only what the pole asked for. Withdrawing a document of a
    deposited version keeps its file with that version (`withdrawn_in_version`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=project_document_path, storage=private_storage)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    version = models.PositiveSmallIntegerField(_("dossier version"), default=1)
    withdrawn_in_version = models.PositiveSmallIntegerField(_("withdrawn in version"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ProjectDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")


# --- Versions [P6] ---------------------------------------------------------------------


def dossier_path(instance, filename):
    return f"dossiers/{instance.project_id}/{filename}"


class ProjectVersion(models.Model):
    """The dossier as deposited: a frozen snapshot of its data and an immutable PDF."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("data as deposited"))
    deposited_at = models.DateTimeField(_("deposited on"))
    deposited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pdf = models.FileField(_("dossier (PDF)"), upload_to=dossier_path, storage=private_storage, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("dossier version")
        verbose_name_plural = _("dossier versions")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="one_version_number_per_project")]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"


# --- Follow-up [P7] --------------------------------------------------------------------


class FundingApplication(models.Model):
    """An application of a labelled project to a funder, with its outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("funding outcome", "Pending")
        GRANTED = "granted", pgettext_lazy("funding outcome", "Granted")
        REJECTED = "rejected", pgettext_lazy("funding outcome", "Rejected")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_applications")
    funding_scheme = models.ForeignKey(FundingScheme, verbose_name=_("funding scheme"), on_delete=models.PROTECT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    start_date = models.DateField(_("funded from"), null=True, blank=True)
    end_date = models.DateField(_("funded until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "submitted_on"]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")

    def __str__(self) -> str:
        return f"{self.project} — {self.funding_scheme}"


class GrantedAmount(models.Model):
    """What one funder granted one partner."""

    funding_application = models.ForeignKey(FundingApplication, on_delete=models.CASCADE, related_name="grants")
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="grants")
    amount = models.DecimalField(_("granted (€)"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("granted amount")
        verbose_name_plural = _("granted amounts")
        constraints = [models.UniqueConstraint(fields=["funding_application", "partner"], name="one_grant_per_partner")]

    def __str__(self) -> str:
        return f"{self.partner.organisation}: {self.amount} €"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A periodic progress report written by the lead partner."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    achievements = models.TextField(_("achievements"))
    difficulties = models.TextField(_("difficulties"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted on"), auto_now_add=True)

    class Meta:
        ordering = ["project", "-period_end"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.project} {self.period_start}–{self.period_end}"


class ProjectOutcome(models.Model):
    """The final outcomes of a project, which feed the indicators [P7] [G7]."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="outcome")
    patents = models.PositiveIntegerField(_("patents filed"), default=0)
    products = models.PositiveIntegerField(_("products or services on the market"), default=0)
    jobs = models.PositiveIntegerField(_("jobs created"), default=0)
    turnover = models.DecimalField(_("turnover generated (€)"), default=Decimal("0"), **MONEY)
    startups = models.PositiveIntegerField(_("start-ups created"), default=0)
    publications = models.PositiveIntegerField(_("publications"), default=0)
    comments = models.TextField(_("comments"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project outcome")
        verbose_name_plural = _("project outcomes")

    def __str__(self) -> str:
        return f"{self.project}"


# --- Partner search [S4] ---------------------------------------------------------------


class PartnerSearch(models.Model):
    """A member's "looking for partners" request, answered through the portal."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_searches")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE)
    strategic_domain = models.ForeignKey(StrategicDomain, verbose_name=_("strategic domain"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what you are looking for"))
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partner search")
        verbose_name_plural = _("partner searches")

    def __str__(self) -> str:
        return self.title


class PartnerSearchAnswer(models.Model):
    search = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("answer to a partner search")
        verbose_name_plural = _("answers to partner searches")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.search}"

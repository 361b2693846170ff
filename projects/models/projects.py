"""Projects [P1] and their states.

`Project.state` is written only by projects.services.states.transition_project."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Organisation
from pole.models import OtherCluster, StrategicDomain
from projects.models.base import BilingualTextMixin, NonRDSubKind, ProjectKind
from projects.models.calls import Call


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
# From the label (or letter of support) on: the states in which a project has a follow-up.
FOLLOWUP_STATES = frozenset(
    {
        ProjectState.LABELLED,
        ProjectState.LABELLED_WITH_CONDITIONS,
        ProjectState.SUPPORT_LETTER,
        ProjectState.FUNDED,
        ProjectState.NOT_FUNDED,
        ProjectState.RUNNING,
        ProjectState.CLOSED,
    }
)
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
    """A collaborative project, from draft to closure. `state` and `labelled_at` are written
    only by projects.services.states.transition_project."""

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
    labelled_at = models.DateTimeField(
        _("labelled on"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The first time the project was labelled, with or without conditions."),
    )
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

"""Follow-up of a project [P7]: applications to funders, grants, milestones, reports, outcomes."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pole.bounds import non_negative_amount_validators, positive_integer_validators
from pole.models import FundingScheme
from pole.money import format_euros
from projects.models.base import MONEY
from projects.models.consortium import Partner
from projects.models.projects import Project


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
        return f"{self.partner.organisation}: {format_euros(self.amount)}"


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
    patents = models.PositiveIntegerField(_("patents filed"), default=0, validators=positive_integer_validators())
    products = models.PositiveIntegerField(
        _("products or services on the market"), default=0, validators=positive_integer_validators()
    )
    jobs = models.PositiveIntegerField(_("jobs created"), default=0, validators=positive_integer_validators())
    turnover = models.DecimalField(
        _("turnover generated (€)"), default=Decimal("0"), validators=non_negative_amount_validators(), **MONEY
    )
    startups = models.PositiveIntegerField(_("start-ups created"), default=0, validators=positive_integer_validators())
    publications = models.PositiveIntegerField(_("publications"), default=0, validators=positive_integer_validators())
    comments = models.TextField(_("comments"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project outcome")
        verbose_name_plural = _("project outcomes")

    def __str__(self) -> str:
        return f"{self.project}"

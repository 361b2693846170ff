"""Calls for projects, submission side [P4] [L1]."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pole.bounds import non_negative_amount_validators, positive_small_integer_validators
from pole.models import FundingScheme
from projects.models.base import MONEY, BilingualTextMixin


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
    min_companies = models.PositiveSmallIntegerField(
        _("minimum number of independent companies"), default=2, validators=positive_small_integer_validators()
    )
    min_research_or_training = models.PositiveSmallIntegerField(
        _("minimum number of research or training bodies"), default=1, validators=positive_small_integer_validators()
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
    budget_floor = models.DecimalField(
        _("minimum total budget (€)"), null=True, blank=True, validators=non_negative_amount_validators(), **MONEY
    )
    budget_ceiling = models.DecimalField(
        _("maximum total budget (€)"), null=True, blank=True, validators=non_negative_amount_validators(), **MONEY
    )
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

"""Shared by the projects models: money fields, bilingual texts, project kinds and document types."""

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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

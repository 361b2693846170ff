""" "Looking for partners" requests and their answers [S4]."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Organisation
from pole.models import StrategicDomain


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

"""The cluster itself, its reference data, the activity log every app writes to, and the
generated files (PDFs) every app asks for."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pole.storage import private_storage


class BilingualNameMixin(models.Model):
    """A name in French and English; `name` gives the one of the active language."""

    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name_fr


class UploadedFile(models.Model):
    """What every uploaded document keeps of its file besides the file itself: the name it
    was uploaded under, its size and its type as read from its content (pole.uploads), and
    when. Each concrete model declares its own `file` (its own folder, private storage)."""

    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class PoleProfile(models.Model):
    """The pole running this portal: one row, edited by staff in the admin."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    tagline_fr = models.CharField(_("tagline (French)"), max_length=300, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=300, blank=True)
    presentation_fr = models.TextField(_("presentation (French)"), blank=True)
    presentation_en = models.TextField(_("presentation (English)"), blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    bank_details = models.TextField(
        _("bank details"), blank=True, help_text=_("Account holder, IBAN and BIC, printed on dues notices.")
    )

    class Meta:
        verbose_name = _("pole profile")
        verbose_name_plural = _("pole profile")

    def __str__(self) -> str:
        return self.name

    @property
    def tagline(self) -> str:
        return self.tagline_en if get_language() == "en" and self.tagline_en else self.tagline_fr

    @property
    def presentation(self) -> str:
        return self.presentation_en if get_language() == "en" and self.presentation_en else self.presentation_fr

    @classmethod
    def current(cls) -> "PoleProfile":
        """The profile, or an unsaved placeholder before seed_demo or the admin made one."""
        return cls.objects.order_by("pk").first() or cls(name=_("Competitiveness cluster"), short_name=_("Pole"))


class StrategicDomain(BilingualNameMixin):
    """A strategic domain (*domaine d'activité stratégique*) of the pole's roadmap [G5]."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("strategic domain")
        verbose_name_plural = _("strategic domains")

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" and self.description_en else self.description_fr


class FundingScheme(BilingualNameMixin):
    """A public funding scheme projects apply to (reference list shared/data/funding-schemes.csv)."""

    class Level(models.TextChoices):
        NATIONAL = "national", pgettext_lazy("funding level", "National")
        NATIONAL_REGIONAL = "national-regional", pgettext_lazy("funding level", "National and regional")
        REGIONAL = "regional", pgettext_lazy("funding level", "Regional")
        EUROPEAN = "european", pgettext_lazy("funding level", "European")
        EUROPEAN_REGIONAL = "european-regional", pgettext_lazy("funding level", "European and regional")
        INTERNATIONAL = "international", pgettext_lazy("funding level", "International")
        OTHER = "other", pgettext_lazy("funding level", "Other")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    typical_use = models.CharField(_("typical use"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("funding scheme")
        verbose_name_plural = _("funding schemes")


class OtherCluster(models.Model):
    """Another French competitiveness cluster (national reference list), for co-labelling
    and cooperation."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("other competitiveness cluster")
        verbose_name_plural = _("other competitiveness clusters")

    def __str__(self) -> str:
        return self.name


class ActivityLog(models.Model):
    """Who did what, when, to which object: written by services through
    pole.activity.record_activity, read by the history pages of every app."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("what"), max_length=100)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor or '-'} {self.verb} {self.target_repr}"


def generated_file_path(instance, filename: str) -> str:
    return f"generated/{instance.kind}/{instance.requested_at:%Y/%m}/{instance.pk}-{filename}"


class GeneratedFile(models.Model):
    """One request for a generated file (a PDF) and what became of it: written only by
    pole.reports (request_file, the generate_file task, recover_lost_job), never by hand.

    `kind` names a kind registered in pole.reports; `parameters` (JSON) are what its
    renderer needs; `subject` ("members.dues:42") names the object the file is of, to find
    its latest request. A kind that belongs to an object (the dues notice, the deposited
    dossier) stores the file on that object; any other kind (a report) stores it in `file`.
    The status moves queued → running → done or failed; `requeued_at` records the one time
    a lost job was handed to Celery again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being generated")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("about"), max_length=100, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(
        _("file"), upload_to=generated_file_path, storage=private_storage, blank=True, max_length=255
    )
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requeued_at = models.DateTimeField(_("requested again"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["kind", "subject", "-requested_at"])]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def failed(self) -> bool:
        return self.status == self.Status.FAILED

    def looks_lost(self, *, now=None) -> bool:
        """Queued for longer than GENERATED_FILE_LOST_AFTER, or running for longer than
        the tasks' hard time limit: no worker will finish it."""
        now = now or timezone.now()
        if self.status == self.Status.QUEUED:
            return self.requested_at < now - timedelta(seconds=settings.GENERATED_FILE_LOST_AFTER)
        if self.status == self.Status.RUNNING:
            started = self.started_at or self.requested_at
            return started < now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
        return False

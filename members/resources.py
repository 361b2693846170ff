"""django-import-export resources for organisations and people [S3].

Used by the admin (CSV/XLSX import and export) and by the staff members list (export of
the filtered list). Columns have readable, translated headers; an import accepts the
headers in French or in English, or the field names.

Imports are all or nothing: every row is checked with the model's validators
(`clean_model_instances`: SIRET/SIREN checksum, NAF and RNSR formats, e-mail…), every bad
row is reported with its reasons, and if any row is bad or fails, nothing is written
(`import_data` always rolls back on validation errors, whoever calls it).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from members.filters import with_current_membership
from members.models import (
    College,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    SizeCategory,
)
from pole.exports import (
    AmountWidget,
    ChoiceWidget,
    CountryWidget,
    PreviewedManyToManyField,
    SpreadsheetExportMixin,
    StrictForeignKeyWidget,
    StrictManyToManyWidget,
    TranslatedHeadersMixin,
    WholeNumberWidget,
    YesNoWidget,
    column,
)
from pole.identifiers import normalise_identifier, validate_siret
from pole.models import StrategicDomain


class OrganisationResource(SpreadsheetExportMixin, TranslatedHeadersMixin, resources.ModelResource):
    id = column("id", _("ID"), WholeNumberWidget())
    legal_name = column("legal_name", _("Legal name"))
    acronym = column("acronym", _("Acronym"))
    slug = column("slug", _("Directory address"))
    kind = column("kind", _("Kind"), ChoiceWidget(OrganisationKind.choices))
    siren = column("siren", _("SIREN"))
    siret = column("siret", _("SIRET"))
    naf_code = column("naf_code", _("NAF/APE code"))
    rnsr = column("rnsr", _("RNSR"))
    headcount = column("headcount", _("Headcount"), WholeNumberWidget())
    turnover = column("turnover", _("Turnover (€)"), AmountWidget())
    balance_sheet = column("balance_sheet", _("Balance sheet total (€)"), AmountWidget())
    size_category = column("size_category", _("Size category"), ChoiceWidget(SizeCategory.choices), readonly=True)
    street = column("street", _("Street address"))
    postcode = column("postcode", _("Postcode"))
    city = column("city", _("City"))
    department = column("department", _("Department"))
    region = column("region", _("Region"), readonly=True)
    country = column("country", _("Country (ISO code)"), CountryWidget())
    website = column("website", _("Website"))
    description_fr = column("description_fr", _("Description (French)"))
    description_en = column("description_en", _("Description (English)"))
    strategic_domains = PreviewedManyToManyField(
        attribute="strategic_domains",
        column_name=_("Strategic domains (codes)"),
        widget=StrictManyToManyWidget(StrategicDomain, separator=",", field="code"),
    )
    competences = column("competences", _("Competences"))
    directory_opt_in = column("directory_opt_in", _("In the public directory"), YesNoWidget())
    membership_state = fields.Field(column_name=_("Membership state"), readonly=True)
    college = fields.Field(column_name=_("College"), readonly=True)

    class Meta:
        model = Organisation
        fields = (
            "id",
            "legal_name",
            "acronym",
            "slug",
            "kind",
            "siren",
            "siret",
            "naf_code",
            "rnsr",
            "headcount",
            "turnover",
            "balance_sheet",
            "size_category",
            "street",
            "postcode",
            "city",
            "department",
            "region",
            "country",
            "website",
            "description_fr",
            "description_en",
            "strategic_domains",
            "competences",
            "directory_opt_in",
            "membership_state",
            "college",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def filter_export(self, queryset, **kwargs):
        if "current_membership_state" not in queryset.query.annotations:
            queryset = with_current_membership(queryset)
        return queryset.prefetch_related("strategic_domains")

    def get_queryset(self):
        return Organisation.objects.all()

    def dehydrate_membership_state(self, organisation):
        state = getattr(organisation, "current_membership_state", None)
        return str(Membership.State(state).label) if state else ""

    def dehydrate_college(self, organisation):
        college = getattr(organisation, "current_college", None)
        return str(College(college).label) if college else ""

    def dehydrate_region(self, organisation):
        return organisation.get_region_display() if organisation.region else ""

    def save_m2m(self, instance, row, **kwargs):
        if self._is_dry_run(kwargs) and self._is_using_transactions(kwargs):
            # A preview is rolled back: keep the links for its diff rather than write them
            # (four queries a row fewer).
            instance._previewed_m2m = {
                field.attribute: field.clean(row, **kwargs)
                for field in self.get_import_fields()
                if isinstance(field, PreviewedManyToManyField) and field.column_name in row
            }
            return
        super().save_m2m(instance, row, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The values save() derives, set before validation so that full_clean sees them.
        instance.siret = normalise_identifier(instance.siret)
        instance.siren = normalise_identifier(instance.siren)
        if instance.siret and not instance.siren:
            try:
                validate_siret(instance.siret)
            except ValidationError:
                pass  # reported once, on the SIRET
            else:
                instance.siren = instance.siret[:9]
        if not instance.slug and instance.pk:  # an update with an empty cell keeps the address
            instance.slug = Organisation.objects.filter(pk=instance.pk).values_list("slug", flat=True).first() or ""
        if not instance.slug:
            instance.slug = instance._unique_slug()
        super().validate_instance(instance, import_validation_errors, validate_unique)


class PersonResource(SpreadsheetExportMixin, TranslatedHeadersMixin, resources.ModelResource):
    id = column("id", _("ID"), WholeNumberWidget())
    organisation = column(
        "organisation", _("Organisation (directory address)"), StrictForeignKeyWidget(Organisation, field="slug")
    )
    first_name = column("first_name", _("First name"))
    last_name = column("last_name", _("Last name"))
    email = column("email", _("E-mail"))
    phone = column("phone", _("Phone"))
    job_title = column("job_title", _("Job title"))
    is_legal_representative = column("is_legal_representative", _("Legal representative"), YesNoWidget())
    is_main_contact = column("is_main_contact", _("Main contact"), YesNoWidget())
    is_billing_contact = column("is_billing_contact", _("Billing contact"), YesNoWidget())
    is_technical_contact = column("is_technical_contact", _("Technical contact"), YesNoWidget())
    is_active = column("is_active", _("Active"), YesNoWidget(blank=True))

    class Meta:
        model = Person
        fields = (
            "id",
            "organisation",
            "first_name",
            "last_name",
            "email",
            "phone",
            "job_title",
            "is_legal_representative",
            "is_main_contact",
            "is_billing_contact",
            "is_technical_contact",
            "is_active",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("organisation")

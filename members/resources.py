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
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from members.filters import with_current_membership
from members.identifiers import normalise_identifier, validate_siret
from members.models import (
    College,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    SizeCategory,
)
from pole.exports import SpreadsheetExportMixin
from pole.models import StrategicDomain

HEADER_LANGUAGES = ("fr", "en")


class ChoiceWidget(widgets.Widget):
    """Shows a choice's label; reads back its code or its label in French or English."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return ""
        for code, label in self.choices:
            if text == code or text.casefold() in _labels_casefolded(label):
                return code
        raise ValueError(_("“%(value)s” is not one of the allowed values.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class YesNoWidget(widgets.Widget):
    """yes/no, oui/non, true/false, 1/0; an empty cell means `blank`."""

    TRUE_VALUES = {"1", "true", "yes", "oui", "y", "o", "x"}
    FALSE_VALUES = {"0", "false", "no", "non", "n"}

    def __init__(self, blank=False, **kwargs):
        self.blank = blank
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().casefold()
        if not text:
            return self.blank
        if text in self.TRUE_VALUES:
            return True
        if text in self.FALSE_VALUES:
            return False
        raise ValueError(_("Enter yes or no."))

    def render(self, value, obj=None, **kwargs):
        return str(_("yes") if value else _("no"))


def _plain_number(value):
    """'6 500 000,50' or '6500000.50' → '6500000.50' (French or English notation)."""
    if isinstance(value, str):
        return value.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    return value


class WholeNumberWidget(widgets.IntegerWidget):
    def __init__(self, **kwargs):
        super().__init__(coerce_to_string=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(_plain_number(value), row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(_("Enter a whole number.")) from None


class AmountWidget(widgets.DecimalWidget):
    def __init__(self, **kwargs):
        super().__init__(coerce_to_string=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(_plain_number(value), row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(_("Enter an amount in euros, such as 1250000 or 1 250 000,50.")) from None


class CountryWidget(widgets.CharWidget):
    """An ISO 3166 code; an empty cell means France."""

    def clean(self, value, row=None, **kwargs):
        return (super().clean(value, row, **kwargs) or "FR").strip().upper()


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by a readable field; an unknown value is a row error with its reason."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(_("No record matches “%(value)s”.") % {"value": value}) from None


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Codes separated by commas; an unknown code is a row error, not silently dropped."""

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return []
        codes = [code.strip() for code in str(value).split(self.separator) if code.strip()]
        missing = sorted(set(codes) - set(self.objects_by_code))
        if missing:
            raise ValueError(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(missing)})
        return [self.objects_by_code[code] for code in dict.fromkeys(codes)]

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, list):  # the cleaned values a preview keeps (PreviewedManyToManyField)
            return self.separator.join(str(getattr(item, self.field)) for item in value)
        return super().render(value, obj, **kwargs)

    @cached_property
    def objects_by_code(self) -> dict:
        # A reference list (a few dozen rows), read once per import rather than once per
        # row; each resource instance has its own copy of its widgets.
        return {str(getattr(obj, self.field)): obj for obj in self.model.objects.all()}


class PreviewedManyToManyField(fields.Field):
    """A many-to-many column. A preview (dry run) does not write the links: it keeps the
    cleaned values on the instance (`_previewed_m2m`), and the preview's diff reads them."""

    def get_value(self, instance):
        previewed = getattr(instance, "_previewed_m2m", {})
        if self.attribute in previewed:
            return previewed[self.attribute]
        return super().get_value(instance)


def _labels_casefolded(label) -> set[str]:
    labels = set()
    for language in HEADER_LANGUAGES:
        with translation.override(language):
            labels.add(str(label).casefold())
    return labels


class TranslatedHeadersMixin:
    """Readable headers in the current language; an import file may use them in any of
    HEADER_LANGUAGES, or the field names."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for field in self.fields.values():
            field.column_name = str(field.column_name)

    def before_import(self, dataset, **kwargs):
        aliases = {}
        for name, field in type(self).fields.items():
            current = self.fields[name].column_name
            aliases[name.casefold()] = current
            for language in HEADER_LANGUAGES:
                with translation.override(language):
                    aliases[str(field.column_name).strip().casefold()] = current
        if dataset.headers:
            dataset.headers = [aliases.get(str(h or "").strip().casefold(), h) for h in dataset.headers]
        super().before_import(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # A preview (dry run) is rolled back: the history rows it would write are skipped.
        if self._is_dry_run(kwargs):
            instance.skip_history_when_saving = True
        super().before_save_instance(instance, row, **kwargs)

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        # All or nothing: a file with one bad row imports none of its rows.
        return super().import_data(dataset, *args, rollback_on_validation_errors=True, **kwargs)


def _field(attribute, header, widget=None, readonly=False):
    return fields.Field(
        attribute=attribute, column_name=header, widget=widget or widgets.CharWidget(), readonly=readonly
    )


class OrganisationResource(SpreadsheetExportMixin, TranslatedHeadersMixin, resources.ModelResource):
    id = _field("id", _("ID"), WholeNumberWidget())
    legal_name = _field("legal_name", _("Legal name"))
    acronym = _field("acronym", _("Acronym"))
    slug = _field("slug", _("Directory address"))
    kind = _field("kind", _("Kind"), ChoiceWidget(OrganisationKind.choices))
    siren = _field("siren", _("SIREN"))
    siret = _field("siret", _("SIRET"))
    naf_code = _field("naf_code", _("NAF/APE code"))
    rnsr = _field("rnsr", _("RNSR"))
    headcount = _field("headcount", _("Headcount"), WholeNumberWidget())
    turnover = _field("turnover", _("Turnover (€)"), AmountWidget())
    balance_sheet = _field("balance_sheet", _("Balance sheet total (€)"), AmountWidget())
    size_category = _field("size_category", _("Size category"), ChoiceWidget(SizeCategory.choices), readonly=True)
    street = _field("street", _("Street address"))
    postcode = _field("postcode", _("Postcode"))
    city = _field("city", _("City"))
    department = _field("department", _("Department"))
    region = _field("region", _("Region"), readonly=True)
    country = _field("country", _("Country (ISO code)"), CountryWidget())
    website = _field("website", _("Website"))
    description_fr = _field("description_fr", _("Description (French)"))
    description_en = _field("description_en", _("Description (English)"))
    strategic_domains = PreviewedManyToManyField(
        attribute="strategic_domains",
        column_name=_("Strategic domains (codes)"),
        widget=StrictManyToManyWidget(StrategicDomain, separator=",", field="code"),
    )
    competences = _field("competences", _("Competences"))
    directory_opt_in = _field("directory_opt_in", _("In the public directory"), YesNoWidget())
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
    id = _field("id", _("ID"), WholeNumberWidget())
    organisation = _field(
        "organisation", _("Organisation (directory address)"), StrictForeignKeyWidget(Organisation, field="slug")
    )
    first_name = _field("first_name", _("First name"))
    last_name = _field("last_name", _("Last name"))
    email = _field("email", _("E-mail"))
    phone = _field("phone", _("Phone"))
    job_title = _field("job_title", _("Job title"))
    is_legal_representative = _field("is_legal_representative", _("Legal representative"), YesNoWidget())
    is_main_contact = _field("is_main_contact", _("Main contact"), YesNoWidget())
    is_billing_contact = _field("is_billing_contact", _("Billing contact"), YesNoWidget())
    is_technical_contact = _field("is_technical_contact", _("Technical contact"), YesNoWidget())
    is_active = _field("is_active", _("Active"), YesNoWidget(blank=True))

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

"""Spreadsheet exports, one way for every list and for the admin [S3].

A cell that a spreadsheet program would read as a formula (one that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return) gets a leading single quote, as the OWASP guidance on
CSV injection advises, and control characters (which also make openpyxl fail) are
removed. Only text is touched: numbers, amounts and dates stay native. An import strips
that quote again, so that an export imports back unchanged.

- `EXPORT_FORMATS`: the formats a list offers (`?format=csv|xlsx`);
- `SpreadsheetExportMixin`: for django-import-export resources, escapes every export
  (the admin's and the lists') and reads back escaped cells on import;
- `spreadsheet_response`: the download of a resource's export;
- the columns, widgets and the translated headers the apps' resources are made of
  (`column`, `TranslatedHeadersMixin`, `ChoiceWidget`, `AmountWidget`…). The admin's
  import-export mixin is in pole/admin_base.py.
"""

import re

import tablib
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.formats import base_formats

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ADMIN_FORMATS = [base_formats.CSV, base_formats.XLSX]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def neutralise_cell(value):
    """`value` as a spreadsheet may show it without running it."""
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_cell(value):
    """The text `neutralise_cell` escaped, for an import."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def neutralised(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = [neutralise_cell(header) for header in dataset.headers]
    for row in dataset:
        safe.append([neutralise_cell(value) for value in row])
    return safe


class SpreadsheetExportMixin:
    """For a django-import-export resource: every export is neutralised, every import
    reads the escaped cells back."""

    def export(self, *args, **kwargs):
        return neutralised(super().export(*args, **kwargs))

    def before_import(self, dataset, **kwargs):
        for index, row in enumerate(dataset):
            restored = [restore_cell(value) for value in row]
            if restored != list(row):
                dataset[index] = restored
        super().before_import(dataset, **kwargs)


def spreadsheet_response(resource, queryset, *, file_format: str, name: str) -> HttpResponse:
    """The rows of `queryset` exported by `resource` as a `name-<date>.csv|xlsx` download.
    The CSV is UTF-8 with a byte-order mark, so that spreadsheet programs read the accents.
    An unknown format answers 404."""
    if file_format not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    dataset = neutralised(resource.export(queryset))
    content = dataset.export("xlsx") if file_format == "xlsx" else "\ufeff" + dataset.export("csv")
    response = HttpResponse(content, content_type=EXPORT_FORMATS[file_format])
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Columns and widgets of the apps' resources ----------------------------------------

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
            if text == code or text.casefold() in labels_casefolded(label):
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


def plain_number(value):
    """'6 500 000,50' or '6500000.50' → '6500000.50' (French or English notation)."""
    if isinstance(value, str):
        return value.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    return value


class WholeNumberWidget(widgets.IntegerWidget):
    def __init__(self, **kwargs):
        super().__init__(coerce_to_string=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(plain_number(value), row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(_("Enter a whole number.")) from None


class AmountWidget(widgets.DecimalWidget):
    def __init__(self, **kwargs):
        super().__init__(coerce_to_string=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(plain_number(value), row, **kwargs)
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


def labels_casefolded(label) -> set[str]:
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


def column(attribute, header, widget=None, readonly=False):
    """A resource column: `attribute` under the translated `header` (text by default)."""
    return fields.Field(
        attribute=attribute, column_name=header, widget=widget or widgets.CharWidget(), readonly=readonly
    )


class DateTimeWidget(widgets.DateTimeWidget):
    """Aware datetimes shown in the portal's time zone (Europe/Paris)."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d %H:%M", coerce_to_string=True)

"""Spreadsheet exports, one way for every list and for the admin [S3].

A cell that a spreadsheet program would read as a formula (one that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return) gets a leading single quote, as the OWASP guidance on
CSV injection advises, and control characters (which also make openpyxl fail) are
removed. Only text is touched: numbers, amounts and dates stay native. An import strips
that quote again, so that an export imports back unchanged.

- `EXPORT_FORMATS`: the formats a list offers (`?format=csv|xlsx`);
- `SpreadsheetExportMixin`: for django-import-export resources, escapes every export
  (the admin's and the lists') and reads back escaped cells on import;
- `SpreadsheetAdminMixin`: for ModelAdmins with import-export, CSV and XLSX only;
- `spreadsheet_response`: the download of a resource's export.
"""

import re

import tablib
from django.http import Http404, HttpResponse
from django.utils import timezone
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


class SpreadsheetAdminMixin:
    """For a ModelAdmin with import-export: CSV and XLSX only (no HTML, JSON, YAML…)."""

    formats = ADMIN_FORMATS
    import_formats = ADMIN_FORMATS
    export_formats = ADMIN_FORMATS


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

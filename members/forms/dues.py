"""Forms of the dues pages [M4]: the yearly scale grid, the staff list's filters and the
details some dues transitions need."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Dues, DuesRate, OrganisationKind, SizeBand
from members.services.dues import bands_for_kind, cell_label
from pole.forms import StyledFormMixin
from pole.money import AmountInput, money_formfield

MIN_YEAR, MAX_YEAR = 2000, 2100


def cell_field_name(kind: str, band: str) -> str:
    return f"rate_{kind}_{band}"


class DuesScaleForm(StyledFormMixin, forms.Form):
    """The year's scale as a grid: one amount per (kind, band) cell that applies (companies
    by size band, the other kinds on "any size"). A blank cell has no amount."""

    def __init__(self, *args, amounts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        amounts = amounts or {}
        for kind in OrganisationKind.values:
            for band in bands_for_kind(kind):
                name = cell_field_name(kind, band)
                self.fields[name] = money_formfield(
                    DuesRate._meta.get_field("amount"),
                    label=cell_label(kind, band),
                    required=False,
                    initial=amounts.get((kind, band)),
                    widget=AmountInput(attrs={"class": "text-end amount-input"}),
                )

    @property
    def bands(self):
        return [(band, SizeBand(band).label) for band in SizeBand.values]

    @property
    def grid(self) -> list[dict]:
        """Rows for the template: one per kind, a bound field or None for each band."""
        rows = []
        for kind in OrganisationKind.values:
            applicable = bands_for_kind(kind)
            cells = [self[cell_field_name(kind, band)] if band in applicable else None for band in SizeBand.values]
            rows.append({"kind": kind, "label": OrganisationKind(kind).label, "cells": cells})
        return rows

    def amounts(self) -> dict[tuple[str, str], Decimal | None]:
        return {
            (kind, band): self.cleaned_data.get(cell_field_name(kind, band))
            for kind in OrganisationKind.values
            for band in bands_for_kind(kind)
        }


class DuesFilterForm(forms.Form):
    """The staff list's year and status filters (GET)."""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("dues", "Status"),
        choices=[("", _("All statuses")), *Dues.Status.choices],
        required=False,
    )

    def _cleaned(self, name: str):
        """The value of `name` if it is valid, even when the other filter is not."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)

    def selected_year(self) -> int:
        return self._cleaned("year") or timezone.localdate().year

    def selected_status(self) -> str:
        return self._cleaned("status") or ""


class DuesCallForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)


class MarkPaidForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("The bank transfer's or the cheque's reference."),
    )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("The payment date cannot be in the future."))
        return paid_on


class WaiveForm(StyledFormMixin, forms.Form):
    waiver_reason = forms.CharField(
        label=_("Reason for the waiver"),
        max_length=300,
    )


# The form each transition needs (None: a confirmation button is enough).
TRANSITION_FORMS = {
    Dues.Status.INVOICED: None,
    Dues.Status.OVERDUE: None,
    Dues.Status.PAID: MarkPaidForm,
    Dues.Status.WAIVED: WaiveForm,
}

"""The staff form of a call for projects [L1] [P4]: texts, funding scheme, allowed kinds,
calendar (entered in Europe/Paris) and the eligibility parameters the checklist applies."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pole.forms import StyledFormMixin
from pole.models import FundingScheme
from pole.money import LocalDecimalField, MoneyField
from projects.models import MONEY, Call, DocumentKind, ProjectKind
from projects.services.calls import CALL_FIELDS

PARIS = ZoneInfo("Europe/Paris")


class ParisDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in Europe/Paris, whatever the active time zone:
    calls close at a French hour. A time that does not exist (spring change) or exists
    twice (autumn) is refused by Django with a message rather than guessed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"])
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, PARIS)
        return value

    def to_python(self, value):
        with timezone.override(PARIS):
            return super().to_python(value)


def _percent_field(label, help_text):
    return LocalDecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        help_text=help_text,
    )


def _money_field(label, help_text):
    return MoneyField(label=label, required=False, help_text=help_text, **MONEY)


class CallForm(StyledFormMixin, forms.ModelForm):
    """Creates or edits a call. Validation only: `projects.services.calls.save_call`
    writes the row (the instance given here is never saved by the form)."""

    describe_errors = True

    allowed_kinds = forms.MultipleChoiceField(
        label=_("Allowed project kinds"),
        choices=ProjectKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of project.")},
    )
    opens_at = ParisDateTimeField(label=_("Opening (Paris time)"))
    deadline = ParisDateTimeField(
        label=_("Deadline (Paris time)"), help_text=_("Dossiers can be deposited until this moment.")
    )
    max_partner_share = _percent_field(
        _("Maximum share of one partner in the budget (%)"),
        _("Between 0 and 100. A partner above this share fails the checklist."),
    )
    research_aid_warning_share = _percent_field(
        _("Research share of the aid above which a warning shows (%)"),
        _("Between 0 and 100. Above it the checklist warns, without blocking the deposit."),
    )
    budget_floor = _money_field(_("Minimum total budget (€)"), _("Leave blank for no minimum."))
    budget_ceiling = _money_field(_("Maximum total budget (€)"), _("Leave blank for no maximum."))
    required_document_kinds = forms.MultipleChoiceField(
        label=_("Required documents"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The checklist fails while one of these documents is missing."),
    )

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        # The language of each text, for spell checkers and screen readers.
        widgets = {
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "description_fr": forms.Textarea(attrs={"rows": 6, "lang": "fr"}),
            "description_en": forms.Textarea(attrs={"rows": 6, "lang": "en"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_scheme"].queryset = FundingScheme.objects.order_by("code")
        self.fields["code"].help_text = _(
            "Lower-case letters, digits and hyphens, e.g. fui-2026. Used in project references; "
            "it cannot change once projects are attached."
        )
        if self.instance.pk and self.instance.projects.exists():
            self.fields["code"].disabled = True

    def clean_code(self):
        return self.cleaned_data["code"].lower()

    def clean(self):
        data = super().clean()
        opens_at, deadline = data.get("opens_at"), data.get("deadline")
        if opens_at and deadline and deadline <= opens_at:
            self.add_error("deadline", _("The deadline must come after the opening."))
        floor, ceiling = data.get("budget_floor"), data.get("budget_ceiling")
        if floor is not None and ceiling is not None and floor > ceiling:
            self.add_error("budget_ceiling", _("The maximum budget cannot be below the minimum budget."))
        return data

    def _post_clean(self):
        # Model validation (uniqueness of the code, the model's validators) without leaving
        # the typed values on the instance: save_call writes them, and a failed form shows
        # the stored call's name in its heading.
        stored = self.instance.__dict__.copy()
        cache = dict(self.instance._state.fields_cache)
        super()._post_clean()
        self.instance.__dict__.clear()
        self.instance.__dict__.update(stored)
        self.instance._state.fields_cache = cache

"""Forms of the follow-up [P7] and of the resubmission [P9]."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from pole.forms import style_widgets
from pole.money import AmountInput, MoneyField
from projects.models import MONEY, Call, FundingApplication, Milestone, ProgressReport, ProjectOutcome


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label, initial=None):
    """An amount in euros, typed as the page's language writes it (pole.money)."""
    return MoneyField(
        label=label,
        required=False,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        initial=initial,
        widget=AmountInput(attrs={"class": "text-end"}),
    )


class BootstrapModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class FundingApplicationForm(BootstrapModelForm):
    """An application to a funder, with one "granted" amount per partner of the project."""

    class Meta:
        model = FundingApplication
        fields = ["funding_scheme", "submitted_on", "outcome", "decided_on", "start_date", "end_date"]
        widgets = {
            "submitted_on": _date_widget(),
            "decided_on": _date_widget(),
            "start_date": _date_widget(),
            "end_date": _date_widget(),
        }

    def __init__(self, *args, partners, **kwargs):
        self.partners = list(partners)
        instance = kwargs.get("instance")
        granted = {}
        if instance is not None and instance.pk:
            granted = {grant.partner_id: grant.amount for grant in instance.grants.all()}
        super().__init__(*args, **kwargs)
        for partner in self.partners:
            self.fields[self.grant_field_name(partner)] = money_field(
                _("Granted to %(organisation)s (€)") % {"organisation": partner.organisation.display_name},
                initial=granted.get(partner.pk),
            )
        style_widgets(self)

    @staticmethod
    def grant_field_name(partner) -> str:
        return f"grant_{partner.pk}"

    @property
    def application_fields(self):
        return [self[name] for name in self.Meta.fields]

    @property
    def grant_fields(self):
        return [self[self.grant_field_name(partner)] for partner in self.partners]

    def clean(self):
        cleaned = super().clean()
        submitted, decided = cleaned.get("submitted_on"), cleaned.get("decided_on")
        if submitted and decided and decided < submitted:
            self.add_error("decided_on", _("The decision cannot come before the application."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end of the funding cannot come before its start."))
        if cleaned.get("outcome") != FundingApplication.Outcome.GRANTED:
            for partner in self.partners:
                name = self.grant_field_name(partner)
                if cleaned.get(name):
                    self.add_error(name, _("Amounts are granted only when the outcome is “Granted”."))
        return cleaned

    def grants(self) -> dict:
        """Partner id → granted amount (None: no grant)."""
        return {partner.pk: self.cleaned_data.get(self.grant_field_name(partner)) for partner in self.partners}


class MilestoneForm(BootstrapModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "reached_on"]
        widgets = {"due_on": _date_widget(), "reached_on": _date_widget()}


class ProgressReportForm(BootstrapModelForm):
    class Meta:
        model = ProgressReport
        fields = ["period_start", "period_end", "achievements", "difficulties", "next_steps"]
        widgets = {
            "period_start": _date_widget(),
            "period_end": _date_widget(),
            "achievements": forms.Textarea(attrs={"rows": 6}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot come before its start."))
        return cleaned


class ProjectOutcomeForm(BootstrapModelForm):
    class Meta:
        model = ProjectOutcome
        fields = ["patents", "products", "jobs", "turnover", "startups", "publications", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        turnover = money_field(self.fields["turnover"].label, initial=self.fields["turnover"].initial)
        turnover.required = True
        self.fields["turnover"] = turnover
        style_widgets(self)


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, call):
        deadline = formats.date_format(timezone.localtime(call.deadline), "SHORT_DATE_FORMAT")
        return _("%(call)s (deadline %(deadline)s)") % {"call": call.title, "deadline": deadline}


class ResubmissionForm(forms.Form):
    call = CallChoiceField(
        label=_("Later call"), queryset=Call.objects.none(), empty_label=None, widget=forms.RadioSelect
    )

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(pk__in=[call.pk for call in calls]).order_by("deadline")

"""Forms of the deposit [P6]: the confirmation of a deposit, the staff's return for
information, and the choice of two versions to compare."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pole.forms import StyledFormMixin

# The value of the "to" choice that compares with the dossier as it stands (not deposited).
CURRENT = "current"


class DepositForm(StyledFormMixin, forms.Form):
    describe_errors = True

    confirm = forms.BooleanField(
        label=_("I understand that once deposited, the dossier is locked and can no longer be changed."),
        error_messages={"required": _("Tick this box to confirm the deposit.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class ReturnForm(StyledFormMixin, forms.Form):
    describe_errors = True

    reason = forms.CharField(
        label=_("Information requested"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Say what is missing or must be changed: the lead partner receives this text by e-mail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say what information is needed."))
        return reason


class CompareForm(StyledFormMixin, forms.Form):
    """Two versions of a dossier, by number (`?from=1&to=2`); "to" may also be the current
    dossier, not deposited."""

    describe_errors = True

    def __init__(self, *args, numbers: list[int], with_current: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, _("Version %(number)s") % {"number": number}) for number in numbers]
        to_choices = list(choices)
        if with_current:
            to_choices.append((CURRENT, _("The dossier as it stands (not deposited)")))
        # "from" is a Python keyword: the fields are named in the query string's words.
        self.fields["from"] = forms.TypedChoiceField(label=_("From version"), choices=choices, coerce=int)
        self.fields["to"] = forms.ChoiceField(label=_("To version"), choices=to_choices)

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("from"), cleaned.get("to")
        if source is not None and target and target != CURRENT and int(target) == source:
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned


class ReturnAnswerForm(StyledFormMixin, forms.Form):
    describe_errors = True

    answer = forms.CharField(
        label=_("Your answer to the pole"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("The pole's team reads it with the dossier; then deposit the dossier again."),
    )

"""Forms of the deposit [P6]: the confirmation of a deposit, the staff's return for
information, and the choice of two versions to compare."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms.applications import BootstrapFormMixin

# The value of the "to" choice that compares with the dossier as it stands (not deposited).
CURRENT = "current"


class DepositForm(BootstrapFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that once deposited, the dossier is locked and can no longer be changed."),
        error_messages={"required": _("Tick this box to confirm the deposit.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Information requested"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Say what is missing or must be changed: the lead partner receives this text by e-mail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say what information is needed."))
        return reason


class CompareForm(BootstrapFormMixin, forms.Form):
    """Two versions of a dossier, by number (`?from=1&to=2`); "to" may also be the current
    dossier, not deposited."""

    def __init__(self, *args, numbers: list[int], with_current: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, _("Version %(number)s") % {"number": number}) for number in numbers]
        to_choices = list(choices)
        if with_current:
            to_choices.append((CURRENT, _("The dossier as it stands (not deposited)")))
        # "from" is a Python keyword: the fields are named in the query string's words.
        self.fields["from"] = forms.TypedChoiceField(label=_("From version"), choices=choices, coerce=int)
        self.fields["to"] = forms.ChoiceField(label=_("To version"), choices=to_choices)
        self._style_widgets()

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("from"), cleaned.get("to")
        if source is not None and target and target != CURRENT and int(target) == source:
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned


class ReturnAnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the pole"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("The pole's team reads it with the dossier; then deposit the dossier again."),
    )

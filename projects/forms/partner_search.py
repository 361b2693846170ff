"""Forms of the partner search [S4]."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pole.forms import style_widgets
from pole.models import StrategicDomain
from projects.models import PartnerSearch, PartnerSearchAnswer


class PartnerSearchForm(forms.ModelForm):
    """A "looking for partners" request, on behalf of one of the author's organisations."""

    class Meta:
        model = PartnerSearch
        fields = ["organisation", "strategic_domain", "title", "description"]
        labels = {"organisation": _("On behalf of")}
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["strategic_domain"].queryset = StrategicDomain.objects.all()
        self.fields["description"].help_text = _(
            "The skills, the kind of organisation and the project you have in mind. Do not write e-mail addresses "
            "or phone numbers: answers reach you through the portal."
        )
        style_widgets(self)


class PartnerSearchAnswerForm(forms.ModelForm):
    class Meta:
        model = PartnerSearchAnswer
        fields = ["organisation", "message"]
        labels = {"organisation": _("On behalf of"), "message": _("Your answer")}
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["message"].help_text = _(
            "The author receives your name, your organisation and this message by e-mail; your e-mail address "
            "is not shared."
        )
        style_widgets(self)

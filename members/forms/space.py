"""Forms of the member space [M6]: the organisation's public profile, its contacts, and the
invitations of colleagues [A3]."""

import struct

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from PIL import Image

from members.models import Organisation, Person
from members.services.organisations import PROFILE_FIELDS
from pole.forms import style_widgets
from pole.models import StrategicDomain
from pole.money import MoneyField
from pole.uploads import EXTENSIONS, IMAGE_TYPES, JPEG, PNG, WEBP, accept_attribute, validate_upload

# Pillow's name for each image type we accept as a logo (SVG is refused: it can carry scripts).
PILLOW_FORMATS = {"PNG": PNG, "JPEG": JPEG, "WEBP": WEBP}


def _validate_logo(upload) -> str:
    """Check that `upload` really is a PNG, JPEG or WebP image no larger than
    settings.MAX_LOGO_SIZE; return the extension to store it under.

    pole.uploads.validate_upload checks the size, the name and the file's signature; Pillow
    then parses the image, so that a file that merely starts like a PNG is refused too."""
    mime = validate_upload(upload, allowed=IMAGE_TYPES, max_size=settings.MAX_LOGO_SIZE)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, struct.error, Image.DecompressionBombError):
        # What Pillow raises on a damaged or truncated image, or a decompression bomb.
        image_format = None
    finally:
        upload.seek(0)
    if PILLOW_FORMATS.get(image_format) != mime:
        raise forms.ValidationError(
            _("This file is not a valid PNG, JPEG or WebP image: it may be damaged."), code="invalid_image"
        )
    return EXTENSIONS[mime][0]


class OrganisationProfileForm(forms.ModelForm):
    """The public fields an organisation's administrators edit. Staff-only fields (legal
    name, identifiers, the size set by staff) are not here; the size category is derived
    from headcount, turnover and balance sheet when the row is saved."""

    website = forms.URLField(
        label=capfirst(Organisation._meta.get_field("website").verbose_name),
        max_length=200,
        required=False,
        assume_scheme="https",
    )
    new_logo = forms.FileField(
        label=_("New logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": accept_attribute(IMAGE_TYPES)}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Organisation
        fields = [*PROFILE_FIELDS, "strategic_domains"]
        field_classes = {"turnover": MoneyField, "balance_sheet": MoneyField}
        widgets = {
            "strategic_domains": forms.CheckboxSelectMultiple,
            "description_fr": forms.Textarea(attrs={"rows": 6, "lang": "fr"}),
            "description_en": forms.Textarea(attrs={"rows": 6, "lang": "en"}),
            "competences": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "department": _("French organisations only; the region follows from it."),
            "headcount": _("Used with turnover and balance sheet to work out the size category."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
        self.fields["strategic_domains"].queryset = StrategicDomain.objects.all()
        self.fields["new_logo"].help_text = _("PNG, JPEG or WebP image, at most %(max)s.") % {
            "max": filesizeformat(settings.MAX_LOGO_SIZE)
        }

    def clean_new_logo(self):
        upload = self.cleaned_data.get("new_logo")
        if upload:
            # Stored under a name that tells its real type, not the one the visitor chose.
            upload.name = f"logo.{_validate_logo(upload)}"
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("country") and cleaned.get("country") != "FR" and cleaned.get("department"):
            self.add_error("department", _("A French department only applies to an address in France."))
        return cleaned

    def profile_data(self) -> dict:
        """The cleaned values the service writes (the model fields and the logo removal)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["remove_logo"] = self.cleaned_data.get("remove_logo", False)
        return data


class ContactForm(forms.ModelForm):
    """What an organisation's administrator may change about a colleague."""

    class Meta:
        model = Person
        fields = [
            "phone",
            "job_title",
            "is_legal_representative",
            "is_main_contact",
            "is_billing_contact",
            "is_technical_contact",
            "is_organisation_admin",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def contact_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    make_admin = forms.BooleanField(
        label=_("Organisation administrator"),
        required=False,
        help_text=_("An administrator may edit the organisation's profile and invite colleagues."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.people.filter(email__iexact=email, is_active=True, user__isnull=False).exists():
            raise forms.ValidationError(_("This person is already a contact of your organisation."))
        return email

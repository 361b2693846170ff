"""Forms of the membership application journey: the public "join" form and the staff's
review decisions."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import College, MembershipDocument, Organisation, OrganisationKind, Person
from members.services.applications import MAX_DOCUMENTS, ApplicationDocument
from pole.forms import StyledFormMixin
from pole.identifiers import normalise_identifier, validate_siret
from pole.models import StrategicDomain
from pole.money import money_formfield
from pole.uploads import DOCUMENT_TYPES, accept_attribute, validate_upload

DOCUMENT_INDEXES = range(1, MAX_DOCUMENTS + 1)


def _model_field(model, name, **kwargs):
    """The form field of a column, carrying the column's own validators (the bounds of
    pole.bounds), so that this plain form refuses what the database would."""
    model_field = model._meta.get_field(name)
    field = model_field.formfield(**kwargs)
    present = {(type(validator), getattr(validator, "limit_value", None)) for validator in field.validators}
    for validator in model_field._validators:
        if (type(validator), getattr(validator, "limit_value", None)) not in present:
            field.validators.append(validator)
    return field


class ApplicationForm(StyledFormMixin, forms.Form):
    """The public application form: organisation, legal representative, main contact,
    college, strategic domains, motivation, up to three documents, consent."""

    describe_errors = True

    # The organisation
    legal_name = _model_field(Organisation, "legal_name")
    acronym = _model_field(Organisation, "acronym")
    kind = _model_field(Organisation, "kind")
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        required=False,
        help_text=_("14 digits, spaces allowed. Required for companies registered in France."),
    )
    naf_code = forms.CharField(
        label=_("NAF/APE code"), max_length=8, required=False, help_text=_("For example 62.01Z.")
    )
    headcount = _model_field(Organisation, "headcount", help_text=_("Required for companies."))
    turnover = money_formfield(Organisation._meta.get_field("turnover"))
    balance_sheet = money_formfield(Organisation._meta.get_field("balance_sheet"))
    street = _model_field(Organisation, "street")
    postcode = _model_field(Organisation, "postcode")
    city = _model_field(Organisation, "city", required=True)
    department = _model_field(Organisation, "department", help_text=_("Required in France."))
    country = _model_field(Organisation, "country")
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200)

    # The legal representative
    rep_first_name = _model_field(Person, "first_name")
    rep_last_name = _model_field(Person, "last_name")
    rep_email = _model_field(Person, "email")
    rep_job_title = _model_field(Person, "job_title")

    # The main contact
    contact_first_name = _model_field(Person, "first_name")
    contact_last_name = _model_field(Person, "last_name")
    contact_email = _model_field(
        Person, "email", help_text=_("Your account on the portal is created for this address.")
    )
    contact_phone = _model_field(Person, "phone")
    contact_job_title = _model_field(Person, "job_title")

    # The membership
    college = forms.ChoiceField(
        label=_("College"),
        choices=[("", "---------"), *College.choices],
        help_text=_("The college in which your organisation will sit in the general assembly."),
    )
    strategic_domains = forms.ModelMultipleChoiceField(
        label=_("Strategic domains"),
        queryset=StrategicDomain.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    motivation = forms.CharField(
        label=_("Why do you want to join the pole?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Your activities, what you expect from the pole, the projects you have in mind."),
    )

    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that the pole processes these data to handle my application."
        ),
        error_messages={"required": _("You must accept the privacy notice to apply.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix in ("rep", "contact"):
            self.fields[f"{prefix}_email"].widget.attrs["autocomplete"] = "off" if prefix == "rep" else "email"
        self.fields["contact_phone"].required = True
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        accept = accept_attribute(DOCUMENT_TYPES)
        for index in DOCUMENT_INDEXES:
            self.fields[f"document_{index}_kind"] = forms.ChoiceField(
                label=_("Kind of document %(number)s") % {"number": index},
                choices=[("", "---------"), *MembershipDocument.Kind.choices],
                required=False,
            )
            self.fields[f"document_{index}"] = forms.FileField(
                label=_("File %(number)s") % {"number": index},
                required=False,
                widget=forms.FileInput(attrs={"accept": accept}),
            )
        self._content_types: dict[int, str] = {}

    # --- field groups, for the template ---

    def _fields(self, *names):
        return [self[name] for name in names]

    def organisation_fields(self):
        return self._fields("legal_name", "acronym", "kind", "siret", "naf_code", "headcount", "turnover")

    def balance_fields(self):
        return self._fields("balance_sheet")

    def address_fields(self):
        return self._fields("street", "postcode", "city", "department", "country", "website")

    def representative_fields(self):
        return self._fields("rep_first_name", "rep_last_name", "rep_email", "rep_job_title")

    def contact_fields(self):
        return self._fields(
            "contact_first_name", "contact_last_name", "contact_email", "contact_phone", "contact_job_title"
        )

    def document_rows(self):
        return [(index, self[f"document_{index}_kind"], self[f"document_{index}"]) for index in DOCUMENT_INDEXES]

    # --- cleaning ---

    def clean_siret(self):
        # Whether this SIREN is already a member or has applied is never said here (that
        # would tell anyone who applied): staff check it when they review the application.
        value = normalise_identifier(self.cleaned_data["siret"])
        if value:
            validate_siret(value)
        return value

    def clean_naf_code(self):
        value = self.cleaned_data["naf_code"].replace(" ", "").upper()
        if len(value) == 5 and "." not in value:
            value = f"{value[:2]}.{value[2:]}"  # 6201Z → 62.01Z
        if value:
            Organisation._meta.get_field("naf_code").run_validators(value)
        return value

    def _clean_document(self, index):
        upload = self.cleaned_data.get(f"document_{index}")
        if upload:
            self._content_types[index] = validate_upload(
                upload, allowed=DOCUMENT_TYPES, max_size=settings.MAX_UPLOAD_SIZE
            )
        return upload

    def clean_document_1(self):
        return self._clean_document(1)

    def clean_document_2(self):
        return self._clean_document(2)

    def clean_document_3(self):
        return self._clean_document(3)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        country = cleaned.get("country")
        in_france = str(country or "") == "FR"
        if kind == OrganisationKind.COMPANY and in_france and not cleaned.get("siret") and "siret" not in self.errors:
            self.add_error("siret", _("A company registered in France must give its SIRET number."))
        if kind == OrganisationKind.COMPANY and cleaned.get("headcount") is None and "headcount" not in self.errors:
            self.add_error("headcount", _("Give the headcount of the company: it sets its size category."))
        if in_france and not cleaned.get("department") and "department" not in self.errors:
            self.add_error("department", _("Choose the department of an organisation located in France."))
        if not in_france:
            cleaned["department"] = ""

        uploaded = sum(len(files) for _name, files in self.files.lists()) if hasattr(self.files, "lists") else 0
        if uploaded > MAX_DOCUMENTS:
            raise ValidationError(
                _("You can attach at most %(count)s files.") % {"count": MAX_DOCUMENTS}, code="too_many_files"
            )
        for index in DOCUMENT_INDEXES:
            has_file = bool(self.files.get(f"document_{index}")) if self.files else False
            has_kind = bool(cleaned.get(f"document_{index}_kind"))
            if has_file and not has_kind and f"document_{index}" not in self.errors:
                self.add_error(f"document_{index}_kind", _("Say what this document is."))
            if has_kind and not has_file:
                self.add_error(f"document_{index}", _("Select the file of this document, or leave its kind empty."))
        return cleaned

    def application_data(self) -> dict:
        """Keyword arguments for members.services.applications.submit_application."""
        data = self.cleaned_data
        organisation = {
            name: data[name]
            for name in (
                "legal_name",
                "acronym",
                "kind",
                "siret",
                "naf_code",
                "headcount",
                "turnover",
                "balance_sheet",
                "street",
                "postcode",
                "city",
                "department",
                "country",
                "website",
            )
        }
        organisation["siren"] = data["siret"][:9]
        return {
            "organisation": organisation,
            "legal_representative": {
                "first_name": data["rep_first_name"],
                "last_name": data["rep_last_name"],
                "email": data["rep_email"],
                "job_title": data["rep_job_title"],
            },
            "main_contact": {
                "first_name": data["contact_first_name"],
                "last_name": data["contact_last_name"],
                "email": data["contact_email"],
                "phone": data["contact_phone"],
                "job_title": data["contact_job_title"],
            },
            "college": data["college"],
            "strategic_domains": list(data["strategic_domains"]),
            "motivation": data["motivation"],
            "documents": [
                ApplicationDocument(
                    kind=data[f"document_{index}_kind"],
                    file=data[f"document_{index}"],
                    content_type=self._content_types[index],
                )
                for index in DOCUMENT_INDEXES
                if data.get(f"document_{index}")
            ],
        }


class ApprovalForm(StyledFormMixin, forms.Form):
    """The board's approval of an application (until governance meetings exist)."""

    describe_errors = True

    decision_date = forms.DateField(
        label=_("Board decision date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decision_reference = forms.CharField(
        label=_("Board decision reference"),
        max_length=100,
        help_text=_("For example the number of the board's resolution."),
    )
    start_date = forms.DateField(
        label=_("Membership start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "approve")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("decision_date", today)
            self.initial.setdefault("start_date", today)

    def clean(self):
        cleaned = super().clean()
        decision, start = cleaned.get("decision_date"), cleaned.get("start_date")
        if decision and decision > timezone.localdate():
            self.add_error("decision_date", _("The board's decision cannot be in the future."))
        if decision and start and start < decision:
            self.add_error("start_date", _("The membership cannot start before the board's decision."))
        return cleaned


class RefusalForm(StyledFormMixin, forms.Form):
    describe_errors = True

    reason = forms.CharField(
        label=_("Reason for the refusal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("It is sent to the applicant's main contact."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "refuse")
        super().__init__(*args, **kwargs)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for the refusal."), code="required")
        return reason

"""Forms of the submission steps [P1]–[P3] [P5]: the new project, its general part, the
consortium (an existing organisation or one created on the fly), each partner's part
(contact, role, tasks, budget grid, requested aid), documents and partner invitations.

Every form can be shown read-only (`read_only=True`): its fields are disabled, for the
consortium's members who may see a step but not change it."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import Membership, Organisation, OrganisationKind, Person
from pole.forms import style_widgets
from pole.identifiers import normalise_identifier
from pole.models import FundingScheme, OtherCluster, StrategicDomain
from pole.money import AmountInput, MoneyField
from pole.uploads import DOCUMENT_TYPES, FORMAT_NAMES, accept_attribute, validate_upload
from projects.models import MONEY, Call, CostCategory, DocumentKind, NonRDSubKind, PartnerContact, Project, ProjectKind
from projects.services.submission import GENERAL_FIELDS

ORGANISATION_SEARCH_LIMIT = 20


def make_read_only(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        field.disabled = True


def money_field(label, *, required=False) -> MoneyField:
    return MoneyField(
        label=label,
        required=required,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        widget=AmountInput(attrs={"class": "text-end"}),
    )


# --- New project ------------------------------------------------------------------------


class ProjectCreateForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call for projects"), queryset=Call.objects.none())
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead partner"),
        queryset=Organisation.objects.none(),
        help_text=_("Your organisation, which leads the consortium. You can change the lead partner later."),
    )
    kind = forms.ChoiceField(label=_("Kind of project"), choices=ProjectKind.choices)
    acronym = forms.CharField(label=_("Acronym"), max_length=40)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=250)

    def __init__(self, *args, calls, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["lead_organisation"].queryset = organisations
        style_widgets(self)

    def clean(self):
        cleaned = super().clean()
        call, kind = cleaned.get("call"), cleaned.get("kind")
        if call and kind and call.allowed_kinds and kind not in call.allowed_kinds:
            self.add_error("kind", _("This call does not accept this kind of project."))
        return cleaned


# --- General part -----------------------------------------------------------------------


class GeneralForm(forms.ModelForm):
    """The general part of the dossier. A sub-kind is required for a non-R&D project and
    ignored otherwise; TRLs apply to R&D projects only (from ≤ to)."""

    class Meta:
        model = Project
        fields = [*GENERAL_FIELDS, "strategic_domains", "co_labelling_poles"]
        widgets = {
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "summary_fr": forms.Textarea(attrs={"rows": 5, "lang": "fr"}),
            "summary_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "markets": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "strategic_domains": forms.CheckboxSelectMultiple,
            "co_labelling_poles": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "summary_fr": _("Public: shown on the list of labelled projects if the consortium agrees."),
            "summary_en": _("Public: shown on the list of labelled projects if the consortium agrees."),
            "description": _("Seen only by the pole, its experts and the funders."),
            "sub_kind": _("Non-R&D projects only."),
            "trl_from": _("R&D projects only: technology readiness level, 1 to 9."),
            "trl_to": _("R&D projects only: technology readiness level, 1 to 9."),
            "co_labelling_poles": _("Other competitiveness clusters that label this project too."),
        }

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance.call
        if call.allowed_kinds:
            self.fields["kind"].choices = [
                (value, label) for value, label in ProjectKind.choices if value in call.allowed_kinds
            ]
        self.fields["sub_kind"].choices = [("", "---------"), *NonRDSubKind.choices]
        self.fields["strategic_domains"].queryset = StrategicDomain.objects.all()
        self.fields["co_labelling_poles"].queryset = OtherCluster.objects.all()
        style_widgets(self)
        if read_only:
            make_read_only(self)

    @property
    def current_kind(self) -> str:
        """The kind the form shows: the one typed when bound, else the saved one."""
        if self.is_bound:
            return self.data.get(self.add_prefix("kind"), self.instance.kind)
        return self.initial.get("kind", self.instance.kind)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ProjectKind.NON_RD:
            if not cleaned.get("sub_kind"):
                self.add_error("sub_kind", _("Choose the sub-kind of this non-R&D project."))
        elif kind:
            cleaned["sub_kind"] = ""
        if kind == ProjectKind.RD:
            trl_from, trl_to = cleaned.get("trl_from"), cleaned.get("trl_to")
            if trl_from is not None and trl_to is not None and trl_from > trl_to:
                self.add_error("trl_to", _("The TRL at the end cannot be lower than the TRL at the start."))
        elif kind:
            cleaned["trl_from"] = cleaned["trl_to"] = None
        return cleaned

    def general_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- Consortium -------------------------------------------------------------------------


def searchable_organisations():
    """The organisations the consortium step may list [A3]: active members (those public
    in the directory among them) — never a pending applicant nor an organisation created
    for another consortium (their SIREN and city are not for every lead to read)."""
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(state=Membership.State.ACTIVE).values("organisation_id")
    )


def search_organisations(query: str, *, exclude_ids=()):
    """Searchable organisations whose legal name or acronym contains `query`, or whose
    SIREN/SIRET starts with its digits; at most ORGANISATION_SEARCH_LIMIT, by name."""
    query = (query or "").strip()
    if len(query) < 2:
        return Organisation.objects.none()
    condition = Q(legal_name__icontains=query) | Q(acronym__icontains=query)
    digits = normalise_identifier(query)
    if digits.isdigit() and len(digits) >= 3:
        condition |= Q(siren__startswith=digits[:9]) | Q(siret__startswith=digits)
    return (
        searchable_organisations()
        .filter(condition)
        .exclude(pk__in=list(exclude_ids))
        .order_by("legal_name")[:ORGANISATION_SEARCH_LIMIT]
    )


def organisation_label(organisation: Organisation) -> str:
    parts = [str(organisation)]
    if organisation.siren:
        parts.append(f"SIREN {organisation.siren}")
    if organisation.country and organisation.country != "FR":
        parts.append(str(organisation.country.name))
    elif organisation.city:
        parts.append(organisation.city)
    return " · ".join(parts)


class AddPartnerForm(forms.Form):
    """An existing organisation to add to the consortium. The select lists the results of
    the search `query`; any organisation that is not yet a partner is accepted."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, project: Project, query: str = "", partner_org_ids=(), **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        field = self.fields["organisation"]
        field.queryset = searchable_organisations().exclude(pk__in=list(partner_org_ids))
        results = list(search_organisations(query, exclude_ids=partner_org_ids))
        selected = self.data.get(self.add_prefix("organisation")) if self.is_bound else None
        if selected and selected.isdigit() and all(str(o.pk) != selected for o in results):
            results = [*field.queryset.filter(pk=selected), *results]
        field.widget.choices = [("", _("Choose an organisation")), *((o.pk, organisation_label(o)) for o in results)]
        self.results = results
        style_widgets(self)


class NewOrganisationForm(forms.ModelForm):
    """An organisation created on the fly for the consortium: a non-member, French or
    foreign. The SIRET is required for French companies, the department for French
    organisations."""

    # Longer than the model's 14 digits: spaces are allowed, then removed.
    siret = forms.CharField(
        label=capfirst(Organisation._meta.get_field("siret").verbose_name), max_length=20, required=False
    )

    class Meta:
        model = Organisation
        fields = ["legal_name", "kind", "country", "siret", "department"]
        help_texts = {
            "siret": _("French companies: 14 digits, spaces allowed."),
            "department": _("French organisations only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)
        self.fields["department"].choices = [("", "---------"), *self.fields["department"].choices[1:]]
        style_widgets(self)

    def clean_siret(self):
        return normalise_identifier(self.cleaned_data.get("siret", ""))

    def clean(self):
        cleaned = super().clean()
        in_france = cleaned.get("country") == "FR"
        siret = cleaned.get("siret")
        if in_france and cleaned.get("kind") == OrganisationKind.COMPANY and not siret and "siret" not in self.errors:
            self.add_error("siret", _("A company registered in France must give its SIRET number."))
        if in_france and not cleaned.get("department") and "department" not in self.errors:
            self.add_error("department", _("Give the department of a French organisation."))
        if not in_france and cleaned.get("department"):
            self.add_error("department", _("A French department only applies to an organisation in France."))
        self.existing_organisation = None
        if siret and "siret" not in self.errors:
            if searchable_organisations().filter(siren=siret[:9]).exists():
                self.add_error(
                    "siret",
                    _("An organisation on the portal already has this SIREN number: search for it and add it."),
                )
            else:
                # Known to the pole but not listed (an applicant, or a partner of another
                # consortium): it joins as it is, without its details being shown here.
                self.existing_organisation = Organisation.objects.filter(siren=siret[:9]).order_by("pk").first()
        return cleaned


class PartnerInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


# --- A partner's part -------------------------------------------------------------------


class PartnerPartForm(forms.Form):
    """The partner's contact, role and tasks. The contact is one of the organisation's
    contacts (listed only to those who may see them: its own contacts and staff) or a
    person invited for this project only (PartnerContact); the cleaned value is the
    Person, the PartnerContact or None."""

    contact = forms.ChoiceField(
        label=_("Contact"),
        required=False,
        help_text=_("A person of the organisation. To add someone else, invite him from the consortium step."),
    )
    role = forms.CharField(label=_("Role in the project"), max_length=200, required=False)
    tasks = forms.CharField(label=_("Tasks"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, partner, read_only: bool = False, show_organisation_contacts: bool = True, **kwargs):
        current = ""
        if partner.contact_id:
            current = str(partner.contact_id)
        elif partner.project_contact_id:
            current = f"c{partner.project_contact_id}"
        initial = {"contact": current, "role": partner.role, "tasks": partner.tasks}
        super().__init__(*args, initial=initial, prefix="part", **kwargs)
        people = Person.objects.filter(organisation_id=partner.organisation_id)
        if show_organisation_contacts:
            people = people.filter(Q(is_active=True) | Q(pk=partner.contact_id or 0))
        else:
            people = people.filter(pk=partner.contact_id or 0)
        # A contact of the organisation by its id, a contact for this project only by "c<id>".
        self.contact_choices = {str(person.pk): person for person in people}
        for project_contact in PartnerContact.objects.filter(partner=partner):
            self.contact_choices[f"c{project_contact.pk}"] = project_contact
        self.fields["contact"].choices = [
            ("", _("No contact yet")),
            *(
                (key, str(value) if isinstance(value, Person) else _("%(name)s (for this project)") % {"name": value})
                for key, value in self.contact_choices.items()
            ),
        ]
        style_widgets(self)
        if read_only:
            make_read_only(self)

    def clean_contact(self):
        return self.contact_choices.get(self.cleaned_data.get("contact") or "")


class BudgetGridForm(forms.Form):
    """One amount per cost category (blank: no cost in that category)."""

    def __init__(self, *args, lines=(), read_only: bool = False, **kwargs):
        super().__init__(*args, prefix="budget", **kwargs)
        amounts = {line.category: line.amount for line in lines}
        for category, label in CostCategory.choices:
            field = money_field(label)
            field.initial = amounts.get(category)
            self.fields[category] = field
        style_widgets(self)
        if read_only:
            make_read_only(self)

    def amounts(self) -> dict:
        return {category: self.cleaned_data.get(category) for category in CostCategory.values}


class RequestedAidForm(forms.Form):
    funding_scheme = forms.TypedChoiceField(label=_("Funding scheme"), coerce=int, required=False, empty_value=None)
    amount = money_field(_("Requested aid (€)"))

    def __init__(self, *args, scheme_choices=(), read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_scheme"].choices = [("", "---------"), *scheme_choices]
        style_widgets(self)
        if read_only:
            make_read_only(self)

    def clean(self):
        cleaned = super().clean()
        scheme, amount = cleaned.get("funding_scheme"), cleaned.get("amount")
        if scheme and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount requested from this scheme."))
        if amount is not None and not scheme and "funding_scheme" not in self.errors:
            self.add_error("funding_scheme", _("Choose the funding scheme of this amount."))
        return cleaned


class BaseRequestedAidFormSet(forms.BaseFormSet):
    """The saved rows, then blank ones. `suggested_scheme` pre-selects the scheme of the
    first blank row: left as it is, that row counts as untouched and is ignored."""

    def __init__(self, *args, schemes=(), suggested_scheme=None, read_only: bool = False, **kwargs):
        self.schemes = {scheme.pk: scheme for scheme in schemes}
        self.scheme_choices = [(scheme.pk, str(scheme)) for scheme in schemes]
        self.suggested_scheme = suggested_scheme
        self.read_only = read_only
        super().__init__(*args, prefix="aid", **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {"scheme_choices": self.scheme_choices, "read_only": self.read_only}
        if self.suggested_scheme and index is not None and index == self.initial_form_count():
            kwargs["initial"] = {"funding_scheme": self.suggested_scheme}
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.read_only and "DELETE" in form.fields:
            form.fields["DELETE"].disabled = True

    def clean(self):
        if any(self.errors):
            return
        seen, duplicated = set(), False
        for form in self.forms:
            scheme = form.cleaned_data.get("funding_scheme")
            if not scheme or form.cleaned_data.get("DELETE"):
                continue
            if scheme in seen:
                form.add_error("funding_scheme", _("Each funding scheme may appear only once."))
                duplicated = True
            seen.add(scheme)
        if duplicated:
            raise forms.ValidationError(_("Each funding scheme may appear only once."))

    def aids(self) -> list:
        """(FundingScheme, Decimal) pairs of the filled rows."""
        return [
            (self.schemes[form.cleaned_data["funding_scheme"]], form.cleaned_data["amount"])
            for form in self.forms
            if form.cleaned_data.get("funding_scheme") and not form.cleaned_data.get("DELETE")
        ]


RequestedAidFormSet = forms.formset_factory(RequestedAidForm, formset=BaseRequestedAidFormSet, extra=2, can_delete=True)


def requested_aid_formset(data=None, *, partner_aids=(), call=None, read_only=False):
    """The rows of requested aid: the saved ones, then two blank rows (the first one set to
    the call's funding scheme when the partner requests nothing yet)."""
    schemes = list(FundingScheme.objects.all())
    initial = [{"funding_scheme": aid.funding_scheme_id, "amount": aid.amount} for aid in partner_aids]
    suggested = call.funding_scheme_id if call is not None and not initial else None
    return RequestedAidFormSet(data, initial=initial, schemes=schemes, suggested_scheme=suggested, read_only=read_only)


# --- Documents --------------------------------------------------------------------------

WHOLE_PROJECT = ""


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=DocumentKind.choices)
    partner = forms.TypedChoiceField(
        label=_("Concerns"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The whole project or one partner."),
    )
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(DOCUMENT_TYPES)})
    )

    def __init__(self, *args, partners, allow_project: bool, **kwargs):
        super().__init__(*args, prefix="doc", **kwargs)
        choices = [(WHOLE_PROJECT, _("The whole project"))] if allow_project else []
        choices += [(partner.pk, partner.organisation.display_name) for partner in partners]
        self.fields["partner"].choices = choices
        if not allow_project:
            self.fields["partner"].required = True
        self.fields["file"].help_text = _("%(formats)s; %(max)s at most.") % {
            "formats": ", ".join(sorted(FORMAT_NAMES[mime] for mime in DOCUMENT_TYPES)),
            "max": filesizeformat(settings.MAX_UPLOAD_SIZE),
        }
        self.partners = {partner.pk: partner for partner in partners}
        style_widgets(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = validate_upload(upload, allowed=DOCUMENT_TYPES, max_size=settings.MAX_UPLOAD_SIZE)
        return upload

    @property
    def chosen_partner(self):
        return self.partners.get(self.cleaned_data.get("partner"))

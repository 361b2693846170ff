"""FilterSets of the public directory [M5] and of the staff members list [S3]."""

import django_filters
from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from localflavor.fr.fr_department import DEPARTMENT_CHOICES
from localflavor.fr.fr_region import REGION_2016_CHOICES

from members.models import College, Membership, OrganisationKind, SizeCategory
from members.search import search_organisations
from pole.forms import StyledFilterSetMixin
from pole.models import StrategicDomain

NO_MEMBERSHIP = "none"


def with_current_membership(queryset):
    """Annotate each organisation with the state and college of its latest membership
    (`current_membership_state`, `current_college`; None when it never applied), in the
    same query as the organisations."""
    latest = Membership.objects.filter(organisation=OuterRef("pk")).order_by("-applied_at", "-pk")
    return queryset.annotate(
        current_membership_state=Subquery(latest.values("state")[:1]),
        current_college=Subquery(latest.values("college")[:1]),
    )


class OrganisationFilterBase(StyledFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"), empty_label=_("All kinds"))
    size_category = django_filters.ChoiceFilter(
        choices=SizeCategory.choices, label=_("Size"), empty_label=_("All sizes")
    )
    domain = django_filters.ModelChoiceFilter(
        field_name="strategic_domains",
        to_field_name="code",
        queryset=StrategicDomain.objects.all(),
        label=_("Strategic domain"),
        empty_label=_("All domains"),
    )
    region = django_filters.ChoiceFilter(choices=REGION_2016_CHOICES, label=_("Region"), empty_label=_("All regions"))
    department = django_filters.ChoiceFilter(
        choices=DEPARTMENT_CHOICES, label=_("Department"), empty_label=_("All departments")
    )

    def filter_search(self, queryset, name, value):
        return search_organisations(queryset, value)


class DirectoryFilter(OrganisationFilterBase):
    """The public directory's filters: only public fields may be filtered on."""


class StaffMemberFilter(OrganisationFilterBase):
    """The staff members list: the directory's filters plus the membership and the opt-in.
    The queryset must come through `with_current_membership`."""

    membership_state = django_filters.ChoiceFilter(
        method="filter_membership_state",
        choices=[*Membership.State.choices, (NO_MEMBERSHIP, _("No membership"))],
        label=_("Membership"),
        empty_label=_("Any membership state"),
    )
    college = django_filters.ChoiceFilter(
        field_name="current_college", choices=College.choices, label=_("College"), empty_label=_("All colleges")
    )
    directory_opt_in = django_filters.BooleanFilter(
        label=_("In the public directory"),
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )

    def filter_membership_state(self, queryset, name, value):
        if value == NO_MEMBERSHIP:
            return queryset.filter(current_membership_state__isnull=True)
        return queryset.filter(current_membership_state=value)

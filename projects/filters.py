"""FilterSets of the project lists [P8] and of the partner searches [S4].

The public list filters on public fields only: no state, no funding application (what a
funder was asked for is not public); its funding-scheme filter is the call's scheme.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from localflavor.fr.fr_region import REGION_2016_CHOICES

from pole.forms import StyledFilterSetMixin
from pole.models import FundingScheme, StrategicDomain
from projects.models import (
    BudgetLine,
    Call,
    FundingApplication,
    Partner,
    ProjectKind,
    ProjectState,
    RequestedAid,
)
from projects.permissions import calls_visible_to
from projects.search import search_projects


def call_years():
    """The years that have a call (by deadline, in the current time zone), newest first.
    Labels are strings: an integer label would be shown grouped as a number ("2 027")."""
    years = (str(moment.year) for moment in Call.objects.datetimes("deadline", "year", order="DESC"))
    return [(year, year) for year in years]


def _calls_for(request):
    """The calls a user may know of: drafts only for staff."""
    if request is None:
        return Call.objects.published()
    return calls_visible_to(request.user)


class ProjectFilterBase(StyledFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices, label=_("Kind"), empty_label=_("All kinds"))
    domain = django_filters.ModelChoiceFilter(
        field_name="strategic_domains",
        to_field_name="code",
        queryset=StrategicDomain.objects.all(),
        label=_("Strategic domain"),
        empty_label=_("All domains"),
    )
    call = django_filters.ModelChoiceFilter(
        to_field_name="code", queryset=_calls_for, label=_("Call"), empty_label=_("All calls")
    )
    year = django_filters.ChoiceFilter(
        field_name="call__deadline__year", choices=call_years, label=_("Year"), empty_label=_("All years")
    )
    funding_scheme = django_filters.ModelChoiceFilter(
        method="filter_funding_scheme",
        to_field_name="code",
        queryset=FundingScheme.objects.all(),
        label=_("Funding scheme"),
        empty_label=_("All funding schemes"),
    )
    region = django_filters.ChoiceFilter(
        field_name="lead_organisation__region",
        choices=REGION_2016_CHOICES,
        label=_("Region of the lead partner"),
        empty_label=_("All regions"),
    )

    def filter_search(self, queryset, name, value):
        return search_projects(queryset, value)

    def filter_funding_scheme(self, queryset, name, value):
        """The call's scheme, or a funding application to that scheme [P7]."""
        applied = FundingApplication.objects.filter(funding_scheme=value).values("project_id")
        return queryset.filter(Q(call__funding_scheme=value) | Q(pk__in=applied))


class MyProjectFilter(ProjectFilterBase):
    """The member's own projects: every filter, the state included."""

    state = django_filters.ChoiceFilter(choices=ProjectState.choices, label=_("State"), empty_label=_("All states"))


class StaffProjectFilter(MyProjectFilter):
    """All projects, for staff."""


class LabelledProjectFilter(ProjectFilterBase):
    """The public list: public fields only; published calls only."""

    call = django_filters.ModelChoiceFilter(
        to_field_name="code", queryset=Call.objects.published(), label=_("Call"), empty_label=_("All calls")
    )

    def filter_funding_scheme(self, queryset, name, value):
        return queryset.filter(call__funding_scheme=value)


class PartnerSearchFilter(StyledFilterSetMixin, django_filters.FilterSet):
    domain = django_filters.ModelChoiceFilter(
        field_name="strategic_domain",
        to_field_name="code",
        queryset=StrategicDomain.objects.all(),
        label=_("Strategic domain"),
        empty_label=_("All domains"),
    )


def with_budget_totals(queryset):
    """Annotate each project with `total_budget`, `requested_aid` (Decimal, 0.00 when
    none) and `partner_count`, computed by the database in the same query as the projects
    (subqueries: no row multiplication, no query per project)."""
    money = DecimalField(max_digits=16, decimal_places=2)
    budget = (
        BudgetLine.objects.filter(partner__project=OuterRef("pk"))
        .order_by()
        .values("partner__project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    aid = (
        RequestedAid.objects.filter(partner__project=OuterRef("pk"))
        .order_by()
        .values("partner__project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    partners = (
        Partner.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk")).values("n")
    )
    return queryset.annotate(
        total_budget=Coalesce(Subquery(budget, output_field=money), Value(Decimal("0.00")), output_field=money),
        requested_aid=Coalesce(Subquery(aid, output_field=money), Value(Decimal("0.00")), output_field=money),
        partner_count=Coalesce(Subquery(partners, output_field=IntegerField()), Value(0)),
    )

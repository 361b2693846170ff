"""The public member directory [M5]: organisations that opted in and hold an active
membership, with public fields only."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.generic import DetailView
from django_filters.views import FilterView

from members.filters import DirectoryFilter
from members.models import Organisation
from pole.access import PUBLIC, AccessPolicyMixin
from pole.pagination import PAGE_SIZE, ElidedPageRangeMixin

# The only columns the directory reads: private ones (identifiers, headcount, finances,
# street address, the staff's notes) are never even loaded.
PUBLIC_FIELDS = (
    "id",
    "legal_name",
    "acronym",
    "slug",
    "kind",
    "size_category",
    "city",
    "department",
    "region",
    "country",
    "website",
    "logo",
    "description_fr",
    "description_en",
    "competences",
)


def directory_queryset():
    return (
        Organisation.objects.in_directory()
        .only(*PUBLIC_FIELDS)
        .prefetch_related("strategic_domains")
        .order_by("legal_name", "pk")
    )


class DirectoryListView(AccessPolicyMixin, ElidedPageRangeMixin, FilterView):
    access_policy = PUBLIC
    filterset_class = DirectoryFilter
    template_name = "members/directory/list.html"
    context_object_name = "organisations"
    paginate_by = PAGE_SIZE
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return directory_queryset()


class DirectoryDetailView(AccessPolicyMixin, DetailView):
    access_policy = PUBLIC
    template_name = "members/directory/detail.html"
    context_object_name = "organisation"
    http_method_names = ["get", "head"]

    def get_object(self, queryset=None):
        return get_object_or_404(directory_queryset(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["competences"] = [line.strip() for line in self.object.competences.splitlines() if line.strip()]
        return context


urlpatterns = [
    path("directory/", DirectoryListView.as_view(), name="directory"),
    path("directory/<slug:slug>/", DirectoryDetailView.as_view(), name="directory-detail"),
]

"""Partner search [S4]: "looking for partners" requests by strategic domain, answered
through the portal. For logged-in users only (anonymous visitors are sent to the login
page); contacts of member organisations post, contacts of any other organisation answer.

No page shows an e-mail address: people appear by their name and organisation only; an
answer reaches the author by an e-mail from the portal, and the author reads the answers
on the request's page (an answerer sees his own; staff see them all).
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView

from pole.access import AUTHENTICATED, AccessPolicyMixin, access
from pole.pagination import PAGE_SIZE, ElidedPageRangeMixin
from projects.filters import PartnerSearchFilter
from projects.forms.partner_search import PartnerSearchAnswerForm, PartnerSearchForm
from projects.models import PartnerSearch
from projects.permissions import (
    organisations_for_answering,
    organisations_for_posting,
    partner_search_answers_visible_to,
    partner_searches_visible_to,
)
from projects.services.partner_search import (
    NotAllowed,
    PartnerSearchClosed,
    answer_partner_search,
    close_partner_search,
    post_partner_search,
)


class PartnerSearchListView(AccessPolicyMixin, ElidedPageRangeMixin, FilterView):
    """The open requests, newest first, by domain; the user's own requests (open or
    closed) in a list of their own above."""

    access_policy = AUTHENTICATED
    filterset_class = PartnerSearchFilter
    template_name = "projects/partner_search/list.html"
    context_object_name = "searches"
    paginate_by = PAGE_SIZE
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return (
            PartnerSearch.objects.filter(is_open=True)
            .select_related("organisation", "strategic_domain", "author")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["my_searches"] = list(
            PartnerSearch.objects.filter(author=user)
            .select_related("organisation", "strategic_domain")
            .annotate(answer_count=Count("answers"))
            .order_by("-created_at", "-pk")
        )
        context["can_post"] = organisations_for_posting(user).exists()
        return context


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def partner_search_create(request):
    organisations = organisations_for_posting(request.user)
    if not organisations.exists():
        messages.error(request, gettext("Only the contacts of member organisations may post a partner search."))
        return redirect("projects:partner-searches")
    form = PartnerSearchForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            search = post_partner_search(
                author=request.user,
                organisation=form.cleaned_data["organisation"],
                strategic_domain=form.cleaned_data["strategic_domain"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except NotAllowed:
            messages.error(request, gettext("Only the contacts of member organisations may post a partner search."))
            return redirect("projects:partner-searches")
        messages.success(request, gettext("Your partner search is published."))
        return redirect("projects:partner-search-detail", pk=search.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/partner_search/form.html", {"form": form}, status=status)


def _render_detail(request, search, answer_form=None, status=200):
    user = request.user
    is_author = search.author_id == user.pk
    answers = (
        partner_search_answers_visible_to(user, search)
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )
    answer_organisations = organisations_for_answering(user, search)
    can_answer = search.is_open and not is_author and answer_organisations.exists()
    if can_answer and answer_form is None:
        answer_form = PartnerSearchAnswerForm(organisations=answer_organisations)
    context = {
        "search": search,
        "is_author": is_author,
        "answers": list(answers),
        "can_answer": can_answer,
        "answer_form": answer_form if can_answer else None,
    }
    return render(request, "projects/partner_search/detail.html", context, status=status)


def _get_search(request, pk):
    return get_object_or_404(
        partner_searches_visible_to(request.user).select_related("author", "organisation", "strategic_domain"), pk=pk
    )


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def partner_search_detail(request, pk):
    """The request and, for its author, the answers; for others, the answer form (POST)."""
    search = _get_search(request, pk)
    if request.method != "POST":
        return _render_detail(request, search)
    form = PartnerSearchAnswerForm(request.POST, organisations=organisations_for_answering(request.user, search))
    if not form.is_valid():
        return _render_detail(request, search, answer_form=form, status=400)
    try:
        answer_partner_search(
            search=search,
            author=request.user,
            organisation=form.cleaned_data["organisation"],
            message=form.cleaned_data["message"],
        )
    except PartnerSearchClosed:
        messages.error(request, gettext("This partner search is closed: it takes no more answers."))
    except NotAllowed:
        messages.error(request, gettext("You cannot answer this partner search."))
    else:
        messages.success(request, gettext("Your answer has been sent to the author of the request."))
    return redirect("projects:partner-search-detail", pk=search.pk)


@access(AUTHENTICATED)
@require_POST
def partner_search_close(request, pk):
    search = _get_search(request, pk)
    try:
        close_partner_search(search=search, actor=request.user)
    except NotAllowed:
        messages.error(request, gettext("Only the author of a partner search may close it."))
    else:
        messages.success(request, gettext("Your partner search is closed."))
    return redirect("projects:partner-search-detail", pk=search.pk)


urlpatterns = [
    path("partner-searches/", PartnerSearchListView.as_view(), name="partner-searches"),
    path("partner-searches/new/", partner_search_create, name="partner-search-create"),
    path("partner-searches/<int:pk>/", partner_search_detail, name="partner-search-detail"),
    path("partner-searches/<int:pk>/close/", partner_search_close, name="partner-search-close"),
]

"""Calls for projects [L1] [P4]: the public list (open and upcoming calls, past ones paged
apart) and page of each call, and the staff pages that create and edit calls."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from members.models import Membership
from members.permissions import organisations_of
from pole.access import PUBLIC, access, roles
from pole.pagination import elided_page_range
from pole.roles import STAFF, is_staff_member
from projects.eligibility import call_rules
from projects.forms.calls import CallForm
from projects.models import Call, DocumentKind, ProjectKind
from projects.permissions import calls_visible_to
from projects.services.calls import save_call

PAST_PAGE_SIZE = 10
STAFF_PAGE_SIZE = 25

KIND_LABELS = dict(ProjectKind.choices)
DOCUMENT_LABELS = dict(DocumentKind.choices)
STATUS_LABELS = {
    "unpublished": pgettext_lazy("call status", "Not published"),
    "upcoming": pgettext_lazy("call status", "Upcoming"),
    "open": pgettext_lazy("call status", "Open"),
    "closed": pgettext_lazy("call status", "Closed"),
}


def call_status(call: Call, moment) -> str:
    if not call.is_published:
        return "unpublished"
    if moment < call.opens_at:
        return "upcoming"
    if moment < call.deadline:
        return "open"
    return "closed"


def _decorate(calls, moment) -> list[Call]:
    """Labels the templates show, computed in Python (no query)."""
    calls = list(calls)
    for call in calls:
        call.status = call_status(call, moment)
        call.status_label = STATUS_LABELS[call.status]
        call.kind_labels = [str(KIND_LABELS.get(kind, kind)) for kind in call.allowed_kinds]
    return calls


# --- Public ----------------------------------------------------------------------------------


@access(PUBLIC)
@require_safe
def calls(request):
    """Open calls (closing soonest first), upcoming calls, and past calls in a collapsed,
    paged section."""
    now = timezone.now()
    published = Call.objects.published().select_related("funding_scheme")
    open_calls = _decorate(published.filter(opens_at__lte=now, deadline__gt=now).order_by("deadline", "pk"), now)
    upcoming = _decorate(published.filter(opens_at__gt=now).order_by("opens_at", "pk"), now)
    past_page = Paginator(published.filter(deadline__lte=now).order_by("-deadline", "pk"), PAST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "open_calls": open_calls,
        "upcoming_calls": upcoming,
        "past_calls": _decorate(past_page.object_list, now),
        "page_obj": past_page,
        "page_range": elided_page_range(past_page),
        # The past calls stay unfolded while the visitor pages through them.
        "past_open": "page" in request.GET,
    }
    return render(request, "projects/calls/list.html", context)


def start_offer(user) -> str:
    """What a call's page offers the viewer for starting a project: "login" to an
    anonymous visitor, "start" to a contact of an active member (who alone may start one),
    nothing to anyone else, who would only be refused (staff have the call's edit link)."""
    if not user.is_authenticated:
        return "login"
    if organisations_of(user).filter(memberships__state=Membership.State.ACTIVE).exists():
        return "start"
    return ""


@access(PUBLIC)
@require_safe
def call_detail(request, code):
    """A call's page: description, funding scheme, kinds, calendar, eligibility rules and,
    while it is open, the way to start a project. Unpublished calls: staff only (404 for
    everyone else)."""
    call = get_object_or_404(calls_visible_to(request.user).select_related("funding_scheme"), code=code)
    now = timezone.now()
    _decorate([call], now)
    context = {
        "call": call,
        "is_open": call.status == "open",
        "rules": call_rules(call),
        "document_labels": [str(DOCUMENT_LABELS.get(kind, kind)) for kind in call.required_document_kinds],
        "is_staff": is_staff_member(request.user),
        "start_offer": start_offer(request.user),
    }
    return render(request, "projects/calls/detail.html", context)


# --- Staff -----------------------------------------------------------------------------------


@access(roles(STAFF))
@require_safe
def staff_calls(request):
    """Every call, published or not, with its status and number of projects."""
    now = timezone.now()
    queryset = (
        Call.objects.select_related("funding_scheme")
        .annotate(project_count=Count("projects"))
        .order_by("-deadline", "pk")
    )
    page = Paginator(queryset, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "calls": _decorate(page.object_list, now),
        "page_obj": page,
        "page_range": elided_page_range(page),
    }
    return render(request, "projects/calls/staff_list.html", context)


def _edit(request, call: Call, *, creating: bool):
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        call = save_call(call=call, data=form.cleaned_data, actor=request.user)
        if creating:
            messages.success(request, gettext("The call “%(title)s” is created.") % {"title": call.title})
        else:
            messages.success(request, gettext("The call “%(title)s” is saved.") % {"title": call.title})
        return redirect("projects:staff-calls")
    return render(request, "projects/calls/staff_form.html", {"form": form, "call": call, "creating": creating})


@access(roles(STAFF))
@require_http_methods(["GET", "HEAD", "POST"])
def staff_call_create(request):
    return _edit(request, Call(), creating=True)


@access(roles(STAFF))
@require_http_methods(["GET", "HEAD", "POST"])
def staff_call_edit(request, code):
    return _edit(request, get_object_or_404(Call.objects.select_related("funding_scheme"), code=code), creating=False)


urlpatterns = [
    path("calls/", calls, name="calls"),
    path("calls/<slug:code>/", call_detail, name="call-detail"),
    path("staff/calls/", staff_calls, name="staff-calls"),
    path("staff/calls/new/", staff_call_create, name="staff-call-create"),
    path("staff/calls/<slug:code>/edit/", staff_call_edit, name="staff-call-edit"),
]

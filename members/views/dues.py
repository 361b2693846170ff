"""Dues [M4]: the staff pages (the year's dues with totals, the call for dues, the scale,
the transitions of a record) and the download of a dues notice by a member or staff."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from members.exceptions import IllegalTransition
from members.forms.dues import (
    MAX_YEAR,
    MIN_YEAR,
    TRANSITION_FORMS,
    DuesCallForm,
    DuesFilterForm,
    DuesScaleForm,
    MarkPaidForm,
)
from members.models import Dues, DuesRate
from members.permissions import dues_visible_to
from members.services.dues import (
    DUES_TRANSITIONS,
    DuesScaleIncomplete,
    call_dues,
    invoice_all_dues,
    notice_filename,
    notice_is_expected,
    notice_request,
    plan_dues_call,
    save_dues_scale,
    scale_cells,
    scale_of,
    transition_dues,
)
from pole.access import AUTHENTICATED, access, roles
from pole.reports import serve_or_wait
from pole.roles import STAFF

Status = Dues.Status
PAGE_SIZE = 50
# The order of the actions offered on a row.
ACTION_ORDER = [Status.INVOICED, Status.PAID, Status.WAIVED, Status.OVERDUE]


def _list_url(year: int) -> str:
    return f"{reverse('members:staff-dues')}?year={year}"


def _safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _year_or_404(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


# --- The year's dues -------------------------------------------------------------------------


@access(roles(STAFF))
@require_safe
def staff_dues(request):
    """The year's dues: totals by status, filters, the records with their actions."""
    filters = DuesFilterForm(request.GET or None)
    year, status = filters.selected_year(), filters.selected_status()
    of_year = Dues.objects.filter(year=year)

    sums = {
        row["status"]: row
        for row in of_year.order_by().values("status").annotate(count=Count("pk"), amount=Sum("amount"))
    }
    totals = [
        {
            "status": value,
            "label": label,
            "count": sums.get(value, {}).get("count", 0),
            "amount": sums.get(value, {}).get("amount") or 0,
        }
        for value, label in Status.choices
    ]
    overall = {"count": sum(t["count"] for t in totals), "amount": sum(t["amount"] for t in totals)}

    records = of_year.filter(status=status) if status else of_year
    records = records.select_related("membership__organisation").order_by("membership__organisation__legal_name", "pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"dues": dues, "actions": [target for target in ACTION_ORDER if target in DUES_TRANSITIONS[dues.status]]}
        for dues in page.object_list
    ]
    this_year = timezone.localdate().year
    years = sorted({*Dues.objects.order_by().values_list("year", flat=True).distinct(), this_year, this_year + 1, year})
    context = {
        "filters": filters,
        # Years are shown as plain strings: a localized int would read "2 026".
        "year": str(year),
        "status": status,
        "years": [str(y) for y in reversed(years)],
        "statuses": Status.choices,
        "totals": totals,
        "overall": overall,
        "to_invoice_count": sums.get(Status.TO_INVOICE, {}).get("count", 0),
        "page": page,
        "rows": rows,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "today": timezone.localdate(),
    }
    return render(request, "members/dues/list.html", context)


@access(roles(STAFF))
@require_http_methods(["GET", "HEAD", "POST"])
def staff_dues_call(request):
    """The call for dues: a confirmation page that says how many records it will create,
    then (POST with `confirm`) the call itself."""
    data = request.POST if request.method == "POST" else request.GET
    form = DuesCallForm(data or None, initial={"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    if request.method == "POST" and request.POST.get("confirm") and form.is_valid():
        try:
            created = call_dues(year=year, actor=request.user)
        except DuesScaleIncomplete as error:
            messages.error(request, str(error))
            return redirect("members:staff-dues-scale", year=year)
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)d dues record created for %(year)d.",
                    "%(count)d dues records created for %(year)d.",
                    created,
                )
                % {"count": created, "year": year},
            )
        else:
            messages.info(request, gettext("Every member already has its dues for %(year)d.") % {"year": year})
        return redirect(_list_url(year))
    plan = plan_dues_call(year=year)
    return render(request, "members/dues/call_confirm.html", {"form": form, "year": str(year), "plan": plan})


@access(roles(STAFF))
@require_POST
def staff_dues_invoice_all(request):
    """Invoice every to-invoice record of the year: a confirmation page, then (with
    `confirm`) the invoices, their e-mails and their notices."""
    form = DuesCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a valid year."))
        return redirect("members:staff-dues")
    year = form.cleaned_data["year"]
    if not request.POST.get("confirm"):
        count = Dues.objects.filter(year=year, status=Status.TO_INVOICE).count()
        return render(request, "members/dues/invoice_all_confirm.html", {"year": str(year), "count": count})
    invoiced = invoice_all_dues(year=year, actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d dues record invoiced.", "%(count)d dues records invoiced.", invoiced) % {"count": invoiced},
    )
    return redirect(_list_url(year))


@access(roles(STAFF))
@require_http_methods(["GET", "HEAD", "POST"])
def staff_dues_transition(request, pk: int, target: str):
    """One move of one record (invoice, mark paid, waive, mark overdue). The list posts
    here; a failed validation re-renders this page with what was typed."""
    if target not in TRANSITION_FORMS:
        raise Http404
    dues = get_object_or_404(Dues.objects.select_related("membership__organisation"), pk=pk)
    next_url = _safe_next(request, _list_url(dues.year))
    form_class = TRANSITION_FORMS[target]
    if target not in DUES_TRANSITIONS[dues.status]:
        messages.error(request, _illegal_message(dues.get_status_display(), target))
        return redirect(next_url)
    if request.method == "POST":
        form = form_class(request.POST) if form_class else None
        if form is None or form.is_valid():
            details = form.cleaned_data if form is not None else {}
            try:
                transition_dues(dues=dues, target=target, actor=request.user, **details)
            except IllegalTransition:
                dues.refresh_from_db()
                messages.error(request, _illegal_message(dues.get_status_display(), target))
                return redirect(next_url)
            except ValueError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    gettext("%(organisation)s: dues %(year)d are now “%(status)s”.")
                    % {
                        "organisation": dues.membership.organisation,
                        "year": dues.year,
                        "status": dues.get_status_display(),
                    },
                )
                return redirect(next_url)
    else:
        initial = {"paid_on": timezone.localdate()} if form_class is MarkPaidForm else {}
        form = form_class(initial=initial) if form_class else None
    context = {"dues": dues, "target": target, "target_label": Status(target).label, "form": form, "next": next_url}
    return render(request, "members/dues/transition.html", context)


def _illegal_message(current_label: str, target: str) -> str:
    return gettext("These dues are “%(current)s”: they cannot become “%(target)s”.") % {
        "current": current_label,
        "target": Status(target).label,
    }


# --- The scale ---------------------------------------------------------------------------------


@access(roles(STAFF))
@require_http_methods(["GET", "HEAD", "POST"])
def staff_dues_scale(request, year: int):
    """The year's scale, kind × size band. "Copy last year's scale" fills the grid with last
    year's amounts, to check and save."""
    _year_or_404(year)
    if request.method == "POST" and request.POST.get("action") == "copy":
        previous = scale_of(year - 1)
        if previous:
            form = DuesScaleForm(amounts=previous)
            messages.info(
                request,
                gettext("The amounts of %(year)d are filled in below: check them, then save.") % {"year": year - 1},
            )
        else:
            form = DuesScaleForm(amounts=scale_of(year))
            messages.error(request, gettext("There is no scale for %(year)d to copy.") % {"year": year - 1})
    elif request.method == "POST":
        form = DuesScaleForm(request.POST)
        if form.is_valid():
            changed = save_dues_scale(year=year, amounts=form.amounts(), actor=request.user)
            messages.success(
                request,
                ngettext(
                    "The %(year)d scale is saved (%(count)d amount changed).",
                    "The %(year)d scale is saved (%(count)d amounts changed).",
                    changed,
                )
                % {"year": year, "count": changed},
            )
            return redirect("members:staff-dues-scale", year=year)
        messages.error(request, gettext("The scale was not saved: please correct the amounts marked below."))
    else:
        form = DuesScaleForm(amounts=scale_of(year))
    filled = DuesRate.objects.filter(year=year).count()
    context = {
        "form": form,
        "year": str(year),
        "previous_year": str(year - 1),
        "next_year": str(year + 1),
        "complete": filled >= len(scale_cells()),
    }
    return render(request, "members/dues/scale.html", context)


# --- The notice ---------------------------------------------------------------------------------


@access(AUTHENTICATED)
@require_safe
def dues_notice(request, pk: int):
    """The PDF notice of a dues record, as an attachment, to staff and to the contacts of
    its organisation (404 for anyone else). While it is being generated, a page that polls
    (htmx) until it is ready (pole.reports.serve_or_wait)."""
    dues = get_object_or_404(dues_visible_to(request.user).select_related("membership__organisation"), pk=pk)
    expected = notice_is_expected(dues)
    return serve_or_wait(
        request,
        file=dues.notice,
        filename=notice_filename(dues),
        wanted=notice_request(dues) if expected else None,
        page="members/dues/notice_pending.html",
        partial="members/dues/_notice_status.html",
        context={"dues": dues, "expected": expected},
    )


urlpatterns = [
    path("staff/dues/", staff_dues, name="staff-dues"),
    path("staff/dues/call/", staff_dues_call, name="staff-dues-call"),
    path("staff/dues/invoice-all/", staff_dues_invoice_all, name="staff-dues-invoice-all"),
    path("staff/dues/<int:pk>/<slug:target>/", staff_dues_transition, name="staff-dues-transition"),
    path("staff/dues/scale/<int:year>/", staff_dues_scale, name="staff-dues-scale"),
    path("dues/<int:pk>/notice/", dues_notice, name="dues-notice"),
]

"""The public site pages, the personal dashboard, the health endpoint and error pages."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from pole.access import AUTHENTICATED, PUBLIC, access
from pole.health import run_checks
from pole.models import FundingScheme, OtherCluster, StrategicDomain
from pole.navigation import has_organisation
from pole.roles import BOARD, COMMITTEE, EXPERT, FUNDER, GROUP_ROLES, STAFF, group_names


@access(PUBLIC)
@require_safe
def home(request):
    context = {
        "domains": StrategicDomain.objects.all(),
        "funding_scheme_count": FundingScheme.objects.count(),
        "other_cluster_count": OtherCluster.objects.count(),
    }
    return render(request, "pole/home.html", context)


# What each role may do on the portal today, what is coming for it, and the pages it can
# use (URL names; a page that does not exist yet is left out).
ROLE_HOMES = {
    STAFF: {
        "can": _("You run the portal for the pole: members, applications, dues, calls for projects and projects."),
        "coming": _("The labelling of projects and the governance of the pole will be run from here too."),
        "links": [
            (_("Members"), "members:staff-members"),
            (_("Applications"), "members:staff-applications"),
            (_("Dues"), "members:staff-dues"),
            (_("Projects"), "projects:staff-projects"),
            (_("Calls"), "projects:staff-calls"),
        ],
    },
    EXPERT: {
        "can": _("You evaluate the projects the pole asks you to review."),
        "coming": _(
            "The projects assigned to you, with their dossiers and the evaluation grid, will be listed here "
            "once the labelling module opens; you will be e-mailed when a review is asked of you."
        ),
        "links": [(_("Calls for projects"), "projects:calls"), (_("Labelled projects"), "projects:labelled")],
    },
    COMMITTEE: {
        "can": _("You sit on the labelling committee, which gives the pole's opinion on the projects."),
        "coming": _(
            "The committee's sessions, the projects on their agenda and the experts' reviews will be listed here "
            "once the labelling module opens."
        ),
        "links": [(_("Calls for projects"), "projects:calls"), (_("Labelled projects"), "projects:labelled")],
    },
    BOARD: {
        "can": _("You sit on the pole's board, which decides on membership applications and the pole's strategy."),
        "coming": _("The board's meetings, decisions and the strategy roadmap will be listed here."),
        "links": [(_("Members directory"), "members:directory"), (_("Labelled projects"), "projects:labelled")],
    },
    FUNDER: {
        "can": _("You follow the projects labelled by the pole that apply to your funding schemes."),
        "coming": _("The funding applications addressed to you and their follow-up will be listed here."),
        "links": [(_("Labelled projects"), "projects:labelled"), (_("Calls for projects"), "projects:calls")],
    },
}


def _links(links) -> list[dict]:
    return [{"label": label, "url": reverse(url_name)} for label, url_name in links]


@access(AUTHENTICATED)
@require_safe
def dashboard(request):
    """The user's home: what each of his roles lets him do, his organisation's pages when
    he is one of its contacts, and how to get one when he has neither."""
    names = group_names(request.user)
    roles = [
        {
            "code": code,
            "label": label,
            "can": ROLE_HOMES[code]["can"],
            "coming": ROLE_HOMES[code]["coming"],
            "links": _links(ROLE_HOMES[code]["links"]),
        }
        for code, label in GROUP_ROLES.items()
        if code in names
    ]
    context = {"roles": roles, "has_organisation": has_organisation(request.user)}
    return render(request, "pole/dashboard.html", context)


@access(PUBLIC)
@require_safe
def legal(request):
    return render(request, "pole/legal.html")


@access(PUBLIC)
@require_safe
def privacy(request):
    return render(request, "pole/privacy.html")


@access(PUBLIC)
@require_POST
def set_language(request):
    """Django's language switch; a logged-in user's choice also becomes the language of
    the e-mails he receives."""
    # Resolve `next` in its own language (it is outside the language prefix here), so that
    # Django can translate it to the chosen one whatever the browser prefers.
    next_language = translation.get_language_from_path(request.POST.get("next") or "")
    with translation.override(next_language or translation.get_language()):
        response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in {"fr", "en"} and getattr(user, "language", language) != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@access(PUBLIC)
@never_cache
@require_safe
def healthz(request):
    """200 with each component's status when all are up; 503 naming those that are down."""
    checks = run_checks()
    failing = sorted(name for name, status in checks.items() if status != "ok")
    payload = {"status": "error" if failing else "ok", "checks": checks, "failing": failing}
    return JsonResponse(payload, status=503 if failing else 200)


@access(PUBLIC)
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, error pages)."""
    return redirect(static("img/favicon.svg"), permanent=True)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)

"""The portal's URLs: /healthz outside the language prefix, everything else under
/fr/ or /en/."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from pole import views

# The admin has no login form of its own: it sends to allauth's, with its rate limits
# and two-factor authentication.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Back-office"

site_patterns = (
    [
        path("", views.home, name="home"),
        path("my-space/", views.dashboard, name="dashboard"),
        path("legal-notice/", views.legal, name="legal"),
        path("privacy/", views.privacy, name="privacy"),
    ],
    "pole",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", include(site_patterns)),
    path("members/", include("members.urls")),
    path("projects/", include("projects.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "pole.views.permission_denied"
handler404 = "pole.views.page_not_found"
handler500 = "pole.views.server_error"

if settings.SERVE_MEDIA:
    # Public media only (logos): private files live in PRIVATE_MEDIA_ROOT, outside this tree,
    # and are served by permission-checked views.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="public-media"),
    ]

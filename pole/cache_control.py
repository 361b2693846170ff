"""No shared or browser cache keeps a private page [A3].

Every response to a signed-in user (the pages, and the private files they download:
dossier and dues PDFs, membership and project documents) says `Cache-Control: private,
no-store`, so that neither a proxy nor the browser's history or back button keeps a copy
after logging out or on a shared computer. Anonymous pages keep their own headers.
One middleware, after AuthenticationMiddleware, instead of a decorator on each view.
"""

from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateResponsesNotCachedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # A view's own "public" or "max-age" would contradict no-store: dropped.
            patch_cache_control(response, private=True, no_store=True)
            directives = [d.strip() for d in response["Cache-Control"].split(",")]
            kept = [d for d in directives if not d.startswith(("max-age", "s-maxage", "public"))]
            response["Cache-Control"] = ", ".join(kept)
            patch_vary_headers(response, ["Cookie"])
        return response

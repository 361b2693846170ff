"""Sends users whose role requires two-factor authentication to enrolment [A2]."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from members.mfa import has_enrolled, mfa_is_required

# Pages a user who has not enrolled yet may still open: the enrolment itself, logging
# out, re-authentication, the language switch, e-mail confirmation, legal pages.
ALLOWED_BEFORE_ENROLMENT = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_logout",
    "account_reauthenticate",
    "account_confirm_email",
    "account_email_verification_sent",
    "set_language",
    "healthz",
    "legal",
    "privacy",
}
SESSION_KEY = "mfa_enrolled_user"


class RequireMFAEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.session.get(SESSION_KEY) == user.pk:
            return None
        match = request.resolver_match
        if match is None or match.url_name in ALLOWED_BEFORE_ENROLMENT:
            return None
        if not mfa_is_required(user):
            return None
        if has_enrolled(user):
            # Enrolment cannot be undone for these roles (members.adapters.MFAAdapter),
            # so remembering it for the session is safe and saves a query per page.
            request.session[SESSION_KEY] = user.pk
            return None
        messages.warning(
            request,
            _(
                "Your role gives you access to confidential files, so two-factor "
                "authentication is required. Scan the QR code with an authenticator app "
                "(for example FreeOTP, Aegis or Google Authenticator), then enter the "
                "six-digit code it shows to continue."
            ),
        )
        return redirect("mfa_activate_totp")

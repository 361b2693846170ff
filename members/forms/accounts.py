"""allauth's login form, with a shorter "remember me" for privileged roles [A2]."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.conf import settings

from members.mfa import mfa_is_required


class LoginForm(AllauthLoginForm):
    def login(self, request, redirect_url=None):
        """allauth sets the session's lifetime here, after the login itself (so a
        `user_logged_in` receiver would be overruled): "remember me" keeps a session for
        SESSION_COOKIE_AGE, but at most PRIVILEGED_SESSION_MAX_AGE (12 hours) for the roles
        that reach confidential files. When a second factor follows, the lifetime set now
        is kept in the session that the second step completes."""
        response = super().login(request, redirect_url)
        user = getattr(self, "user", None)
        remembered = request.session.get_expire_at_browser_close() is False
        if user is not None and remembered and mfa_is_required(user):
            request.session.set_expiry(min(request.session.get_expiry_age(), settings.PRIVILEGED_SESSION_MAX_AGE))
        return response

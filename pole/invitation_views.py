"""The page an invitation's link opens, for every kind of invitation (pole.invitations).

`InvitationView` finds the invitation by its token and shows the visitor what he needs:
- an unknown token answers 404, a used or expired one 410 (`invalid.html`, with `reason`
  "unknown", "used" or "expired");
- a logged-in user whose account does not hold the invited address is told to log in as
  the invitee (`other_account.html`); the right one confirms (`join.html`, then POST);
- an anonymous visitor whose address already has an account logs in first (`login.html`,
  with `login_url` coming back here); any other creates his account with
  `InvitationSignupForm` (`signup.html`) and is logged in.

The five pages are the same for every kind (templates/pole/invitation/). A kind of
invitation subclasses the view: `model`, `select_related`, `intro_template` (who invites
whom to what, at the top of each page), and the hooks `accept`, `accept_with_new_account`
(its services), `texts` (its buttons and hints), `welcome` (the message once joined) and
`landing_url`; `get_invitation_context` adds what its intro shows.
Anyone may open the link (PUBLIC): the token is the secret, and the services check that
the accepting account holds the invited address.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View

from pole.access import PUBLIC, AccessPolicyMixin
from pole.forms import StyledFormMixin
from pole.invitations import (
    AccountAlreadyExists,
    InvitationEmailMismatch,
    InvitationNotUsable,
    account_exists_for,
    user_has_email,
)


class InvitationSignupForm(StyledFormMixin, forms.Form):
    """The account an invitee creates: the e-mail address is the invited one."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            user = get_user_model()(
                email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InvitationView(AccessPolicyMixin, View):
    """The link of an invitation e-mail (see the module docstring)."""

    access_policy = PUBLIC
    model = None  # a pole.invitations.InvitationBase subclass
    select_related: tuple[str, ...] = ("invited_by",)
    intro_template = ""  # e.g. "members/space/invitation_intro.html"
    form_class = InvitationSignupForm

    # --- Hooks of each kind of invitation --------------------------------------------------

    def get_invitation_context(self, invitation) -> dict:
        return {
            "invitation": invitation,
            "expires_at": invitation.expires_at,
            "intro_template": self.intro_template,
            "texts": self.texts(invitation),
        }

    def texts(self, invitation) -> dict:
        """What the pages say of this kind of invitation, translated: `join` and `signup` (the
        buttons), `login` (an account exists), `used` and `expired` (why the link no longer
        works) and `used_link` ({"label", "url"} or None: where a used link's owner goes)."""
        raise NotImplementedError

    def accept(self, invitation, user):
        """Call the app's accept service; return what it grants."""
        raise NotImplementedError

    def accept_with_new_account(self, invitation, *, first_name, last_name, password, language):
        """Call the app's service creating the account then accepting; return (user, granted)."""
        raise NotImplementedError

    def welcome(self, invitation, granted) -> str:
        """The message shown once the invitee has joined."""
        raise NotImplementedError

    def landing_url(self, invitation, granted) -> str:
        """Where the invitee lands once he has joined."""
        raise NotImplementedError

    # --- The page ------------------------------------------------------------------------

    def get(self, request, token):
        return self.handle(request, token)

    def post(self, request, token):
        return self.handle(request, token)

    def render(self, name: str, context: dict, status: int = 200):
        return render(self.request, f"pole/invitation/{name}.html", context, status=status)

    def handle(self, request, token):
        invitation = self.model.objects.select_related(*self.select_related).filter(token=token).first()
        if invitation is None:
            return self.render("invalid", {"reason": "unknown"}, status=404)
        if not invitation.is_usable:
            return self.gone(invitation)
        context = self.get_invitation_context(invitation)
        user = request.user
        if user.is_authenticated:
            if not user_has_email(user, invitation.email):
                return self.render("other_account", context)
            if request.method == "POST":
                return self.join(invitation, context)
            return self.render("join", context)
        if account_exists_for(invitation.email):
            return self.render("login", {**context, "login_url": self.login_url()})
        if request.method == "POST":
            form = self.form_class(request.POST, email=invitation.email)
            if form.is_valid():
                return self.join_with_new_account(invitation, form, context)
        else:
            initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
            form = self.form_class(email=invitation.email, initial=initial)
        return self.render("signup", {**context, "form": form})

    def login_url(self) -> str:
        return f"{reverse('account_login')}?{urlencode({'next': self.request.path})}"

    def gone(self, invitation):
        """The page of a used or expired invitation (410)."""
        used = (
            invitation.accepted_at is not None
            or self.model.objects.filter(pk=invitation.pk, accepted_at__isnull=False).exists()
        )
        context = {**self.get_invitation_context(invitation), "reason": "used" if used else "expired"}
        return self.render("invalid", context, status=410)

    def join(self, invitation, context):
        try:
            granted = self.accept(invitation, self.request.user)
        except InvitationNotUsable:
            return self.gone(invitation)
        except InvitationEmailMismatch:
            return self.render("other_account", context)
        messages.success(self.request, self.welcome(invitation, granted))
        return redirect(self.landing_url(invitation, granted))

    def join_with_new_account(self, invitation, form, context):
        from allauth.account.utils import perform_login

        try:
            user, granted = self.accept_with_new_account(
                invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                language=self.request.LANGUAGE_CODE,
            )
        except InvitationNotUsable:
            return self.gone(invitation)
        except AccountAlreadyExists:
            return self.render("login", {**context, "login_url": self.login_url()})
        messages.success(self.request, self.welcome(invitation, granted))
        return perform_login(self.request, user, redirect_url=self.landing_url(invitation, granted))

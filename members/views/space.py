"""The member space [M6]: an organisation's profile, contacts, dues and membership history
for its contacts (staff may open every space), and the invitations of colleagues [A3].

Every page fetches the organisation through members.permissions.get_organisation_access,
so that the contact of another organisation gets 404; editing pages then answer 403 to a
contact who is not one of its administrators. The templates read the same `access`."""

from functools import reduce
from operator import or_

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.activity import verb_label
from members.forms.space import ContactForm, InvitationForm, OrganisationProfileForm
from members.models import Invitation, Membership, Organisation, Person
from members.permissions import OrganisationAccess, dues_visible_to, get_organisation_access, organisations_of
from members.services.invitations import (
    InvitationNotUsable,
    accept_invitation,
    accept_invitation_with_new_account,
    cancel_invitation,
    invite_colleague,
    pending_invitations,
    resend_invitation,
)
from members.services.organisations import (
    ContactChangeRefused,
    deactivate_contact,
    update_contact,
    update_organisation_profile,
)
from pole.access import AUTHENTICATED, access
from pole.activity import activity_for
from pole.invitation_views import InvitationView
from pole.roles import is_staff_member

OPEN_STATES = [Membership.State.APPLIED, Membership.State.UNDER_REVIEW, Membership.State.APPROVED]


def _current_membership(memberships):
    """The membership that describes the organisation today: the active one, else the
    application in progress, else the latest."""
    for state in [Membership.State.ACTIVE, *OPEN_STATES]:
        for membership in memberships:
            if membership.state == state:
                return membership
    return memberships[0] if memberships else None


def _history_entries(memberships):
    """The activity log of the organisation's memberships, newest first, in one query."""
    if not memberships:
        return []
    entries = list(reduce(or_, (activity_for(m) for m in memberships)).order_by("-created_at", "-pk"))
    labels = dict(Membership.State.choices)
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        entry.from_label = labels.get(data.get("from"), data.get("from", ""))
        entry.to_label = labels.get(data.get("to"), data.get("to", ""))
        entry.reason = data.get("reason", "")
        entry.label = verb_label(entry.verb)
    return entries


@access(AUTHENTICATED)
def space(request):
    """my-organisation/: straight to the space of the user's only organisation, a choice
    when he has several, and how to get one when he has none."""
    organisations = list(organisations_of(request.user).order_by("legal_name"))
    if len(organisations) == 1:
        return redirect("members:space-detail", slug=organisations[0].slug)
    context = {"organisations": organisations, "is_staff": is_staff_member(request.user)}
    return render(request, "members/space/choose.html", context)


@access(AUTHENTICATED)
def space_detail(request, slug):
    access = get_organisation_access(request.user, slug=slug)
    organisation = access.organisation
    prefetch_related_objects(
        [organisation],
        "strategic_domains",
        Prefetch(
            "people",
            queryset=Person.objects.filter(is_active=True).order_by("last_name", "first_name"),
            to_attr="active_contacts",
        ),
    )
    memberships = list(organisation.memberships.order_by("-applied_at", "-pk"))
    dues = (
        dues_visible_to(request.user)
        .filter(membership__organisation=organisation)
        .select_related("membership")
        .order_by("-year", "-created_at")
    )
    context = {
        "organisation": organisation,
        "current_membership": _current_membership(memberships),
        "memberships": memberships,
        "history": _history_entries(memberships),
        "dues_list": dues if access.can_see_dues else [],
        "access": access,
    }
    return render(request, "members/space/detail.html", context)


@access(AUTHENTICATED)
def space_profile(request, slug):
    access = get_organisation_access(request.user, slug=slug, require="can_edit_profile")
    organisation = access.organisation
    if request.method == "POST":
        form = OrganisationProfileForm(request.POST, request.FILES, instance=organisation)
        if form.is_valid():
            update_organisation_profile(
                organisation=Organisation.objects.get(pk=organisation.pk),
                actor=request.user,
                data=form.profile_data(),
                logo=form.cleaned_data.get("new_logo") or None,
            )
            messages.success(request, _("The organisation's profile has been saved."))
            return redirect("members:space-detail", slug=organisation.slug)
        messages.error(request, _("The profile was not saved: please correct the fields marked below."))
        # The form wrote the typed values onto the instance; show the saved ones around it.
        organisation = Organisation.objects.get(pk=organisation.pk)
    else:
        form = OrganisationProfileForm(instance=organisation)
    context = {"organisation": organisation, "form": form, "access": access}
    return render(request, "members/space/profile_form.html", context)


@access(AUTHENTICATED)
def space_contacts(request, slug):
    access = get_organisation_access(request.user, slug=slug)
    organisation = access.organisation
    contacts = list(organisation.people.select_related("user").order_by("-is_active", "last_name", "first_name"))
    context = {
        "organisation": organisation,
        "active_contacts": [p for p in contacts if p.is_active],
        "former_contacts": [p for p in contacts if not p.is_active],
        "invitations": list(pending_invitations(organisation)) if access.can_manage_contacts else [],
        "access": access,
    }
    return render(request, "members/space/contacts.html", context)


@access(AUTHENTICATED)
def space_contact_edit(request, slug, pk):
    access = get_organisation_access(request.user, slug=slug, require="can_manage_contacts")
    organisation = access.organisation
    person = get_object_or_404(organisation.people, pk=pk)
    if request.method == "POST":
        form = ContactForm(request.POST, instance=person)
        if form.is_valid():
            try:
                update_contact(person=Person.objects.get(pk=person.pk), actor=request.user, data=form.contact_data())
            except ContactChangeRefused:
                form.add_error(
                    "is_organisation_admin",
                    _("The organisation needs at least one administrator: make a colleague administrator first."),
                )
            else:
                messages.success(request, _("The contact has been updated."))
                return redirect("members:space-contacts", slug=organisation.slug)
        person = Person.objects.get(pk=person.pk)
    else:
        form = ContactForm(instance=person)
    context = {"organisation": organisation, "person": person, "form": form, "access": access}
    return render(request, "members/space/contact_form.html", context)


@access(AUTHENTICATED)
@require_POST
def space_contact_deactivate(request, slug, pk):
    organisation = get_organisation_access(request.user, slug=slug, require="can_manage_contacts").organisation
    person = get_object_or_404(organisation.people, pk=pk)
    try:
        deactivate_contact(person=person, actor=request.user)
    except ContactChangeRefused:
        messages.error(
            request,
            _("%(name)s is the organisation's last administrator: make a colleague administrator first.")
            % {"name": person},
        )
    else:
        messages.success(request, _("%(name)s is no longer a contact of the organisation.") % {"name": person})
    if person.user_id == request.user.pk and not OrganisationAccess(request.user, organisation).can_view_space:
        return redirect("members:space")
    return redirect("members:space-contacts", slug=organisation.slug)


@access(AUTHENTICATED)
def space_invite(request, slug):
    access = get_organisation_access(request.user, slug=slug, require="can_invite_colleague")
    organisation = access.organisation
    if request.method == "POST":
        form = InvitationForm(request.POST, organisation=organisation)
        if form.is_valid():
            invitation = invite_colleague(
                organisation=organisation,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                make_admin=form.cleaned_data["make_admin"],
                invited_by=request.user,
            )
            messages.success(
                request,
                _("An invitation has been sent to %(email)s. It is valid for 14 days.") % {"email": invitation.email},
            )
            return redirect("members:space-contacts", slug=organisation.slug)
    else:
        form = InvitationForm(organisation=organisation)
    context = {"organisation": organisation, "form": form, "access": access}
    return render(request, "members/space/invite_form.html", context)


def _pending_invitation(organisation, pk) -> Invitation:
    return get_object_or_404(organisation.invitations.filter(accepted_at__isnull=True), pk=pk)


@access(AUTHENTICATED)
@require_POST
def space_invitation_resend(request, slug, pk):
    organisation = get_organisation_access(request.user, slug=slug, require="can_invite_colleague").organisation
    invitation = _pending_invitation(organisation, pk)
    try:
        resend_invitation(invitation=invitation, actor=request.user)
    except InvitationNotUsable:
        messages.error(request, _("This invitation has already been accepted."))
    else:
        messages.success(
            request,
            _("A new invitation has been sent to %(email)s; the previous link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("members:space-contacts", slug=organisation.slug)


@access(AUTHENTICATED)
@require_POST
def space_invitation_cancel(request, slug, pk):
    organisation = get_organisation_access(request.user, slug=slug, require="can_invite_colleague").organisation
    invitation = _pending_invitation(organisation, pk)
    cancel_invitation(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation to %(email)s has been cancelled.") % {"email": invitation.email})
    return redirect("members:space-contacts", slug=organisation.slug)


class InvitationAcceptView(InvitationView):
    """The link of a colleague's invitation e-mail (PUBLIC: the token is the secret): what
    the visitor needs to join the organisation, depending on who he is (pole.invitation_views)."""

    model = Invitation
    select_related = ("organisation", "invited_by")
    intro_template = "members/space/invitation_intro.html"

    def get_invitation_context(self, invitation) -> dict:
        return {**super().get_invitation_context(invitation), "organisation": invitation.organisation}

    def texts(self, invitation) -> dict:
        name = {"name": invitation.organisation.display_name}
        return {
            "join": _("Join %(name)s") % name,
            "signup": _("Create my account and join %(name)s") % name,
            "login": _(
                "An account already exists for %(email)s. Log in with it: you will come back to this page "
                "to join the organisation."
            )
            % {"email": invitation.email},
            "used": _(
                "An invitation link works only once. If you accepted it, log in to open your organisation's space."
            ),
            "used_link": {"label": _("Open my organisation's space"), "url": reverse("members:space")},
            "expired": _(
                "Invitations are valid for 14 days. Ask your colleague at %(name)s to send you a new one from "
                "the organisation's space."
            )
            % name,
        }

    def accept(self, invitation, user):
        return accept_invitation(invitation=invitation, user=user)

    def accept_with_new_account(self, invitation, **account):
        return accept_invitation_with_new_account(invitation=invitation, **account)

    def welcome(self, invitation, granted) -> str:
        return _("Welcome! You are now a contact of %(name)s.") % {"name": invitation.organisation}

    def landing_url(self, invitation, granted) -> str:
        return reverse("members:space-detail", kwargs={"slug": invitation.organisation.slug})


urlpatterns = [
    path("my-organisation/", space, name="space"),
    path("my-organisation/<slug:slug>/", space_detail, name="space-detail"),
    path("my-organisation/<slug:slug>/profile/", space_profile, name="space-profile"),
    path("my-organisation/<slug:slug>/contacts/", space_contacts, name="space-contacts"),
    path("my-organisation/<slug:slug>/contacts/invite/", space_invite, name="space-invite"),
    path("my-organisation/<slug:slug>/contacts/<int:pk>/edit/", space_contact_edit, name="space-contact-edit"),
    path(
        "my-organisation/<slug:slug>/contacts/<int:pk>/deactivate/",
        space_contact_deactivate,
        name="space-contact-deactivate",
    ),
    path(
        "my-organisation/<slug:slug>/invitations/<int:pk>/resend/",
        space_invitation_resend,
        name="space-invitation-resend",
    ),
    path(
        "my-organisation/<slug:slug>/invitations/<int:pk>/cancel/",
        space_invitation_cancel,
        name="space-invitation-cancel",
    ),
    path("invitations/<str:token>/", InvitationAcceptView.as_view(), name="invitation-accept"),
]

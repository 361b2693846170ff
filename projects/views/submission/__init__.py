"""The submission of a project [P1]–[P3] [P5] [A3]: a new project, then the steps of its
dossier (general → consortium → budget → documents → checks → deposit), each page saving
the draft; partners' parts, documents and their download, partner invitations.

Every page fetches the project through projects.permissions.get_project_for_user (a
contact of an unrelated organisation gets 404). The lead's contacts edit everything while
the dossier is editable (draft or returned); another partner's contacts read the general
steps and edit only their own part and documents (403 on any other POST); nobody sees the
budget lines or documents of a partner he may not see. Once the dossier is deposited,
every step URL answers with a message and a redirect to the project page, and the
services refuse any change (DossierLocked) whatever URL is forged.

When a session expires while a step is being filled in, the POST is kept in the new
session and the step shows it again after the login (nothing unsaved is lost, nothing is
saved without the user's say-so): pole.typed_values.

The pages live by concern: steps (new project, general, budget, checks, and the shared
`dossier_view` guard), consortium (partners and a partner's part), documents, invitations.
"""

from django.urls import path

from projects.views.submission.consortium import (
    consortium_add,
    consortium_create_organisation,
    consortium_remove,
    consortium_search,
    consortium_set_lead,
    edit_consortium,
    edit_partner,
)
from projects.views.submission.documents import document_download, document_remove, edit_documents
from projects.views.submission.invitations import PartnerInvitationAcceptView, consortium_invite
from projects.views.submission.steps import edit_budget, edit_checks, edit_general, project_create, project_edit

urlpatterns = [
    path("new/", project_create, name="project-create"),
    path("<int:pk>/edit/", project_edit, name="project-edit"),
    path("<int:pk>/edit/general/", edit_general, name="project-edit-general"),
    path("<int:pk>/edit/consortium/", edit_consortium, name="project-edit-consortium"),
    path("<int:pk>/edit/consortium/search/", consortium_search, name="project-consortium-search"),
    path("<int:pk>/edit/consortium/add/", consortium_add, name="project-consortium-add"),
    path(
        "<int:pk>/edit/consortium/new-organisation/",
        consortium_create_organisation,
        name="project-consortium-create-organisation",
    ),
    path("<int:pk>/edit/consortium/<int:partner_pk>/remove/", consortium_remove, name="project-consortium-remove"),
    path("<int:pk>/edit/consortium/<int:partner_pk>/lead/", consortium_set_lead, name="project-consortium-lead"),
    path("<int:pk>/edit/consortium/<int:partner_pk>/invite/", consortium_invite, name="project-consortium-invite"),
    path("<int:pk>/edit/partners/<int:partner_pk>/", edit_partner, name="project-edit-partner"),
    path("<int:pk>/edit/budget/", edit_budget, name="project-edit-budget"),
    path("<int:pk>/edit/documents/", edit_documents, name="project-edit-documents"),
    path("<int:pk>/edit/documents/<int:document_pk>/remove/", document_remove, name="project-document-remove"),
    path("<int:pk>/edit/checks/", edit_checks, name="project-edit-checks"),
    path("documents/<int:pk>/", document_download, name="project-document"),
    path("partner-invitations/<str:token>/", PartnerInvitationAcceptView.as_view(), name="partner-invitation-accept"),
]

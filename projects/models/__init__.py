"""Calls for projects (submission side), projects, consortia, budgets, documents, versions,
follow-up and partner search [P1]–[P9] [S4], one module each.

`Project.state` is written only by projects.services.states.transition_project.
"""

from projects.models.base import (
    MONEY,
    BilingualTextMixin,
    DocumentKind,
    NonRDSubKind,
    ProjectKind,
)
from projects.models.calls import (
    Call,
    CallQuerySet,
)
from projects.models.consortium import (
    PARTNER_INVITATION_VALIDITY,
    BudgetLine,
    CostCategory,
    Partner,
    PartnerConfirmation,
    PartnerContact,
    PartnerInvitation,
    RequestedAid,
    new_token,
)
from projects.models.dossier import (
    ProjectDocument,
    ProjectDocumentQuerySet,
    ProjectVersion,
    dossier_path,
    project_document_path,
)
from projects.models.followup import (
    FundingApplication,
    GrantedAmount,
    Milestone,
    ProgressReport,
    ProjectOutcome,
)
from projects.models.partner_search import (
    PartnerSearch,
    PartnerSearchAnswer,
)
from projects.models.projects import (
    EDITABLE_STATES,
    LABELLED_STATES,
    Confidentiality,
    Project,
    ProjectQuerySet,
    ProjectState,
)

__all__ = [
    "MONEY",
    "BilingualTextMixin",
    "ProjectKind",
    "NonRDSubKind",
    "DocumentKind",
    "CallQuerySet",
    "Call",
    "ProjectState",
    "EDITABLE_STATES",
    "LABELLED_STATES",
    "Confidentiality",
    "ProjectQuerySet",
    "Project",
    "CostCategory",
    "Partner",
    "BudgetLine",
    "RequestedAid",
    "PARTNER_INVITATION_VALIDITY",
    "new_token",
    "PartnerConfirmation",
    "PartnerContact",
    "PartnerInvitation",
    "project_document_path",
    "ProjectDocumentQuerySet",
    "ProjectDocument",
    "dossier_path",
    "ProjectVersion",
    "FundingApplication",
    "GrantedAmount",
    "Milestone",
    "ProgressReport",
    "ProjectOutcome",
    "PartnerSearch",
    "PartnerSearchAnswer",
]

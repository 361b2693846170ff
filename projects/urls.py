"""URLs of the projects app, mounted at /<lang>/projects/. Each views module declares its
own patterns; names are dashed and unique across the app."""

from projects.views import calls, confirmation, dossier, followup, lists, partner_search, states, submission

app_name = "projects"

urlpatterns = [
    *calls.urlpatterns,  # calls for projects: public list and pages, staff editing
    *lists.urlpatterns,  # my projects, all projects (staff, export), labelled projects (public), project page
    *submission.urlpatterns,  # the multi-step form, consortium, budgets, documents, checklist, invitations
    *confirmation.urlpatterns,  # a partner's organisation confirms or declines to take part
    *dossier.urlpatterns,  # deposit, receipt, dossier PDF, return for information, versions and their diff
    *followup.urlpatterns,  # funding applications, milestones, progress reports, outcomes, resubmission
    *partner_search.urlpatterns,  # "looking for partners" requests and answers
    *states.urlpatterns,  # staff moves through the state machine from the project page
]

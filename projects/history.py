"""A project's history as readable sentences: every verb the projects app writes to the
activity log on a project becomes a translated sentence; the page shows it with who,
when and the reason (the entries come from pole.timeline, which says what the activity
log and django-simple-history each keep). A verb without a sentence here is a bug that
tests/projects/test_history_sentences.py catches."""

from django.utils.translation import gettext_lazy as _

from pole.french import elide_de
from pole.timeline import activity_entries
from projects.models import Project, ProjectState

STATE_LABELS = dict(ProjectState.choices)

# verb → sentence; %(partner)s, %(name)s, %(email)s, %(call)s, %(scheme)s are filled from
# the entry's data (and the project's partners for %(partner)s) when the sentence uses them.
SENTENCES = {
    "project.created": _("Draft created"),
    "project.created_as_resubmission": _("Draft created as a resubmission to the call %(call)s"),
    "project.general_updated": _("General part updated"),
    "project.partner_added": _("Partner %(partner)s added to the consortium"),
    "project.partner_removed": _("Partner %(name)s removed from the consortium"),
    "project.partner_updated": _("Part of %(partner)s updated"),
    "project.lead_changed": _("Lead partner changed to %(partner)s"),
    "project.budget_saved": _("Budget of %(partner)s saved"),
    "project.aid_saved": _("Requested aid of %(partner)s saved"),
    "project.document_added": _("Document “%(name)s” added"),
    "project.document_removed": _("Document “%(name)s” removed"),
    "project.partner_invited": _("%(email)s invited as the contact of %(partner)s"),
    "project.partner_invitation_accepted": _("%(email)s accepted the invitation for %(partner)s"),
    "project.partner_confirmed": _("%(partner)s confirmed that it takes part in the project"),
    "project.partner_declined": _("%(name)s declined to take part in the project and left the consortium"),
    "project.funding_application_created": _("Funding application to %(scheme)s recorded"),
    "project.funding_application_changed": _("Funding application to %(scheme)s updated"),
    "project.funding_application_deleted": _("Funding application to %(scheme)s deleted"),
    "project.milestone_created": _("Milestone added"),
    "project.milestone_changed": _("Milestone updated"),
    "project.milestone_deleted": _("Milestone deleted"),
    "project.progress_report_created": _("Progress report added"),
    "project.progress_report_changed": _("Progress report updated"),
    "project.progress_report_deleted": _("Progress report deleted"),
    "project.outcome_saved": _("Outcomes saved"),
    "project.resubmitted": _("Resubmitted to the call %(call)s"),
    "project.return_answered": _("Answer to the pole's questions sent"),
}
TRANSITION_SENTENCE = _("State changed from “%(source)s” to “%(target)s”")


def describe(verb: str, data: dict, partner_names: dict[int, str]) -> str:
    """The sentence for one activity-log entry."""
    state = verb.removeprefix("project.")
    if state in STATE_LABELS and isinstance(data.get("to"), str):
        source = STATE_LABELS.get(data.get("from"), data.get("from") or "—")
        return TRANSITION_SENTENCE % {"source": source, "target": STATE_LABELS[state]}
    sentence = SENTENCES.get(verb)
    if sentence is None:
        return verb
    partner_key = data.get("partner") if verb != "project.lead_changed" else data.get("to")
    values = {
        "partner": partner_names.get(partner_key, data.get("name") or "—"),
        "name": data.get("name") or "—",
        "email": data.get("email") or "—",
        "call": data.get("call") or "—",
        "scheme": data.get("funding_scheme") or "—",
    }
    if verb == "project.lead_changed":
        values["partner"] = partner_names.get(("organisation", data.get("to")), "—")
    text = str(sentence) % values
    for name in {values["partner"], values["name"]}:
        text = elide_de(text, name)
    return text


def project_history(project, partners, *, limit: int = 100) -> list[dict]:
    """The project's log, newest first, each entry with its sentence, who, when, reason.
    `partners` are the project's partners, already loaded with their organisations."""
    partner_names: dict = {}
    for partner in partners:
        partner_names[partner.pk] = partner.organisation.display_name
        partner_names[("organisation", partner.organisation_id)] = partner.organisation.display_name
    return activity_entries(
        {Project: [project.pk]},
        describe=lambda entry, data: {"verb": entry.verb, "sentence": describe(entry.verb, data, partner_names)},
        limit=limit,
    )

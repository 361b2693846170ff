"""Demo calls, projects and partner searches for `manage.py seed_demo` (runs after
members/demo.py, whose organisations and demo accounts it uses).

Three calls (an FUI-like call two years ago, a regional call a few months ago, and a
PSPC-Régions call open for six more weeks) and 60 projects of every kind, in every state of
the project state machine, with consortia drawn from the demo organisations, budgets per
cost category (Decimal), requested aid per funding scheme, documents (small generated PDFs
in the private storage), deposited versions and, from the label on, their follow-up.

States are reached through projects.services.states.transition_project along a plausible
path. The projects of the open call are deposited and returned through the real services
(projects.services.deposit) when they exist; those of the past calls are deposited "back
then" (reference of the call's year, date before its deadline) with a snapshot from
projects.services.versions and a small stand-in PDF, since the deposit service stamps the
current time and would refuse a closed call.

Deterministic (one random stream per project, `random.Random(SEED + index)`) and
idempotent: calls are found again by code, projects by acronym, partner searches by title,
and what exists is left as it is, so a second run changes no row.

The parts: catalogue (the projects as data), calls, consortia, budgets (and aid), texts,
documents, seeder (each project along its path through the states), followup (after the
label) and searches (partner searches)."""

from django.utils import timezone

from members.models import Organisation
from pole.models import FundingScheme
from projects.demo.calls import seed_calls
from projects.demo.searches import seed_partner_searches
from projects.demo.seeder import Seeder
from projects.models import Call, Project


def seed(*, stdout, scale: int = 1) -> None:
    if not Organisation.objects.exists() or not FundingScheme.objects.exists():
        stdout.write("Projects: no organisations or funding schemes yet, nothing to do.")
        return
    today = timezone.localdate()
    calls = seed_calls(today)
    seeder = Seeder(today=today)
    created = seeder.seed(calls)
    searches = seed_partner_searches(seeder)
    states = len(set(Project.objects.values_list("state", flat=True)))
    stdout.write(
        f"Projects: {created} created, {Project.objects.count()} in all ({states} states), "
        f"{Call.objects.count()} calls, {searches} partner searches created."
    )

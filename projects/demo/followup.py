"""What comes after the label: funding applications and granted amounts, then for funded
projects milestones, half-yearly progress reports and, at closing, the outcomes."""

from datetime import date, timedelta
from decimal import Decimal

from projects.demo.budgets import euros
from projects.demo.catalogue import S
from projects.demo.texts import packages_of
from projects.models import (
    FundingApplication,
    GrantedAmount,
    Milestone,
    ProgressReport,
    ProjectOutcome,
    RequestedAid,
)


def follow_up(rng, spec, project, author, calendar, *, today: date) -> None:
    """The follow-up of a labelled project of the demo, as far as its state goes: funding
    applications, then milestones, progress reports and outcomes."""
    state = spec.state
    start = project.start_date
    end = add_months(start, project.duration_months or 24)
    _funding_applications(rng, project, calendar, outcome=OUTCOMES.get(state, PENDING), start=start, end=end)
    if state not in {S.FUNDED, S.RUNNING, S.CLOSED}:
        return
    _milestones(rng, project, state=state, start=start, today=today)
    if state in {S.RUNNING, S.CLOSED}:
        _progress_reports(rng, spec, project, author, start=start, end=end, today=today)
    if state == S.CLOSED:
        _outcome(rng, project)


PENDING = FundingApplication.Outcome.PENDING
OUTCOMES = {
    S.FUNDED: FundingApplication.Outcome.GRANTED,
    S.RUNNING: FundingApplication.Outcome.GRANTED,
    S.CLOSED: FundingApplication.Outcome.GRANTED,
    S.NOT_FUNDED: FundingApplication.Outcome.REJECTED,
}


def _funding_applications(rng, project, calendar, *, outcome, start: date, end: date) -> None:
    """One application per funding scheme of the requested aid, with the granted amounts
    when granted."""
    granted = outcome == FundingApplication.Outcome.GRANTED
    decided = calendar["decided"] if outcome != PENDING else None
    aids: dict[int, dict[int, Decimal]] = {}
    for aid in RequestedAid.objects.filter(partner__project=project):
        aids.setdefault(aid.funding_scheme_id, {})[aid.partner_id] = aid.amount
    for scheme_id, by_partner in sorted(aids.items()):
        application = FundingApplication.objects.create(
            project=project,
            funding_scheme_id=scheme_id,
            submitted_on=calendar["submitted"],
            outcome=outcome,
            decided_on=decided,
            start_date=start if granted else None,
            end_date=end if granted else None,
        )
        if granted:
            factor = Decimal(rng.choice(["1", "1", "0.95", "0.9"]))
            GrantedAmount.objects.bulk_create(
                GrantedAmount(funding_application=application, partner_id=partner_id, amount=euros(amount * factor))
                for partner_id, amount in sorted(by_partner.items())
            )


def _milestones(rng, project, *, state, start: date, today: date) -> None:
    titles = ["Réunion de lancement", "Spécifications figées", "Prototype assemblé", "Fin des essais",
              "Rapport final"]  # fmt: skip
    months = project.duration_months or 24
    for position, title in enumerate(titles):
        due = add_months(start, round(months * position / (len(titles) - 1))) if position else start
        late = rng.choice([0, 0, 0, 7, 21])
        reached = due + timedelta(days=late) if due + timedelta(days=late) < today else None
        if state == S.RUNNING and position == 2 and rng.random() < 0.5:
            reached = None  # one milestone running late
        Milestone.objects.create(project=project, title=title, due_on=due, reached_on=reached)


def _progress_reports(rng, spec, project, author, *, start: date, end: date, today: date) -> None:
    """Half-yearly reports from the start, up to four, for the periods already over."""
    period_start = start
    periods = 0
    while add_months(period_start, 6) < min(today, end) and periods < 4:
        period_end = add_months(period_start, 6) - timedelta(days=1)
        ProgressReport.objects.create(
            project=project,
            period_start=period_start,
            period_end=period_end,
            achievements=f"Avancement conforme au plan sur la période : lot {periods + 1} "
            f"({packages_of(spec)[1][periods]}) réalisé à {rng.randint(70, 100)} %.",
            difficulties=rng.choice(
                [
                    "",
                    "Retard de livraison d'un composant importé (six semaines).",
                    "Départ d'un ingénieur chez un partenaire, remplacé en trois mois.",
                ]
            ),
            next_steps=f"Engager le lot {periods + 2} et préparer le prochain comité de pilotage.",
            submitted_by=author,
        )
        period_start = period_end + timedelta(days=1)
        periods += 1


def _outcome(rng, project) -> None:
    ProjectOutcome.objects.create(
        project=project,
        patents=rng.randint(0, 3),
        products=rng.randint(0, 2),
        jobs=rng.randint(1, 12),
        turnover=euros(rng.randint(0, 25) * 100_000),
        startups=rng.choice([0, 0, 0, 1]),
        publications=rng.randint(1, 8),
        comments="Résultats déclarés par le chef de file à la clôture du projet.",
    )


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))

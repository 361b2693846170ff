"""The `Seeder`: creates each demo project with its consortium, budget, aid and documents,
then walks it along its path through the state machine to its final state."""

import hashlib
import random
from datetime import date, datetime, time, timedelta
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from members.models import Person, User
from pole.activity import record_activity
from pole.models import FundingScheme, OtherCluster, StrategicDomain
from projects.demo.budgets import aid_rate, aid_split, budget_of, euros
from projects.demo.calls import PARIS
from projects.demo.catalogue import (
    ANSWERED_RETURNS,
    INADMISSIBLE_REASONS,
    MEMBER_AWAITING_IN,
    MEMBER_LEADS,
    NON_RD,
    OPEN,
    RD,
    REASONS,
    REDEPOSITED,
    RETURN_ANSWER,
    SEED,
    WITHDRAWN_AFTER,
    WITHDRAWN_REASONS,
    P,
    S,
    Spec,
)
from projects.demo.consortia import Pools, account_of, consortium, main_contact
from projects.demo.documents import add_document, add_documents, pdf_bytes
from projects.demo.followup import follow_up
from projects.demo.texts import role_and_tasks, texts
from projects.models import (
    BudgetLine,
    Call,
    DocumentKind,
    Partner,
    PartnerConfirmation,
    PartnerInvitation,
    Project,
    ProjectVersion,
    RequestedAid,
)
from projects.services.states import transition_project

OTHER_CLUSTERS = ["Tenerrdis", "CapEnergies", "Axelera", "Minalogic"]


def _optional(module: str, name: str):
    """A service another part of the projects app may provide (None until it exists)."""
    if find_spec(module) is None:
        return None
    return getattr(import_module(module), name, None)


# --- Paths through the state machine ------------------------------------------------------------

BEFORE_COMMITTEE = [S.DEPOSITED, S.ADMISSIBLE, S.UNDER_REVIEW, S.IN_COMMITTEE]
PATHS = {
    S.DRAFT: [],
    S.DEPOSITED: [S.DEPOSITED],
    S.RETURNED: [S.DEPOSITED, S.RETURNED],
    S.ADMISSIBLE: [S.DEPOSITED, S.ADMISSIBLE],
    S.INADMISSIBLE: [S.DEPOSITED, S.INADMISSIBLE],
    S.UNDER_REVIEW: BEFORE_COMMITTEE[:3],
    S.IN_COMMITTEE: BEFORE_COMMITTEE,
    S.LABELLED: [*BEFORE_COMMITTEE, S.LABELLED],
    S.LABELLED_WITH_CONDITIONS: [*BEFORE_COMMITTEE, S.LABELLED_WITH_CONDITIONS],
    S.DEFERRED: [*BEFORE_COMMITTEE, S.DEFERRED],
    S.REFUSED: [*BEFORE_COMMITTEE, S.REFUSED],
    S.SUPPORT_LETTER: [*BEFORE_COMMITTEE, S.SUPPORT_LETTER],
    S.FUNDED: [*BEFORE_COMMITTEE, S.LABELLED, S.FUNDED],
    S.NOT_FUNDED: [*BEFORE_COMMITTEE, S.LABELLED, S.NOT_FUNDED],
    S.RUNNING: [*BEFORE_COMMITTEE, S.LABELLED, S.FUNDED, S.RUNNING],
    S.CLOSED: [*BEFORE_COMMITTEE, S.LABELLED, S.FUNDED, S.RUNNING, S.CLOSED],
}


def path_of(spec: Spec) -> list[str]:
    if spec.state == S.WITHDRAWN:
        return [*PATHS[WITHDRAWN_AFTER[spec.acronym]], S.WITHDRAWN]
    path = list(PATHS[spec.state])
    if spec.acronym in REDEPOSITED:
        path = [S.DEPOSITED, S.RETURNED, *path]
    if spec.kind == NON_RD and spec.state == S.FUNDED:
        path = [*BEFORE_COMMITTEE, S.SUPPORT_LETTER, S.FUNDED]
    if spec.acronym == "METHANOR":  # labelled with conditions, then funded once they were met
        path = [*BEFORE_COMMITTEE, S.LABELLED_WITH_CONDITIONS, S.FUNDED]
    return path


class Seeder:
    def __init__(self, *, today: date):
        self.today = today
        self.staff = User.objects.filter(email=f"staff@{settings.DEMO_EMAIL_DOMAIN}").first()
        self.demo_users = {
            local: User.objects.filter(email=f"{local}@{settings.DEMO_EMAIL_DOMAIN}").first()
            for local in ("member", "partner")
        }
        self.demo_people = {
            local: Person.objects.filter(user=user).select_related("organisation").first() if user else None
            for local, user in self.demo_users.items()
        }
        self.demo_orgs = {local: person.organisation for local, person in self.demo_people.items() if person}
        self.pools = Pools({organisation.pk for organisation in self.demo_orgs.values()})
        self.schemes = {scheme.code: scheme for scheme in FundingScheme.objects.all()}
        self.domains = {domain.code: domain for domain in StrategicDomain.objects.all()}
        self.clusters = list(OtherCluster.objects.filter(name__in=OTHER_CLUSTERS).order_by("name"))
        self.deposit_project = _optional("projects.services.deposit", "deposit_project")
        self.return_for_information = _optional("projects.services.deposit", "return_for_information")
        self.answer_return = _optional("projects.services.deposit", "answer_return")
        self.snapshot_project = _optional("projects.services.versions", "snapshot_project")

    # The calendar of a project, from its call.
    def milestones_of_call(self, call: Call) -> dict:
        deadline = timezone.localtime(call.deadline, PARIS).date()
        committee = deadline + timedelta(days=70 if call.deadline.year < self.today.year else 60)
        submitted = committee + timedelta(days=20)
        decided = min(submitted + timedelta(days=100), self.today - timedelta(days=6))
        return {"deadline": deadline, "committee": committee, "submitted": submitted, "decided": decided}

    def seed(self, calls: dict[str, Call]) -> int:
        existing = set(Project.objects.filter(acronym__in=[row[0] for row in P]).values_list("acronym", flat=True))
        created = 0
        for index, row in enumerate(P, start=1):
            spec = Spec(index, *row)
            rng = random.Random(SEED + index)  # noqa: S311 - demo data, one reproducible stream per project
            if spec.acronym in existing:
                continue
            self.seed_project(rng, spec, calls[spec.call_key])
            created += 1
        return created

    def seed_project(self, rng, spec: Spec, call: Call) -> None:
        members = consortium(rng, spec, call, self.pools, self.demo_orgs)
        lead_organisation = members[0][0]
        member_led = spec.acronym in MEMBER_LEADS and "member" in self.demo_orgs
        lead_contact = self.demo_people["member"] if member_led else main_contact(lead_organisation)
        author = account_of(lead_contact)
        calendar = self.milestones_of_call(call)
        duration = rng.choice([24, 30, 36, 36, 42]) if spec.kind != NON_RD else rng.choice([12, 18, 24])
        start = calendar["decided"] + timedelta(days=30) if spec.call_key != OPEN else date(self.today.year + 1, 4, 1)
        months_since_start = (self.today.year - start.year) * 12 + self.today.month - start.month
        if spec.state == S.CLOSED:  # ended a few months ago
            duration = min(rng.choice([18, 20, 24]), months_since_start - rng.randint(1, 5))
        elif spec.state == S.RUNNING:  # ends in a few months or years
            duration = max(duration, months_since_start + rng.randint(4, 14))
        trl_from = rng.randint(2, 4)
        trl = (trl_from, min(9, trl_from + rng.randint(2, 3)))
        confidentiality = rng.choices(["public", "restricted", "confidential"], weights=[35, 55, 10])[0]
        labelled_or_later = spec.state in {S.LABELLED, S.LABELLED_WITH_CONDITIONS, S.FUNDED, S.RUNNING, S.CLOSED,
                                           S.NOT_FUNDED, S.SUPPORT_LETTER}  # fmt: skip
        if labelled_or_later and confidentiality == "confidential" and rng.random() < 0.7:
            confidentiality = "restricted"
        project = Project.objects.create(
            acronym=spec.acronym,
            title_fr=spec.title_fr,
            title_en=spec.title_en,
            kind=spec.kind,
            sub_kind=spec.sub_kind,
            duration_months=duration,
            start_date=start,
            trl_from=trl[0] if spec.kind == RD else None,
            trl_to=trl[1] if spec.kind == RD else None,
            confidentiality=confidentiality,
            public_consent=rng.random() < (0.85 if labelled_or_later else 0.6),
            call=call,
            lead_organisation=lead_organisation,
            created_by=author,
            **texts(rng, spec, duration, trl),
        )
        domains = [self.domains[spec.domain]] if spec.domain in self.domains else []
        extra = [domain for code, domain in sorted(self.domains.items()) if code != spec.domain]
        if extra and rng.random() < 0.4:
            domains.append(rng.choice(extra))
        project.strategic_domains.set(domains)
        if self.clusters and rng.random() < 0.3:
            project.co_labelling_poles.set(rng.sample(self.clusters, k=rng.randint(1, 2)))

        partners = self.seed_consortium(rng, spec, project, members, lead_contact)
        add_documents(rng, project, partners, author)
        self.walk(rng, spec, project, partners, author, call, calendar)
        # Created some days after the call opened, and before its first deposit.
        opened = timezone.localtime(call.opens_at, PARIS)
        first_deposit = project.versions.order_by("number").values_list("deposited_at", flat=True).first()
        latest = (first_deposit or timezone.now()) - timedelta(days=1)
        created_at = min(opened + timedelta(days=rng.randint(3, 30), hours=rng.randint(0, 9)), latest)
        Project.objects.filter(pk=project.pk).update(created_at=created_at)

    def seed_consortium(self, rng, spec, project, members, lead_contact) -> list[Partner]:
        budgets = budget_of(rng, spec, members)
        split = aid_split(rng, spec, self.schemes)
        partners = []
        for position, ((organisation, is_lead), lines) in enumerate(zip(members, budgets, strict=True)):
            awaiting = spec.acronym in MEMBER_AWAITING_IN and organisation == self.demo_orgs.get("member")
            if is_lead:
                contact = lead_contact
            elif awaiting:  # named by the lead, not confirmed yet: no contact of its own [A3]
                contact = None
            elif organisation == self.demo_orgs.get("partner"):
                contact = self.demo_people["partner"]
            elif organisation == self.demo_orgs.get("member"):
                contact = self.demo_people["member"]
            else:
                contact = main_contact(organisation)
            role, tasks = role_and_tasks(spec, organisation, is_lead, position)
            partner = Partner.objects.create(
                project=project,
                organisation=organisation,
                is_lead=is_lead,
                contact=contact,
                role=role,
                tasks=tasks,
                confirmation=PartnerConfirmation.AWAITING if awaiting else PartnerConfirmation.CONFIRMED,
            )
            if awaiting:
                record_activity(
                    actor=project.created_by,
                    verb="project.partner_added",
                    target=project,
                    data={"organisation": organisation.pk, "partner": partner.pk, "awaiting_confirmation": True},
                )
            for category, amount in lines.items():
                BudgetLine.objects.create(partner=partner, category=category, amount=amount)
            aid = sum(lines.values()) * aid_rate(spec, organisation)
            remaining = euros(aid)
            for number, (scheme, fraction) in enumerate(split):
                amount = remaining if number == len(split) - 1 else euros(aid * fraction)
                RequestedAid.objects.create(partner=partner, funding_scheme=scheme, amount=amount)
                remaining -= amount
            partners.append(partner)
        invited = [p for p in partners if p.organisation == self.demo_orgs.get("partner")]
        if invited and spec.state == S.DRAFT:
            PartnerInvitation.objects.create(
                partner=invited[0],
                email=self.demo_users["partner"].email,
                first_name=self.demo_users["partner"].first_name,
                last_name=self.demo_users["partner"].last_name,
                invited_by=project.created_by,
                created_at=timezone.now() - timedelta(days=6),
                accepted_at=timezone.now() - timedelta(days=5),
            )
        return partners

    # --- The state machine -----------------------------------------------------------------------

    def walk(self, rng, spec, project, partners, author, call, calendar) -> None:
        path = path_of(spec)
        live = spec.call_key == OPEN  # deposited now, through the real services when they exist
        deposit_day = calendar["deadline"] - timedelta(days=rng.randint(1, 12))
        for step, target in enumerate(path):
            if target == S.DEPOSITED:
                if live and self.deposit_project is not None:
                    project = self.deposit_project(project=project, actor=author)
                else:
                    when = datetime.combine(deposit_day, time(rng.randint(9, 18), rng.randint(0, 59)), tzinfo=PARIS)
                    if live:
                        when = min(when, timezone.now() - timedelta(days=rng.randint(1, 10)))
                    if step:  # deposited again after a return
                        when = max(when, project.deposited_at + timedelta(days=8))
                    self.deposit_backdated(project, when=when, actor=author)
                continue
            if target == S.RETURNED:
                reason = REASONS[S.RETURNED]
                if live and self.return_for_information is not None:
                    project = self.return_for_information(project=project, actor=self.staff, reason=reason)
                    if spec.acronym in ANSWERED_RETURNS and self.answer_return is not None:
                        self.answer_return(project=project, actor=author, answer=RETURN_ANSWER)
                else:
                    project.version += 1
                    transition_project(
                        project=project, target=target, actor=self.staff, reason=reason, extra_fields=["version"]
                    )
                    self.backdate_return(project, reason=reason, author=author, spec=spec)
                # The consortium answers with the documents of the new version.
                add_document(project, DocumentKind.TECHNICAL_ANNEX, user=author, suffix=f"-v{project.version}")
                add_document(project, DocumentKind.CONSORTIUM_AGREEMENT, user=author, suffix=f"-v{project.version}")
                continue
            reason = REASONS.get(target, "")
            if target == S.INADMISSIBLE:
                reason = INADMISSIBLE_REASONS[spec.acronym]
            elif target == S.WITHDRAWN:
                reason = WITHDRAWN_REASONS[spec.acronym]
            actor = author if target == S.WITHDRAWN else self.staff
            transition_project(project=project, target=target, actor=actor, reason=reason)
        if spec.state in {S.LABELLED, S.LABELLED_WITH_CONDITIONS, S.SUPPORT_LETTER, S.FUNDED, S.NOT_FUNDED,
                          S.RUNNING, S.CLOSED}:  # fmt: skip
            follow_up(rng, spec, project, author, calendar, today=self.today)

    def backdate_return(self, project: Project, *, reason: str, author, spec: Spec) -> None:
        """The pole's questions on the version just returned, some days after its deposit,
        and the lead's answer before the next one (deposited at least 8 days later)."""
        returned = project.deposited_at + timedelta(days=3)
        answered = spec.acronym in ANSWERED_RETURNS
        ProjectVersion.objects.filter(project=project, number=project.version - 1).update(
            returned_at=returned,
            returned_by=self.staff,
            return_questions=reason,
            return_answer=RETURN_ANSWER if answered else "",
            answered_at=returned + timedelta(days=3) if answered else None,
            answered_by=author if answered else None,
        )

    def deposit_backdated(self, project: Project, *, when: datetime, actor) -> None:
        """The deposit as it happened before the deadline: a reference of that year, a
        version with its snapshot and a stand-in PDF of the dossier."""
        fields = ["deposited_at"]
        if not project.reference:
            scheme = project.call.funding_scheme.code.upper()
            prefix = f"{timezone.localtime(when, PARIS).year}-{scheme}-"
            sequence = Project.objects.filter(reference__startswith=prefix).count() + 1
            while Project.objects.filter(reference=f"{prefix}{sequence:04d}").exists():
                sequence += 1
            project.reference = f"{prefix}{sequence:04d}"
            fields.append("reference")
        project.deposited_at = when
        transition_project(project=project, target=S.DEPOSITED, actor=actor, extra_fields=fields)
        snapshot = (
            self.snapshot_project(project)
            if self.snapshot_project
            else {"reference": project.reference, "version": project.version, "acronym": project.acronym}
        )
        content = pdf_bytes(
            [
                f"Dossier déposé — {project.reference} — version {project.version}",
                f"{project.acronym} : {project.title_fr}",
                f"Déposé le {timezone.localtime(when, PARIS):%d/%m/%Y à %H:%M}",
                "Exemplaire de démonstration généré par seed_demo.",
            ]
        )
        ProjectVersion.objects.create(
            project=project,
            number=project.version,
            snapshot=snapshot,
            deposited_at=when,
            deposited_by=actor,
            pdf=ContentFile(content, name=f"{project.reference}-v{project.version}.pdf"),
            pdf_sha256=hashlib.sha256(content).hexdigest(),
        )

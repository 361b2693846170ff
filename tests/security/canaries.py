"""Two organisations, A and B, each with a full set of data, for the cross-organisation
matrix (tests/security/test_cross_organisation.py).

Every text of B carries a canary, a unique string whose class says who may read it:

- PRIVATE ("CANARY-B-<hex>"): only staff (and superusers) may ever see it: B's contacts'
  names and e-mail addresses, its dues, its draft project (title, description, budget
  tasks, documents and their files), its follow-up, its dossier versions, its
  applications and invitations, its closed partner search;
- MEMBERS ("MEMBERS-B-<hex>"): any logged-in user may see it: B's open partner search
  and its author's name (partner searches are read by every logged-in user);
- SHARED ("SHARED-B-<hex>"): B's part of A's project (A leads, B joins): the people of
  that project (A's contacts, the partner invited to B's part) and staff may see it;
- PUBLIC ("PUBLIC-B-<hex>"): B's directory profile and its labelled project's public
  summary: anyone may see it.

A's texts carry "CANARY-A-<hex>" canaries (not checked: every role of the matrix that
is not staff belongs to A's side or to none).

The roles (one user each): anonymous; `a_contact` (a contact of A); `a_admin` (an
administrator of A); `a_partner` (an outside address invited, through A's project, as
the contact of B's part of it, who accepted through the real service
projects.services.partner_invitations.accept_partner_invitation — the "takeover"
scenario of issue 9); `a_lead` (a contact of A and the contact of A's lead partner);
expert; committee; board; funder; staff; superuser (in the staff group too, like a
superuser of the portal running its office).
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from members.models import Dues, Invitation, Membership, MembershipDocument, Organisation, Person, User
from pole import roles
from pole.models import StrategicDomain
from projects.models import (
    BudgetLine,
    FundingApplication,
    Milestone,
    Partner,
    PartnerInvitation,
    PartnerSearch,
    ProgressReport,
    ProjectDocument,
    ProjectOutcome,
    ProjectState,
    ProjectVersion,
)
from projects.services.partner_invitations import accept_partner_invitation
from tests import conftest
from tests.factories import (
    CallFactory,
    DuesFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    funding_scheme,
)

# The patterns of each class of canary (matched case-insensitively: e-mail addresses are
# stored in lower case).
PRIVATE_B = r"canary-b-[0-9a-f]{12}"
MEMBERS_B = r"members-b-[0-9a-f]{12}"
SHARED_B = r"shared-b-[0-9a-f]{12}"
PUBLIC_B = r"public-b-[0-9a-f]{12}"


@dataclass
class Side:
    """What the builder made for one organisation."""

    tag: str
    organisation: Organisation = None
    membership: Membership = None
    admin_user: User = None
    contact_user: User = None
    people: dict = field(default_factory=dict)
    dues: Dues = None
    applicant: Organisation = None
    application: Membership = None
    application_document: MembershipDocument = None
    invitation: Invitation = None
    draft: object = None  # a project it leads alone, in draft
    draft_partner: object = None
    draft_document: ProjectDocument = None
    draft_invitation: PartnerInvitation = None
    labelled: object = None  # a labelled, running project it leads, with its follow-up
    version: ProjectVersion = None
    funding_application: FundingApplication = None
    milestone: Milestone = None
    report: ProgressReport = None
    open_search: PartnerSearch = None
    closed_search: PartnerSearch = None
    canaries: dict = field(default_factory=dict)  # label -> value


@dataclass
class World:
    a: Side
    b: Side
    joint: object  # A's project that B joins
    joint_b_partner: object
    hidden_call: object  # an unpublished call (staff only)
    users: dict  # role -> User (None for the anonymous visitor)


def make_user(email, *, group=None, totp=False, **extra) -> User:
    return conftest.make_user(User, email, group=group, totp_secret="JBSWY3DPEHPK3PXP" if totp else None, **extra)


class Canary:
    def __init__(self, side: Side):
        self.side = side

    def _make(self, kind: str, label: str) -> str:
        value = f"{kind}-{self.side.tag}-{secrets.token_hex(6)}"
        self.side.canaries[label] = value
        return value

    def private(self, label):
        return self._make("CANARY", label)

    def members(self, label):
        return self._make("MEMBERS", label)

    def shared(self, label):
        return self._make("SHARED", label)

    def public(self, label):
        return self._make("PUBLIC", label)

    def email(self, label):
        return f"{self.private(label).lower()}@{self.side.tag.lower()}.example"


def partner_contact(person) -> dict:
    """`contact=person` for a Partner while its contact is an organisation's Person (the
    consortium model may change: the matrix must not depend on it)."""
    field = Partner._meta.get_field("contact")
    return {"contact": person} if field.related_model is Person else {}


def file_with(name: str, text: str) -> ContentFile:
    return ContentFile(f"%PDF-1.4\n% {text}\n%%EOF\n".encode(), name=name)


def build_side(tag: str, *, call, domain) -> Side:
    side = Side(tag=tag)
    c = Canary(side)
    org = OrganisationFactory(
        legal_name=f"{c.public('legal name')} Industries {tag}",
        acronym=f"ORG{tag}",
        description_fr=c.public("directory description fr"),
        description_en=c.public("directory description en"),
        competences=c.public("competences"),
        directory_opt_in=True,
        size_override_reason=c.private("size override reason"),
        street=c.private("street"),
    )
    side.organisation = org
    side.membership = MembershipFactory(
        organisation=org,
        motivation=c.private("motivation"),
        decision_reference=c.private("decision reference"),
        start_date=date(2025, 1, 1),
    )
    side.admin_user = make_user(
        c.email("admin e-mail"), first_name=c.private("admin first name"), last_name=c.private("admin last name")
    )
    side.contact_user = make_user(
        c.email("contact e-mail"), first_name=c.private("contact first name"), last_name=c.private("contact last")
    )
    side.people["admin"] = PersonFactory(
        organisation=org,
        user=side.admin_user,
        email=side.admin_user.email,
        first_name=side.admin_user.first_name,
        last_name=side.admin_user.last_name,
        phone=c.private("admin phone"),
        is_organisation_admin=True,
    )
    side.people["contact"] = PersonFactory(
        organisation=org,
        user=side.contact_user,
        email=side.contact_user.email,
        first_name=side.contact_user.first_name,
        last_name=side.contact_user.last_name,
        job_title=c.private("contact job title"),
        is_main_contact=False,
    )
    side.people["no account"] = PersonFactory(
        organisation=org,
        email=c.email("no-account e-mail"),
        first_name=c.private("no-account first name"),
        last_name=c.private("no-account last name"),
        is_main_contact=False,
        is_billing_contact=True,
    )
    searcher = make_user(
        f"{c.members('searcher e-mail').lower()}@{tag.lower()}.example",
        first_name=c.members("searcher first name"),
        last_name=c.members("searcher last name"),
    )
    side.people["searcher"] = PersonFactory(
        organisation=org,
        user=searcher,
        email=searcher.email,
        first_name=searcher.first_name,
        last_name=searcher.last_name,
        is_main_contact=False,
    )

    # Dues, invoiced, with their notice.
    side.dues = DuesFactory(
        membership=side.membership,
        year=2026,
        amount="1234.56",
        status=Dues.Status.INVOICED,
        invoice_number=c.private("invoice number")[:40],
        invoiced_on=date(2026, 2, 1),
        due_date=date(2026, 3, 1),
        payment_reference=c.private("payment reference"),
    )
    side.dues.notice.save(f"{c.private('notice file name')}.pdf", file_with("n.pdf", c.private("notice content")))

    # A pending application of another organisation, made by B's admin.
    side.applicant = OrganisationFactory(
        legal_name=c.private("applicant legal name"),
        city=c.private("applicant city"),
        description_fr=c.private("applicant description"),
        directory_opt_in=False,
    )
    applicant_person = PersonFactory(
        organisation=side.applicant,
        user=side.admin_user,
        email=side.admin_user.email,
        first_name=side.admin_user.first_name,
        last_name=side.admin_user.last_name,
    )
    side.application = MembershipFactory(
        organisation=side.applicant,
        state=Membership.State.APPLIED,
        applicant=applicant_person,
        motivation=c.private("application motivation"),
    )
    name = f"{c.private('application document name')}.pdf"
    side.application_document = MembershipDocument(
        membership=side.application,
        kind=MembershipDocument.Kind.KBIS,
        original_name=name,
        size=100,
        content_type="application/pdf",
    )
    side.application_document.file.save(name, file_with(name, c.private("application document content")))

    # A pending invitation of a colleague.
    side.invitation = Invitation.objects.create(
        organisation=org,
        email=c.email("invitation e-mail"),
        first_name=c.private("invitation first name"),
        last_name=c.private("invitation last name"),
        invited_by=side.admin_user,
    )

    # A draft project B leads, with its budget, documents and a pending partner invitation.
    side.draft = ProjectFactory(
        call=call,
        acronym=c.private("draft acronym")[:40],
        title_fr=c.private("draft title fr"),
        title_en=c.private("draft title en"),
        summary_fr=c.private("draft summary fr"),
        summary_en=c.private("draft summary en"),
        description=c.private("draft description"),
        markets=c.private("draft markets"),
        lead_organisation=org,
        created_by=side.admin_user,
    )
    side.draft.strategic_domains.add(domain)
    side.draft_partner = PartnerFactory(
        project=side.draft,
        organisation=org,
        is_lead=True,
        **partner_contact(side.people["admin"]),
        role=c.private("draft role"),
        tasks=c.private("draft tasks"),
    )
    BudgetLine.objects.create(partner=side.draft_partner, category="personnel", amount="987654.32")
    name = f"{c.private('draft document name')}.pdf"
    side.draft_document = ProjectDocument(
        project=side.draft,
        partner=side.draft_partner,
        kind="technical_annex",
        original_name=name,
        size=100,
        content_type="application/pdf",
        uploaded_by=side.admin_user,
    )
    side.draft_document.file.save(name, file_with(name, c.private("draft document content")))
    side.draft_invitation = PartnerInvitation.objects.create(
        partner=side.draft_partner,
        email=c.email("partner invitation e-mail"),
        first_name=c.private("partner invitation first name"),
        last_name=c.private("partner invitation last name"),
        invited_by=side.admin_user,
    )

    # A labelled project, public (title and summary public; the rest private), running,
    # with a deposited version, its follow-up and outcome.
    side.labelled = ProjectFactory(
        call=call,
        acronym=c.public("labelled acronym")[:40],
        title_fr=c.public("labelled title fr"),
        title_en=c.public("labelled title en"),
        summary_fr=c.public("labelled summary fr"),
        summary_en=c.public("labelled summary en"),
        description=c.private("labelled description"),
        markets=c.private("labelled markets"),
        lead_organisation=org,
        created_by=side.admin_user,
        state=ProjectState.RUNNING,
        public_consent=True,
        confidentiality="restricted",
        reference=f"REF-{tag}-{secrets.token_hex(3)}",
        deposited_at=timezone.now() - timedelta(days=200),
    )
    side.labelled.strategic_domains.add(domain)
    labelled_lead = PartnerFactory(
        project=side.labelled,
        organisation=org,
        is_lead=True,
        **partner_contact(side.people["contact"]),
        role=c.private("labelled role"),
        tasks=c.private("labelled tasks"),
    )
    BudgetLine.objects.create(partner=labelled_lead, category="equipment", amount="876543.21")
    name = f"{c.private('labelled document name')}.pdf"
    labelled_document = ProjectDocument(
        project=side.labelled,
        partner=labelled_lead,
        kind="consortium_agreement",
        original_name=name,
        size=100,
        content_type="application/pdf",
        uploaded_by=side.admin_user,
    )
    labelled_document.file.save(name, file_with(name, c.private("labelled document content")))
    side.version = ProjectVersion.objects.create(
        project=side.labelled,
        number=1,
        snapshot={"description": c.private("snapshot description"), "acronym": side.labelled.acronym},
        deposited_at=timezone.now() - timedelta(days=200),
        deposited_by=side.admin_user,
    )
    side.version.pdf.save(f"{c.private('version file name')}.pdf", file_with("v.pdf", c.private("version content")))
    side.funding_application = FundingApplication.objects.create(
        project=side.labelled, funding_scheme=funding_scheme(), submitted_on=date(2026, 1, 10)
    )
    side.milestone = Milestone.objects.create(
        project=side.labelled, title=c.private("milestone title"), due_on=date(2026, 6, 1)
    )
    side.report = ProgressReport.objects.create(
        project=side.labelled,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        achievements=c.private("report achievements"),
        difficulties=c.private("report difficulties"),
        next_steps=c.private("report next steps"),
        submitted_by=side.contact_user,
    )
    ProjectOutcome.objects.create(project=side.labelled, patents=2, comments=c.private("outcome comments"))

    # Partner searches: an open one (read by every logged-in user) and a closed one.
    side.open_search = PartnerSearch.objects.create(
        author=searcher,
        organisation=org,
        strategic_domain=domain,
        title=c.members("open search title"),
        description=c.members("open search description"),
    )
    side.closed_search = PartnerSearch.objects.create(
        author=side.admin_user,
        organisation=org,
        strategic_domain=domain,
        title=c.private("closed search title"),
        description=c.private("closed search description"),
        is_open=False,
    )
    return side


def build_world() -> World:
    """Build both sides, A's project joined by B, and one user per role."""
    call = CallFactory()
    domain = StrategicDomain.objects.order_by("pk").first() or StrategicDomain.objects.create(
        code="canary", name_fr="Domaine", name_en="Domain"
    )
    a = build_side("A", call=call, domain=domain)
    b = build_side("B", call=call, domain=domain)
    hidden_call = CallFactory(
        title_fr=Canary(b).private("hidden call fr"), title_en=Canary(b).private("hidden call en"), is_published=False
    )

    users = {"anonymous": None}
    users["a_admin"] = a.admin_user
    users["a_contact"] = a.contact_user
    lead_user = make_user("lead-a@a.example", first_name="Lucie", last_name="Lead")
    lead_person = PersonFactory(
        organisation=a.organisation, user=lead_user, email=lead_user.email, first_name="Lucie", last_name="Lead"
    )
    users["a_lead"] = lead_user

    # A's project, joined by B; its B part is shared with the people of the project.
    cb = Canary(b)
    joint = ProjectFactory(
        call=call,
        acronym="JOINT-A",
        title_fr="Projet commun de A",
        title_en="A's joint project",
        lead_organisation=a.organisation,
        created_by=lead_user,
    )
    PartnerFactory(
        project=joint, organisation=a.organisation, is_lead=True, role="Coordinateur", **partner_contact(lead_person)
    )
    joint_b = PartnerFactory(
        project=joint, organisation=b.organisation, role=cb.shared("joint role"), tasks=cb.shared("joint tasks")
    )
    BudgetLine.objects.create(partner=joint_b, category="personnel", amount="55555.55")

    # An outside address invited as the contact of B's part of A's project; the invitee
    # accepts through the real service (whatever it makes of him: today a contact of B).
    partner_user = make_user("invitee@outside.example", first_name="Ivan", last_name="Invitee")
    invitation = PartnerInvitation.objects.create(
        partner=joint_b, email=partner_user.email, first_name="Ivan", last_name="Invitee", invited_by=lead_user
    )
    accept_partner_invitation(invitation=invitation, user=partner_user)
    users["a_partner"] = partner_user

    users["expert"] = make_user("expert@lab.example", group=roles.EXPERT, totp=True)
    users["committee"] = make_user("committee@pole.example", group=roles.COMMITTEE, totp=True)
    users["board"] = make_user("board@pole.example", group=roles.BOARD, totp=True)
    users["funder"] = make_user("funder@region.example", group=roles.FUNDER, totp=True)
    users["staff"] = make_user("staff@pole.example", group=roles.STAFF, totp=True, is_staff=True)
    users["superuser"] = make_user("root@pole.example", group=roles.STAFF, totp=True, is_staff=True, is_superuser=True)
    return World(a=a, b=b, joint=joint, joint_b_partner=joint_b, hidden_call=hidden_call, users=users)

"""The documents of a demo dossier: small generated one-page PDFs saved in the private
storage (technical annex, consortium agreement, Kbis, commitment letters)."""

import hashlib

from django.core.files.base import ContentFile

from members.models import OrganisationKind
from projects.demo.catalogue import MISSING_DOCUMENTS, NON_RD
from projects.models import DocumentKind, Partner, Project, ProjectDocument


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal, valid one-page PDF showing `lines` (Helvetica, WinAnsi encoding)."""

    def literal(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "\n".join(f"({literal(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 72 770 Td\n{text}\nET".encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


DOCUMENT_NAMES = {
    DocumentKind.TECHNICAL_ANNEX: "annexe-technique",
    DocumentKind.CONSORTIUM_AGREEMENT: "accord-de-consortium",
    DocumentKind.COMMITMENT_LETTER: "lettre-engagement",
    DocumentKind.KBIS: "extrait-kbis",
    DocumentKind.ACCOUNTS: "comptes-annuels",
}
DOCUMENT_TITLES = {
    DocumentKind.TECHNICAL_ANNEX: "Annexe technique",
    DocumentKind.CONSORTIUM_AGREEMENT: "Accord de consortium",
    DocumentKind.COMMITMENT_LETTER: "Lettre d'engagement",
    DocumentKind.KBIS: "Extrait Kbis",
    DocumentKind.ACCOUNTS: "Comptes annuels",
}


def add_document(project: Project, kind: str, *, partner=None, user=None, suffix: str = "") -> None:
    subject = partner.organisation.display_name if partner else project.acronym
    lines = [
        f"{DOCUMENT_TITLES[kind]} — {project.acronym}" + (f" — {subject}" if partner else ""),
        project.title_fr,
        f"Version {project.version} du dossier",
        "Document de démonstration généré par seed_demo.",
    ]
    content = pdf_bytes(lines)
    name = f"{DOCUMENT_NAMES[kind]}-{project.acronym.lower()}{suffix}.pdf"
    ProjectDocument.objects.create(
        project=project,
        partner=partner,
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        version=project.version,
        uploaded_by=user,
    )


def add_documents(rng, project: Project, partners: list[Partner], user) -> None:
    missing = MISSING_DOCUMENTS.get(project.acronym, set())
    for kind in (DocumentKind.TECHNICAL_ANNEX, DocumentKind.CONSORTIUM_AGREEMENT):
        if kind not in missing and (project.kind != NON_RD or kind == DocumentKind.TECHNICAL_ANNEX):
            add_document(project, kind, user=user)
    lead = partners[0]
    if lead.organisation.kind == OrganisationKind.COMPANY:
        add_document(project, DocumentKind.KBIS, partner=lead, user=user)
    for partner in partners[1:3]:
        if rng.random() < 0.7:
            add_document(project, DocumentKind.COMMITMENT_LETTER, partner=partner, user=user)

"""The kinds of generated files (pole.reports) of the projects app: the PDF of a deposited
version of a dossier, stored on its version (`ProjectVersion.pdf`, immutable once written)
and downloaded from projects/views/dossier.py."""

from pole.reports import FileKind, register
from projects.services import deposit

register(
    FileKind(
        name=deposit.DOSSIER_PDF,
        render=lambda job: deposit.render_dossier_pdf(version_id=job.parameters["version_id"]),
        store=lambda job, content: deposit.attach_dossier_pdf(version_id=job.parameters["version_id"], content=content),
    )
)

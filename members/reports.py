"""The kinds of generated files (pole.reports) of the members app: the dues notice, stored
on its dues record (`Dues.notice`) and downloaded from members/views/dues.py."""

from members.services import dues
from pole.reports import FileKind, register

register(
    FileKind(
        name=dues.DUES_NOTICE,
        render=lambda job: dues.render_dues_notice(dues_id=job.parameters["dues_id"], language=job.language),
        store=lambda job, content: dues.store_dues_notice(dues_id=job.parameters["dues_id"], content=content),
    )
)

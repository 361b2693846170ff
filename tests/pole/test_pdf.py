"""PDFs through pole/pdf.py and pole/reports.py: French text survives, local files and the
network do not."""

import hashlib
import io

import pypdf
import pytest
from django.template import engines

from pole.models import GeneratedFile
from pole.pdf import ForbiddenResource, find_static_file, render_pdf
from pole.reports import KINDS, FileKind, FileRequest, generate_file, register, request_file
from pole.storage import private_storage

ACCENTED = "Évaluation « été » : œuvre, garçon, Noël, 1 234,56 €"


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.fixture
def sheet_kind():
    """A kind of generated file kept on its request row (as reports will be): the pole's sheet."""
    kind = register(
        FileKind(
            name="tests.pole_sheet",
            render=lambda job: render_pdf("reports/pole_sheet.html", job.parameters, language=job.language),
            filename=lambda job: "sheet.pdf",
        )
    )
    yield kind
    del KINDS[kind.name]


def generate(parameters, capture) -> GeneratedFile:
    with capture(execute=True):
        job = request_file(FileRequest(kind="tests.pole_sheet", parameters=parameters, language="fr"))
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_the_task_renders_a_one_page_pdf_whose_text_is_what_was_rendered(
    sheet_kind, django_capture_on_commit_callbacks
):
    context = {"pole_name": "Pôle Hydrogène", "tagline": ACCENTED, "domains": ["Stockage côté réseau", "Piles"]}
    job = generate(context, django_capture_on_commit_callbacks)
    assert job.status == GeneratedFile.Status.DONE
    assert job.file.name.startswith("generated/tests.pole_sheet/") and job.file.name.endswith("-sheet.pdf")
    with private_storage().open(job.file.name) as handle:
        content = handle.read()
    assert job.checksum == hashlib.sha256(content).hexdigest()
    pages, text = pdf_text(content)
    assert pages == job.pages == 1
    # title, tagline, heading, list, then the running header and the page number
    expected = "Pôle Hydrogène " + ACCENTED + " Domaines d'activité stratégiques Stockage côté réseau Piles • • "
    expected += "Pôle Hydrogène 1 / 1"
    assert text == " ".join(expected.split())


@pytest.mark.django_db
def test_running_the_task_twice_leaves_one_file(sheet_kind, django_capture_on_commit_callbacks):
    job = generate({"pole_name": "X"}, django_capture_on_commit_callbacks)
    finished = job.finished_at
    assert generate_file.delay(file_id=job.pk).get() == GeneratedFile.Status.DONE
    job.refresh_from_db()
    assert job.finished_at == finished  # left alone
    folder = job.file.name.rsplit("/", 1)[0]
    assert private_storage().listdir(folder)[1] == [job.file.name.rsplit("/", 1)[1]]


@pytest.fixture
def hostile_template(settings, tmp_path):
    """A template that tries to pull /etc/passwd in every way WeasyPrint would follow."""
    source = """<html lang="fr"><head>
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <style>@import url("file:///etc/passwd"); body::after { content: url("file:///etc/passwd"); }</style>
      </head><body><p>Rapport</p>
      <img src="file:///etc/passwd" alt="x"><object data="file:///etc/passwd" type="text/plain"></object>
      <img src="/static/../../../../etc/passwd" alt="y"><img src="http://127.0.0.1:9/secret.png" alt="z">
      </body></html>"""
    (tmp_path / "hostile.html").write_text(source)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}
    yield "hostile.html"
    engines._engines = {}


def test_a_template_referencing_local_files_yields_a_pdf_without_them(hostile_template):
    content = render_pdf(hostile_template)
    secret = open("/etc/passwd", "rb").read()
    assert b"root:" not in content
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.attachments == {}
    assert "root:" not in pdf_text(content)[1]
    assert pdf_text(content)[1] == "Rapport x yz"  # the alt texts of the refused images
    assert secret[:20] not in content


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://pdf.pole.invalid/static/../../etc/passwd",
        "https://evil.example/static/css/report.css",
        "https://pdf.pole.invalid/media/private.pdf",
    ],
)
def test_the_fetcher_serves_only_static_files(url):
    with pytest.raises(ForbiddenResource):
        find_static_file(url)


def test_the_fetcher_serves_our_stylesheet():
    assert find_static_file("https://pdf.pole.invalid/static/css/report.css").endswith("static/css/report.css")

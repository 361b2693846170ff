"""PDF tables over several pages: a row is never split across two pages and the header
row is repeated at the top of each page [issue 9]."""

import io
import re

import pypdf
import pytest
from django.template import engines

from pole.pdf import render_pdf

ROWS = 60


@pytest.fixture
def long_table(settings, tmp_path):
    """A report (with the shared report stylesheet) whose table spans several pages; each
    row is several lines tall, so that a page break falls inside some row unless forbidden."""
    source = """{% extends "reports/base.html" %}{% block content %}<h1>Long</h1><table>
      <thead><tr><th>HEADCOL</th><th>Detail</th></tr></thead><tbody>
      {% for n in rows %}<tr><td>ROWSTART{{ n }}</td>
      <td>line a<br>line b<br>line c<br>line d<br>ROWEND{{ n }}</td></tr>{% endfor %}
      </tbody></table>{% endblock %}"""
    (tmp_path / "long_table.html").write_text(source)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}
    yield "long_table.html"
    engines._engines = {}


def test_rows_stay_whole_and_the_header_repeats_on_every_page(long_table):
    content = render_pdf(long_table, {"pole_name": "Pôle", "rows": [str(n) for n in range(ROWS)]})
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]
    assert len(pages) >= 3
    seen = []
    for text in pages:
        assert "HEADCOL" in text
        starts = re.findall(r"ROWSTART(\d+)", text)
        ends = re.findall(r"ROWEND(\d+)", text)
        assert starts == ends  # every row begun on this page ends on it
        seen += starts
    assert seen == [str(n) for n in range(ROWS)]

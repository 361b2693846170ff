"""The GIN index behind the directory's full-text search (PostgreSQL only).

Built from the same expression that members.search.search_organisations queries,
to_tsvector('french', legal_name || acronym || descriptions || competences), so that the
planner can answer `@@ websearch_to_tsquery('french', …)` from the index. The expression
is written out here rather than imported, as migrations must not change when the code
does; members/search.py says to change both together. SQLite has no such index: this
migration does nothing there, in both directions.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "members_org_search_fr_gin"


def search_index():
    return GinIndex(
        SearchVector("legal_name", "acronym", "description_fr", "description_en", "competences", config="french"),
        name=INDEX_NAME,
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("members", "Organisation"), search_index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("members", "Organisation"), search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_organisations_memberships_dues"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

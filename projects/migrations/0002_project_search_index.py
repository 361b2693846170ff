"""The GIN index behind the full-text search of the project lists (PostgreSQL only).

Built from the same expression that projects.search.search_projects queries,
to_tsvector('french', acronym || titles || public summaries), so that the planner can
answer `@@ websearch_to_tsquery('french', …)` from the index. The expression is written
out here rather than imported, as migrations must not change when the code does;
projects/search.py says to change both together. SQLite has no such index: this
migration does nothing there, in both directions.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "projects_project_search_fr_gin"


def search_index():
    return GinIndex(
        SearchVector("acronym", "title_fr", "title_en", "summary_fr", "summary_en", config="french"),
        name=INDEX_NAME,
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("projects", "Project"), search_index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("projects", "Project"), search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

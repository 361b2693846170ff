"""Full-text search over projects [P8] (pole/search.py).

Only the public fields are searched — acronym, titles and public summaries — never the
confidential description, so that a word of the description cannot be guessed from the
public list's results (one expression for every list keeps one index). Migration
projects/0002 builds a GIN index on exactly `project_search_vector()`.
"""

from pole.search import full_text_search, search_vector

SEARCH_FIELDS = ("acronym", "title_fr", "title_en", "summary_fr", "summary_en")
# The index of migration 0002 is built from this very expression: change both together.
PROJECT_SEARCH_INDEX = "projects_project_search_fr_gin"


def project_search_vector():
    return search_vector(SEARCH_FIELDS)


def search_projects(queryset, q: str):
    """`queryset` narrowed to the projects matching the words of `q`; ranked best first on
    PostgreSQL (the list's own order breaks ties), left in its order elsewhere."""
    ordering = queryset.query.order_by or ("acronym", "pk")
    return full_text_search(queryset, q, fields=SEARCH_FIELDS, then_by=ordering)

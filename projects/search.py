"""Full-text search over projects [P8].

Only the public fields are searched — acronym, titles and public summaries — never the
confidential description, so that a word of the description cannot be guessed from the
public list's results (one expression for every list keeps one index).

On PostgreSQL: the French text-search configuration, the words read as a web search
("hydrogène -nucléaire", "\"fabrication additive\""), results ranked. Migration
projects/0002 builds a GIN index on exactly `project_search_vector()` (the same Django
expression), so the planner can use it. Anywhere else (SQLite, the embedded default):
every word must appear, case-insensitively, in one of the same fields.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

SEARCH_CONFIG = "french"
SEARCH_FIELDS = ("acronym", "title_fr", "title_en", "summary_fr", "summary_en")
# The index of migration 0002 is built from this very expression: change both together.
PROJECT_SEARCH_INDEX = "projects_project_search_fr_gin"


def project_search_vector() -> SearchVector:
    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


def search_projects(queryset, q: str):
    """`queryset` narrowed to the projects matching the words of `q`; ranked best first on
    PostgreSQL, left in its order elsewhere. An empty `q` changes nothing."""
    q = (q or "").strip()
    if not q:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        vector = project_search_vector()
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        # Best match first; the list's own order breaks ties.
        ordering = queryset.query.order_by or ("acronym", "pk")
        return (
            queryset.alias(search_document=vector)
            .filter(search_document=query)
            .annotate(search_rank=SearchRank(vector, query))
            .order_by("-search_rank", *ordering)
        )
    condition = Q()
    for word in q.split()[:10]:
        any_field = Q()
        for field in SEARCH_FIELDS:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)

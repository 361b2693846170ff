"""Full-text search over organisations [M5].

On PostgreSQL: the French text-search configuration over the legal name, acronym,
descriptions and competences, with the visitor's words read as a web search ("rouge
-vin", "\"fabrication additive\"", "lyon or grenoble"), results ranked. Migration
members/0003 builds a GIN index on exactly `ORGANISATION_SEARCH_VECTOR` (compiled by the
same Django expression), so the planner can use it. Anywhere else (SQLite, the embedded
default): every word must appear, case-insensitively, in one of the same fields.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

SEARCH_CONFIG = "french"
SEARCH_FIELDS = ("legal_name", "acronym", "description_fr", "description_en", "competences")
# The index of migration 0003 is built from this very expression: change both together.
ORGANISATION_SEARCH_INDEX = "members_org_search_fr_gin"


def organisation_search_vector() -> SearchVector:
    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


def search_organisations(queryset, q: str):
    """`queryset` narrowed to the organisations matching the words of `q`; ranked best
    first on PostgreSQL, left in its order elsewhere. An empty `q` changes nothing."""
    q = (q or "").strip()
    if not q:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        vector = organisation_search_vector()
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        return (
            queryset.alias(search_document=vector)
            .filter(search_document=query)
            .annotate(search_rank=SearchRank(vector, query))
            .order_by("-search_rank", "legal_name")
        )
    condition = Q()
    for word in q.split()[:10]:
        any_field = Q()
        for field in SEARCH_FIELDS:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)

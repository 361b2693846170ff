"""Full-text search over a few text fields, one way for every list.

On PostgreSQL: the French text-search configuration over the fields, the visitor's words
read as a web search ("rouge -vin", "\"fabrication additive\"", "lyon or grenoble"),
results ranked best first. Each app builds a GIN index on exactly `search_vector(fields)`
(the same Django expression, compiled the same way) in a migration, so that the planner
can use it: change the fields and the index together. Anywhere else (SQLite, the embedded
default): every word (the first ten) must appear, case-insensitively, in one of the fields.

The apps keep only their field lists: members/search.py, projects/search.py.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

SEARCH_CONFIG = "french"
MAX_WORDS = 10


def search_vector(fields) -> SearchVector:
    """The expression the search matches and the apps' GIN indexes are built on."""
    return SearchVector(*fields, config=SEARCH_CONFIG)


def full_text_search(queryset, q: str, *, fields, then_by):
    """`queryset` narrowed to the rows matching the words of `q` in `fields`; on
    PostgreSQL ranked best first, ties ordered by `then_by`; elsewhere left in its order.
    An empty `q` changes nothing."""
    q = (q or "").strip()
    if not q:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        vector = search_vector(fields)
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        return (
            queryset.alias(search_document=vector)
            .filter(search_document=query)
            .annotate(search_rank=SearchRank(vector, query))
            .order_by("-search_rank", *then_by)
        )
    condition = Q()
    for word in q.split()[:MAX_WORDS]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)

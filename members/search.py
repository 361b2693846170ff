"""Full-text search over organisations [M5] (pole/search.py): the legal name, acronym,
descriptions and competences. Migration members/0003 builds a GIN index on exactly
`organisation_search_vector()`."""

from pole.search import full_text_search, search_vector

SEARCH_FIELDS = ("legal_name", "acronym", "description_fr", "description_en", "competences")
# The index of migration 0003 is built from this very expression: change both together.
ORGANISATION_SEARCH_INDEX = "members_org_search_fr_gin"


def organisation_search_vector():
    return search_vector(SEARCH_FIELDS)


def search_organisations(queryset, q: str):
    """`queryset` narrowed to the organisations matching the words of `q`; ranked best
    first (then by name) on PostgreSQL, left in its order elsewhere."""
    return full_text_search(queryset, q, fields=SEARCH_FIELDS, then_by=("legal_name",))

"""The tag index (/tags/): every tag with how many passages the reader may see carry it.

Counts go through access.py: a private annotation of someone else never counts, a hidden one
counts for staff and its creator only, and a tag that no passage the reader may see carries
is not listed at all (its name could reveal a private note). Passages are annotations that are
not replies, the records the tag's own page (/tags/<slug>/) lists, so a count matches the page
it links to. One query for the rows, whatever the number of tags.
"""

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Lower

from . import access
from .models import TaggedAnnotation

TAG_SORTS = ("name", "-name", "count", "-count")
DEFAULT_TAG_SORT = "name"
MAX_QUERY_LENGTH = 100
PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class TagIndexQuery:
    """What the reader asked for: a filter on names (?q=) and an order (?sort=)."""

    query: str = ""
    sort: str = DEFAULT_TAG_SORT

    @classmethod
    def parse(cls, *, query: str | None, sort: str | None) -> "TagIndexQuery":
        """Bounded and valid whatever was sent: an unknown sort is the default one."""
        query = " ".join((query or "")[:MAX_QUERY_LENGTH].split())
        return cls(query=query, sort=sort if sort in TAG_SORTS else DEFAULT_TAG_SORT)


def tag_index(*, user, query: TagIndexQuery) -> QuerySet:
    """Rows {"name", "slug", "count"} of the tags on passages the user may see, filtered by
    name (case-insensitive substring) and sorted by name or by count (ties by name)."""
    passages = access.annotations_visible_to(user).filter(parent__isnull=True).values("pk")
    rows = (
        TaggedAnnotation.objects.filter(content_object__in=passages)
        .values(name=F("tag__name"), slug=F("tag__slug"))
        .annotate(count=Count("content_object", distinct=True))
    )
    if query.query:
        rows = rows.filter(tag__name__icontains=query.query)
    by_name = (Lower("tag__name").asc(), F("tag__slug").asc())
    if query.sort == "name":
        return rows.order_by(*by_name)
    if query.sort == "-name":
        return rows.order_by(Lower("tag__name").desc(), F("tag__slug").desc())
    if query.sort == "count":
        return rows.order_by(F("count").asc(), *by_name)
    return rows.order_by(F("count").desc(), *by_name)

"""The search page's selector: `search_page` gives one request's results and filters, reading
once what the reader may find beyond what everyone may (access.reader_beyond) for both."""

from dataclasses import dataclass

from .. import access
from .filters import SearchFilters, search_filters
from .results import SearchResults, search


@dataclass(frozen=True, slots=True)
class SearchPage:
    results: SearchResults
    filters: SearchFilters


def search_page(
    *,
    user,
    query: str,
    kind: str = "",
    outlet: str = "",
    tag: str = "",
    story: str = "",
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """The results of `search` and the filters the user is offered."""
    beyond = access.reader_beyond(user)
    results = search(
        user=user,
        query=query,
        kind=kind,
        outlet=outlet,
        tag=tag,
        story=story,
        limit=limit,
        offset=offset,
        beyond=beyond,
    )
    return SearchPage(results=results, filters=search_filters(user=user, beyond=beyond))

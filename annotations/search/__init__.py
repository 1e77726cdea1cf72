"""Site search over articles, annotations and claims: `search()` (results.py) ranks what a
user may see and returns highlighted snippets, and `search_filters()` (filters.py) says which
outlets and tags a user can narrow it by. The rest is one idea a module: the query a user typed
(query.py), the SQLite FTS5 and PostgreSQL backends that find and rank (backends.py), the kinds
and what each user may find of them (filters.py), bounded, escaped snippets (snippets.py), and
the page's selector, which reads the reader's own additions once for both (page.py).
"""

from .backends import FTS_TABLE, HEADLINE_WINDOW, Hit, _backend
from .filters import SearchFilters, SearchKind, kind_model, search_filters
from .page import SearchPage, search_page
from .query import CONFIG, MAX_LIMIT, MAX_QUERY_LENGTH, MAX_TERMS, ParsedQuery, parse_query
from .results import SearchResult, SearchResults, search
from .snippets import ELLIPSIS, MARK_CLOSE, MARK_OPEN, MAX_MARKS, highlighted, snippet_window

__all__ = [
    "CONFIG",
    "ELLIPSIS",
    "FTS_TABLE",
    "HEADLINE_WINDOW",
    "MARK_CLOSE",
    "MARK_OPEN",
    "MAX_LIMIT",
    "MAX_MARKS",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "Hit",
    "ParsedQuery",
    "SearchFilters",
    "SearchKind",
    "SearchPage",
    "SearchResult",
    "SearchResults",
    "_backend",
    "highlighted",
    "kind_model",
    "parse_query",
    "search",
    "search_filters",
    "search_page",
    "snippet_window",
]

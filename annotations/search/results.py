"""The search selector: `search()` ranks the articles, annotations and claims a user may see
that match a query and returns one page of `SearchResult`s with highlighted snippets. It runs a
fixed number of queries whatever the number of results: the backend's count and page of
(kind, id, rank) over the kinds searched, then one query per kind on the page for the rows and
their marked text, which `snippets` turns into bounded, escaped HTML."""

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .. import access
from ..notes import note_text
from .backends import _Backend, _backend
from .filters import SearchKind, _visible, kind_model
from .query import MAX_LIMIT, ParsedQuery, parse_query
from .snippets import highlighted, snippet_window

_SLUG = re.compile(r"[-\w]{1,255}")


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One hit, whatever its kind."""

    kind: SearchKind
    pk: int
    title: str  # plain text
    title_html: SafeString  # the title with matches in <mark>
    url: str
    snippet: SafeString  # escaped text with matches in <mark>
    rank: float
    outlet: str = ""
    # Who wrote it, on what article (annotations); who made the claim (claims).
    context: SafeString = field(default_factory=SafeString)
    quote: SafeString = field(default_factory=SafeString)  # an annotation's passage
    # The article's language and direction, for the title and text shown (articles and
    # annotations; "" for claims, whose text is the site's own).
    language: str = ""
    direction: str = ""


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: ParsedQuery
    results: list[SearchResult]
    total: int
    limit: int
    offset: int

    @property
    def start(self) -> int:
        """The position of the first result shown (1-based)."""
        return self.offset + 1

    @property
    def end(self) -> int:
        return self.offset + len(self.results)

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total


def search(
    *,
    user,
    query: str,
    kind: str = "",
    outlet: str = "",
    tag: str = "",
    story: str = "",
    limit: int = 20,
    offset: int = 0,
    beyond: access.Beyond | None = None,
) -> SearchResults:
    """Articles, annotations and claims matching the query that the user may see, best first.

    kind is "", "article", "annotation" or "claim"; outlet, tag and story are slugs ("" for
    any; a story filters to its articles, their annotations and the claims they carry).
    An empty query (or one with no letters or digits) finds nothing and runs no query.
    `beyond` is access.reader_beyond(user), read here when not given.
    """
    parsed = parse_query(query)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    if not parsed or any(value and not _SLUG.fullmatch(value) for value in (outlet, tag, story)):
        return SearchResults(parsed, [], 0, limit, offset)  # a bad slug names nothing
    if beyond is None:
        beyond = access.reader_beyond(user)
    kinds = [SearchKind(kind)] if kind else list(SearchKind)
    visible = {
        k: _visible(k, user=user, beyond=beyond, outlet=outlet, tag=tag, story=story) for k in kinds
    }
    backend = _backend(parsed)
    total, hits = backend.hits(visible, limit=limit, offset=offset)
    details: dict[tuple[SearchKind, int], SearchResult] = {}
    for k in kinds:
        ranks = {pk: rank for hit_kind, pk, rank in hits if hit_kind is k}
        if ranks:
            details |= {(k, r.pk): r for r in _results(k, backend, ranks)}
    results = [details[k, pk] for k, pk, _rank in hits if (k, pk) in details]
    return SearchResults(parsed, results, total, limit, offset)


def _snippet(
    backend: _Backend, raw: str | None, *, words: int, markdown: bool = False
) -> SafeString:
    """A bounded snippet of a column from either backend, matches marked, as safe HTML; a
    Markdown column (an annotation's note) shows its rendered words, not its syntax."""
    marked = backend.mark(raw)
    if markdown:
        marked = note_text(marked)
    return highlighted(snippet_window(marked, words=words))


def _results(kind: SearchKind, backend: _Backend, ranks: dict[int, float]) -> list[SearchResult]:
    """The page's rows of one kind, with their snippets (one query)."""
    rows = backend.highlights(kind, kind_model(kind).objects.filter(pk__in=ranks).order_by())
    if kind is SearchKind.ARTICLE:
        return [
            SearchResult(
                kind=kind,
                pk=a.pk,
                title=a.title,
                title_html=_snippet(backend, a.hl_head, words=64),
                url=a.get_absolute_url(),
                snippet=_snippet(backend, a.hl_body, words=32),
                rank=ranks[a.pk],
                outlet=a.outlet.name if a.outlet else "",
                language=a.language,
                direction=a.direction,
            )
            for a in rows.select_related("outlet")
        ]
    if kind is SearchKind.ANNOTATION:
        rows = rows.select_related("article__outlet", "creator")
        return [
            SearchResult(
                kind=kind,
                pk=a.pk,
                title=a.article.title,
                title_html=highlighted(a.article.title),
                url=f"{a.article.get_absolute_url()}#card-{a.pk}",
                snippet=(
                    _snippet(backend, a.hl_head, words=40, markdown=True)
                    if a.note
                    else SafeString()
                ),
                quote=_snippet(backend, a.hl_body, words=24),
                rank=ranks[a.pk],
                outlet=a.article.outlet.name if a.article.outlet else "",
                context=format_html("{} on “{}”", a.creator.get_username(), a.article.title),
                language=a.article.language,
                direction=a.article.direction,
            )
            for a in rows
        ]
    return [
        SearchResult(
            kind=kind,
            pk=c.pk,
            title=c.text,
            title_html=_snippet(backend, c.hl_head, words=64),
            url=reverse("annotations:claim-detail", args=[c.pk]),
            snippet=_snippet(backend, c.hl_body, words=32) if c.reviewer_notes else SafeString(),
            rank=ranks[c.pk],
            context=_snippet(backend, c.hl_who, words=16) if c.claimant else SafeString(),
        )
        for c in rows
    ]

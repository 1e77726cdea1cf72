"""Site search over articles, annotations and claims: one selector, two backends.

`search()` ranks what a user may see and returns highlighted snippets. The backend follows the
database: SQLite's FTS5 (the `articles_search` table) or PostgreSQL's full-text search (stored
`search_vector` columns with GIN indexes). Both indexes are made and kept in sync by the
database itself (migration articles/0008_search: an FTS5 table and triggers on SQLite;
articles/0010_search_vectors: generated columns and triggers on PostgreSQL), so no code path
that writes an article, revision, annotation or claim can leave search behind.

A search runs a fixed number of queries whatever the number of results: how many match and
the page of (kind, id, rank) over the three kinds (two queries on SQLite, one on PostgreSQL),
then one query per kind on the page for the snippets.

User input never reaches a query language: `parse_query` keeps the words and "quoted phrases"
of the query, and each becomes a quoted FTS5 string or a `plainto_tsquery`/`phraseto_tsquery`.
Matches are marked with private marker characters (by ts_headline over a bounded window on
PostgreSQL, by `articles.snippets.Marker` on SQLite, whose FTS5 snippet() and highlight() are
quadratic in the matches); `snippet_window` cuts a bounded snippet around the first match,
with at most MAX_MARKS marks; the text is escaped and the markers turned into <mark> here, so
stored text is never trusted.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection, models
from django.db.models import Exists, F, FloatField, OuterRef, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from annotations.access import annotations_visible_to, claims_visible_to
from annotations.models import Annotation, Claim, TaggedAnnotation, TaggedClaim
from annotations.notes import note_text

from .models import Article, Outlet
from .snippets import Marker

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
MAX_LIMIT = 100
CONFIG = "english"  # PostgreSQL text search configuration (FTS5 uses the porter stemmer)
FTS_TABLE = "articles_search"  # made by migration articles/0008_search

# Around matches in what the database returns: Unicode noncharacters, which text never holds
# meaningfully (and which are dropped from queries and handled safely if text holds them).
MARK_OPEN, MARK_CLOSE = "\ufdd0", "\ufdd1"
ELLIPSIS = " … "


class SearchKind(models.TextChoices):
    ARTICLE = "article", "Articles"
    ANNOTATION = "annotation", "Annotations"
    CLAIM = "claim", "Claims"

    @property
    def code(self) -> int:
        """The kind's part of an FTS5 rowid (pk * 4 + code), as in the migration."""
        return {"article": 1, "annotation": 2, "claim": 3}[self.value]

    @property
    def singular(self) -> str:
        return self.label.removesuffix("s")


# --- The query ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What is searched for: words (all must match) and phrases (words side by side)."""

    text: str  # the query as searched (cleaned, at most MAX_QUERY_LENGTH characters)
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every word and phrase quoted, all of them required."""
        parts = [*self.words, *self.phrases]
        return " AND ".join('"' + part.replace('"', '""') + '"' for part in parts)

    def tsquery(self) -> SearchQuery:
        """The PostgreSQL query: plainto_tsquery of the words, phraseto_tsquery of each phrase."""
        queries = [SearchQuery(" ".join(self.words), config=CONFIG)] if self.words else []
        queries += [SearchQuery(p, search_type="phrase", config=CONFIG) for p in self.phrases]
        combined = queries[0]
        for query in queries[1:]:
            combined &= query
        return combined


_PHRASE = re.compile(r'"([^"]*)"')
_SLUG = re.compile(r"[-\w]{1,255}")


def _has_word_character(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _clean(text: str) -> str:
    """Control, format, private-use and unassigned characters become spaces."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def parse_query(text: str) -> ParsedQuery:
    """Words and "quoted phrases" of what the user typed; operators mean nothing here.

    Pure: never raises. Quotes that pair up make phrases, others are ignored; a part with no
    letter or digit (`*`, `-`, `:`) is dropped; at most MAX_TERMS parts are kept.
    """
    text = " ".join(_clean(text).split())
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH].strip()
    phrases = [" ".join(p.split()) for p in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    phrases = [p for p in phrases if _has_word_character(p)]
    words = [w for w in rest.split() if _has_word_character(w)]
    words = list(dict.fromkeys(words))[:MAX_TERMS]
    phrases = list(dict.fromkeys(phrases))[: max(0, MAX_TERMS - len(words))]
    # A one-word phrase is a word.
    words += [p for p in phrases if " " not in p and p not in words]
    phrases = [p for p in phrases if " " in p]
    return ParsedQuery(text, tuple(words), tuple(phrases), truncated)


def highlighted(raw: str | None) -> SafeString:
    """Text from the database with MARK_OPEN/MARK_CLOSE around matches, as safe HTML.

    Everything is escaped; only balanced markers become <mark>…</mark>, so text holding the
    marker characters itself can at worst mark the wrong words, never break the page.
    """
    out: list[str] = []
    is_open = False
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", raw or ""):
        if piece == MARK_OPEN:
            if not is_open:
                out.append("<mark>")
                is_open = True
        elif piece == MARK_CLOSE:
            if is_open:
                out.append("</mark>")
                is_open = False
        elif piece:
            out.append(str(escape(piece)))
    if is_open:
        out.append("</mark>")
    return mark_safe("".join(out))  # every piece was escaped above


# How much of a row's text a snippet shows and how many matches it marks, whatever the text's
# length or how often it matches: the work after the database is linear in the text and the
# result is bounded (a 1 MB article of one repeated word gives a 64-word snippet).
MAX_MARKS = 16
_CONTEXT_WORDS = 4  # words shown before the first match
_WORD = re.compile(r"\S+\s*")
_MARKS = re.compile(f"[{MARK_OPEN}{MARK_CLOSE}]")
_MARKED = re.compile(f"({MARK_OPEN}[^{MARK_CLOSE}]*{MARK_CLOSE}?)")
_CONTENT = re.compile(f"[^\\s{MARK_OPEN}{MARK_CLOSE}]")


def snippet_window(raw: str | None, *, words: int) -> str:
    """Text with markers cut to about `words` words starting just before its first match
    ("…" where text was cut), with at most MAX_MARKS matches marked. Pure; never raises."""
    text = raw or ""
    first = max(0, text.find(MARK_OPEN))
    # Only a bounded stretch around the first match is ever split into words.
    reach = max(0, first - 40 * _CONTEXT_WORDS)
    lead = _WORD.findall(text, reach, first)
    if reach > 0:
        lead = lead[1:]  # the stretch may start inside a word
    start = first - sum(map(len, lead[-_CONTEXT_WORDS:]))
    # When the first match lies within the first `words` words, nothing is cut before it (a
    # title or a short note shows whole).
    opening = itertools.islice(_WORD.finditer(text, 0, 40 * words), words)
    if text.find(MARK_CLOSE, first) < sum(len(m.group()) for m in opening):
        start = 0
    taken = itertools.islice(_WORD.finditer(text, start, start + 40 * words), words)
    end = start + sum(len(m.group()) for m in taken)
    marks = 0
    pieces: list[str] = []
    for piece in _MARKED.split(text[start:end].strip()):
        if piece.startswith(MARK_OPEN):
            marks += 1
            if marks > MAX_MARKS:
                piece = _MARKS.sub("", piece)
        pieces.append(piece)
    cut_before = _CONTENT.search(text, 0, start) is not None
    cut_after = _CONTENT.search(text, end) is not None
    return ("…" if cut_before else "") + "".join(pieces) + ("…" if cut_after else "")


# --- Results --------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What the filters offer this user."""

    outlets: list[Outlet]
    tags: list[Tag]
    kinds: type[SearchKind] = SearchKind


def search_filters(*, user) -> SearchFilters:
    """Outlets with published articles, and the tags on what the user may see."""
    visible = annotations_visible_to(user).filter(article__status=Article.Status.PUBLISHED)
    tags = Tag.objects.filter(
        Exists(TaggedAnnotation.objects.filter(tag=OuterRef("pk"), content_object__in=visible))
        | Exists(
            TaggedClaim.objects.filter(
                tag=OuterRef("pk"), content_object__in=claims_visible_to(user)
            )
        )
    ).order_by("name")
    outlets = Outlet.objects.filter(
        Exists(Article.objects.published().filter(outlet=OuterRef("pk")))
    ).order_by("name")
    return SearchFilters(outlets=list(outlets), tags=list(tags))


# --- Backends -------------------------------------------------------------------------------


Hit = tuple[SearchKind, int, float]  # kind, primary key, rank (higher is better)


class _Backend:
    """How one database finds, ranks and highlights what the user may see.

    `visible` maps each kind searched to the queryset of its rows the user may find.
    """

    def __init__(self, query: ParsedQuery):
        self.query = query

    def count(self, visible: dict[SearchKind, QuerySet]) -> int:
        """How many visible rows match (one query)."""
        raise NotImplementedError

    def ranked_page(
        self, visible: dict[SearchKind, QuerySet], *, limit: int, offset: int
    ) -> list[tuple]:
        """A page of the visible matches, best first, as (kind, pk, rank, how many match)
        (one query, which finds, ranks and counts the matches at once)."""
        raise NotImplementedError

    def hits(
        self, visible: dict[SearchKind, QuerySet], *, limit: int, offset: int
    ) -> tuple[int, list[Hit]]:
        """How many visible rows match, and a page of them, best first."""
        rows = self.ranked_page(visible, limit=limit, offset=offset)
        if not rows:  # nothing matches, or the page is past the last match
            return (self.count(visible) if offset else 0), []
        return rows[0][3], [(SearchKind(kind), pk, rank) for kind, pk, rank, _total in rows]

    def highlights(self, kind: SearchKind, rows: QuerySet) -> QuerySet:
        """rows with `hl_head`, `hl_body` and `hl_who` annotations (text with markers)."""
        raise NotImplementedError

    def mark(self, raw: str | None) -> str:
        """What `highlights` gave, with the matches between markers (when it did not)."""
        return raw or ""


class _SQLiteBackend(_Backend):
    """FTS5: rowid = pk * 4 + kind code; bm25 weights head 10, body 1, who 2.

    One scan of the FTS5 index finds and ranks the matches (bm25 looks at the whole match set,
    so it must never run once per row); each match is then checked by primary key against
    the queryset of what the user may see, so the cost follows the number of matches.
    """

    def _matches(self, visible: dict[SearchKind, QuerySet], select: str, rank: bool):
        score = f", -bm25({FTS_TABLE}, 10.0, 1.0, 2.0) AS rank" if rank else ""
        conditions, params = [], [self.query.fts5()]
        for kind, rows in visible.items():
            same = rows.filter(pk=RawSQL("m.id", ())).order_by().values("pk")
            sql, sub_params = same.query.sql_with_params()
            conditions.append(f"(m.kind = {kind.code} AND EXISTS ({sql}))")
            params += sub_params
        sql = (
            f"SELECT {select} FROM (SELECT rowid & 3 AS kind, rowid / 4 AS id{score} "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) AS m WHERE {' OR '.join(conditions)}"
        )
        return sql, params

    def count(self, visible: dict[SearchKind, QuerySet]) -> int:
        sql, params = self._matches(visible, "COUNT(*)", rank=False)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def ranked_page(
        self, visible: dict[SearchKind, QuerySet], *, limit: int, offset: int
    ) -> list[tuple]:
        # One scan of the index ranks and counts the matches (a window over the rows the
        # sort for the page reads anyway).
        sql, params = self._matches(visible, "m.kind, m.id, m.rank, COUNT(*) OVER ()", rank=True)
        sql += " ORDER BY m.rank DESC, m.kind, m.id LIMIT %s OFFSET %s"
        kinds = {kind.code: kind.value for kind in SearchKind}
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [(kinds[code], *rest) for code, *rest in cursor.fetchall()]

    def highlights(self, kind: SearchKind, rows: QuerySet) -> QuerySet:
        """The indexed columns as they are; `mark` marks them here, in bounded work.

        FTS5's snippet() scores every match against every other and its highlight() copies
        its output at every match: both grow with the square of the matches (a note of one
        word said 6,666 times took a second; a 1 MB article never finished).
        """
        columns = {
            SearchKind.ARTICLE: ("title", "current_revision__body", None),
            SearchKind.ANNOTATION: ("note", "exact", None),
            SearchKind.CLAIM: ("text", "reviewer_notes", "claimant"),
        }[kind]
        head, body, who = columns
        return rows.annotate(hl_head=F(head), hl_body=F(body), hl_who=F(who) if who else Value(""))

    def mark(self, raw: str | None) -> str:
        return self._marker.mark(raw)

    def __init__(self, query: ParsedQuery):
        super().__init__(query)
        self._marker = Marker([*query.words, *query.phrases], MARK_OPEN, MARK_CLOSE)


class _StoredVector(models.Expression):
    """The `search_vector` column of the query's own table (PostgreSQL only).

    Migration articles/0010_search_vectors adds it to articles, annotations and claims and
    keeps it in sync in the database (generated columns, triggers); it is not a model field.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.search_vector", []


HEADLINE_WINDOW = 2_000  # characters of a column ts_headline reads (PostgreSQL)


class _Window(models.Func):
    """substr(column) of HEADLINE_WINDOW characters from a little before the first place where
    the lowercased column holds a lexeme of the query (PostgreSQL; lexemes of the English
    configuration are lowercase word stems, so a match's text starts with one)."""

    output_field = TextField()

    def __init__(self, column: str, query_text: str):
        super().__init__(F(column), Value(query_text))

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        words, word_params = compiler.compile(self.source_expressions[1])
        first = (
            f"(SELECT MIN(NULLIF(strpos(lower({column}), lexeme), 0)) FROM "
            f"unnest(tsvector_to_array(to_tsvector('{CONFIG}', {words}))) AS lexeme)"
        )
        sql = f"substr({column}, GREATEST(1, COALESCE({first}, 1) - 200), {HEADLINE_WINDOW})"
        return sql, [*column_params, *column_params, *word_params]


class _PostgreSQLBackend(_Backend):
    """Full-text search over the stored vectors and their GIN indexes (migration 0010).

    The vectors are read, never recomputed: the index finds the matches, ts_rank reads each
    match's stored vector once, and one query ranks the matches of all kinds, counts them and
    keeps the top of the page. Only the page's rows are highlighted (ts_headline on their text).
    An article matches when its title and current body together hold every word, as in FTS5.
    """

    def __init__(self, query: ParsedQuery):
        super().__init__(query)
        self.tsquery = query.tsquery()

    def matching(self, kind: SearchKind, rows: QuerySet) -> QuerySet:
        return rows.alias(search_vector=_StoredVector()).filter(search_vector=self.tsquery)

    def _ranked(self, visible: dict[SearchKind, QuerySet]) -> tuple[str, list]:
        """SQL of (search_kind, search_id, search_rank) of every visible match."""
        ranked = [
            self.matching(k, rows)
            .order_by()
            .annotate(
                search_kind=Value(k.value),
                search_id=F("pk"),
                search_rank=models.ExpressionWrapper(
                    SearchRank(_StoredVector(), self.tsquery), FloatField()
                ),
            )
            .values("search_kind", "search_id", "search_rank")
            for k, rows in visible.items()
        ]
        rows = ranked[0].union(*ranked[1:], all=True) if len(ranked) > 1 else ranked[0]
        return rows.order_by().query.sql_with_params()

    def count(self, visible: dict[SearchKind, QuerySet]) -> int:
        counted = [self.matching(k, rows).order_by().values("pk") for k, rows in visible.items()]
        if len(counted) == 1:
            return counted[0].count()
        return counted[0].union(*counted[1:], all=True).count()

    def ranked_page(
        self, visible: dict[SearchKind, QuerySet], *, limit: int, offset: int
    ) -> list[tuple]:
        sql, params = self._ranked(visible)
        # Materialized once; counted, and sorted for a top-N only (a window over all of them
        # would sort every match).
        sql = (
            f"WITH m AS MATERIALIZED ({sql}) "
            "SELECT m.search_kind, m.search_id, m.search_rank, (SELECT COUNT(*) FROM m) "
            "FROM m ORDER BY m.search_rank DESC, m.search_kind, m.search_id LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return cursor.fetchall()

    def _headline(self, column: str, *, whole: bool = False) -> SearchHeadline:
        """ts_headline of a bounded window of the column around its first match.

        ts_headline's work grows faster than the text (a phrase query over a 1 MB article of
        one repeated word exhausted the server's memory), so it is given HEADLINE_WINDOW
        characters starting a little before the first place the text holds one of the query's
        lexemes (a lowercase substring search, linear), or the start when none is found.
        """
        options = (
            {"highlight_all": True}
            if whole
            else {
                "max_words": 30,
                "min_words": 12,
                "max_fragments": 2,
                "fragment_delimiter": ELLIPSIS,
            }
        )
        return SearchHeadline(
            _Window(column, self.query.text),
            self.tsquery,
            config=CONFIG,
            start_sel=MARK_OPEN,
            stop_sel=MARK_CLOSE,
            **options,
        )

    def highlights(self, kind: SearchKind, rows: QuerySet) -> QuerySet:
        if kind is SearchKind.ARTICLE:
            return rows.annotate(
                hl_head=self._headline("title", whole=True),
                hl_body=self._headline("current_revision__body"),
                hl_who=Value(""),
            )
        if kind is SearchKind.ANNOTATION:
            return rows.annotate(
                # The whole (bounded) note, marked: a fragment could cut its Markdown apart,
                # and fragments drop raw HTML that the rendered note shows as text.
                hl_head=self._headline("note", whole=True),
                hl_body=self._headline("exact"),
                hl_who=Value(""),
            )
        return rows.annotate(
            hl_head=self._headline("text", whole=True),
            hl_body=self._headline("reviewer_notes"),
            hl_who=self._headline("claimant", whole=True),
        )


def _backend(query: ParsedQuery) -> _Backend:
    if connection.vendor == "postgresql":
        return _PostgreSQLBackend(query)
    if connection.vendor == "sqlite":
        return _SQLiteBackend(query)
    raise NotImplementedError(f"No search backend for {connection.vendor}.")


# --- The selector ---------------------------------------------------------------------------


def kind_model(kind: SearchKind) -> type[models.Model]:
    return {
        SearchKind.ARTICLE: Article,
        SearchKind.ANNOTATION: Annotation,
        SearchKind.CLAIM: Claim,
    }[kind]


def _visible(kind: SearchKind, *, user, outlet: str, tag: str) -> QuerySet:
    """What of this kind the user may find, filtered by outlet and tag slugs."""
    published = Article.Status.PUBLISHED
    if kind is SearchKind.ARTICLE:
        rows = Article.objects.published()
        if outlet:
            rows = rows.filter(outlet__slug=outlet)
        if tag:
            # An article carries a tag when a passage of it the user may see does.
            tagged = annotations_visible_to(user).filter(article=OuterRef("pk"), tags__slug=tag)
            rows = rows.filter(Exists(tagged))
        return rows
    if kind is SearchKind.ANNOTATION:
        rows = annotations_visible_to(user).filter(article__status=published)
        if outlet:
            rows = rows.filter(article__outlet__slug=outlet)
        if tag:
            rows = rows.filter(
                Exists(
                    TaggedAnnotation.objects.filter(content_object=OuterRef("pk"), tag__slug=tag)
                )
            )
        return rows
    rows = claims_visible_to(user)
    if outlet:
        # A claim is from an outlet when a passage the user may see there carries it.
        carried = annotations_visible_to(user).filter(
            claim=OuterRef("pk"), article__status=published, article__outlet__slug=outlet
        )
        rows = rows.filter(Exists(carried))
    if tag:
        rows = rows.filter(
            Exists(TaggedClaim.objects.filter(content_object=OuterRef("pk"), tag__slug=tag))
        )
    return rows


def search(
    *,
    user,
    query: str,
    kind: str = "",
    outlet: str = "",
    tag: str = "",
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Articles, annotations and claims matching the query that the user may see, best first.

    kind is "", "article", "annotation" or "claim"; outlet and tag are slugs ("" for any).
    An empty query (or one with no letters or digits) finds nothing and runs no query.
    """
    parsed = parse_query(query)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    if not parsed or any(value and not _SLUG.fullmatch(value) for value in (outlet, tag)):
        return SearchResults(parsed, [], 0, limit, offset)  # a bad slug names nothing
    kinds = [SearchKind(kind)] if kind else list(SearchKind)
    visible = {k: _visible(k, user=user, outlet=outlet, tag=tag) for k in kinds}
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

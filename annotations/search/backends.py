"""The two search backends, chosen by the database: SQLite's FTS5 (the `articles_search` table,
made with its triggers by migration articles/0008_search) and PostgreSQL's full-text search
(stored `search_vector` columns with GIN indexes and triggers, migration
articles/0010_search_vectors). The database keeps both indexes in sync, so no code path that
writes an article, revision, annotation or claim can leave search behind. Each backend finds,
ranks and counts what the user may see in a fixed number of queries (two on SQLite, one on
PostgreSQL) and marks the matches of the page's rows for `snippets`."""

from django.contrib.postgres.search import SearchHeadline, SearchRank, SearchVectorField
from django.db import connection, models
from django.db.models import F, FloatField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL

from articles.snippets import Marker

from .filters import SearchKind
from .query import CONFIG, ParsedQuery
from .snippets import ELLIPSIS, MARK_CLOSE, MARK_OPEN

FTS_TABLE = "articles_search"  # made by migration articles/0008_search

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
        # One scan of the index ranks the visible matches, kept once: counted, and sorted
        # for the top of the page only (a window over them would sort them all).
        sql, params = self._matches(visible, "m.kind, m.id, m.rank", rank=True)
        sql = (
            f"WITH v AS MATERIALIZED ({sql}) SELECT v.kind, v.id, v.rank, "
            "(SELECT COUNT(*) FROM v) FROM v ORDER BY v.rank DESC, v.kind, v.id LIMIT %s OFFSET %s"
        )
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

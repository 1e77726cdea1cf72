"""Writes of comparison results: the links, discrepancies, framing and attributions stored
for each article's current revision, kept up to date incrementally.

`comparison_refresh` is the one entry point. It finds the articles whose current revision has
no stored results (new or revised articles), or whose framing was counted with another
version of the lexicon, and recomputes only what involves them: the other articles are
preloaded into the engine's index (their n-grams count towards what is "too common") but
their pairs are not recompared unless the index says their result changed.

Wire passages (sentences more articles carry than the engine links pair by pair) are stored
as one `WirePassage` row per holder: for the clusters the stale articles are in now or were
in, each cluster's rows are made equal to the engine's (only rows that differ are written),
at a cost linear in those clusters' holders; no pair of holders is compared. When many
articles are stale, every cluster is made equal to the engine's at once. The number of
articles carrying a passage is not stored: the page counts the rows of published articles'
current revisions when it reads them, so publishing, unpublishing or deleting an article
moves the count at once. Rows of a deleted article go with it (a cluster left with no more
holders than the rare threshold keeps its rows until a refresh involving it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model, Q

from ..models import (
    Article,
    ArticleRevision,
    Attribution,
    ComparedRevision,
    Discrepancy,
    FramingFamily,
    FramingHit,
    PassageLink,
    WirePassage,
)
from ..parallel import DEFAULT_WORKERS, worker_count
from .engine import (
    ENGINE_VERSION,
    Citation,
    CorpusIndex,
    Difference,
    Lexicon,
    Link,
    Term,
    TermHit,
    WireCluster,
    match_key,
)
from .engine.corpus import PARALLEL_MIN
from .pair_batches import PairsElsewhere, pair_articles

BATCH = 1000
# Processes the engine may use for a large refresh (it forks them only when it can do so
# safely and there are enough new articles; see CorpusIndex.add_many).
COMPARE_WORKERS = DEFAULT_WORKERS
# Above this many stale articles, every wire cluster is rewritten from `wire_clusters()` (one
# pass over the postings) rather than cluster by cluster from each stale article's.
WIRE_INCREMENTAL_MAX = 64


def engine_key(article_id: int) -> str:
    """The engine's key for an article: zero-padded so that string order is id order."""
    return f"{article_id:012d}"


def framing_lexicon() -> Lexicon:
    """The curated lexicon as the engine reads it: family name -> terms with context rules."""
    lexicon: dict[str, tuple[Term, ...]] = {}
    for family in FramingFamily.objects.prefetch_related("terms").order_by("position", "name"):
        lexicon[family.name] = tuple(
            Term(
                term.phrase,
                not_after=tuple(str(w) for w in term.not_after),
                not_before=tuple(str(w) for w in term.not_before),
            )
            for term in sorted(family.terms.all(), key=lambda t: t.phrase)
        )
    return lexicon


def lexicon_digest(lexicon: Lexicon) -> str:
    """A digest that changes whenever a family, term or context rule changes."""
    plain = {
        family: [
            [t.phrase, list(t.not_after), list(t.not_before)]
            if isinstance(t, Term)
            else [t, [], []]
            for t in terms
        ]
        for family, terms in lexicon.items()
    }
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class RefreshReport:
    compared: int  # articles whose links were recomputed
    reframed: int  # articles whose framing alone was recounted (the lexicon changed)
    pairs: int  # article pairs whose stored links were replaced
    links: int  # links written

    def summary(self) -> str:
        if not (self.compared or self.reframed):
            return "comparison up to date"
        parts = [f"{self.compared} article(s) compared", f"{self.links} link(s) stored"]
        if self.reframed:
            parts.append(f"framing recounted in {self.reframed}")
        return ", ".join(parts)


def comparison_refresh(
    *, article_ids: Iterable[int] | None = None, pairs_elsewhere: PairsElsewhere | None = None
) -> RefreshReport:
    """Bring the stored comparison up to date, recomputing only what involves stale articles.

    article_ids forces those articles to be recompared even if their results look current.
    pairs_elsewhere, when given, links the candidate pairs instead of this process (in jobs
    that other workers share, see articles/jobs/comparison.py): it gets the pairs and what
    linking their articles needs (`pair_batches.PairArticles`), and returns every pair's
    result; the rest (framing, attributions, wire passages, the writes) is done here as ever.
    """
    lexicon = framing_lexicon()
    digest = lexicon_digest(lexicon)
    state = _stored_state(forced=set(article_ids or ()), digest=digest)
    if not state.stale and not state.reframe:
        return RefreshReport(0, 0, 0, 0)
    index = _indexed(state, lexicon, deferring=pairs_elsewhere is not None)
    if pairs_elsewhere is not None:
        pairs = index.deferred_pairs()
        article_of, revision_of = state.article_of, state.revision_of
        articles = pair_articles(index, pairs, revision_of=lambda k: revision_of[article_of[k]])
        index.settle_pairs(pairs_elsewhere(pairs, articles))
    changed = sorted(index.take_changed_pairs())
    rows = _result_rows(index, state, changed)
    with transaction.atomic():
        _delete_outdated(state, changed)
        _insert(PassageLink, LINK_COLUMNS, rows.links)
        _insert(Discrepancy, DISCREPANCY_COLUMNS, rows.discrepancies)
        _insert(FramingHit, HIT_COLUMNS, rows.hits)
        _insert(Attribution, ATTRIBUTION_COLUMNS, rows.attributions)
        _write_wire(index, state)
        _mark_compared(index, state, digest)
    return RefreshReport(len(state.stale), len(state.reframe), len(changed), len(rows.links))


@dataclass(slots=True)
class _StoredState:
    """Every article with a current revision, and which of them a refresh must redo."""

    revision_of: dict[int, int]  # article id -> current revision id
    article_of: dict[str, int]  # engine key -> article id
    outlet_of: dict[str, str | None]  # engine key -> outlet id, as the engine takes it
    masked_digest: dict[int, str]  # article id -> outlet boilerplate its results were made with
    stale: set[int]  # articles whose results are recomputed and rewritten whole
    reframe: set[int]  # articles whose framing alone is recounted (the lexicon changed)


def _stored_state(*, forced: set[int], digest: str) -> _StoredState:
    """The current articles, as stale when they have no stored results, results of another
    engine version or were `forced`, and to reframe when counted with another lexicon."""
    rows = Article.objects.filter(current_revision__isnull=False).values_list(
        "pk",
        "current_revision_id",
        "outlet_id",
        "current_revision__compared__lexicon_digest",
        "current_revision__compared__engine_version",
        "current_revision__compared__boilerplate_digest",
    )
    state = _StoredState({}, {}, {}, {}, set(), set())
    for pk, revision_id, outlet_id, stored_digest, stored_version, boilerplate in rows:
        key = engine_key(pk)
        state.revision_of[pk] = revision_id
        state.article_of[key] = pk
        state.outlet_of[key] = None if outlet_id is None else str(outlet_id)
        state.masked_digest[pk] = boilerplate or ""
        if stored_digest is None or stored_version != ENGINE_VERSION or pk in forced:
            state.stale.add(pk)
        elif stored_digest != digest:
            state.reframe.add(pk)
    return state


def _indexed(state: _StoredState, lexicon: Lexicon, *, deferring: bool) -> CorpusIndex:
    """The engine's index of every current article, the stale ones compared (their pairs
    only named when `deferring`, see `CorpusIndex.defer_pairs`). The stored articles whose
    outlet boilerplate changed become stale too, to be rewritten whole: those the new
    articles changed, and those stored with another mask (an article of their outlet was
    revised or deleted since)."""
    revision_of, outlet_of, stale = state.revision_of, state.outlet_of, state.stale
    bodies = dict(
        ArticleRevision.objects.filter(pk__in=revision_of.values()).values_list("pk", "body")
    )
    index = CorpusIndex(lexicon=lexicon)
    index.preload(
        {engine_key(pk): bodies[rev] for pk, rev in revision_of.items() if pk not in stale},
        outlets=outlet_of,
    )
    if deferring:
        index.defer_pairs()
    elif worker_count(COMPARE_WORKERS, items=len(stale), least=PARALLEL_MIN) > 1:
        _stop_database_threads()
    index.add_many(
        {engine_key(pk): bodies[revision_of[pk]] for pk in stale},
        outlets=outlet_of,
        workers=COMPARE_WORKERS,
    )
    article_of = state.article_of
    stale |= {article_of[key] for key in index.take_remasked()}
    for pk in sorted(revision_of.keys() - stale):
        key = engine_key(pk)
        if outlet_of[key] is not None and index.boilerplate_digest(key) != state.masked_digest[pk]:
            index.add(key, bodies[revision_of[pk]], outlet=outlet_of[key])
            stale.add(pk)
    stale |= {article_of[key] for key in index.take_remasked()}
    state.reframe -= stale
    return index


def _stop_database_threads() -> None:
    """Let the engine fork its workers: PostgreSQL's connection pool (psycopg_pool) runs
    threads of its own, and a process running other threads never forks (see
    articles.parallel), so the whole refresh would stay in one process. Outside a
    transaction, the connection goes back and the pool is closed, which ends its threads;
    the next query opens a new pool. Nothing is done inside a transaction, nor without a
    pool."""
    if connection.in_atomic_block or not connection.settings_dict["OPTIONS"].get("pool"):
        return
    connection.close()
    connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's wrapper has it


@dataclass(frozen=True, slots=True)
class _ResultRows:
    """The rows a refresh writes, as `_insert` takes them."""

    links: list[tuple]
    discrepancies: list[tuple]
    hits: list[tuple]
    attributions: list[tuple]


def _result_rows(
    index: CorpusIndex, state: _StoredState, changed: list[tuple[str, str]]
) -> _ResultRows:
    """The links and discrepancies of the changed pairs, the framing hits and attributions
    of the stale articles, and the framing hits of those to reframe."""
    revision_of, article_of = state.revision_of, state.article_of
    json_value = connection.ops.adapt_json_value
    rows = _ResultRows([], [], [], [])
    for first, second in changed:
        a, b = article_of[first], article_of[second]
        ids = (a, revision_of[a], b, revision_of[b])
        rows.links.extend(
            _link_row(link, *ids, json_value) for link in index.pair_links(first, second)
        )
        rows.discrepancies.extend(
            _discrepancy_row(item, *ids) for item in index.pair_differences(first, second)
        )
    for pk in state.stale:
        key = engine_key(pk)
        rows.hits.extend(_hit_row(hit, revision_of[pk]) for hit in index.framing(key).hits)
        rows.attributions.extend(
            _attribution_row(a, revision_of[pk]) for a in index.attributions(key)
        )
    for pk in state.reframe:
        # As the index counts it: outside the outlet's boilerplate lines too.
        framing = index.framing(engine_key(pk))
        rows.hits.extend(_hit_row(hit, revision_of[pk]) for hit in framing.hits)
    return rows


def _delete_outdated(state: _StoredState, changed: list[tuple[str, str]]) -> None:
    """Delete what the refresh replaces: everything stored for a stale article (its
    revision changed or it is new), the links and discrepancies of changed pairs of other
    articles (an n-gram became too common), and the framing and compared marks of those to
    reframe."""
    stale, reframe, article_of = state.stale, state.reframe, state.article_of
    if stale:
        for model in (PassageLink, Discrepancy):
            model.objects.filter(Q(a_article__in=stale) | Q(b_article__in=stale)).delete()
        Attribution.objects.filter(revision__article__in=stale).delete()
    others = [
        (article_of[f], article_of[s])
        for f, s in changed
        if article_of[f] not in stale and article_of[s] not in stale
    ]
    for start in range(0, len(others), 200):
        chunk = others[start : start + 200]
        condition = Q()
        for a, b in chunk:
            condition |= Q(a_article=a, b_article=b)
        PassageLink.objects.filter(condition).delete()
        Discrepancy.objects.filter(condition).delete()
    FramingHit.objects.filter(revision__article__in=stale | reframe).delete()
    ComparedRevision.objects.filter(revision__article__in=stale | reframe).delete()


def _write_wire(index: CorpusIndex, state: _StoredState) -> None:
    """Make the stored wire passages of the clusters the stale articles touch the engine's."""
    gone, wire = _wire_changes(index, stale=state.stale, revision_of=state.revision_of)
    for start in range(0, len(gone), BATCH):
        WirePassage.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    _insert(WirePassage, WIRE_COLUMNS, wire)


def _mark_compared(index: CorpusIndex, state: _StoredState, digest: str) -> None:
    """Record that the redone articles' results are those of this lexicon, engine version
    and outlet boilerplate."""
    ComparedRevision.objects.bulk_create(
        [
            ComparedRevision(
                revision_id=state.revision_of[pk],
                lexicon_digest=digest,
                engine_version=ENGINE_VERSION,
                boilerplate_digest=index.boilerplate_digest(engine_key(pk)),
            )
            for pk in state.stale | state.reframe
        ],
        batch_size=BATCH,
    )


# Columns of the rows written, in the order the row functions below give their values.
LINK_COLUMNS = (
    "kind",
    "a_article",
    "a_revision",
    "a_start",
    "a_end",
    "b_article",
    "b_revision",
    "b_start",
    "b_end",
    "score",
    "word_diff",
    "stance",
    "differs_by",
    "shared",
)
DISCREPANCY_COLUMNS = (
    "kind",
    "link_kind",
    "a_article",
    "a_revision",
    "a_start",
    "a_end",
    "a_text",
    "b_article",
    "b_revision",
    "b_start",
    "b_end",
    "b_text",
)
WIRE_COLUMNS = ("sentence", "article", "revision", "start", "end")
HIT_COLUMNS = ("revision", "family", "term", "start", "end", "snippet_start", "snippet_end")
ATTRIBUTION_COLUMNS = (
    "revision",
    "verb",
    "source",
    "resolved_source",
    "via",
    "start",
    "end",
    "sentence_start",
    "sentence_end",
)


def wire_sentence_key(text: str) -> str:
    """The stored key of a wire sentence: a digest of its folded words, the same for every
    copy and in every process (the engine's own hashes are per process)."""
    return hashlib.sha256(match_key(text).encode()).hexdigest()


# A stored or wanted wire row: (sentence key, article id) -> (revision id, start, end).
WireRows = dict[tuple[str, int], tuple[int, int, int]]


def _wire_changes(
    index: CorpusIndex, *, stale: set[int], revision_of: dict[int, int]
) -> tuple[list[int], list[tuple]]:
    """The `WirePassage` rows to delete (pks) and to insert, for the wire clusters the stale
    articles are in or have left (every cluster when many are stale)."""
    clusters: dict[str, WireCluster] = {}
    if len(stale) > WIRE_INCREMENTAL_MAX:
        for cluster in index.wire_clusters():
            clusters[wire_sentence_key(cluster.text)] = cluster
        stored = WirePassage.objects.all()
    else:
        for pk in sorted(stale):
            for cluster in index.wire_for(engine_key(pk)):
                clusters[wire_sentence_key(cluster.text)] = cluster
        held = set(WirePassage.objects.filter(article__in=stale).values_list("sentence", flat=True))
        left = held - clusters.keys()
        stored = WirePassage.objects.filter(
            Q(article__in=stale) | Q(sentence__in=clusters.keys() | left)
        )
        if left:
            # A cluster a stale article left may have fallen to the rare threshold: ask the
            # engine about it through one holder that stays.
            holders: dict[str, int] = {}
            for sentence, article in stored.filter(sentence__in=left).values_list(
                "sentence", "article"
            ):
                if article not in stale and article in revision_of:
                    holders.setdefault(sentence, article)
            for sentence, article in holders.items():
                for cluster in index.wire_for(engine_key(article)):
                    if wire_sentence_key(cluster.text) == sentence:
                        clusters[sentence] = cluster
    wanted: WireRows = {}
    for sentence, cluster in clusters.items():
        for key, start, end in cluster.members:
            article = int(key)
            wanted[(sentence, article)] = (revision_of[article], start, end)
    gone = []
    for pk, sentence, article, revision, start, end in stored.values_list(
        "pk", "sentence", "article", "revision", "start", "end"
    ):
        if wanted.get((sentence, article)) == (revision, start, end):
            del wanted[(sentence, article)]
        else:
            gone.append(pk)
    return sorted(gone), [(s, a, *rest) for (s, a), rest in sorted(wanted.items())]


def _insert(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows (values already as the database takes them), many per statement.

    Comparison rows run to hundreds of thousands; making a model instance of each and having
    `bulk_create` prepare every field of it cost more than writing them."""
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    per_row = len(fields)
    # SQLite limits the parameters of one statement (32,766 by default); PostgreSQL 65,535.
    size = max(1, min(BATCH, 30_000 // per_row))
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    placeholder = f"({', '.join(['%s'] * per_row)})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = head + ", ".join([placeholder] * len(chunk))
            cursor.execute(sql, [value for row in chunk for value in row])


def _link_row(link: Link, a: int, a_rev: int, b: int, b_rev: int, json_value: Callable) -> tuple:
    return (
        link.kind,
        a,
        a_rev,
        link.a_start,
        link.a_end,
        b,
        b_rev,
        link.b_start,
        link.b_end,
        min(1.0, max(0.0, round(link.score, 4))),
        json_value(
            [
                [op.op, op.a_start, op.a_end, op.b_start, op.b_end, op.a_text, op.b_text]
                for op in link.word_diff
            ],
            None,
        ),
        link.stance,
        json_value(list(link.differs_by), None),
        json_value([list(item) for item in link.shared], None),
    )


def _discrepancy_row(item: Difference, a: int, a_rev: int, b: int, b_rev: int) -> tuple:
    return (
        item.kind,
        item.link_kind,
        a,
        a_rev,
        item.a_start,
        item.a_end,
        item.a_text[:500],
        b,
        b_rev,
        item.b_start,
        item.b_end,
        item.b_text[:500],
    )


def _hit_row(hit: TermHit, revision_id: int) -> tuple:
    return (
        revision_id,
        hit.family[:100],
        hit.term[:100],
        hit.start,
        hit.end,
        hit.snippet_start,
        hit.snippet_end,
    )


def _attribution_row(item: Citation, revision_id: int) -> tuple:
    return (
        revision_id,
        item.verb[:50],
        (item.source or "")[:300],
        (item.resolved_source or "")[:300],
        (item.via or "")[:300],
        item.start,
        item.end,
        item.sentence_start,
        item.sentence_end,
    )

"""Writes of comparison results: the links, discrepancies, framing and attributions stored
for each article's current revision, kept up to date incrementally.

`comparison_refresh` is the one entry point. It finds the articles whose current revision has
no stored results (new or revised articles), or whose framing was counted with another
version of the lexicon, and recomputes only what involves them: the other articles are
preloaded into the engine's index (their n-grams count towards what is "too common") but
their pairs are not recompared unless the index says their result changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from .compare import (
    Attribution as FoundAttribution,
)
from .compare import (
    CorpusIndex,
    Lexicon,
    Term,
    frame_article,
)
from .compare import (
    Discrepancy as FoundDiscrepancy,
)
from .compare import (
    FramingHit as FoundHit,
)
from .compare import (
    PassageLink as FoundLink,
)
from .models import (
    Article,
    ArticleRevision,
    Attribution,
    ComparedRevision,
    Discrepancy,
    FramingFamily,
    FramingHit,
    PassageLink,
)

BATCH = 1000


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


def comparison_refresh(*, article_ids: Iterable[int] | None = None) -> RefreshReport:
    """Bring the stored comparison up to date, recomputing only what involves stale articles.

    article_ids forces those articles to be recompared even if their results look current.
    """
    forced = set(article_ids or ())
    lexicon = framing_lexicon()
    digest = lexicon_digest(lexicon)
    rows = Article.objects.filter(current_revision__isnull=False).values_list(
        "pk", "current_revision_id", "current_revision__compared__lexicon_digest"
    )
    revision_of: dict[int, int] = {}
    stale: set[int] = set()
    reframe: set[int] = set()
    for pk, revision_id, stored_digest in rows:
        revision_of[pk] = revision_id
        if stored_digest is None or pk in forced:
            stale.add(pk)
        elif stored_digest != digest:
            reframe.add(pk)
    if not stale and not reframe:
        return RefreshReport(0, 0, 0, 0)

    bodies = dict(
        ArticleRevision.objects.filter(pk__in=revision_of.values()).values_list("pk", "body")
    )
    index = CorpusIndex(lexicon=lexicon)
    index.preload(
        {engine_key(pk): bodies[rev] for pk, rev in revision_of.items() if pk not in stale}
    )
    for pk in sorted(stale):
        index.add(engine_key(pk), bodies[revision_of[pk]])
    changed = sorted(index.take_changed_pairs())
    article_of = {engine_key(pk): pk for pk in revision_of}

    links: list[PassageLink] = []
    discrepancies: list[Discrepancy] = []
    for first, second in changed:
        a, b = article_of[first], article_of[second]
        links.extend(
            _link_row(link, a, revision_of[a], b, revision_of[b])
            for link in index.pair_links(first, second)
        )
        discrepancies.extend(
            _discrepancy_row(item, a, revision_of[a], b, revision_of[b])
            for item in index.pair_discrepancies(first, second)
        )
    hits: list[FramingHit] = []
    attributions: list[Attribution] = []
    for pk in stale:
        key = engine_key(pk)
        hits.extend(_hit_row(hit, revision_of[pk]) for hit in index.framing(key).hits)
        attributions.extend(_attribution_row(a, revision_of[pk]) for a in index.attributions(key))
    for pk in reframe:
        framing = frame_article(engine_key(pk), bodies[revision_of[pk]], lexicon)
        hits.extend(_hit_row(hit, revision_of[pk]) for hit in framing.hits)

    with transaction.atomic():
        # Everything stored for a stale article goes: its revision changed or it is new.
        if stale:
            for model in (PassageLink, Discrepancy):
                model.objects.filter(Q(a_article__in=stale) | Q(b_article__in=stale)).delete()
            Attribution.objects.filter(revision__article__in=stale).delete()
        # Pairs of two current articles whose result changed (an n-gram became too common).
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
        PassageLink.objects.bulk_create(links, batch_size=BATCH)
        Discrepancy.objects.bulk_create(discrepancies, batch_size=BATCH)
        FramingHit.objects.bulk_create(hits, batch_size=BATCH)
        Attribution.objects.bulk_create(attributions, batch_size=BATCH)
        ComparedRevision.objects.bulk_create(
            [
                ComparedRevision(revision_id=revision_of[pk], lexicon_digest=digest)
                for pk in stale | reframe
            ],
            batch_size=BATCH,
        )
    return RefreshReport(len(stale), len(reframe), len(changed), len(links))


def _link_row(link: FoundLink, a: int, a_rev: int, b: int, b_rev: int) -> PassageLink:
    return PassageLink(
        kind=link.kind,
        a_article_id=a,
        a_revision_id=a_rev,
        a_start=link.a_start,
        a_end=link.a_end,
        b_article_id=b,
        b_revision_id=b_rev,
        b_start=link.b_start,
        b_end=link.b_end,
        score=min(1.0, max(0.0, round(link.score, 4))),
        word_diff=[
            [op.op, op.a_start, op.a_end, op.b_start, op.b_end, op.a_text, op.b_text]
            for op in link.word_diff
        ],
    )


def _discrepancy_row(item: FoundDiscrepancy, a: int, a_rev: int, b: int, b_rev: int):
    return Discrepancy(
        kind=item.kind,
        link_kind=item.link_kind,
        a_article_id=a,
        a_revision_id=a_rev,
        a_start=item.a_start,
        a_end=item.a_end,
        a_text=item.a_text[:500],
        b_article_id=b,
        b_revision_id=b_rev,
        b_start=item.b_start,
        b_end=item.b_end,
        b_text=item.b_text[:500],
    )


def _hit_row(hit: FoundHit, revision_id: int) -> FramingHit:
    return FramingHit(
        revision_id=revision_id,
        family=hit.family[:100],
        term=hit.term[:100],
        start=hit.start,
        end=hit.end,
        snippet_start=hit.snippet_start,
        snippet_end=hit.snippet_end,
    )


def _attribution_row(item: FoundAttribution, revision_id: int) -> Attribution:
    return Attribution(
        revision_id=revision_id,
        verb=item.verb[:50],
        source=(item.source or "")[:300],
        resolved_source=(item.resolved_source or "")[:300],
        via=(item.via or "")[:300],
        start=item.start,
        end=item.end,
        sentence_start=item.sentence_start,
        sentence_end=item.sentence_end,
    )

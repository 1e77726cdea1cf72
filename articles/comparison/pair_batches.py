"""A refresh's candidate pairs linked away from it, in batches any worker can take.

A pair's links depend on the two articles' bodies, outlet boilerplate and publication dates
alone (engine/pairs.py), so a refresh can name its pairs (`comparison_refresh(...,
pairs_elsewhere=...)`) with, for each article in them, the revision whose body to read and
the rest as plain JSON (`PairArticles`); a worker anywhere links a batch of them with
`comparison_pairs_link`, and the results travel back as JSON (`pair_results_json`). The job
that shares the batches out is articles/jobs/comparison.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from ..models import ArticleRevision
from .engine import CorpusIndex
from .engine.align import PairResult
from .engine.pairs import PairSpec, link_pairs, pair_result_from_json, pair_result_json

Pair = tuple[str, str]
# Engine key -> {"revision": revision id, "repeated": [line hash, ...], "published": ISO date
# or None}: what linking an article needs, as JSON values.
PairArticles = dict[str, dict[str, Any]]
PairsElsewhere = Callable[[list[Pair], PairArticles], Mapping[Pair, PairResult]]


def pair_articles(
    index: CorpusIndex, pairs: Sequence[Pair], *, revision_of: Callable[[str], int]
) -> PairArticles:
    """What linking the articles of `pairs` needs, as the index holds them now."""
    found: PairArticles = {}
    for key in sorted({key for pair in pairs for key in pair}):
        spec = index.pair_spec(key)
        found[key] = {
            "revision": revision_of(key),
            "repeated": sorted(spec.repeated),
            "published": spec.published.isoformat() if spec.published else None,
        }
    return found


def comparison_pairs_link(
    *, pairs: Sequence[Pair], articles: PairArticles
) -> dict[Pair, PairResult]:
    """Link `pairs` (each in key order) as the index that named them would: the bodies are
    read from the revisions `articles` names. ValueError when an article of a pair is not
    described, or its revision is gone (the refresh that named it is out of date)."""
    keys = {key for pair in pairs for key in pair}
    missing = keys - articles.keys()
    if missing:
        raise ValueError(f"no description of article(s) {', '.join(sorted(missing))}")
    wanted = {key: int(articles[key]["revision"]) for key in keys}
    bodies = dict(
        ArticleRevision.objects.filter(pk__in=set(wanted.values())).values_list("pk", "body")
    )
    gone = sorted(key for key, revision in wanted.items() if revision not in bodies)
    if gone:
        raise ValueError(f"the revisions of article(s) {', '.join(gone)} are gone")
    specs = {}
    for key, revision in wanted.items():
        described = articles[key]
        published = described.get("published")
        specs[key] = PairSpec(
            bodies[revision],
            frozenset(int(line) for line in described.get("repeated", ())),
            date.fromisoformat(published) if published else None,
        )
    return link_pairs(specs, [(str(a), str(b)) for a, b in pairs])


def pair_results_json(results: Mapping[Pair, PairResult]) -> list[list[Any]]:
    """Pair results as JSON values: [a_key, b_key, result] in key order."""
    return [[a, b, pair_result_json(results[(a, b)])] for a, b in sorted(results)]


def pair_results_from_json(rows: Sequence[Sequence[Any]]) -> dict[Pair, PairResult]:
    """What `pair_results_json` wrote; ValueError when it is not that."""
    results: dict[Pair, PairResult] = {}
    for row in rows:
        try:
            a, b, value = row
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a pair's result: {row!r:.80}") from exc
        results[(str(a), str(b))] = pair_result_from_json(value)
    return results

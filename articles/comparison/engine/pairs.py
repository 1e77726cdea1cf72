"""Pairs computed away from the index: what a worker on another machine needs to link two
articles, the linking itself, and the results as JSON.

A pair's links depend on the two bodies, each article's outlet boilerplate (the lines masked
out of it) and its publication date, never on the rest of the corpus (see corpus.py). So the
index can name the pairs to compute with a `PairSpec` of each article in them
(`CorpusIndex.pair_spec`), any process can run `link_pairs` on them, and the results, sent
back as `pair_result_json` and read by `pair_result_from_json`, settle into the index
(`CorpusIndex.settle_pairs`) exactly as if it had computed them itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from datetime import date
from typing import Any, cast

from .align import PairResult, link_pair
from .document import Doc, prepare
from .results import DEFAULT_CONFIG, Config, Difference, DiffOp, Link

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PairSpec:
    """What linking an article needs besides its key: its body, the line hashes of its
    outlet's boilerplate, and its publication date."""

    body: str
    repeated: frozenset[int] = frozenset()
    published: date | None = None


def link_pairs(
    specs: Mapping[str, PairSpec], pairs: Iterable[Pair], config: Config = DEFAULT_CONFIG
) -> dict[Pair, PairResult]:
    """The result of each pair (a_key < b_key), as `CorpusIndex` computes it; each article is
    prepared once, however many pairs it is in."""
    docs: dict[str, Doc] = {}

    def doc(key: str) -> Doc:
        found = docs.get(key)
        if found is None:
            spec = specs[key]
            found = prepare(key, spec.body, config.ngram_sizes, repeated=spec.repeated)
            found.published = spec.published
            docs[key] = found
        return found

    results: dict[Pair, PairResult] = {}
    for first, second in sorted(pairs):
        if not first < second:
            raise ValueError(f"a pair is named in key order: {first!r}, {second!r}")
        result = link_pair(doc(first), doc(second), None, config)
        results[(first, second)] = result or PairResult((), ())
    return results


# --- JSON ------------------------------------------------------------------------------------


def pair_result_json(result: PairResult) -> dict[str, list[Any]]:
    """A pair's result as plain JSON values (each link and difference as the list of its
    fields in order, a link's word diff as lists too), read back unchanged by
    `pair_result_from_json`."""
    return {
        "links": [list(astuple(link)) for link in result.links],
        "differences": [list(astuple(d)) for d in result.differences],
    }


def pair_result_from_json(value: Mapping[str, Any]) -> PairResult:
    """The result `pair_result_json` wrote; ValueError when the value is not one."""
    try:
        links = tuple(_link(row) for row in value["links"])
        differences = tuple(Difference(*row) for row in value["differences"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a pair result: {exc}") from exc
    return PairResult(links, differences)


def _link(row: list[Any]) -> Link:
    kind, a_key, a_start, a_end, b_key, b_start, b_end, score, diff, stance, by, shared = row
    return Link(
        kind,
        a_key,
        a_start,
        a_end,
        b_key,
        b_start,
        b_end,
        float(score),
        tuple(DiffOp(*op) for op in diff),
        stance,
        tuple(by),
        cast(Any, tuple(tuple(item) for item in shared)),
    )

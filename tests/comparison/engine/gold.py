"""Scoring of the comparison engine against tests/data/seed_gold.json (hand-made gold set).

Gold items name passages by their exact text in each body. A reported link matches a gold
link of the same article pair when it overlaps the gold passage on both sides by at least
half of the shorter of the two spans; it is correct when it matches any gold link, required
or optional. A gold verbatim passage is found when the reported links cover at least 90 % of
its characters on both sides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from articles.comparison.engine import Comparison, Difference, Link
from articles.ingest import decode, extract

ROOT = Path(__file__).resolve().parents[3]
GOLD_PATH = ROOT / "tests" / "data" / "seed_gold.json"
OVERLAP = 0.5
COVERAGE = 0.9

Span = tuple[str, int, int]


@cache
def gold() -> dict:
    """The gold file, parsed."""
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@cache
def seed_bodies() -> dict[str, str]:
    """The five seed bodies, keyed "000".."004", as the ingest engine extracts them."""
    out = {}
    for key, name in gold()["seeds"].items():
        data = (ROOT / "seeds" / name).read_bytes()
        out[key] = extract(decode(data, max_bytes=10**8).text).body
    return out


def locate(key: str, text: str) -> Span:
    """The span of a gold text in its body (it must occur exactly once)."""
    body = seed_bodies()[key]
    start = body.find(text)
    if start < 0 or body.find(text, start + 1) >= 0:
        raise ValueError(f"gold text not found exactly once in {key}: {text!r}")
    return key, start, start + len(text)


@dataclass(frozen=True)
class GoldPair:
    """A gold item: two passages, with its kind and whether it is required."""

    kind: str
    a: Span
    b: Span
    required: bool
    note: str


def gold_links() -> list[GoldPair]:
    """Every gold link, located in the bodies."""
    return [
        GoldPair(
            item["kind"],
            locate(item["a"], item["a_text"]),
            locate(item["b"], item["b_text"]),
            item["required"],
            item.get("note", ""),
        )
        for item in gold()["links"]
    ]


def gold_verbatim() -> list[GoldPair]:
    """The gold verbatim passages of 8 words or more."""
    return [
        GoldPair(
            "verbatim",
            locate(item["a"], item["a_text"]),
            locate(item["b"], item["b_text"]),
            True,
            "",
        )
        for item in gold()["verbatim_passages"]
    ]


def gold_discrepancies() -> list[GoldPair]:
    """The gold discrepancies."""
    return [
        GoldPair(
            item["kind"],
            locate(item["a"], item["a_text"]),
            locate(item["b"], item["b_text"]),
            item["required"],
            item.get("note", ""),
        )
        for item in gold()["discrepancies"]
    ]


def _overlap(x: Span, y: Span) -> float:
    if x[0] != y[0]:
        return 0.0
    inter = min(x[2], y[2]) - max(x[1], y[1])
    if inter <= 0:
        return 0.0
    return inter / min(x[2] - x[1], y[2] - y[1])


def pair_matches(a: Span, b: Span, item: GoldPair) -> bool:
    """Whether two reported passages match a gold item (in either orientation)."""
    for first, second in ((item.a, item.b), (item.b, item.a)):
        if _overlap(a, first) >= OVERLAP and _overlap(b, second) >= OVERLAP:
            return True
    return False


def link_spans(link: Link) -> tuple[Span, Span]:
    """The two passages of a link."""
    return (link.a_key, link.a_start, link.a_end), (link.b_key, link.b_start, link.b_end)


def _covered(span: Span, pieces: list[Span]) -> float:
    key, start, end = span
    marks = bytearray(end - start)
    for other_key, s, e in pieces:
        if other_key != key:
            continue
        for i in range(max(s, start), min(e, end)):
            marks[i - start] = 1
    return sum(marks) / (end - start)


def verbatim_found(item: GoldPair, links: list[Link]) -> bool:
    """Whether links of the item's pair together cover its passage on both sides."""
    pieces_a, pieces_b = [], []
    for link in links:
        x, y = link_spans(link)
        for first, second in ((x, y), (y, x)):
            if _overlap(first, item.a) > 0 and _overlap(second, item.b) > 0:
                pieces_a.append(first)
                pieces_b.append(second)
    return _covered(item.a, pieces_a) >= COVERAGE and _covered(item.b, pieces_b) >= COVERAGE


@dataclass
class Score:
    """Precision and recall of one slice of the evaluation."""

    reported: int = 0
    correct: int = 0
    required: int = 0
    recalled: int = 0

    @property
    def precision(self) -> float:
        """Share of reported items that match gold (1.0 when nothing is reported)."""
        return self.correct / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        """Share of required gold items found (1.0 when none is required)."""
        return self.recalled / self.required if self.required else 1.0


@dataclass
class Report:
    """The whole evaluation."""

    overall: Score
    by_kind: dict[str, Score]
    verbatim: Score
    discrepancies: Score
    false_links: list[Link]
    missed_links: list[GoldPair]
    missed_verbatim: list[GoldPair]
    false_discrepancies: list[Difference]
    missed_discrepancies: list[GoldPair]


def evaluate(comparison: Comparison) -> Report:
    """Score a comparison of the seeds against the gold set."""
    items = gold_links()
    links = list(comparison.links)
    overall = Score()
    by_kind = {kind: Score() for kind in ("verbatim", "near", "paraphrase")}
    false_links = []
    for link in links:
        a, b = link_spans(link)
        ok = any(pair_matches(a, b, item) for item in items)
        for score in (overall, by_kind[link.kind]):
            score.reported += 1
            score.correct += ok
        if not ok:
            false_links.append(link)
    missed = []
    for item in items:
        if not item.required:
            continue
        found = any(pair_matches(*link_spans(link), item) for link in links)
        for score in (overall, by_kind[item.kind]):
            score.required += 1
            score.recalled += found
        if not found:
            missed.append(item)
    verbatim = Score()
    missed_verbatim = []
    for item in gold_verbatim():
        verbatim.required += 1
        if verbatim_found(item, links):
            verbatim.recalled += 1
        else:
            missed_verbatim.append(item)
    verbatim.reported = by_kind["verbatim"].reported
    verbatim.correct = by_kind["verbatim"].correct
    discrepancies = Score()
    false_d, missed_d = [], []
    gold_d = gold_discrepancies()
    for found in comparison.differences:
        a = (found.a_key, found.a_start, found.a_end)
        b = (found.b_key, found.b_start, found.b_end)
        ok = any(item.kind == found.kind and pair_matches(a, b, item) for item in gold_d)
        discrepancies.reported += 1
        discrepancies.correct += ok
        if not ok:
            false_d.append(found)
    for item in gold_d:
        if not item.required:
            continue
        hit = any(
            item.kind == d.kind
            and pair_matches((d.a_key, d.a_start, d.a_end), (d.b_key, d.b_start, d.b_end), item)
            for d in comparison.differences
        )
        discrepancies.required += 1
        discrepancies.recalled += hit
        if not hit:
            missed_d.append(item)
    return Report(
        overall,
        by_kind,
        verbatim,
        discrepancies,
        false_links,
        missed,
        missed_verbatim,
        false_d,
        missed_d,
    )

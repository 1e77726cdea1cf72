"""What makes two articles a candidate pair, and the wire clusters of much-reprinted sentences.

Besides rare shared word n-grams (see `CorpusIndex`), two articles that tell the same story in
their own words share rare names and numbers: capitalised words inside a sentence (not at its
start) and numbers of two digits or more. Each article's are hashed into the index's postings
under the pseudo-size `ENTITY` (0), next to its n-grams, so that they count, flip between rare
and common, and make candidate pairs exactly as n-grams do.

A sentence carried by more articles than the rare threshold makes no candidate pair; the
articles holding it, found by a hash of the sentence's folded words (pseudo-size `SENTENCE`,
-1, in the same postings), form a `WireCluster`: one group "carried by N articles", found at a
cost linear in its holders.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass

from articles.ingest.text import STOPWORDS, sentence_spans

from .document import _HASH_BITS, WORD_RE, boilerplate_spans, fold, gram_sets
from .results import Config

ENTITY = 0
SENTENCE = -1

# A capitalised word after a lower-case word, a comma or similar (so not a sentence start), or
# a number of two digits or more.
# Written to open with one character class, which the regex engine scans for quickly; the same
# matches as (?<=[a-z0-9,;:)] )[A-Z][\w'\-]*\w|(?<![\w.])\d[\d,.]*\d(?![\w]).
_ENTITY_RE = re.compile(
    r"[A-Z\d](?:(?<=[a-z0-9,;:)] [A-Z])[\w'\-]*\w|(?<=\d)(?<![\w.]\d)[\d,.]*\d(?![\w]))"
)
_PARAGRAPH_RE = re.compile(r"[^\n]+")


def _outside(spans: list[tuple[int, int]], at: int) -> bool:
    return not any(start <= at < end for start, end in spans)


def entity_hashes(body: str, masked: list[tuple[int, int]]) -> set[int]:
    """Hashes of the names and numbers of a body, outside the masked spans."""
    found = set()
    for match in _ENTITY_RE.finditer(body):
        if masked and not _outside(masked, match.start()):
            continue
        word = match.group().casefold()
        if word in STOPWORDS:
            continue
        found.add(hash(("entity", word.replace(",", ""))) & _HASH_BITS or 1)
    return found


def sentence_units(
    body: str, masked: list[tuple[int, int]], min_words: int
) -> list[tuple[int, int, int]]:
    """(hash, start, end) of each sentence of `min_words` words or more outside the masked
    spans; the hash is of its words folded as matching folds them."""
    out = []
    folded = fold(body)
    whole = folded.text if folded.offsets is None else None  # folded char for char
    for paragraph in _PARAGRAPH_RE.finditer(body):
        if masked and not _outside(masked, paragraph.start()):
            continue
        for start, end in sentence_spans(body, paragraph.start(), paragraph.end()):
            if whole is not None:
                words = WORD_RE.findall(whole, start, end)
            else:
                words = WORD_RE.findall(fold(body[start:end]).text)
            if len(words) >= min_words:
                out.append((hash(("sentence", *words)) & _HASH_BITS or 1, start, end))
    return out


def signal_sets(
    body: str,
    repeated: Set[int],
    config: Config,
    *,
    wire: bool = True,
    masked: list[tuple[int, int]] | None = None,
) -> dict[int, set[int]]:
    """The entity and (when `wire`) wire-sentence hashes of a body, outside the masked spans
    (`boilerplate_spans(body, repeated)` unless given)."""
    if masked is None:
        masked = boilerplate_spans(body, repeated)
    found = {ENTITY: entity_hashes(body, masked)}
    if wire:
        units = sentence_units(body, masked, config.wire_min_words)
        found[SENTENCE] = {h for h, _, _ in units}
    return found


def article_signals(
    body: str,
    sizes: tuple[int, ...],
    repeated: Set[int],
    config: Config,
    *,
    wire: bool = True,
    masked: list[tuple[int, int]] | None = None,
    lines: list[int] | None = None,
) -> dict[int, set[int]]:
    """`gram_sets` (n-gram sizes `sizes`, none when empty) and `signal_sets` of a body together,
    equal to them, in one pass over its lines: the body is folded once and each sentence's
    words found once, for its n-grams and its wire-sentence hash alike (`lines`: see
    `boilerplate_spans`)."""
    if masked is None:
        masked = boilerplate_spans(body, repeated, lines)
    folded = fold(body)
    if folded.offsets is not None:  # not folded char for char: the general path
        found: dict[int, set[int]] = gram_sets(body, sizes, repeated, masked) if sizes else {}
        found.update(signal_sets(body, repeated, config, wire=wire, masked=masked))
        return found
    text, find, entity_find = folded.text, WORD_RE.findall, _ENTITY_RE.findall
    least = config.wire_min_words
    grams: dict[int, set[int]] = {n: set() for n in sizes}
    units: set[int] = set()
    names: list[str] = []
    bits = _HASH_BITS.__and__
    for line in _PARAGRAPH_RE.finditer(body):
        start, end = line.span()
        if masked and not _outside(masked, start):
            continue
        # Names and numbers never cross a line (see _ENTITY_RE): the line alone finds them.
        names += entity_find(body, start, end)
        if not sizes and not wire:
            continue
        if wire:
            # Sentences are cut at whitespace and cover every word of the line.
            words: list[str] = []
            for s, e in sentence_spans(body, start, end):
                sentence = find(text, s, e)
                if len(sentence) >= least:
                    units.add(hash(("sentence", *sentence)) & _HASH_BITS or 1)
                words += sentence
        else:
            words = find(text, start, end)
        for n in sizes:
            if len(words) >= n:
                grams[n].update(
                    map(bits, map(hash, zip(*(words[k:] for k in range(n)), strict=False)))
                )
    for sized in grams.values():
        if 0 in sized:  # as gram_hashes: a hash of 0 counts as 1
            sized.discard(0)
            sized.add(1)
    found = dict(grams)
    words_of = {name.casefold() for name in names}
    found[ENTITY] = {
        hash(("entity", word.replace(",", ""))) & _HASH_BITS or 1
        for word in words_of
        if word not in STOPWORDS
    }
    if wire:
        found[SENTENCE] = units
    return found


def is_pair_candidate(shared: Mapping[int, Set[int]], config: Config) -> bool:
    """Whether a pair is compared, from the rare hashes it shares by size (n-gram sizes, and
    `ENTITY`): one n-gram of the largest size, `min_shared_small` smaller ones, or
    `min_shared_entities` names and numbers.

    Every rare hash counts alike (not more when fewer articles hold it): so adding articles
    never lowers what a pair shares until a hash stops being rare."""
    sizes = [n for n in shared if n > 0]
    if sizes:
        largest = max(sizes)
        if shared[largest]:
            return True
        small = sum(len(shared[n]) for n in sizes if n != largest)
        if small >= config.min_shared_small:
            return True
    return len(shared.get(ENTITY, ())) >= config.min_shared_entities


@dataclass(frozen=True, slots=True)
class WireCluster:
    """One sentence carried by many articles: `members` are (key, start, end), one per
    article (its first occurrence), sorted by key; `count` is how many articles carry it."""

    text: str
    members: tuple[tuple[str, int, int], ...]

    @property
    def count(self) -> int:
        """How many articles carry the sentence ("carried by 312 articles")."""
        return len(self.members)

    @property
    def keys(self) -> tuple[str, ...]:
        """The articles that carry the sentence, sorted."""
        return tuple(key for key, _, _ in self.members)

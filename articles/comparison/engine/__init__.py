"""The comparison engine: how several outlets cover one event, passage by passage.

Pure Python, no Django: article bodies (str) in, plain frozen dataclasses out. Every span is a
pair of Python str indices (code points) into the body it names, with 0 <= start < end <=
len(body) (a word-diff insertion point alone has start == end).

Public API
----------
`compare(bodies, *, lexicon=DEFAULT_LEXICON, config=DEFAULT_CONFIG) -> Comparison`
    bodies maps an article key to its body text (title, headings and paragraphs joined by
    blank lines, as `articles.ingest.extract(...).body` gives it). The result has:

    - `links`: `Link(kind, a_key, a_start, a_end, b_key, b_start, b_end, score,
      word_diff)`, a_key < b_key. kind is
        * "verbatim": a maximal span whose words are identical in both articles once
          folded by `normalize_for_matching` (case, quotes, dashes, spaces, NFKC);
          punctuation between words is not compared. See `match_key`.
        * "near": a maximal span that is the same text with small word-level edits, or two
          sentences with similar word sequences; `word_diff` holds the edits as `DiffOp`s.
        * "paraphrase": two sentences reporting the same thing in other words, by TF-IDF
          cosine over content-word stems and character 4-grams.
      A passage may be linked to several others (one-to-many: one sentence of an article
      can carry two quotes another article gives separately).
    - `groups`: `LinkGroup(members=((key, start, end), ...), kinds, link_count)`, linked
      passages joined across all articles (union-find over links and overlapping spans).
    - `differences`: `Difference(kind "number" | "date" | "name", a_key, a_start, a_end,
      a_text, b_key, b_start, b_end, b_text, link_kind)`, readings that differ inside linked
      passages.
    - `framing`: key -> `ArticleFraming(counts[family][term], hits)`, each `TermHit` with
      its span and a words-in-context snippet. The lexicon maps families to terms (str or
      `Term(phrase, not_after=..., not_before=...)` for context rules); `DEFAULT_LEXICON`
      has "armed groups" and "government".
    - `attributions`: key -> `Citation`s ("X said", "told AFP", "Reuters quoted X",
      "according to Reuters"): source, via (the outlet or audience), verb, spans, and the
      named source a pronoun stands for.

`CorpusIndex(lexicon=..., config=...)` keeps a corpus for incremental use:
    `.add(key, body)` (adds or replaces), `.remove(key)`, `.links_for(key)`, `.links()`,
    `.differences_for(key)`, `.framing(key)`, `.attributions(key)`, `.comparison()`.
    After any sequence of adds and removes, its results equal
    `CorpusIndex.from_bodies(final_bodies)` (the full recomputation `compare` runs).

    For a store that keeps each pair's links (a database), in a fresh process:
    `.preload(bodies)` registers articles whose results are stored already: their n-grams
    count (what is too common) but no pair, framing or attribution is computed for them
    (only their words are hashed; they are prepared when a pair with them is computed).
    Then `.add(key, body)` / `.remove(key)` for the new, changed or deleted articles (or
    `.add_many(bodies, workers=1)`: the same as adding each, but each pair computed once,
    optionally in forked worker processes), and
    `.take_changed_pairs() -> set[tuple[str, str]]` (a < b; also readable, uncleared, as
    `.changed_pairs`) gives the pairs whose stored result must be replaced by
    `.pair_links(a, b) -> tuple[Link, ...]` and `.pair_differences(a, b) ->
    tuple[Difference, ...]` (possibly empty: the pair lost its links). After `add` or
    `remove` of a key, every stored pair involving that key is obsolete: those with links
    now are among the changed pairs, the rest go. Pairs of two preloaded articles are
    recomputed (and reported) only when an n-gram they share becomes too common or stops
    being so; `.links()`, `.links_for()` and `.comparison()` leave out those not recomputed,
    while `.pair_links(a, b)` computes any pair on request. `.framing(key)` and
    `.attributions(key)` work for preloaded articles too (computed on first use).

`frame_article(key, body, lexicon=DEFAULT_LEXICON) -> ArticleFraming` and
`attributions_of(key, body) -> tuple[Citation, ...]` give one article's framing and
attributions alone, as the index gives them, with no pair work (framing is recounted
alone when a curator edits the lexicon).

How it works
------------
Bodies are folded with `normalize_for_matching` (an offset map leads back to the body) and
cut into words; licence lines, share buttons and a trailing comment section are masked.
Word 3- and 5-grams within a paragraph (so that a boilerplate line makes no rare n-gram with
the text before it) are indexed across the corpus; an n-gram held by more than
`config.max_df(n_articles)` articles (2 % of them, at least 5 and at most 20) is too common
(boilerplate, stock phrases) and dropped. The cap keeps chance matches of stock phrases
from making ever more candidate pairs as the corpus grows, and stops the threshold moving
once a corpus has 1,000 articles; the price is that a passage carried by more than 20
articles of a large corpus links none of them.
Only article pairs that share a 5-gram or three 3-grams that are not too common are compared
(candidate pairs come from the index, never from all pairs). Within a pair, shared n-grams
seed maximal exact runs, which are extended across small differences into near-verbatim
spans; sentence pairs not joined by a span are scored for near and paraphrase links with
TF-IDF whose IDF is computed over the two articles' sentences (so a pair's links depend on
that pair alone, which is what makes the index incremental). A paraphrase needs a cosine of
0.3, or 0.2 when the sentences share something specific (dates a few days apart, written
out or relative like "a day earlier"; two names; seven content stems or concepts, such as
boycott = freeze = refuse), or 0.15 when they share four names.
"""

from .align import PairResult
from .attribution import attributions_of
from .corpus import CorpusIndex, compare
from .document import boilerplate_spans
from .framing import DEFAULT_LEXICON, Lexicon, Term, frame_article
from .results import (
    DEFAULT_CONFIG,
    ArticleFraming,
    Citation,
    Comparison,
    Config,
    Difference,
    DiffOp,
    Link,
    LinkGroup,
    TermHit,
)
from .text import match_key

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_LEXICON",
    "ArticleFraming",
    "Citation",
    "Comparison",
    "Config",
    "CorpusIndex",
    "DiffOp",
    "Difference",
    "Lexicon",
    "Link",
    "LinkGroup",
    "PairResult",
    "Term",
    "TermHit",
    "attributions_of",
    "boilerplate_spans",
    "compare",
    "frame_article",
    "match_key",
]

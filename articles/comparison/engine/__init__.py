"""The comparison engine: how several outlets cover one event, passage by passage.

Pure Python, no Django: article bodies (str) in, plain frozen dataclasses out. Every span is a
pair of Python str indices (code points) into the body it names, with 0 <= start < end <=
len(body) (a word-diff insertion point alone has start == end).

Public API
----------
`compare(bodies, *, lexicon=DEFAULT_LEXICON, config=DEFAULT_CONFIG, outlets=None,
published=None, workers=1) -> Comparison`
    bodies maps an article key to its body text (title, headings and paragraphs joined by
    blank lines, as `articles.ingest.extract(...).body` gives it). The result has:

    - `links`: `Link(kind, a_key, a_start, a_end, b_key, b_start, b_end, score,
      word_diff)`, a_key < b_key. kind is
        * "verbatim": a maximal span whose words are identical in both articles once
          folded by `normalize_for_matching` (case, quotes, dashes, spaces, NFKC);
          punctuation between words is not compared. See `match_key`.
        * "near": a maximal span that is the same text with small word-level edits, or two
          sentences with similar word sequences; `word_diff` holds the edits as `DiffOp`s.
        * "paraphrase": two sentences reporting the same fact in other words: their claim
          frames match (`frames.py`: who, did what, to whom, how many, when) and their
          TF-IDF cosine over content-word stems and character 4-grams is high enough.
      A passage may be linked to several others (one-to-many: one sentence of an article
      can carry two quotes another article gives separately).
      Every link also says whether its passages agree: `stance` "agree" or "differ",
      `differs_by` (the kinds of difference, when they differ) and `shared` (what both
      say alike, as (category, text): actors, places, numbers, dates, predicates). See
      `stance.py`: opposite polarity ("decided to attend" / "refused to attend"), opposing
      predicates (attend / boycott, agree / reject), and the kinds of `differences`.
    - `groups`: `LinkGroup(members=((key, start, end), ...), kinds, link_count)`, passages
      that agree joined across all articles (union-find over agreeing links and
      overlapping spans); a group never holds both passages of a differing link.
    - `differences`: `Difference(kind, a_key, a_start, a_end, a_text, b_key, b_start,
      b_end, b_text, link_kind)`, "where they differ": kind "number" | "date" | "name" |
      "place" | "polarity" | "predicate" | "relative-date", with both readings, each inside
      a differing link. Left out: a description against a name, spelling, abbreviation and
      transliteration variants, byline and dateline dates, dates of different events (see
      `differences.py`).
    `published={key: datetime.date}` (optional, also on `CorpusIndex.add(..., published=)`,
    `add_many`, `preload`, `from_bodies`) gives the day relative dates ("on Tuesday",
    "yesterday") are read against; without it, an article's dateline date.
    - `framing`: key -> `ArticleFraming(counts[family][term], hits)`, each `TermHit` with
      its span and a words-in-context snippet. The lexicon maps families to terms (str or
      `Term(phrase, not_after=..., not_before=...)` for context rules); `DEFAULT_LEXICON`
      has "armed groups" and "government".
    - `attributions`: key -> `Citation`s ("X said", "told AFP", "Reuters quoted X",
      "according to Reuters"): source, via (the outlet or audience), verb, spans, and the
      named source a pronoun stands for.

`CorpusIndex(lexicon=..., config=...)` keeps a corpus for incremental use:
    `.add(key, body, *, outlet=None, published=None)` (adds or replaces), `.remove(key)`,
    `.links_for(key)`, `.links()`, `.differences_for(key)`, `.framing(key)`,
    `.attributions(key)`, `.comparison()`.
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
cut into words. Masked (no words, so nothing links to them): licence lines, share buttons,
a trailing comment section, and each article's outlet boilerplate: the lines its outlet
repeats in `config.outlet_boilerplate_min` (3) of its own articles. Outlets are optional
(`compare(bodies, outlets={key: outlet})`, `CorpusIndex.add(key, body, outlet=...)`); what
many *other* outlets carry is never boilerplate. When a line becomes (or stops being) an
outlet's boilerplate, that outlet's articles holding it are indexed again
(`CorpusIndex.take_remasked()` names them for a store).

A pair's links depend only on the two bodies and their outlet boilerplate, never on the
rest of the corpus: within a pair, every shared n-gram seeds maximal exact runs, which are
extended across small differences into near-verbatim spans; sentence pairs not joined by a
span are scored for near and paraphrase links with TF-IDF whose IDF is computed over the
two articles' sentences.

The corpus decides only which pairs are compared (candidates come from postings, never from
all pairs). Indexed per article: word 3- and 5-grams within a paragraph, and its names and
numbers (capitalised words inside a sentence, numbers of two digits or more). A hash is rare
when at most `config.max_df(n)` articles hold it (20). A pair is a candidate when it shares
one rare 5-gram, three rare 3-grams or three rare names/numbers, so two articles telling one
event in their own words are compared. Every rare hash counts alike, so adding articles
never takes a candidate away until what the pair shares is held by more than 20 articles.
Cost bound: enumerating a hash's pairs costs at most 20 / 2 per holder, so candidate pairs
grow linearly with the postings. Sentences (8+ words, the same once folded) held by more
than 20 articles make no pair: `CorpusIndex.wire_clusters()` / `.wire_for(key)` give each as
one `WireCluster` ("carried by 312 articles", with every holder's span), found from the
postings at a cost linear in its holders. Stored results made by another `ENGINE_VERSION`
are recomputed by the store.

Sentence links by meaning read each sentence as a claim frame (`frames.py`): its actors
(a country, its capital, demonym and government are one actor), places, acts in families
with a polarity (attend = take part = join; boycott = refuse = freeze; seize = detain; start
= come into effect), negation and refusals ("refused to attend"), counted claims (a figure,
what it counts and the act it counts: "six seamen were wounded") and dates. Two sentences
are a paraphrase when they share a specific act or anchor (a figure, close dates, names that
are not the story's background keys nor just the person quoted) and their cosine passes the
thresholds in `Config`; different acts with the same actors (rammed / fired on) are never one
fact. A differing pair (attend / refuse) is still linked, and `stance.py` marks it "differ".
"""

from .align import PairResult
from .attribution import attributions_of
from .candidates import WireCluster
from .corpus import ENGINE_VERSION, CorpusIndex, compare
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
    "ENGINE_VERSION",
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
    "WireCluster",
    "attributions_of",
    "boilerplate_spans",
    "compare",
    "frame_article",
    "match_key",
]

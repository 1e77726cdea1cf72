"""The plain dataclasses the comparison engine returns, and its tunable settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .document import Doc

LinkKind = Literal["verbatim", "near", "paraphrase"]
# Whether two linked passages say the same thing ("agree") or give different readings of the
# same fact ("differ": see DifferenceKind for how).
Stance = Literal["agree", "differ"]
# How two readings of one fact differ: a different number, date, name or place for the same
# role; opposite polarity ("not", "refused" vs "decided"); an opposing predicate (attend vs
# boycott, agree vs reject); a relative date ("on Tuesday") that clashes with an absolute one.
DifferenceKind = Literal[
    "number", "date", "name", "place", "polarity", "predicate", "relative-date"
]
# What two linked passages share, for the explanation shown on hover: (category, text), with
# category one of "actor", "place", "number", "date", "predicate", "words".
Evidence = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Config:
    """Thresholds of the engine, chosen on the dev part of the gold set (tests/data/comparison/
    dev/, which includes the seeds); the test part is only reported on (bench.compare_quality)."""

    # Word n-gram sizes indexed across the corpus (candidate pairs and match seeds).
    ngram_sizes: tuple[int, ...] = (3, 5)
    # Candidate pairs only (a pair's links never depend on other articles): an n-gram or a
    # name/number is rare when it occurs in at most
    # max(max_df_floor, min(max_df_cap, int(max_df_ratio * number_of_articles))) articles;
    # only rare ones make candidate pairs, so enumerating them costs at most max_df / 2
    # pairs per posting. What more articles share is linked as a wire cluster instead.
    max_df_floor: int = 20
    max_df_ratio: float = 0.02
    max_df_cap: int = 20
    # A pair of articles is compared when it shares one rare n-gram of the largest size,
    # min_shared_small rare n-grams of the smaller sizes, or min_shared_entities rare names
    # and numbers (capitalised words inside a sentence, numbers of two digits or more).
    min_shared_small: int = 3
    min_shared_entities: int = 3
    # A line an outlet repeats in outlet_boilerplate_min of its own articles is that
    # outlet's boilerplate: masked in its articles (never linked, never counted).
    outlet_boilerplate_min: int = 3
    # Wire clusters: a sentence of at least wire_min_words words, the same once folded, held
    # by more articles than max_df (or `min_holders` when asked).
    wire_min_words: int = 8
    # Occurrences of one n-gram per article used as seeds (repeated phrases).
    max_seed_positions: int = 8
    # A shared span grows from an exact run of at least min_anchor words; it is reported when
    # it has long_span_words matched words, or min_span_words of which min_span_content
    # are content words (so stock phrases like "between the Syrian government and" are not).
    min_anchor: int = 5
    long_span_words: int = 8
    min_span_words: int = 6
    min_span_content: int = 4
    # A span covering less than fragment_share of each of its sentences is a fragment: it is
    # reported only when it says something of its own, min_span_claim_words content words
    # that are neither names (capitalised in both articles) nor who-said-it words
    # ("spokesman ... told", "former President"): not "Navy ships in the Kerch Strait".
    fragment_share: float = 0.8
    min_span_claim_words: int = 3
    # Near-verbatim extension: a gap of at most max_gap words on each side is bridged when the
    # next exact block (searched in a window of `window` words) holds a content word.
    max_gap: int = 5
    window: int = 10
    # Sentence links: word-sequence similarity for "near", TF-IDF cosine for "paraphrase".
    near_sentence_ratio: float = 0.6
    paraphrase_threshold: float = 0.3
    # A lower threshold for sentences that share an anchor: dates at most max_date_gap_days
    # apart, or paraphrase_min_entities names (runs of capitalised words).
    paraphrase_anchored_threshold: float = 0.2
    paraphrase_min_entities: int = 2
    # Sharing this many content stems (or concepts: boycott = freeze = refuse) anchors too.
    paraphrase_anchor_stems: int = 7
    # Sentences sharing paraphrase_strong_entities names need only the strong threshold.
    paraphrase_strong_entities: int = 4
    paraphrase_strong_threshold: float = 0.15
    paraphrase_min_shared: int = 3
    # Paraphrase by claim frames (frames.py), for sentences whose cosine is too low: they
    # share a specific predicate family (attend = take part; boycott = freeze; start = come
    # into effect ...), paraphrase_frame_anchors actors, places, numbers or dates at most
    # paraphrase_frame_date_gap days apart, frame similarity paraphrase_frame_similarity,
    # and a cosine of at least paraphrase_frame_min_cosine (one anchor is enough when it is
    # a date or a figure of 10 or more). Their score is the cosine plus
    # paraphrase_frame_bonus times the frame similarity.
    paraphrase_frame_similarity: float = 0.6
    paraphrase_frame_anchors: int = 2
    paraphrase_frame_bonus: float = 0.1
    paraphrase_frame_min_cosine: float = 0.1
    # Content stems or concepts two sentences must share to have their frames compared.
    paraphrase_frame_min_shared: int = 2
    paraphrase_frame_date_gap: int = 2
    # Paraphrase links kept per sentence (best first), in each direction.
    paraphrase_per_sentence: int = 2
    # Frame keys held by at least this share of the sentences of both articles (the story's
    # own actors and act: "Spain", "vote") anchor no frame match and weigh half.
    paraphrase_background_share: float = 0.3
    # Sentences above paraphrase_threshold that share no specific act, figure or date need
    # this many specific names or places (see align._specific).
    paraphrase_specific_anchors: int = 2
    # Date differences are reported between dates at most this many days apart.
    max_date_gap_days: int = 7

    def max_df(self, articles: int) -> int:
        """The largest number of articles an n-gram may occur in and still be used."""
        return max(self.max_df_floor, min(self.max_df_cap, int(self.max_df_ratio * articles)))


DEFAULT_CONFIG = Config()


@dataclass(frozen=True, slots=True)
class DiffOp:
    """A word-level difference: a_text in a reads b_text in b (an empty side has start == end)."""

    op: Literal["replace", "insert", "delete"]
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A passage of article a_key linked to a passage of article b_key (a_key < b_key)."""

    kind: LinkKind
    a_key: str
    a_start: int
    a_end: int
    b_key: str
    b_start: int
    b_end: int
    score: float
    word_diff: tuple[DiffOp, ...] = ()
    stance: Stance = "agree"
    # When stance is "differ": the kinds of difference found (each also a `Difference`).
    differs_by: tuple[DifferenceKind, ...] = ()
    shared: Evidence = ()

    def side(self, key: str) -> tuple[int, int]:
        """The span this link covers in article `key`."""
        if key == self.a_key:
            return self.a_start, self.a_end
        if key == self.b_key:
            return self.b_start, self.b_end
        raise KeyError(key)

    def other(self, key: str) -> tuple[str, int, int]:
        """The article and span on the other side of the link from article `key`."""
        if key == self.a_key:
            return self.b_key, self.b_start, self.b_end
        if key == self.b_key:
            return self.a_key, self.a_start, self.a_end
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """Passages of several articles joined by links: "this quote is carried by 001 and 004"."""

    members: tuple[tuple[str, int, int], ...]
    kinds: tuple[LinkKind, ...]
    link_count: int

    @property
    def keys(self) -> tuple[str, ...]:
        """The articles that carry the passage, sorted."""
        return tuple(sorted({key for key, _, _ in self.members}))


@dataclass(frozen=True, slots=True)
class Difference:
    """A number, date or name that linked passages give differently, with both readings."""

    kind: DifferenceKind
    a_key: str
    a_start: int
    a_end: int
    a_text: str
    b_key: str
    b_start: int
    b_end: int
    b_text: str
    link_kind: LinkKind

    @classmethod
    def between(
        cls,
        kind: DifferenceKind,
        a: Doc,
        a_span: tuple[int, int],
        b: Doc,
        b_span: tuple[int, int],
        link_kind: LinkKind,
    ) -> Difference:
        """The difference between a span of one body and a span of another, with the text
        each reads."""
        (a_start, a_end), (b_start, b_end) = a_span, b_span
        return cls(
            kind,
            a.key,
            a_start,
            a_end,
            a.body[a_start:a_end],
            b.key,
            b_start,
            b_end,
            b.body[b_start:b_end],
            link_kind,
        )


@dataclass(frozen=True, slots=True)
class TermHit:
    """One use of a lexicon term in an article, with a words-in-context snippet."""

    key: str
    family: str
    term: str
    start: int
    end: int
    text: str
    snippet_start: int
    snippet_end: int
    snippet: str


@dataclass(frozen=True, slots=True)
class ArticleFraming:
    """Lexicon terms counted in one article: counts[family][term], and every hit."""

    key: str
    counts: dict[str, dict[str, int]]
    hits: tuple[TermHit, ...]

    def total(self, family: str) -> int:
        """How many hits of one family the article has."""
        return sum(self.counts.get(family, {}).values())


@dataclass(frozen=True, slots=True)
class Citation:
    """Who is quoted (source), carried by whom (via: AFP in "told AFP"); absent spans are None."""

    key: str
    verb: str
    verb_start: int
    verb_end: int
    source: str | None
    source_start: int | None
    source_end: int | None
    via: str | None
    via_start: int | None
    via_end: int | None
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    # The earlier named source a pronoun ("he said") stands for.
    resolved_source: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything `compare` finds across a corpus."""

    links: tuple[Link, ...]
    groups: tuple[LinkGroup, ...]
    differences: tuple[Difference, ...]
    framing: dict[str, ArticleFraming] = field(default_factory=dict)
    attributions: dict[str, tuple[Citation, ...]] = field(default_factory=dict)

    def links_for(self, key: str) -> tuple[Link, ...]:
        """The links with article `key` on either side."""
        return tuple(link for link in self.links if key in (link.a_key, link.b_key))

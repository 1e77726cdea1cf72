"""Lexical sentence similarity: TF-IDF cosine over content-word stems and character n-grams.

The IDF is computed over the sentences of the two articles being compared, so a pair's score
depends on those two articles only: adding a third article never changes it, which keeps the
incremental index exactly equal to a full recomputation.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product, repeat
from operator import add, mul, truediv

from .dates import article_dates
from .document import Doc, is_content
from .frames import Frame, frame_keys, sentence_frame

CHAR_N = 4
WORD_WEIGHT = 0.5  # share of the word cosine in the score; the rest is the char n-gram cosine
BIGRAMS = False  # count pairs of consecutive content stems as word features too


def stem(word: str) -> str:
    """A crude stem: no hyphens, possessive or plural -s (cease-fire = ceasefire)."""
    word = word.replace("-", "").replace(".", "")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def light_stem(word: str) -> str:
    """`stem`, then -ing, -ed and a final -e off (refuse = refused = refusing)."""
    root = stem(word)
    for suffix in ("ing", "ed"):
        if len(root) > len(suffix) + 3 and root.endswith(suffix):
            root = root[: -len(suffix)]
            break
    if len(root) > 4 and root.endswith("e"):
        root = root[:-1]
    return root


# Words that name the same thing in news reports of conflicts and talks, by light stem.
# Deliberately small and generic: actors, the truce, the talks, going to them or not.
CONCEPTS = {
    **dict.fromkeys(
        (
            "rebel",
            "militant",
            "opposition",
            "faction",
            "insurgent",
            "fighter",
            "terrorist",
            "extremist",
            "jihadist",
        ),
        "@armed",
    ),
    **dict.fromkeys(("ceasefir", "truc", "armistic"), "@ceasefire"),
    **dict.fromkeys(("deal", "agreement", "accord", "pact"), "@agreement"),
    **dict.fromkeys(("talk", "negotiation", "meet", "conferenc", "summit"), "@talks"),
    **dict.fromkeys(("attend", "participat", "participation"), "@attend"),
    **dict.fromkeys(("boycott", "refus", "suspend", "freez", "reject", "withdraw"), "@boycott"),
    **dict.fromkeys(("violation", "violat", "breach"), "@violation"),
    **dict.fromkeys(("guarantor", "guarante"), "@guarantee"),
    **dict.fromkeys(("main", "major", "chief", "principal"), "@main"),
}
# Two-word expressions: (previous light stem, light stem) -> concept of the second word.
PHRASES = {
    ("tak", "part"): "@attend",
    ("take", "part"): "@attend",
    ("took", "part"): "@attend",
    ("into", "forc"): "@in-effect",
    ("into", "effect"): "@in-effect",
    ("took", "effect"): "@in-effect",
    ("pull", "out"): "@boycott",
    ("pulled", "out"): "@boycott",
}
# Light stems that make a sentence say something did not happen, or was refused.
NEGATIVE = frozenset(
    (
        "not",
        "no",
        "never",
        "cannot",
        "refus",
        "boycott",
        "reject",
        "suspend",
        "freez",
        "withdraw",
        "threaten",
        "deny",
        "denied",
    )
)


# What sentence features need to know of one folded word, cached: its light stem, its term
# and character n-grams when it stands alone (None for a stop word), whether it is a content
# word, and whether it negates or refuses.
WordInfo = tuple[str, tuple[str, tuple[str, ...]] | None, bool, bool]
_WORDS: dict[str, WordInfo] = {}
_WORDS_LIMIT = 200_000
_PHRASE_FIRST = frozenset(first for first, _ in PHRASES)


def _char_grams(word: str) -> tuple[str, ...]:
    padded = f"#{stem(word)}#"
    if len(padded) <= CHAR_N:
        return (padded,)
    return tuple(padded[i : i + CHAR_N] for i in range(len(padded) - CHAR_N + 1))


def word_info(word: str) -> WordInfo:
    """Light stem, term and character n-grams, content or not, negation or not, of a word."""
    info = _WORDS.get(word)
    if info is None:
        if len(_WORDS) >= _WORDS_LIMIT:
            _WORDS.clear()
        root = light_stem(word)
        content = is_content(word)
        plain = None
        if content and root:
            concept = CONCEPTS.get(root)
            grams = _char_grams(word)
            plain = (concept, (concept, *grams)) if concept else (root, grams)
        negative = word.endswith("n't") or root in NEGATIVE
        info = _WORDS[word] = (root, plain, content, negative)
    return info


def polarity(words: Sequence[str]) -> bool:
    """False when a sentence negates or refuses (not, never, refused, boycott, freezing…)."""
    cache = _WORDS
    return not any((cache.get(word) or word_info(word))[3] for word in words)


def sentence_terms(words: Sequence[str]) -> tuple[Counter[str], Counter[str]]:
    """Content-word concepts or stems, and character n-grams, counted, for one sentence."""
    stems, chars, _, _ = _read_sentence(words)
    return stems, chars


def _read_sentence(words: Sequence[str]) -> tuple[Counter[str], Counter[str], list[str], bool]:
    """Terms and character n-grams counted, the content words, and the polarity."""
    stems: list[str] = []
    chars: list[str] = []
    content: list[str] = []
    affirms = True
    previous = ""
    last_term = ""
    cache = _WORDS
    for word in words:
        root, plain, is_content_word, negative = cache.get(word) or word_info(word)
        if is_content_word:
            content.append(word)
        if negative:
            affirms = False
        if previous in _PHRASE_FIRST and (previous, root) in PHRASES:
            concept = PHRASES[(previous, root)]
            previous = root
            if not root:
                continue
            term = concept
            chars.append(concept)
            chars.extend(_char_grams(word))
        else:
            previous = root
            if plain is None:
                continue
            term, grams = plain
            chars.extend(grams)
        stems.append(term)
        if BIGRAMS and last_term:
            stems.append(f"{last_term} {term}")
        last_term = term
    return Counter(stems), Counter(chars), content, affirms


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    shared = [t for t in a if t in b]
    total: float = sum(map(mul, map(a.__getitem__, shared), map(b.__getitem__, shared)))
    return total


class _LogTf(dict[int, float]):
    """Sublinear term frequency, 1 + log(count), by count (computed once per count)."""

    def __missing__(self, count: int) -> float:
        value = self[count] = 1.0 + math.log(count)
        return value


_LOG_TF = _LogTf()


@dataclass(slots=True)
class DocFeatures:
    """Per-sentence features of one article: terms and character n-grams counted, polarity,
    and in how many of the article's sentences each term and n-gram occurs."""

    terms: list[Counter[str]]
    chars: list[Counter[str]]
    polarity: list[bool]
    term_df: Counter[str]
    char_df: Counter[str]
    # The content words of each sentence, counted (a bound on word alignment).
    content: list[Counter[str]]
    # term -> the sentences holding it.
    sentences_of: dict[str, list[int]]
    # Claim frames of the sentences (frames.py), by sentence, made on first use.
    frames: dict[int, Frame] = field(default_factory=dict)
    # Frame key -> how many sentences hold it (see `frame_key_counts`), made on first use.
    frame_counts: Counter[str] | None = None


def sentence_features(doc: Doc) -> DocFeatures:
    """The similarity features of an article's sentences (cached on it)."""
    if doc.features is None:
        bags: list[tuple[Counter[str], Counter[str]]] = []
        signs, content = [], []
        term_df: Counter[str] = Counter()
        char_df: Counter[str] = Counter()
        sentences_of: dict[str, list[int]] = {}
        dates = article_dates(doc)
        for index, (first, end, _, _) in enumerate(doc.sentences):
            words = doc.keys[first:end]
            stems, grams, content_words, affirms = _read_sentence(words)
            if dates[index]:
                # Giving a day, written out or relative ("a day earlier"), is a term of its
                # own (which day does not matter here: dates a day apart report one event).
                stems["@date"] += len(dates[index])
                grams["@date"] += len(dates[index])
            term_df.update(stems.keys())
            char_df.update(grams.keys())
            for term in stems:
                sentences_of.setdefault(term, []).append(index)
            bags.append((stems, grams))
            signs.append(affirms)
            content.append(Counter(content_words))
        terms = [stems for stems, _ in bags]
        chars = [grams for _, grams in bags]
        doc.features = DocFeatures(terms, chars, signs, term_df, char_df, content, sentences_of)
    return doc.features


def sentence_frame_of(doc: Doc, index: int) -> Frame:
    """The claim frame of one sentence of an article (cached with its features)."""
    frames = sentence_features(doc).frames
    found = frames.get(index)
    if found is None:
        _, _, start, end = doc.sentences[index]
        found = frames[index] = sentence_frame(doc.body[start:end], article_dates(doc)[index])
    return found


def frame_key_counts(doc: Doc) -> Counter[str]:
    """Frame key ("actor:Spain", "predicate:vote") -> how many of the article's sentences
    hold it (cached with its features; reads every sentence's frame once)."""
    features = sentence_features(doc)
    if features.frame_counts is None:
        counts: Counter[str] = Counter()
        for index in range(len(doc.sentences)):
            counts.update(frame_keys(sentence_frame_of(doc, index)))
        features.frame_counts = counts
    return features.frame_counts


def overlap(a: Counter[str], b: Counter[str]) -> int:
    """The size of the multiset intersection of two word counts."""
    if len(a) > len(b):
        a, b = b, a
    return sum(min(count, b[word]) for word, count in a.items() if word in b)


class PairSpace:
    """TF-IDF vectors for the sentences of two articles, with IDF over those sentences.

    The IDF of a term is that of its document frequency over both articles' sentences
    (sublinear tf, smoothed idf, L2-normalised vectors). Vectors are made on first use, so
    sentences never scored cost nothing.
    """

    def __init__(self, a: DocFeatures, b: DocFeatures):
        self.a, self.b = a, b
        total = len(a.terms) + len(b.terms)
        self._idf = [math.log((1 + total) / (1 + count)) + 1.0 for count in range(total + 1)]
        self._weighted: dict[tuple[int, int], tuple[Weighted, Weighted]] = {}
        self._vectors: dict[tuple[int, int], tuple[dict[str, float], dict[str, float]]] = {}

    def _weights(self, side: int, index: int) -> tuple[Weighted, Weighted]:
        """The unnormalised TF-IDF weights of a sentence's terms and n-grams, with lengths."""
        found = self._weighted.get((side, index))
        if found is None:
            mine, other = (self.b, self.a) if side else (self.a, self.b)
            found = (
                _weighted(mine.terms[index], mine.term_df, other.term_df, self._idf),
                _weighted(mine.chars[index], mine.char_df, other.char_df, self._idf),
            )
            self._weighted[(side, index)] = found
        return found

    def rough(self, i: int, j: int) -> float:
        """`score(i, j)` before rounding, up to float error; cheaper, to rule pairs out."""
        a_word, a_char = self._weights(0, i)
        b_word, b_char = self._weights(1, j)
        word = _rough_cosine(a_word, b_word)
        char = _rough_cosine(a_char, b_char)
        return WORD_WEIGHT * word + (1.0 - WORD_WEIGHT) * char

    def _vector(self, side: int, index: int) -> tuple[dict[str, float], dict[str, float]]:
        found = self._vectors.get((side, index))
        if found is None:
            word, char = self._weights(side, index)
            found = self._vectors[(side, index)] = (_normalised(word), _normalised(char))
        return found

    def score(self, i: int, j: int) -> float:
        """Similarity of sentence i of article a and sentence j of article b, in [0, 1]."""
        a_words, a_chars = self._vector(0, i)
        b_words, b_chars = self._vector(1, j)
        word = _cosine(a_words, b_words)
        char = _cosine(a_chars, b_chars)
        return round(WORD_WEIGHT * word + (1.0 - WORD_WEIGHT) * char, 6)

    def same_polarity(self, i: int, j: int) -> bool:
        """Whether both sentences affirm, or both negate or refuse."""
        return self.a.polarity[i] == self.b.polarity[j]

    def shared_stems(self, i: int, j: int) -> int:
        """How many distinct content stems sentence i of a and sentence j of b share."""
        return len(self.a.terms[i].keys() & self.b.terms[j].keys())

    def candidates(self) -> dict[tuple[int, int], int]:
        """Sentence pairs (i of a, j of b) sharing content stems, with how many they share."""
        in_b = self.b.sentences_of
        shared: Counter[tuple[int, int]] = Counter()
        for term, in_a in self.a.sentences_of.items():
            found = in_b.get(term)
            if found:
                shared.update(product(in_a, found))
        return dict(sorted(shared.items()))


# A sentence's TF-IDF weights by term (sublinear tf, smoothed idf), and the vector's length.
Weighted = tuple[dict[str, float], float]


def _weighted(
    counts: Counter[str], own_df: Counter[str], other_df: Counter[str], idf: list[float]
) -> Weighted:
    """A sentence's TF-IDF weights; the document frequency of a term is its own article's
    plus the other's."""
    df = map(add, map(own_df.__getitem__, counts), map(other_df.get, counts, repeat(0)))
    vector = list(map(mul, map(_LOG_TF.__getitem__, counts.values()), map(idf.__getitem__, df)))
    norm = math.sqrt(sum(map(mul, vector, vector)))
    return dict(zip(counts, vector, strict=True)), norm


def _rough_cosine(x: Weighted, y: Weighted) -> float:
    """The cosine of two sentence vectors from their weights (float error aside)."""
    (x_weights, x_norm), (y_weights, y_norm) = x, y
    if not x_norm or not y_norm:
        return 0.0
    shared = x_weights.keys() & y_weights.keys()
    if not shared:
        return 0.0
    dot: float = sum(
        map(mul, map(x_weights.__getitem__, shared), map(y_weights.__getitem__, shared))
    )
    return dot / (x_norm * y_norm)


def _normalised(weighted: Weighted) -> dict[str, float]:
    """A sentence's TF-IDF vector, L2-normalised."""
    weights, norm = weighted
    return (
        dict(zip(weights, map(truediv, weights.values(), repeat(norm)), strict=True))
        if norm
        else {}
    )

"""Lexical sentence similarity: TF-IDF cosine over content-word stems and character n-grams.

The IDF is computed over the sentences of the two articles being compared, so a pair's score
depends on those two articles only: adding a third article never changes it, which keeps the
incremental index exactly equal to a full recomputation.

Every sentence of one article is scored against every sentence of the other at once, as
sparse matrices (numpy): `PairSpace.rough` reads that table. `PairSpace.score`, the exact
score the linker decides on and keeps, is computed in plain Python, and only when needed:
`PairSpace.at_least` answers from the rough score when it lies further from the threshold
than its error can reach, so decisions never depend on how numpy sums.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import add, mul, truediv

import numpy as np
import numpy.typing as npt

from .dates import article_dates
from .document import Doc, is_content
from .frames import Frame, frame_keys, sentence_frame

CHAR_N = 4
# How far a rough sentence score may be from the exact one (float error and 6-digit rounding).
ROUGH_MARGIN = 1e-6
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
    # The terms and the character n-grams as matrices (see `_tables`), made on first use.
    tables: tuple[_Table, _Table] | None = None


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


Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class _Table:
    """One article's sentences as a sparse matrix of counted features (terms, or character
    n-grams), its entries ordered by feature: entry k is feature `cols[k]` in sentence
    `rows[k]` with the sublinear term frequency `log_tf[k]`; feature c (`columns` names it)
    has its `count[c]` entries from `start[c]` and is held by `df[c]` sentences."""

    columns: dict[str, int]
    df: Ints
    start: Ints
    count: Ints
    rows: Ints
    cols: Ints
    log_tf: Floats


def _table(bags: list[Counter[str]], df: Counter[str]) -> _Table:
    # Features numbered in order of first appearance; entries sentence by sentence.
    features = list(dict.fromkeys(chain.from_iterable(bags)))
    columns = dict(zip(features, range(len(features)), strict=True))
    sizes = np.fromiter(map(len, bags), np.intp, len(bags))
    total = int(sizes.sum())
    cols = np.fromiter(map(columns.__getitem__, chain.from_iterable(bags)), np.intp, total)
    counts = chain.from_iterable(bag.values() for bag in bags)
    log_tf = np.fromiter(map(_LOG_TF.__getitem__, counts), np.float64, total)
    rows = np.repeat(np.arange(len(bags), dtype=np.intp), sizes)
    by_feature = np.argsort(cols, kind="stable")
    per_feature = np.bincount(cols, minlength=len(columns))
    return _Table(
        columns,
        np.fromiter(map(df.__getitem__, features), np.intp, len(features)),
        np.cumsum(per_feature) - per_feature,
        per_feature,
        rows[by_feature],
        cols[by_feature],
        log_tf[by_feature],
    )


def _tables(features: DocFeatures) -> tuple[_Table, _Table]:
    """The terms and the character n-grams of an article's sentences (cached on them)."""
    if features.tables is None:
        features.tables = (
            _table(features.terms, features.term_df),
            _table(features.chars, features.char_df),
        )
    return features.tables


def _cosines(x: _Table, y: _Table, x_rows: int, y_rows: int, idf: Floats) -> tuple[Floats, Ints]:
    """The TF-IDF cosine of every sentence of x with every sentence of y (an x_rows by
    y_rows matrix; the document frequency of a feature is both articles' together), and how
    many features each two sentences share.

    Only the features both hold add to a dot product: each entry of one side meets the
    entries of the same feature on the other, and the products are summed by sentence pair
    (a few thousand products, where a dense product would multiply mostly zeros)."""
    shared = x.columns.keys() & y.columns.keys()
    if not shared:
        return np.zeros((x_rows, y_rows)), np.zeros((x_rows, y_rows), dtype=np.intp)
    x_shared = np.fromiter(map(x.columns.__getitem__, shared), np.intp, len(shared))
    y_shared = np.fromiter(map(y.columns.__getitem__, shared), np.intp, len(shared))
    # Each side's weights, with the other article's sentences counted in the idf.
    x_df = x.df.copy()
    x_df[x_shared] += y.df[y_shared]
    y_df = y.df.copy()
    y_df[y_shared] += x.df[x_shared]
    x_weights = x.log_tf * idf[x_df[x.cols]]
    y_weights = y.log_tf * idf[y_df[y.cols]]
    x_norms = np.sqrt(np.bincount(x.rows, weights=x_weights * x_weights, minlength=x_rows))
    y_norms = np.sqrt(np.bincount(y.rows, weights=y_weights * y_weights, minlength=y_rows))
    # For shared feature f, its x entries times its y entries: product p is the `local`-th
    # of feature `feature[p]`, x entry local // y count, y entry local % y count.
    x_count, y_count = x.count[x_shared], y.count[y_shared]
    per_feature = x_count * y_count
    feature = np.repeat(np.arange(len(shared)), per_feature)
    firsts = np.cumsum(per_feature) - per_feature
    local = np.arange(len(feature)) - firsts[feature]
    y_counts = y_count[feature]
    x_entry = x.start[x_shared][feature] + local // y_counts
    y_entry = y.start[y_shared][feature] + local % y_counts
    cell = x.rows[x_entry] * y_rows + y.rows[y_entry]
    size = x_rows * y_rows
    dots = np.bincount(cell, weights=x_weights[x_entry] * y_weights[y_entry], minlength=size)
    norms = np.outer(x_norms, y_norms)
    cosines = np.divide(
        dots.reshape(x_rows, y_rows), norms, out=np.zeros_like(norms), where=norms > 0
    )
    return cosines, np.bincount(cell, minlength=size).reshape(x_rows, y_rows)


class PairSpace:
    """TF-IDF vectors for the sentences of two articles, with IDF over those sentences.

    The IDF of a term is that of its document frequency over both articles' sentences
    (sublinear tf, smoothed idf, L2-normalised vectors). Every pair's rough score is computed
    at once on first use; exact vectors are made on first use, so sentences never scored
    exactly cost nothing.
    """

    def __init__(self, a: DocFeatures, b: DocFeatures):
        self.a, self.b = a, b
        total = len(a.terms) + len(b.terms)
        self._idf = [math.log((1 + total) / (1 + count)) + 1.0 for count in range(total + 1)]
        self._weighted: dict[tuple[int, int], tuple[Weighted, Weighted]] = {}
        self._vectors: dict[tuple[int, int], tuple[dict[str, float], dict[str, float]]] = {}
        self._rough: list[list[float]] | None = None
        self._shared: Ints | None = None

    def _matrices(self) -> tuple[list[list[float]], Ints]:
        """Every sentence pair's rough score, and the content stems each two share."""
        if self._rough is None or self._shared is None:
            (a_words, a_chars), (b_words, b_chars) = _tables(self.a), _tables(self.b)
            rows, columns = len(self.a.terms), len(self.b.terms)
            idf = np.array(self._idf)
            word, self._shared = _cosines(a_words, b_words, rows, columns, idf)
            char, _ = _cosines(a_chars, b_chars, rows, columns, idf)
            self._rough = (WORD_WEIGHT * word + (1.0 - WORD_WEIGHT) * char).tolist()
        return self._rough, self._shared

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
        return self._matrices()[0][i][j]

    def _vector(self, side: int, index: int) -> tuple[dict[str, float], dict[str, float]]:
        found = self._vectors.get((side, index))
        if found is None:
            word, char = self._weights(side, index)
            found = self._vectors[(side, index)] = (_normalised(word), _normalised(char))
        return found

    def at_least(self, i: int, j: int, threshold: float) -> bool:
        """Whether `score(i, j) >= threshold`: read off the rough score when it is further
        from the threshold than ROUGH_MARGIN, else from the exact score."""
        rough = self._matrices()[0][i][j]
        if rough >= threshold + ROUGH_MARGIN:
            return True
        if rough < threshold - ROUGH_MARGIN:
            return False
        return self.score(i, j) >= threshold

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
        """Sentence pairs (i of a, j of b) sharing content stems, with how many they share,
        in order."""
        shared = self._matrices()[1]
        rows, columns = np.nonzero(shared)
        counts = shared[rows, columns]
        pairs = zip(rows.tolist(), columns.tolist(), strict=True)
        return dict(zip(pairs, counts.tolist(), strict=True))


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


def _normalised(weighted: Weighted) -> dict[str, float]:
    """A sentence's TF-IDF vector, L2-normalised."""
    weights, norm = weighted
    return (
        dict(zip(weights, map(truediv, weights.values(), repeat(norm)), strict=True))
        if norm
        else {}
    )

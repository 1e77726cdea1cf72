"""Lexical sentence similarity: TF-IDF cosine over content-word stems and character n-grams.

The IDF is computed over the sentences of the two articles being compared, so a pair's score
depends on those two articles only: adding a third article never changes it, which keeps the
incremental index exactly equal to a full recomputation.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from .document import Doc, is_content

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


def polarity(words: Sequence[str]) -> bool:
    """False when a sentence negates or refuses (not, never, refused, boycott, freezing…)."""
    return all(not (word.endswith("n't") or light_stem(word) in NEGATIVE) for word in words)


def sentence_terms(words: Sequence[str]) -> tuple[Counter[str], Counter[str]]:
    """Content-word concepts or stems, and character n-grams, counted, for one sentence."""
    stems: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    previous = ""
    last_term = ""
    for word in words:
        root = light_stem(word)
        concept = PHRASES.get((previous, root))
        previous = root
        if concept is None:
            if not is_content(word):
                continue
            concept = CONCEPTS.get(root)
        if not root:
            continue
        term = concept or root
        stems[term] += 1
        if BIGRAMS and last_term:
            stems[f"{last_term} {term}"] += 1
        last_term = term
        if concept:
            chars[concept] += 1
        padded = f"#{stem(word)}#"
        if len(padded) <= CHAR_N:
            chars[padded] += 1
        else:
            for i in range(len(padded) - CHAR_N + 1):
                chars[padded[i : i + CHAR_N]] += 1
    return stems, chars


def _weights(
    bags: Sequence[Counter[str]],
) -> list[dict[str, float]]:
    """TF-IDF vectors (sublinear tf, smoothed idf), L2-normalised, for a list of bags."""
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    total = len(bags)
    idf = {term: math.log((1 + total) / (1 + count)) + 1.0 for term, count in df.items()}
    vectors: list[dict[str, float]] = []
    for bag in bags:
        vector = {term: (1.0 + math.log(count)) * idf[term] for term, count in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        vectors.append({t: v / norm for t, v in vector.items()} if norm else {})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


SentenceFeatures = tuple[Counter[str], Counter[str], bool]


def sentence_features(doc: Doc) -> list[SentenceFeatures]:
    """Terms, character n-grams and polarity of each sentence of an article (cached on it)."""
    if doc.features is None:
        doc.features = []
        for first, end, _, _ in doc.sentences:
            words = doc.keys[first:end]
            stems, chars = sentence_terms(words)
            doc.features.append((stems, chars, polarity(words)))
    return doc.features


class PairSpace:
    """TF-IDF vectors for the sentences of two articles, with IDF over those sentences."""

    def __init__(self, a: Sequence[SentenceFeatures], b: Sequence[SentenceFeatures]):
        everything = [*a, *b]
        terms = [(stems, chars) for stems, chars, _ in everything]
        self.polarity = [sign for _, _, sign in everything]
        self.split = len(a)
        self.stems = [stems for stems, _ in terms]
        self.word_vectors = _weights(self.stems)
        self.char_vectors = _weights([chars for _, chars in terms])

    def score(self, i: int, j: int) -> float:
        """Similarity of sentence i of article a and sentence j of article b, in [0, 1]."""
        x, y = i, self.split + j
        word = _cosine(self.word_vectors[x], self.word_vectors[y])
        char = _cosine(self.char_vectors[x], self.char_vectors[y])
        return round(WORD_WEIGHT * word + (1.0 - WORD_WEIGHT) * char, 6)

    def same_polarity(self, i: int, j: int) -> bool:
        """Whether both sentences affirm, or both negate or refuse."""
        return self.polarity[i] == self.polarity[self.split + j]

    def shared_stems(self, i: int, j: int) -> int:
        """How many distinct content stems sentence i of a and sentence j of b share."""
        return len(self.stems[i].keys() & self.stems[self.split + j].keys())

    def candidates(self) -> list[tuple[int, int]]:
        """Sentence pairs (i of a, j of b) that share at least one content stem."""
        postings: dict[str, list[int]] = {}
        for j in range(len(self.stems) - self.split):
            for term in self.stems[self.split + j]:
                postings.setdefault(term, []).append(j)
        pairs: set[tuple[int, int]] = set()
        for i in range(self.split):
            for term in self.stems[i]:
                for j in postings.get(term, ()):
                    pairs.add((i, j))
        return sorted(pairs)

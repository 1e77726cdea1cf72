"""Framing: which words an article uses for the actors, counted in context, as a reader would.

A lexicon maps a family ("armed groups", "government") to terms. A term is a word or phrase,
matched on folded words (hyphens split words, so "militant-held" holds "militant"), longest
term first, each word counted once.

Words are compared by their `lemma`: the possessive and the plural are folded away ("rebels",
"rebel's" and "rebels'" are "rebel"; "militias" "militia"; "authorities" "authority";
"gunmen" "gunman"), so one term counts every simple inflection of its words, and its row is
named by the term as the lexicon writes it, whichever form the text uses. A word the lexicon
writes with a capital is a name and loses only its possessive ("Assad's"), never an "s"
("Hamas" is not "Hama"): write common words in lower case. Terms of one family that fold to
the same words ("rebel" and "rebels" both listed) are one row, named by the first listed,
with the context rules of both.

Context rules cancel a match: `not_after` lists words or phrases that may not come right
before it (the "ceasefire regime" is no government), `not_before` words or phrases that may
not come right after it, in the same sentence. A phrase must match the neighbouring words in
order; "*" in it stands for any one word ("* website" cancels "opposition-run website" and
"opposition Orient website"). Context words are folded and lemmatised like the text
("website" covers "websites").

The general rule the default lexicon applies: a word that can also name an unarmed side
("opposition") is no armed-group term when it qualifies a media noun ("an opposition news
website", "opposition TV", "opposition-run TV") or a political one ("opposition
party", "opposition lawmakers"), next to it or one word further.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from articles.ingest.text import normalize_for_matching

from .document import Folded, boilerplate_spans, fold
from .results import ArticleFraming, TermHit

SNIPPET_WORDS = 8
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Term:
    """A lexicon term with the neighbouring words that cancel it."""

    phrase: str
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()


Lexicon = Mapping[str, Sequence[str | Term]]

_NOT_A_GOVERNMENT_REGIME = (
    "ceasefire",
    "cease",
    "fire",
    "truce",
    "sanctions",
    "sanction",
    "visa",
    "monitoring",
    "control",
    "trade",
    "tax",
    "legal",
    "security",
    "inspection",
    "verification",
    "export",
    "customs",
    "nonproliferation",
)
_FOREIGN = (
    "turkish",
    "turkey's",
    "russian",
    "russia's",
    "us",
    "u.s",
    "american",
    "iranian",
    "iran's",
    "saudi",
    "british",
    "french",
    "german",
    "israeli",
    "kazakh",
    "jordanian",
    "qatari",
    "iraqi",
    "lebanese",
    "anti",
    "non",
    "local",
    "interim",
    "provisional",
)
# Words before "Damascus" that make it a place, not the government.
_PLACE = ("in", "of", "around", "near", "outside", "to", "from", "capital", "into", "at", "across")

# Nouns after which "opposition" names media or politics, not an armed side.
_MEDIA = (
    "news",
    "website",
    "site",
    "web",
    "newspaper",
    "paper",
    "outlet",
    "channel",
    "tv",
    "television",
    "media",
    "daily",
    "weekly",
    "radio",
    "agency",
    "magazine",
    "broadcaster",
    "press",
    "journal",
    "journalist",
    "blog",
    "portal",
)
_POLITICAL = ("party", "politician", "lawmaker", "legislator", "mp", "parliamentarian")
_NOT_ARMED_NEXT = (*_MEDIA, *_POLITICAL, *(f"* {noun}" for noun in (*_MEDIA, *_POLITICAL)))

DEFAULT_LEXICON: dict[str, tuple[str | Term, ...]] = {
    "armed groups": (
        "rebel",
        "militant",
        "terrorist",
        "extremist",
        "insurgent",
        "jihadist",
        Term("opposition", not_after=("political", "parliamentary"), not_before=_NOT_ARMED_NEXT),
        "faction",
        Term("armed group"),
        Term("so-called"),
    ),
    "government": (
        Term("Assad regime"),
        Term("Syrian regime"),
        Term("regime", not_after=_NOT_A_GOVERNMENT_REGIME),
        Term("Assad government"),
        Term("Syrian government"),
        Term("government", not_after=_FOREIGN),
        Term("Damascus", not_after=_PLACE),
    ),
}


@dataclass(frozen=True, slots=True)
class _Compiled:
    family: str
    term: str
    # The term's words: lemmas of common words, possessive-free forms of names.
    words: tuple[str, ...]
    # Which of the words are names (compared without folding the plural).
    names: tuple[bool, ...]
    # Context phrases in the same notation ("*" for any word).
    not_after: tuple[tuple[tuple[str, bool], ...], ...]
    not_before: tuple[tuple[tuple[str, bool], ...], ...]


# Words an "s" ends without making a plural.
_INVARIANT = frozenset({"news", "series", "species", "means"})
_NOT_PLURAL_ENDS = ("ss", "us", "is")
_SIBILANT_PLURALS = ("sses", "shes", "ches", "xes", "zes")
_LEMMAS: dict[str, str] = {}
ANY_WORD = "*"


def lemma(word: str) -> str:
    """A folded word without its possessive or plural: "rebels'"/"rebel's"/"rebels" -> "rebel".

    Only the simple English inflections of nouns: -s, -es after a sibilant, -ies -> -y,
    -men -> -man, and a trailing 's. Words of three letters or fewer are left alone ("us",
    "gas", "its"); so are a few words whose -s is no plural ("news", "series").
    """
    found = _LEMMAS.get(word)
    if found is not None:
        return found
    out = bare(word)
    if len(out) > 3 and out not in _INVARIANT:
        if out.endswith("ies") and len(out) > 4:
            out = out[:-3] + "y"
        elif out.endswith(_SIBILANT_PLURALS):
            out = out[:-2]
        elif out.endswith("men") and len(out) > 4:
            out = out[:-3] + "man"
        elif out.endswith("s") and not out.endswith(_NOT_PLURAL_ENDS):
            out = out[:-1]
    if len(_LEMMAS) < 200_000:
        _LEMMAS[word] = out
    return out


def bare(word: str) -> str:
    """A folded word without its possessive ("assad's" -> "assad")."""
    return word[:-2] if word.endswith("'s") and len(word) > 2 else word


def _lexicon_words(text: str) -> tuple[tuple[str, bool], ...]:
    """A term or context phrase as (key, is_name) words; "*" is kept as the any-word mark.

    A word written with a capital is a name (its key keeps its "s"); others are lemmas.
    """
    out: list[tuple[str, bool]] = []
    for piece in text.split():
        if piece == ANY_WORD:
            out.append((ANY_WORD, False))
            continue
        for match in _WORD_RE.finditer(piece):
            name = match.group()[:1].isupper()
            folded = _WORD_RE.findall(normalize_for_matching(match.group()).text)
            out.extend((bare(w) if name else lemma(w), name) for w in folded)
    return tuple(out)


def compile_lexicon(lexicon: Lexicon) -> tuple[_Compiled, ...]:
    """Terms as word keys, longest first (so "Assad regime" wins over "regime").

    Terms of one family with the same words are one row, named by the first listed, whose
    context rules are those of all of them.
    """
    merged: dict[tuple[str, tuple[tuple[str, bool], ...]], _Compiled] = {}
    for family, terms in lexicon.items():
        for raw in terms:
            term = raw if isinstance(raw, Term) else Term(raw)
            words = _lexicon_words(term.phrase)
            if not _useful(words):
                continue
            not_after = tuple(p for p in map(_lexicon_words, term.not_after) if _useful(p))
            not_before = tuple(p for p in map(_lexicon_words, term.not_before) if _useful(p))
            earlier = merged.get((family, words))
            if earlier is not None:
                not_after = _union(earlier.not_after, not_after)
                not_before = _union(earlier.not_before, not_before)
            merged[(family, words)] = _Compiled(
                family,
                earlier.term if earlier else term.phrase,
                tuple(w for w, _ in words),
                tuple(name for _, name in words),
                not_after,
                not_before,
            )
    return tuple(sorted(merged.values(), key=_order))


def _useful(phrase: tuple[tuple[str, bool], ...]) -> bool:
    """A phrase that names at least one word (not empty, not only "*")."""
    return any(word != ANY_WORD for word, _ in phrase)


def _union[T](first: tuple[T, ...], second: tuple[T, ...]) -> tuple[T, ...]:
    return first + tuple(p for p in second if p not in first)


class _Words:
    """The words of a body as keys: lemmas (common words) and possessive-free forms (names).

    `breaks_before(k)` says whether word k opens a sentence or paragraph (after ".", "!",
    "?", ";" or a line break; a "." after a single letter, as in "U.S.", is no break):
    context rules do not reach across them. Only the words a context rule looks at are
    asked about (most bodies have few matches), each once.
    """

    __slots__ = ("_body", "_breaks", "_words", "bare", "lemmas")

    def __init__(self, body: str, words: list[tuple[str, int, int]]) -> None:
        self._body, self._words = body, words
        self.bare = [bare(w) for w, _, _ in words]
        self.lemmas = [lemma(w) for w, _, _ in words]
        self._breaks: dict[int, bool] = {}

    def breaks_before(self, k: int) -> bool:
        """Whether a sentence or paragraph ends between word k - 1 and word k."""
        found = self._breaks.get(k)
        if found is None:
            words = self._words
            found = 0 < k < len(words) and _sentence_break(
                self._body[words[k - 1][2] : words[k][1]], words[k - 1][0]
            )
            self._breaks[k] = found
        return found

    def key(self, at: int, name: bool) -> str:
        return self.bare[at] if name else self.lemmas[at]

    def reads(self, at: int, words: tuple[str, ...], names: tuple[bool, ...]) -> bool:
        """Whether the words from `at` on are the given ones."""
        if at < 0 or at + len(words) > len(self.lemmas):
            return False
        return all(
            w == ANY_WORD or w == self.key(at + k, name)
            for k, (w, name) in enumerate(zip(words, names, strict=True))
        )

    def context(self, at: int, phrase: tuple[tuple[str, bool], ...], first: int, last: int) -> bool:
        """Whether the phrase reads from `at`, with no break among words first..last."""
        if any(self.breaks_before(k) for k in range(first + 1, last + 1)):
            return False
        return self.reads(at, tuple(w for w, _ in phrase), tuple(n for _, n in phrase))


def _sentence_break(gap: str, before: str) -> bool:
    """Whether the text between two words ends a sentence (see `_Words`)."""
    if "\n" in gap or any(mark in gap for mark in "!?;"):
        return True
    return "." in gap and len(before) > 1


def _cancelled(words: _Words, i: int, n: int, term: _Compiled) -> bool:
    """Whether a context rule of the term cancels its match at words i..i + n."""
    return any(words.context(i - len(p), p, i - len(p), i) for p in term.not_after) or any(
        words.context(i + n, p, i + n - 1, i + n + len(p) - 1) for p in term.not_before
    )


def _order(term: _Compiled) -> tuple[int, str, str]:
    return (-len(term.words), term.family, term.term)


def frame(
    key: str,
    body: str,
    lexicon: Lexicon,
    masked: Sequence[tuple[int, int]] | None = None,
    compiled: tuple[_Compiled, ...] | None = None,
    folded: Folded | None = None,
) -> ArticleFraming:
    """Count the lexicon's terms in one body, skipping masked spans (boilerplate, comments)."""
    terms = compiled if compiled is not None else compile_lexicon(lexicon)
    masked = boilerplate_spans(body) if masked is None else masked
    folded = folded if folded is not None else fold(body)
    words = folded.words(_WORD_RE)
    if masked:
        words = [w for w in words if not any(s <= w[1] < e for s, e in masked)]
    by_first: dict[tuple[str, bool], list[_Compiled]] = {}
    for term in terms:
        by_first.setdefault((term.words[0], term.names[0]), []).append(term)
    hits: list[TermHit] = []
    keys = _Words(body, words)
    starts = [
        i
        for i in range(len(words))
        if (keys.lemmas[i], False) in by_first or (keys.bare[i], True) in by_first
    ]
    if starts:
        used = [False] * len(words)
        for term_length in sorted({len(t.words) for t in terms}, reverse=True):
            for i in starts:
                candidates = by_first.get((keys.lemmas[i], False), []) + by_first.get(
                    (keys.bare[i], True), []
                )
                for term in sorted(candidates, key=_order):
                    n = len(term.words)
                    if n != term_length or i + n > len(words) or any(used[i : i + n]):
                        continue
                    if not keys.reads(i, term.words, term.names):
                        continue
                    if _cancelled(keys, i, n, term):
                        continue
                    for k in range(i, i + n):
                        used[k] = True
                    hits.append(_hit(key, body, words, i, n, term))
                    break
    hits.sort(key=lambda hit: (hit.start, hit.family))
    counts: dict[str, dict[str, int]] = {family: {} for family in lexicon}
    for hit in hits:
        family = counts.setdefault(hit.family, {})
        family[hit.term] = family.get(hit.term, 0) + 1
    return ArticleFraming(key, counts, tuple(hits))


def frame_article(key: str, body: str, lexicon: Lexicon = DEFAULT_LEXICON) -> ArticleFraming:
    """The framing of one article alone: its lexicon terms counted in context.

    The same result the index gives for the article (masked boilerplate is skipped), with no
    pair computed: for recounting framing when the lexicon changes.
    """
    return frame(key, body, lexicon)


def _hit(
    key: str, body: str, words: list[tuple[str, int, int]], i: int, n: int, term: _Compiled
) -> TermHit:
    start, end = words[i][1], words[i + n - 1][2]
    first = max(0, i - SNIPPET_WORDS)
    last = min(len(words) - 1, i + n - 1 + SNIPPET_WORDS)
    snippet_start, snippet_end = words[first][1], words[last][2]
    return TermHit(
        key,
        term.family,
        term.term,
        start,
        end,
        body[start:end],
        snippet_start,
        snippet_end,
        body[snippet_start:snippet_end],
    )

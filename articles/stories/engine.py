"""Which articles report the same story: a pure engine (no Django), typed, tested as functions.

An article's *profile* is what it brings: its publication day and how often each informative
term occurs — folded words of three letters or more that are not stop words, names (a
capitalised word inside a sentence, kept as its `name_key`, so that Cyrillic and Latin
spellings meet), and numbers of two digits or more (any script's digits); the title's terms
count twice, its names only when the body has them (headlines capitalise every word). In a
text that capitalises its common nouns (German), a capitalised word after an article is a
noun, not a name. Weighed against how many articles of the corpus hold each
term (tf-idf: `1 + log(count)` times `log((n + 1) / (df + 1)) + 1`) and cut to its `KEY_TERMS`
heaviest terms, a profile becomes a unit *vector*; its names and numbers alone make a second
one, the *entity vector*, which is what two reports of one event in two languages share. Two
articles' *similarity* is the cosine of their vectors or ENTITY_WEIGHT times the cosine of their
entity vectors, whichever is higher, plus a bonus for passages the comparison linked between
them (wire copy shared word for word), damped when their publication days lie far apart.

`assign` places one new article: into every story whose members it resembles enough (a story's
score is the mean of its member similarities above the join threshold's half, so one lucky
neighbour does not pull an article in), or, when it fits none or an unplaced article resembles
it more than any story does, into a new story with the unplaced articles it resembles.
Everything it decides comes with its `Evidence`: the closest members, the terms they share, the
passages linked and the days between them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from articles.ingest.text import STOPWORDS

# The version of term extraction a stored profile was made with. Bump it whenever `term_counts`
# would count some text differently (the word pattern, folding, stop words, name keys, noun
# rules, TITLE_WEIGHT) or KEY_TERMS changes: profiles stored under another version are stale,
# and the next `stories_suggest_stale` (after any import) profiles and places those articles
# again. 1: name keys, noun rules, any-script digits and Arabic letter forms (0 is before).
TERMS_VERSION = 1

# How many of an article's heaviest terms make its vector (and its postings for finding
# candidates). On the dev part 40 scored best and most steadily across thresholds (30 to 150
# tried).
KEY_TERMS = 40
# A title term counts as this many occurrences in the body.
TITLE_WEIGHT = 2
# Publication days further apart than this damp the similarity, halving it every HALF_LIFE days.
SAME_DAYS = 5
HALF_LIFE = 5.0
# Linked passages (the comparison's shared wording) add up to this much to the cosine.
PASSAGE_BONUS = 0.25
PASSAGE_CHARS = 400  # characters linked (about 60 words) for the full bonus
# An article joins a story when its score there reaches JOIN; with stories above JOIN it joins
# those within ALSO of the best (an article reporting two stories at once joins both).
# Chosen on the dev part (with its cross-language events): F1 0.84 to 0.86 from 0.13 to 0.16
# with ENTITY_WEIGHT 0.85 to 1.0 (JOIN 0.12 to 0.22, weights 0.4 to 1.0 tried).
JOIN = 0.14
ALSO = 0.85
# Unplaced articles at least this similar make a new story together.
FOUND = 0.14
# ... even when a story would take the article, if the closest unplaced article is more than
# RIVAL times as similar as that story's score: an undated report otherwise joined a year-old
# story of the same kind and place rather than its own twin (on `tune`, 0.9 to 1.2 scored
# alike, 1.5 lost it; P 0.78 -> 0.86, R 0.81 -> 0.83).
RIVAL = 1.0
# How much names and numbers alone count (the middle of the dev part's plateau; without them
# its recall fell from 0.85 to 0.58).
ENTITY_WEIGHT = 0.85
# Switches for the name rules below (tests turn them off to see their tests fail).
NAME_KEYS = True
NOUN_RULES = True

# Function words of the languages users bring most besides English (the ingest's STOPWORDS
# covers English); on a small corpus idf alone cannot tell "dans" or "bir" from a topic word.
# Folded as fold_term folds them (accents dropped).
OTHER_STOPWORDS = frozenset(
    """
    les des une dans pour par sur avec qui que est sont ont aux ses leur leurs cette ces mais
    plus pas ete etait elle ils nous vous selon apres avant entre sans sous lors dont tres
    los las del una por para con que sus como pero mas fue son han este esta estos estas sobre
    entre tras desde durante tambien segun sin hasta donde cuando
    der die das den dem des ein eine einer eines und ist sind war wurde wurden mit von fur auf
    aus bei nach vor uber unter auch nicht sich sie wie als noch nur oder aber zum zur dass
    della delle degli dei del gli che per con una sono stato alla alle nel nella dopo anche
    dos das nos nas uma com para pelo pela foi sao mais como
    bir ile icin olarak olan gibi daha sonra kadar gore ancak veya hem ise ama cok tarafindan
    ve bu da de ki ne
    это что как для его она они был была были его ее при также после уже или только если
    быть может всех этом году того чтобы которые который которая
    что які яка який для від його вона вони був була були також після вже або тільки
    """.split()
)
# A number with thousands separators ("5,300", "5.300", "5 300" with a no-break space) is one
# term, as "5300" is; otherwise words as the comparison reads them.
_WORD_RE = re.compile(
    r"(?<!\d)\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?![\d,.]\d)|[^\W_]+(?:['\-.][^\W_]+)*"
)
_MAX_TERM = 64
# Accents, and the Arabic script's vowel marks and stretching.
_MARKS = re.compile(r"[\u0300-\u036f\u064b-\u065f\u0670\u0640]")
# Letters the Arabic script writes differently by language (Persian kaf and yeh, alif with
# hamza, ta marbuta): one form each, so "ایران" and "ايران" are one word.
_ARABIC_FORMS = str.maketrans(
    {
        "\u06cc": "\u064a",
        "\u0649": "\u064a",
        "\u06a9": "\u0643",
        "\u0629": "\u0647",
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",
    }
)


def fold_term(word: str) -> str:
    """A word as terms compare it: case folded, accents dropped, apostrophes' "s" cut, Arabic
    letter variants made one."""
    word = word.casefold()
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    if not word.isascii():
        word = _MARKS.sub("", unicodedata.normalize("NFD", word))
        word = unicodedata.normalize("NFC", word).translate(_ARABIC_FORMS)
    return word[:_MAX_TERM]


# Cyrillic letters in Latin (Russian, Ukrainian, Bulgarian), for names only: "Путин" and
# "Putin" are one name.
_CYRILLIC_LATIN = (
    "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i i e g u"
).split()
_CYRILLIC = str.maketrans(
    dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", _CYRILLIC_LATIN, strict=True))
    | {"ъ": "", "ь": ""}
)
# Russian case endings a name takes ("Путиным", "Москвой"), cut before its skeleton.
_CASE_ENDINGS = ("ами", "ями", "ого", "его", "ому", "ему", "ым", "им", "ом", "ем", "ой", "ей")
_SKELETON = str.maketrans({"c": "k", "q": "k", "w": "v", "z": "s", "x": "ks", "j": "ds"})
_VOWELS = frozenset("aeiouyh")
# Shorter skeletons join unrelated names (on `tune`: 4 letters P 0.83, 5 0.846, 6 0.852, same
# recall).
SKELETON_MIN = 6


def name_key(word: str) -> str:
    """A folded name as names compare across scripts and spellings: Cyrillic written in Latin,
    then its first letter and its consonants ("Крокус" and "Crocus" are "krks", "Москва" and
    "Moscow" "mskv"), when that keeps at least SKELETON_MIN letters; shorter ones stay as
    written (in Latin)."""
    if not word.isascii():
        for ending in _CASE_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 3:
                word = word[: -len(ending)]
                break
        word = word.translate(_CYRILLIC)
        if not word.isascii():
            return word
    letters = word.replace("ph", "f").translate(_SKELETON)
    kept: list[str] = []
    for i, ch in enumerate(letters):
        if not ch.isalpha() or (i and ch in _VOWELS):
            continue
        if kept and kept[-1] == ch:
            continue
        kept.append(ch)
    skeleton = "".join(kept)
    return skeleton if len(skeleton) >= SKELETON_MIN else word


# A text capitalising at least this share of its words inside sentences capitalises its common
# nouns (German does; English news stays under it, names and all): there a capitalised word
# after an article ("der Täter", "am Marktplatz") is a noun, not a name.
NOUN_CASE_SHARE = 0.4
_ARTICLES = frozenset(
    "der die das den dem des ein eine einer eines einem einen kein keine keinen keiner dieser "
    "diese dieses diesem diesen im am zum zur vom beim ins ans".split()
)


def _words(text: str) -> Iterable[tuple[str, bool]]:
    """The text's words with whether each starts a sentence."""
    for match in _WORD_RE.finditer(text):
        start = match.start()
        before = text[max(0, start - 3) : start]
        mark = before.rstrip(" \t\"'“«‘(")
        yield match.group(), start == 0 or "\n" in before or not mark or mark[-1] in ".!?:"


def _capitalised_share(words: Sequence[tuple[str, bool]]) -> float:
    inside = [w for w, first in words if not first and w[:1].isalpha() and w.lower() != w.upper()]
    content = [w for w in inside if len(w) >= 3 and fold_term(w) not in STOPWORDS]
    return sum(1 for w in content if w[0].isupper()) / len(content) if content else 0.0


def _terms(text: str, names: Collection[str] | None = None) -> Iterable[str]:
    """The informative terms of a text, in order: words, names ("@" + its `name_key`) and
    numbers. With `names`, only those names are kept (a title's capitals are confirmed by its
    body)."""
    words = list(_words(text))
    noun_case = NOUN_RULES and _capitalised_share(words) >= NOUN_CASE_SHARE
    previous = ""
    for word, sentence_start in words:
        after, previous = previous, word.casefold()
        if word[0].isdigit():
            digits = "".join(str(unicodedata.digit(ch)) for ch in word if ch.isdigit())
            if len(digits) >= 2 and digits.isdigit():
                yield "#" + (digits.lstrip("0") or "0")[:_MAX_TERM]
            continue
        folded = fold_term(word)
        if folded in STOPWORDS or folded in OTHER_STOPWORDS or len(folded) < 3:
            continue
        yield folded
        if not word[0].isupper() or sentence_start or (noun_case and after in _ARTICLES):
            continue
        name = "@" + (name_key(folded) if NAME_KEYS else folded)
        if names is None or name in names:
            yield name


def term_counts(title: str, body: str) -> dict[str, int]:
    """How often each informative term occurs in an article (title terms counted twice; the
    title's names only when the body has them too, so a headline's capitals are not names)."""
    counts: Counter[str] = Counter(_terms(body))
    names = {term for term in counts if term.startswith("@")} if NOUN_RULES else None
    for term in _terms(title, names):
        counts[term] += TITLE_WEIGHT
    return dict(counts)


@dataclass(frozen=True)
class Profile:
    """An article as clustering sees it."""

    key: str
    day: date | None
    counts: Mapping[str, int]


@dataclass(frozen=True)
class Vocabulary:
    """How many articles hold each term, out of `articles`."""

    articles: int
    df: Mapping[str, int]

    def idf(self, term: str) -> float:
        return math.log((self.articles + 1) / (self.df.get(term, 0) + 1)) + 1.0


def vocabulary_of(profiles: Iterable[Profile]) -> Vocabulary:
    df: Counter[str] = Counter()
    n = 0
    for item in profiles:
        n += 1
        df.update(item.counts.keys())
    return Vocabulary(articles=n, df=dict(df))


def vector(
    counts: Mapping[str, int], vocabulary: Vocabulary, size: int | None = None
) -> dict[str, float]:
    """The unit tf-idf vector of an article's `size` (KEY_TERMS) heaviest terms (ties by
    term, so the same counts always give the same vector)."""
    size = KEY_TERMS if size is None else size
    weights = {
        term: (1.0 + math.log(count)) * vocabulary.idf(term)
        for term, count in counts.items()
        if count > 0
    }
    kept = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:size]
    norm = math.sqrt(sum(weight * weight for _, weight in kept))
    if not norm:
        return {}
    return {term: weight / norm for term, weight in kept}


@dataclass(frozen=True)
class Vectors:
    """An article's unit vector of all its key terms, and of its names and numbers alone."""

    words: Mapping[str, float]
    entities: Mapping[str, float]


def is_entity(term: str) -> bool:
    return term[:1] in ("@", "#")


def vectors(counts: Mapping[str, int], vocabulary: Vocabulary) -> Vectors:
    return Vectors(
        words=vector(counts, vocabulary),
        entities=vector({t: c for t, c in counts.items() if is_entity(t)}, vocabulary),
    )


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b[term] for term, weight in a.items() if term in b)


def shared_terms(a: Mapping[str, float], b: Mapping[str, float], limit: int = 6) -> tuple[str, ...]:
    """The terms that weigh most in both vectors, heaviest first, names shown as words."""
    both = sorted(
        ((a[term] * b[term], term) for term in a.keys() & b.keys()), key=lambda x: (-x[0], x[1])
    )
    shown: list[str] = []
    for _, term in both:
        word = term.lstrip("@#")
        if word not in shown:
            shown.append(word)
        if len(shown) == limit:
            break
    return tuple(shown)


def best_title(titles: Sequence[str], centre: Mapping[str, float]) -> str | None:
    """The title that says most of what a story's articles share: the one whose terms weigh
    most in the story's mean vector (per square root of its length, so a long title does not
    win by length alone); ties go to the shorter, then the first in alphabetical order."""

    def weight(title: str) -> float:
        terms = set(_terms(title))
        if not terms:
            return 0.0
        return sum(centre.get(term, 0.0) for term in terms) / math.sqrt(len(terms))

    scored = [(weight(t), t) for t in titles if t.strip()]
    if not scored:
        return None
    return min(scored, key=lambda item: (-item[0], len(item[1]), item[1]))[1]


def day_gap(a: date | None, b: date | None) -> int | None:
    if a is None or b is None:
        return None
    return abs((a - b).days)


def _entity_cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The cosine of two entity vectors when they share a name and one more name or number
    (one shared number, or one shared name alone, is too weak a sign of one event)."""
    shared = a.keys() & b.keys()
    if len(shared) < 2 or not any(term.startswith("@") for term in shared):
        return 0.0
    return cosine(a, b)


def similarity(
    a: Vectors,
    b: Vectors,
    *,
    days: int | None = None,
    linked_chars: int = 0,
) -> float:
    """How alike two articles are, 0 to about 1.25: cosine (of all terms, or of names and
    numbers weighed down), passage bonus, day damping."""
    score = max(cosine(a.words, b.words), ENTITY_WEIGHT * _entity_cosine(a.entities, b.entities))
    score += PASSAGE_BONUS * min(1.0, linked_chars / PASSAGE_CHARS)
    if days is not None and days > SAME_DAYS:
        score *= 0.5 ** ((days - SAME_DAYS) / HALF_LIFE)
    return score


@dataclass(frozen=True)
class Neighbour:
    """A member of a story (or an unplaced article) compared with the new article."""

    key: str
    score: float
    terms: tuple[str, ...] = ()
    linked_chars: int = 0
    days: int | None = None


@dataclass(frozen=True)
class Evidence:
    """Why an article was proposed for a story: its score there and its closest members."""

    score: float
    closest: tuple[Neighbour, ...]


@dataclass(frozen=True)
class Candidate:
    """An article already in the corpus that the new one may resemble."""

    key: str
    vectors: Vectors
    day: date | None
    stories: frozenset[str] = frozenset()
    linked_chars: int = 0


@dataclass(frozen=True)
class Placement:
    """Where `assign` puts an article: existing stories (with evidence) or a new story made of
    the article and `founding` unplaced articles."""

    stories: Mapping[str, Evidence] = field(default_factory=dict)
    founding: tuple[Neighbour, ...] = ()

    @property
    def new_story(self) -> bool:
        return bool(self.founding)


def _story_score(scores: Sequence[Neighbour]) -> float:
    """A story's score for an article: the mean of its members' scores that reach half the join
    threshold (one close wire copy joins; a story sharing only common words does not)."""
    near = [n.score for n in scores if n.score >= JOIN / 2]
    if not near:
        return 0.0
    best = max(near)
    return (best + sum(near) / len(near)) / 2


def neighbours(
    key: str, own: Vectors, day: date | None, candidates: Iterable[Candidate]
) -> list[Neighbour]:
    """Every candidate scored against the article, best first."""
    found = []
    for other in candidates:
        if other.key == key:
            continue
        days = day_gap(day, other.day)
        score = similarity(own, other.vectors, days=days, linked_chars=other.linked_chars)
        if score <= 0:
            continue
        found.append(
            Neighbour(
                key=other.key,
                score=score,
                terms=shared_terms(own.words, other.vectors.words)
                or shared_terms(own.entities, other.vectors.entities),
                linked_chars=other.linked_chars,
                days=days,
            )
        )
    found.sort(key=lambda n: (-n.score, n.key))
    return found


def assign(key: str, own: Vectors, day: date | None, candidates: Sequence[Candidate]) -> Placement:
    """Place an article among the stories its candidates belong to (see the module's doc)."""
    scored = neighbours(key, own, day, candidates)
    by_key = {c.key: c for c in candidates}
    per_story: dict[str, list[Neighbour]] = {}
    for n in scored:
        for story in by_key[n.key].stories:
            per_story.setdefault(story, []).append(n)
    scores = {story: _story_score(members) for story, members in per_story.items()}
    best = max(scores.values(), default=0.0)
    unplaced = max((n.score for n in scored if not by_key[n.key].stories), default=0.0)
    if best >= JOIN and not (unplaced >= FOUND and unplaced > RIVAL * best):
        chosen = {
            story: Evidence(score=score, closest=tuple(per_story[story][:3]))
            for story, score in scores.items()
            if score >= JOIN and score >= ALSO * best
        }
        return Placement(stories=chosen)
    founding = tuple(n for n in scored if not by_key[n.key].stories and n.score >= FOUND)
    return Placement(founding=founding)


def cluster(
    profiles: Sequence[Profile],
    *,
    linked_chars: Mapping[tuple[str, str], int] | None = None,
) -> list[set[str]]:
    """Stories for a corpus whose articles arrive in publication order (undated ones last), each
    placed by `assign` against all earlier ones: what the site does as articles come in, in one
    function (the bench scores it on the labelled set). Vectors use the whole corpus's
    vocabulary. Returns the stories as sets of keys; an article may be in several."""
    vocabulary = vocabulary_of(profiles)
    found = {p.key: vectors(p.counts, vocabulary) for p in profiles}
    links = linked_chars or {}
    order = sorted(profiles, key=lambda p: (p.day is None, p.day or date.min, p.key))
    stories: list[set[str]] = []
    member_of: dict[str, set[str]] = {}
    placed: list[Profile] = []
    for item in order:
        candidates = [
            Candidate(
                key=other.key,
                vectors=found[other.key],
                day=other.day,
                stories=frozenset(member_of.get(other.key, ())),
                linked_chars=links.get((min(item.key, other.key), max(item.key, other.key)), 0),
            )
            for other in placed
        ]
        placement = assign(item.key, found[item.key], item.day, candidates)
        for story in placement.stories:
            stories[int(story)].add(item.key)
            member_of.setdefault(item.key, set()).add(story)
        if placement.new_story:
            story = str(len(stories))
            members = {item.key, *(n.key for n in placement.founding)}
            stories.append(members)
            for member in members:
                member_of.setdefault(member, set()).add(story)
        placed.append(item)
    return stories


def pairwise(predicted: Iterable[set[str]], gold: Mapping[str, str]) -> tuple[int, int, int]:
    """(true positive, predicted, gold) same-story pairs: a pair is predicted when the two
    articles share a story, gold when their labels are equal."""
    same: set[tuple[str, str]] = set()
    for members in predicted:
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                same.add((a, b))
    keys = sorted(gold)
    truth = {(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :] if gold[a] == gold[b]}
    return len(same & truth), len(same), len(truth)

"""Differing numbers, dates, names and places inside linked passages, with both readings.

Two sources: the replaced words of a near-verbatim span ("29" read "30"), and the dated
events and counted quantities of two linked sentences ("came into effect on 29 December
2016" against "came into force ... on December 30, 2016", "10 factions" against "20
factions", "launched on Tuesday" against "began Monday 23 January").

What is left out, because a careful reader would not call it a difference:
- a description against a name ("rebel group" / "Kama Umirt Union", "the Turkish capital" /
  "Ankara"): a name differs only from another name;
- spelling, abbreviation and transliteration variants ("UN" / "U.N.", "FSA" / "Free Syrian
  Army", "Kiev" / "Kyiv", "Mohammad" / "Mohammed"), a name and a longer form holding it, and a
  capital against its country;
- dates in a byline or dateline line ("ASTANA, January 24 /TASS/", "January 23, 2017");
- dates of different events: a date is compared only with a date of the same event (the
  predicate next to it: "came into force" = "took effect" = "began", never "voted"), and
  only when the two are at most `gap` days apart;
- hedged counts ("about 20", "more than 50") and spelled-out equals ("eight" / "8").

Every rule is symmetric: swapping the two passages gives the same kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import Literal

from articles.ingest.text import STOPWORDS

from .blocks import matching_blocks, ratio
from .dates import (
    MONTHS,
    WEEKDAYS,
    DateValue,
    RelativeDate,
    anchored_relatives,
    as_day,
    day_gap,
    find_dates,
    find_relative,
)
from .document import Doc
from .frames import COUNT_RATIO, NUMBER_WORDS, sentence_frame
from .results import Difference, DifferenceKind, LinkKind
from .similarity import light_stem, stem
from .stance import anchor_day, in_dateline, reference_day

# Answers of `same_name` and passages' quantities kept.
NAME_CACHE = 8192
_NUMBER_RE = re.compile(
    r"\b\d[\d,.]*\d\b|\b\d\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dozen)\b",
    re.IGNORECASE,
)
# The number words `_NUMBER_RE` finds, as digits: the frames' and a few more.
_NUMBER_WORDS = {
    **NUMBER_WORDS,
    "one": "1",
    "fifteen": "15",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
}
_UNIT_RE = re.compile(r"\s*(?:-\s*)?([^\W\d_][\w'-]*)")
_HEDGE_RE = re.compile(
    r"\b(?:about|around|some|over|nearly|almost|roughly|approximately|up\s+to|at\s+least"
    r"|more\s+than|less\s+than|fewer\s+than|under|estimated|as\s+many\s+as)\s+$",
    re.IGNORECASE,
)
_DEMONYM_RE = re.compile(r"(?:ian|ish|ese|ean|can|an|i)$")
_PLACE_BEFORE = frozenset("in at near outside from to into across inside towards".split())
_NOT_NAME_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)


def number_value(text: str) -> str:
    """A number as digits: "eight" -> "8", "1,000" -> "1000"."""
    lowered = text.lower()
    return _NUMBER_WORDS.get(lowered, lowered.replace(",", ""))


_PARTITIVE_RE = re.compile(r"\s+of\s+(?:the|its|their|his|her|our|those|these)\b", re.I)
_UNIT_WORD_RE = re.compile(r"(?:\s*-\s*|[ \t\u00a0]+)([^\W\d_][\w'-]*)")
# Words that end the noun phrase after a number ("three ships near the strait").
_PHRASE_END = frozenset(
    """near aboard including across inside outside during after before since per each were
    was are is had have has who which that said told""".split()
)
# Counted people, whatever they are called: "188 persons" and "189 passengers and crew".
# Each word names a class of people; "" is anyone ("people", "persons", "victims", or no noun
# at all: "six wounded"). Two counts of people count one thing when their classes are one, or
# when one counts anyone and the two figures are close (see `_same_count`).
_PEOPLE_CLASSES = {
    "": "people person persons individuals victims casualties bodies members",
    "military": """soldier soldiers troops serviceman servicemen sailor sailors seaman seamen
        marines fighters""",
    "police": "police officers policemen policeman",
    "crew": "crew crewmen crewman",
    "passengers": "passenger passengers",
    "civilians": "civilian civilians",
    "protesters": "protesters protester demonstrators demonstrator",
    "voters": "voters voter",
    "residents": "residents resident",
    "children": "child children",
    "women": "woman women",
    "men": "man men",
}
_PEOPLE_CLASS = {
    stem(word): name for name, words in _PEOPLE_CLASSES.items() for word in words.split()
}
_PEOPLE = frozenset(_PEOPLE_CLASS)
# What happened to those counted, by light stem.
_ROLES = {
    **dict.fromkeys(map(light_stem, "wounded wound injured injuries injury hurt".split()), "hurt"),
    **dict.fromkeys(map(light_stem, "killed kill dead died death deaths".split()), "killed"),
    **dict.fromkeys(
        map(light_stem, "detained detain seized held holding arrested captured".split()), "held"
    ),
    **dict.fromkeys(map(light_stem, "board aboard carrying carried".split()), "aboard"),
}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A counted quantity: its value as digits, what is counted (a stem, or "@people"), its
    span, whether it is hedged ("about 20"), what happened to those counted, and for people
    their class ("" for anyone, "military", "police", "passengers" ...)."""

    value: str
    unit: str
    start: int
    end: int
    hedged: str  # "", "more", "less" or "about"
    roles: frozenset[str]
    group: str = ""
    scaled: bool = False  # "2.3 million": a figure rounded to its last digit
    aspect: str = ""  # "" a level; "earlier" a level replaced; "change" an amount of change


_SCALE_WORDS = frozenset(("million", "billion", "thousand", "trillion", "bn", "m"))
_LESS = ("up to", "less than", "fewer than", "under", "nearly", "almost", "as many as")
_MORE = ("over", "more than", "at least")


def _hedged(text: str, start: int) -> str:
    """How the number at `start` is hedged: "" (not: also "information about 2"), "more"
    ("over 760", "at least 6"), "less" ("up to 20", "nearly 50") or "about"."""
    before = text[max(0, start - 30) : start]
    hedge = _HEDGE_RE.search(before)
    if not hedge:
        return ""
    word = re.sub(r"\s+", " ", hedge.group().strip().lower())
    if word == "about":
        previous = re.findall(r"[\w']+", before[: hedge.start()].lower())
        if previous and previous[-1] not in STOPWORDS and not previous[-1].endswith("ed"):
            return ""
    if word in _MORE:
        return "more"
    if word in _LESS:
        return "less"
    return "about"


def _hedge_start(text: str, start: int) -> int:
    """Where the hedge of the number at `start` begins ("over 760" is read whole)."""
    before = text[max(0, start - 30) : start]
    hedge = _HEDGE_RE.search(before)
    return start - len(before) + hedge.start() if hedge else start


def _step(value: str) -> float:
    """The place of a figure's last significant digit: 800 -> 100, 760 -> 10, 2.26 -> 0.01."""
    if "." in value:
        return 10.0 ** -len(value.split(".", 1)[1])
    digits = value.lstrip("0") or "0"
    return 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits != "0" else 1.0


def _bounds(x: Quantity) -> tuple[float, float] | None:
    """The true values for which a writer would write this figure so.

    A figure is rounded to its last significant digit only when hedged or scaled: "more
    than 800" (or "over 800", "at least 800") is 800 up to the next hundred, "over 760" 760
    up to 770, "nearly 50" or "up to 50" 40 to 50, "about 50" 45 to 55 (a tenth either way,
    or half a step), "2.3 million" 2.25 to 2.35 million; a plain "844" is 844. So "844" is
    "more than 800" but not "over 760", and "over 760" is not "more than 800": two hedged
    floors tell two different tallies."""
    try:
        value = float(x.value)
    except ValueError:
        return None
    step = _step(x.value)
    tiny = step * 1e-6
    if x.hedged == "more":
        return value, value + step - tiny
    if x.hedged == "less":
        return value - step + tiny, value
    if x.hedged == "about":
        spread = max(step / 2, value * 0.1)
        return value - spread, value + spread
    if x.scaled:
        return value - step / 2, value + step / 2
    return value, value


def _consistent(x: Quantity, y: Quantity) -> bool:
    """Whether two counts can be one figure ("844" and "more than 800")."""
    if x.value == y.value:
        return True
    bx, by = _bounds(x), _bounds(y)
    return bx is not None and by is not None and bx[0] <= by[1] and by[0] <= bx[1]


# A figure after "from" in a change ("rising from more than 460 to over 760", "up from 20"),
# or called earlier ("an earlier toll of 20"), is a tally the sentence itself replaces.
_CHANGE_WORDS = frozenset(
    light_stem(w)
    for w in """rise rises rose risen rising increase increased increasing grow grew grown
    growing climb climbed climbing jump jumped jumping up down fall fell fallen falling drop
    dropped dropping double doubled doubling triple tripled tripling revise revised decline
    declined surge surged increase increased raise raised extend extended cut reduce reduced
    lower lowered""".split()
)
_FROM_RE = re.compile(
    r"\bfrom\s+(?:(?:about|around|some|over|nearly|almost|roughly|approximately|at\s+least"
    r"|more\s+than|less\s+than|fewer\s+than|up\s+to)\s+)?$",
    re.IGNORECASE,
)
_EARLIER_RE = re.compile(
    r"\b(?:earlier|previous|previously|initial|initially|original|originally)\b"
    r"(?:\s+[\w-]+){0,3}\s+(?:of\s+)?(?:(?:about|around|some|over|at\s+least|more\s+than)\s+)?$",
    re.IGNORECASE,
)


def superseded(text: str, start: int) -> bool:
    """Whether the figure at `start` is a tally its own sentence replaces: the start of a
    change ("rising from 460 to 760", "up from 20") or one called earlier ("an earlier toll
    of 20"). Such a figure is compared with nothing: the sentence's report is the new one."""
    before = text[max(0, start - 80) : start]
    if _EARLIER_RE.search(before):
        return True
    found = _FROM_RE.search(before)
    if not found:
        return False
    words = re.findall(r"[^\W\d_]+", before[: found.start()].lower())[-6:]
    return any(light_stem(word) in _CHANGE_WORDS for word in words)


# A figure that is a part of another count in its sentence: "two of them heavily", "including
# two infants", "among them three children".
_PART_AFTER_RE = re.compile(
    r"\s+of\s+(?:them|whom|those|which|the\s+(?:deaths?|dead|victims|injured|wounded"
    r"|casualties|fatalities|dead|missing))\b",
    re.IGNORECASE,
)
_PART_BEFORE_RE = re.compile(r"\b(?:including|among\s+them|among\s+whom)\s+$", re.IGNORECASE)


def find_quantities(
    text: str, offset: int, dates: list[tuple[DateValue, int, int]]
) -> list[Quantity]:
    """Counted quantities ("10 factions", "eight groups", "two injured Ukrainian sailors"):
    not dates or years. What is counted is the last word of the words after the number.

    Each says what it is a figure of: a level now ("rising to over 760"), an earlier level
    the sentence replaces ("from more than 460"; "his original sentence of nine years") or
    an amount of change ("an increase of more than two years", "up by 20"). The start of a
    span ("from nine to 12 years") counts what its end counts."""
    date_spans = [(s - offset, e - offset) for _, s, e in dates]
    found: list[Quantity] = []
    previous_near = ""
    for match in _NUMBER_RE.finditer(text):
        if any(s <= match.start() < e for s, e in date_spans):
            continue
        value = number_value(match.group())
        if len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2100:
            continue
        if _designation(text, match.start()):
            continue  # "Boeing 737", "Flight 610": a name's number, no count
        if _PART_BEFORE_RE.search(text[max(0, match.start() - 25) : match.start()]) or (
            _PART_AFTER_RE.match(text, match.end())
        ):
            continue  # a part of another count ("six wounded, two of them heavily")
        aspect = "earlier" if superseded(text, match.start()) else ""
        if not aspect and _CHANGE_AMOUNT_RE.search(
            text[max(0, match.start() - 40) : match.start()]
        ):
            aspect = "change"
        words: list[re.Match[str]] = []
        at = match.end()
        half = _HALF_RE.match(text, at)  # "nine and a half years"
        if half:
            value = _plus_half(value)
            at = half.end()
        partitive = _PARTITIVE_RE.match(text, at)  # "six of its seamen"
        if partitive:
            at = partitive.end()
        while len(words) < 4:
            word = _UNIT_WORD_RE.match(text, at)
            if not word or word.group(1).lower() in STOPWORDS | _PHRASE_END:
                break
            lowered = word.group(1).lower()
            if words and lowered.endswith(("ing", "ed")) and stem(lowered) not in _PEOPLE:
                break  # a participle after the noun: "800 people trying to vote"
            words.append(word)
            at = word.end()
            if len(words) == 1 and light_stem(lowered) in _ROLES and lowered not in ("held",):
                break  # "91 killed await rescue", "six wounded": people, by what befell them
            if stem(lowered) in _PEOPLE and lowered not in ("crew", "police"):
                break  # the people counted end the phrase ("844 people", not "crew members")
        nouns = [w for w in words if not w.group(1)[:1].isupper()] or words
        head = nouns[-1] if nouns else (half or match)
        # No noun after it ("rising to over 760"): what is counted is told by its roles.
        unit = stem(head.group(1).lower()) if nouns else "?"
        hedged = _hedged(text, match.start())
        near = text
        if previous_near and re.search(r"\bto\s+(?:\w+\s+){0,2}$", text[: match.start()][-30:]):
            # What the old tally counted, the new one counts ("the number of people wounded
            # ... rising from more than 460 to over 760").
            near = previous_near
        previous_near = text[max(0, match.start() - 60) : match.end()] if aspect else ""
        roles = _nearest_roles(near, text, match.start(), head.end())
        if re.search(
            r"\ball\s+(?:the\s+|of\s+the\s+)?$",
            text[max(0, match.start() - 12) : match.start()],
            re.I,
        ):
            roles |= {"aboard"}  # "all 189 died": everyone there
        people = unit in _PEOPLE or light_stem(unit) in _ROLES or unit == "?"
        # The class of people counted: the first word of the phrase that names one ("eight
        # crew members" are crew; "844 people" anyone).
        classes = [c for c in (_PEOPLE_CLASS.get(stem(w.group(1).lower())) for w in words) if c]
        scaled = bool(words) and words[0].group(1).lower() in _SCALE_WORDS
        found.append(
            Quantity(
                value,
                "@people" if unit in _PEOPLE or light_stem(unit) in _ROLES else unit,
                offset + (_hedge_start(text, match.start()) if hedged else match.start()),
                offset + head.end(),
                hedged,
                roles,
                classes[0] if people and classes else "",
                scaled,
                aspect,
            )
        )
    return _span_starts(text, offset, found)


_CLAUSE_END_RE = re.compile(
    r"[,;:()\"“”]|\s(?:while|but|whereas|and|or)\s+(?=\w+(?:ing|ed)\b)", re.IGNORECASE
)


def _nearest_roles(near: str, text: str, start: int, end: int) -> frozenset[str]:
    """What happened to those counted: the role words of the figure's own clause ("killing
    91 people and injuring hundreds": 91 killed; "24 sailors who were detained on board":
    held and aboard), or, for a figure that ends a change, the roles its start had ("the
    number of people wounded ... rising from more than 460 to over 760")."""
    low, high = max(0, start - 80), min(len(text), end + 80)
    for brk in _CLAUSE_END_RE.finditer(text, low, start):
        low = brk.end()
    stop = _CLAUSE_END_RE.search(text, end, high)
    if stop:
        high = stop.start()
    roles = frozenset(
        _ROLES[root]
        for root in map(light_stem, re.findall(r"[a-z]+", text[low:high].lower()))
        if root in _ROLES
    )
    if roles or near is text:
        return roles
    return frozenset(
        _ROLES[root]
        for root in map(light_stem, re.findall(r"[a-z]+", near.lower()))
        if root in _ROLES
    )


# Capitalised words before a figure that still make it a count ("All 189 on board").
_COUNT_OPENERS = frozenset(
    """all about only nearly almost over some at just around roughly up more than less fewer
    under as another the a an and but so while with of""".split()
)


def _designation(text: str, start: int) -> bool:
    """Whether the figure at `start` follows a name ("Boeing 737", "Flight 610"): part of
    the name, not a count."""
    before = re.search(r"([^\W\d_][\w'-]*)[ \t\u00a0-]+$", text[max(0, start - 30) : start])
    if not before:
        return False
    word = before.group(1)
    return word[:1].isupper() and word.lower() not in _COUNT_OPENERS


def _span_starts(text: str, offset: int, found: list[Quantity]) -> list[Quantity]:
    """The start of a span counts what its end counts: "from nine to 12 years", "two or
    three sailors", "30 to 40 metres"."""
    out = list(found)
    for n in range(len(out) - 2, -1, -1):
        x, y = out[n], out[n + 1]
        if x.unit != "?" or x.roles:
            continue
        between = text[x.end - offset : y.start - offset]
        if _SPAN_JOIN_RE.fullmatch(between):
            out[n] = replace(x, unit=y.unit, roles=y.roles, group=y.group)
    return out


_SPAN_JOIN_RE = re.compile(r"\s*(?:to|or|-|–|and)\s*", re.IGNORECASE)
_HALF_RE = re.compile(r"\s+and\s+(?:a\s+|one\s+)?half\b|\s*½", re.IGNORECASE)
# An amount of change, not a level: "an increase of more than two years", "up by 20".
_CHANGE_AMOUNT_RE = re.compile(
    r"\b(?:by|increase\s+of|rise\s+of|drop\s+of|fall\s+of|decrease\s+of|cut\s+of|jump\s+of"
    r"|reduction\s+of|gain\s+of|loss\s+of|growth\s+of|extra|additional|another)\s+"
    r"(?:(?:about|around|some|over|nearly|almost|roughly|approximately|at\s+least|more\s+than"
    r"|less\s+than|fewer\s+than|up\s+to)\s+)?$",
    re.IGNORECASE,
)


def _plus_half(value: str) -> str:
    try:
        return f"{float(value) + 0.5:g}"
    except ValueError:
        return value


def _acronym_of_neighbours(doc: Doc, index: int) -> bool:
    """True for "FSA" right after "Free Syrian Army": an abbreviation, not a different name."""
    text = doc.body[doc.starts[index] : doc.ends[index]]
    if not (text.isupper() and 2 <= len(text) <= 6):
        return False
    initials = ""
    for i in range(index - 1, max(-1, index - 7), -1):
        word = doc.body[doc.starts[i] : doc.ends[i]]
        if not word[:1].isupper():
            break
        initials = word[0] + initials
        if initials == text:
            return True
    return False


def _demonym(doc: Doc, index: int) -> bool:
    """True for "Syrian" in "Syrian opposition": a capitalised adjective, not a name."""
    word = doc.body[doc.starts[index] : doc.ends[index]]
    if not _DEMONYM_RE.search(word) or index + 1 >= len(doc.keys):
        return False
    return doc.body[doc.starts[index + 1]].islower()


def _names(doc: Doc, first: int, end: int) -> list[int]:
    """Capitalised tokens in a token range: not sentence-initial, abbreviations or demonyms."""
    found = []
    for i in range(first, end):
        if not doc.body[doc.starts[i]].isupper():
            continue
        if doc.sentences[doc.sent_of[i]][0] == i or _acronym_of_neighbours(doc, i):
            continue
        if _demonym(doc, i):
            continue
        found.append(i)
    return found


_NOT_NAMES = frozenset(
    """however nevertheless meanwhile moreover despite although while after before during since
    when if but and yet still also even most many some several all both each other such
    according hence thus therefore in on at as last next this that these those""".split()
)


def sentence_entities(doc: Doc, sentence: int) -> frozenset[str]:
    """Names in a sentence: runs of capitalised words (no demonyms, no repeated acronyms).

    Cached on the article."""
    if doc.entities is None:
        doc.entities = {}
    found = doc.entities.get(sentence)
    if found is None:
        found = doc.entities[sentence] = frozenset(_entities(doc, sentence))
    return found


def _entities(doc: Doc, sentence: int) -> set[str]:
    first, end, _, _ = doc.sentences[sentence]
    found: set[str] = set()
    run: list[str] = []
    for i in range(first, end):
        text = doc.body[doc.starts[i] : doc.ends[i]]
        joined = i > first and not doc.body[doc.ends[i - 1] : doc.starts[i]].strip()
        if run and not joined:
            found.add(" ".join(run))
            run = []
        capital = text[:1].isupper()
        if not capital or _demonym(doc, i) or _acronym_of_neighbours(doc, i):
            if run:
                found.add(" ".join(run))
                run = []
            continue
        if i == first and doc.keys[i] in _NOT_NAMES | STOPWORDS:
            continue
        run.append(stem(doc.keys[i]))
    if run:
        found.add(" ".join(run))
    return found


# --- Names --------------------------------------------------------------------------------


def _fold_name(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _skeleton(text: str) -> str:
    """Consonants only, doubled letters once: "Kiev" = "Kyiv", "Mohammad" = "Mohammed"."""
    letters = re.sub(r"[aeiouyhw\W\d_]+", "", text.lower())
    return re.sub(r"(.)\1+", r"\1", letters)


def _initials(text: str) -> str:
    words = [
        w for w in re.findall(r"[^\W\d_]+", text) if w.lower() not in ("of", "the", "al", "and")
    ]
    return "".join(w[0] for w in words).lower()


@lru_cache(maxsize=NAME_CACHE)
def same_name(x: str, y: str) -> bool:
    """Whether two names are variants of one: spelling, abbreviation, transliteration, a
    longer form holding the shorter, a capital and its country (the last NAME_CACHE answers
    are kept: the names of a story are compared again in every pair of its articles)."""
    fx, fy = _fold_name(x), _fold_name(y)
    if fx == fy:
        return True
    if not fx or not fy:
        return False
    if fx in (_initials(y), _fold_name(_initials(y))) or fy == _initials(x):
        return True
    x_words = {light_stem(w) for w in re.findall(r"[^\W_]+", x.lower())}
    y_words = {light_stem(w) for w in re.findall(r"[^\W_]+", y.lower())}
    if x_words <= y_words or y_words <= x_words:
        return True
    sx, sy = _skeleton(x), _skeleton(y)
    if sx and sx == sy:
        return True
    if ratio(matching_blocks(fx, fy), len(fx), len(fy)) >= 0.8:
        return True
    fx_frame, fy_frame = sentence_frame(x), sentence_frame(y)
    x_keys = {k.replace(" (government)", "") for k in fx_frame.actors | fx_frame.places}
    y_keys = {k.replace(" (government)", "") for k in fy_frame.actors | fy_frame.places}
    return bool(x_keys & y_keys)


def _described(doc: Doc, first: int, end: int, names: list[int]) -> bool:
    """Whether a replaced stretch says more than a name: other content words replaced with
    it (a description, a qualifier such as "northern", other words of the sentence). A name
    differs only where a name was put for a name."""
    named = set(names)
    return any(
        i not in named
        and doc.keys[i] not in STOPWORDS
        and any(c.isalpha() for c in doc.keys[i])
        and not doc.body[doc.starts[i]].isupper()
        for i in range(first, end)
    )


def _name_words(doc: Doc, indices: list[int]) -> str:
    return " ".join(doc.body[doc.starts[i] : doc.ends[i]] for i in indices)


def _is_place(doc: Doc, indices: list[int]) -> bool:
    first = indices[0]
    return first > 0 and doc.keys[first - 1] in _PLACE_BEFORE


# --- Replaced words of a near span --------------------------------------------------------


def _context(doc: Doc, first: int, end: int, more: int) -> tuple[int, int]:
    low = max(0, first - more)
    high = min(len(doc.keys), end + more)
    return doc.starts[low], doc.ends[high - 1]


def from_replacement(
    a: Doc, a_range: tuple[int, int], b: Doc, b_range: tuple[int, int], link_kind: LinkKind
) -> Difference | None:
    """Classify one replaced stretch of a near-verbatim span: a number, date, name or place
    that differs, or None (same reading, a variant, a description against a name)."""
    (a_first, a_end), (b_first, b_end) = a_range, b_range
    a_words, b_words = a.keys[a_first:a_end], b.keys[b_first:b_end]
    if a_words == b_words or a_end <= a_first or b_end <= b_first:
        return None
    a_span = a.starts[a_first], a.ends[a_end - 1]
    b_span = b.starts[b_first], b.ends[b_end - 1]
    if in_dateline(a, *a_span) or in_dateline(b, *b_span):
        return None
    dated = _replaced_dates(a, a_span, b, b_span)
    if dated is not None:
        return (
            None if dated == "same" else Difference.between(dated, a, a_span, b, b_span, link_kind)
        )
    a_numbers = sorted(number_value(w) for w in a_words if _NUMBER_RE.fullmatch(w))
    b_numbers = sorted(number_value(w) for w in b_words if _NUMBER_RE.fullmatch(w))
    a_numbers = [n for n in a_numbers if any(c.isdigit() for c in n)]
    b_numbers = [n for n in b_numbers if any(c.isdigit() for c in n)]
    kind: DifferenceKind | None = None
    if a_numbers and b_numbers:
        # The same figures, one side giving more ("10.5 km (6 miles)" / "six miles").
        if set(a_numbers) <= set(b_numbers) or set(b_numbers) <= set(a_numbers):
            return None
        near = {*a.keys[max(0, a_first - 2) : a_end + 2], *b.keys[max(0, b_first - 2) : b_end + 2]}
        if near & MONTHS.keys():
            a_dates = find_dates(a.body[slice(*_context(a, a_first, a_end, 3))], 0)
            b_dates = find_dates(b.body[slice(*_context(b, b_first, b_end, 3))], 0)
            a_days = {value[1:] for value, _, _ in a_dates}
            b_days = {value[1:] for value, _, _ in b_dates}
            if a_days and a_days == b_days:
                return None
            kind = "date"
        else:
            kind = "number"
    else:
        a_names, b_names = _names(a, a_first, a_end), _names(b, b_first, b_end)
        a_names = [i for i in a_names if a.keys[i] not in _NOT_NAME_WORDS]
        b_names = [i for i in b_names if b.keys[i] not in _NOT_NAME_WORDS]
        if not a_names or not b_names:
            return None  # a description against a name, or no name at all
        # "northern Lombok while villagers" / "Lading-Lading village while people".
        if _described(a, a_first, a_end, a_names) or _described(b, b_first, b_end, b_names):
            return None
        if same_name(_name_words(a, a_names), _name_words(b, b_names)):
            return None
        both_places = _is_place(a, a_names) and _is_place(b, b_names)
        kind = "place" if both_places else "name"
    return Difference.between(kind, a, a_span, b, b_span, link_kind)


def _replaced_dates(
    a: Doc, a_span: tuple[int, int], b: Doc, b_span: tuple[int, int]
) -> Literal["same", "date", "relative-date"] | None:
    """When both replaced stretches touch a date ("Tuesday" / "23 January 2017"): "same", or
    the kind of difference; None when they do not (one event by the alignment itself)."""
    mine = _dated_touching(a, a_span)
    theirs = _dated_touching(b, b_span)
    if not mine or not theirs:
        return None
    relations = {_relation(a, x, b, y, 10**6): (x, y) for x in mine for y in theirs}
    if "same" in relations:
        return "same"
    if "differ" not in relations:
        return "same"  # not comparable: no difference to show
    x, y = relations["differ"]
    return "relative-date" if _is_relative(x) or _is_relative(y) else "date"


def _dated_touching(doc: Doc, span: tuple[int, int]) -> list[Dated]:
    start, end = span
    return [
        x
        for sentence in _sentences_in(doc, start, end)
        for x in sentence_dated(doc, sentence)
        if x.start < end and start < x.end
    ]


# --- Dated events and counts of two linked sentences ---------------------------------------

_EVENT_WORDS = {
    "start": """start starts started starting begin begins began begun beginning launch
        launches launched launching open opens opened opening commence commenced kick kicked
        schedule scheduled due""",
    "end": "end ends ended ending conclude concluded closes closed finish finished",
    "vote": "vote votes voted voting adopt adopts adopted pass passes passed",
    "sign": "sign signs signed signing",
    "announce": "announce announces announced declare declares declared",
    "attack": """attack attacks attacked kill kills killed strike struck bomb bombed explode
        exploded crash crashes crashed shot""",
    "arrest": "arrest arrested detain detained",
    "release": "release released free freed",
    "die": "die died dead",
    "visit": "visit visits visited arrive arrives arrived",
    "meet": "meet meets met held",
}
EVENTS = {light_stem(w): family for family, words in _EVENT_WORDS.items() for w in words.split()}
_EVENT_PAIRS = {
    (light_stem(x), light_stem(y)): "start"
    for x, y in (
        ("into", "effect"),
        ("into", "force"),
        ("took", "effect"),
        ("take", "effect"),
        ("takes", "effect"),
        ("kicked", "off"),
        ("got", "underway"),
        ("get", "underway"),
    )
}
_TOPIC_WORDS = {
    "accord": """ceasefire ceasefires cease-fire truce truces armistice deal deals agreement
        accord pact""",
    "talks": "talks talk negotiations negotiation conference summit meeting meetings",
    "resolution": "resolution resolutions vote",
    # Not "plane": its light stem is that of "plan".
    "aircraft": "airplane aircraft flight jet airliner",
}
TOPICS = {light_stem(w): topic for topic, words in _TOPIC_WORDS.items() for w in words.split()}


@dataclass(frozen=True, slots=True)
class Dated:
    """A date a sentence gives, with the events and topics next to it."""

    start: int
    end: int
    value: DateValue | None  # written out, or resolved from "a day earlier"
    relative: RelativeDate | None  # a weekday or "yesterday", resolved with the article's day
    derived: bool  # from "a day earlier" and the like
    events: frozenset[str]
    topics: frozenset[str]
    # The reading shown: the date with those written next to it ("A day earlier, on Friday").
    reading: tuple[int, int] = (0, 0)


def sentence_dated(doc: Doc, sentence: int) -> tuple[Dated, ...]:
    """The dates of a sentence (not in a dateline) with their events, cached on the article."""
    if doc.readings is None:
        doc.readings = {}
    cache: dict[int, tuple[Dated, ...]] = doc.readings.setdefault("dated", {})
    found = cache.get(sentence)
    if found is None:
        found = cache[sentence] = tuple(_dated(doc, sentence))
    return found


def _token_at(doc: Doc, offset: int) -> int:
    from bisect import bisect_right

    return max(0, bisect_right(doc.starts, offset) - 1)


def _dated(doc: Doc, sentence: int) -> list[Dated]:
    first, end, start, stop = doc.sentences[sentence]
    text = doc.body[start:stop]
    raw: list[tuple[int, int, DateValue | None, RelativeDate | None, bool]] = []
    written = find_dates(text, start)
    for value, s, e in written:
        raw.append((s, e, value, None, False))
    for value, s, e in anchored_relatives(doc, sentence):
        raw.append((s, e, value, None, True))
    for relative in find_relative(text, start):
        if not any(s <= relative.start < e for s, e, *_ in raw):
            raw.append((relative.start, relative.end, None, relative, False))
    raw = [item for item in raw if not in_dateline(doc, item[0], item[1])]
    if not raw:
        return []
    raw.sort(key=lambda item: item[0])
    places = [_token_at(doc, item[0]) for item in raw]
    events: list[set[str]] = [set() for _ in raw]
    topics: list[set[str]] = [set() for _ in raw]
    previous = ""
    for i in range(first, end):
        root = light_stem(doc.keys[i])
        event = _EVENT_PAIRS.get((previous, root)) or EVENTS.get(root)
        topic = TOPICS.get(root)
        previous = root
        if event is None and topic is None:
            continue
        distance, nearest = min((abs(i - place), n) for n, place in enumerate(places))
        if distance > 20:
            continue
        # Dates written together ("A day earlier, on Friday") share their events.
        for n in _cluster(places, nearest):
            if event is not None:
                events[n].add(event)
            if topic is not None:
                topics[n].add(topic)
    return [
        Dated(
            s,
            e,
            value,
            relative,
            derived,
            frozenset(events[n]),
            frozenset(topics[n]),
            (
                min(raw[m][0] for m in _cluster(places, n)),
                max(raw[m][1] for m in _cluster(places, n)),
            ),
        )
        for n, (s, e, value, relative, derived) in enumerate(raw)
    ]


def _cluster(places: list[int], index: int) -> list[int]:
    """The dates written next to date `index` (starts at most 5 words apart, in a chain)."""
    low = high = index
    while low > 0 and places[low] - places[low - 1] <= 5:
        low -= 1
    while high + 1 < len(places) and places[high + 1] - places[high] <= 5:
        high += 1
    return list(range(low, high + 1))


def _same_event(x: Dated, y: Dated, aligned: bool) -> bool:
    """Two dates of one event: a predicate in common, and no topics that differ."""
    if x.topics and y.topics and not x.topics & y.topics:
        return False
    if x.events or y.events:
        return bool(x.events & y.events)
    return aligned and bool(x.topics & y.topics or not (x.topics or y.topics))


def _days(doc: Doc, x: Dated) -> tuple[date, date] | None:
    """The day (or week) a date names, resolved with the article's own date when relative."""
    if x.value is not None:
        day = as_day(x.value, anchor_day(doc))
        return (day, day) if day else None
    assert x.relative is not None
    return x.relative.resolve(reference_day(doc))


def _relation(a: Doc, x: Dated, b: Doc, y: Dated, gap: int) -> str | None:
    """Whether two dates name the "same" day, "differ", or None (not comparable, or too far
    apart to be one event)."""
    x_days, y_days = _days(a, x), _days(b, y)
    if x_days is not None and y_days is not None:
        if x_days[0] <= y_days[1] and y_days[0] <= x_days[1]:
            return "same"
        apart = min(abs((x_days[0] - y_days[1]).days), abs((y_days[0] - x_days[1]).days))
        return "differ" if apart <= gap else None
    # A weekday against a known day: compare the weekday.
    for days, other in ((x_days, y), (y_days, x)):
        relative = other.relative
        if days and days[0] == days[1] and relative is not None and relative.weekday is not None:
            return "same" if days[0].weekday() == relative.weekday else "differ"
    # Written dates with no year to place them: month and day alone.
    if x.value is not None and y.value is not None:
        apart_days = day_gap(x.value, y.value)
        if apart_days is not None and apart_days <= gap:
            return "same" if apart_days == 0 else "differ"
    return None


def _is_relative(x: Dated) -> bool:
    return x.relative is not None or x.derived


def dated_differences(
    a: Doc, a_dated: list[Dated], b: Doc, b_dated: list[Dated], gap: int, aligned: bool
) -> list[tuple[DifferenceKind, Dated, Dated]]:
    """Pairs of dates of one event that differ, when neither has a same-day reading of that
    event on the other side."""
    relations = {}
    for i, x in enumerate(a_dated):
        for j, y in enumerate(b_dated):
            if _same_event(x, y, aligned):
                relations[(i, j)] = _relation(a, x, b, y, gap)
    agreed_a = {i for (i, _), r in relations.items() if r == "same"}
    agreed_b = {j for (_, j), r in relations.items() if r == "same"}
    out: list[tuple[DifferenceKind, Dated, Dated]] = []
    for (i, j), relation in sorted(relations.items()):
        if relation != "differ" or i in agreed_a or j in agreed_b:
            continue
        x, y = a_dated[i], b_dated[j]
        kind: DifferenceKind = "relative-date" if _is_relative(x) or _is_relative(y) else "date"
        out.append((kind, x, y))
    return out


def _sentences_in(doc: Doc, start: int, end: int) -> range:
    from bisect import bisect_left, bisect_right

    first, last = bisect_left(doc.starts, start), bisect_right(doc.ends, end)
    if last <= first:
        return range(0)
    return range(doc.sent_of[first], doc.sent_of[last - 1] + 1)


def from_sentences(
    a: Doc, a_span: tuple[int, int], b: Doc, b_span: tuple[int, int], link_kind: LinkKind, gap: int
) -> list[Difference]:
    """Dates of one event that differ, and counts of the same thing that differ, between two
    linked passages (whole sentences)."""
    out: list[Difference] = []
    a_dated = [
        x
        for s in _sentences_in(a, *a_span)
        for x in sentence_dated(a, s)
        if a_span[0] <= x.start and x.end <= a_span[1]
    ]
    b_dated = [
        y
        for s in _sentences_in(b, *b_span)
        for y in sentence_dated(b, s)
        if b_span[0] <= y.start and y.end <= b_span[1]
    ]
    aligned = link_kind != "paraphrase"
    for kind, x, y in dated_differences(a, a_dated, b, b_dated, gap, aligned):
        out.append(Difference.between(kind, a, x.reading, b, y.reading, link_kind))
    a_text, b_text = a.body[a_span[0] : a_span[1]], b.body[b_span[0] : b_span[1]]
    a_counts = _counts_in(a_text, a_span[0])
    b_counts = _counts_in(b_text, b_span[0])
    for qa, qb in quantity_differences(a_counts, b_counts):
        out.append(
            Difference.between("number", a, (qa.start, qa.end), b, (qb.start, qb.end), link_kind)
        )
    return out


@lru_cache(maxsize=NAME_CACHE)
def _counts_in(text: str, offset: int) -> list[Quantity]:
    """`find_quantities` of a passage at `offset` (kept: a sentence is read again for every
    pair it is linked in; the quantities are immutable and the list is only read)."""
    return find_quantities(text, offset, find_dates(text, offset))


def _same_count(x: Quantity, y: Quantity) -> bool:
    """Two counts of one thing: the same unit, and what happened to them not different (a
    count of people with no noun, "rising to over 760", by what happened to them alone).

    People of two named classes are two things ("33 police" are not the protesters); anyone
    ("844 people", "six wounded") against a named class ("24 sailors") is one thing only
    when the figures are close (at most COUNT_RATIO apart: "23 people" / "24 sailors", not
    "844 people" / "33 police")."""
    if "?" in (x.unit, y.unit):
        if not ({x.unit, y.unit} <= {"?", "@people"} and bool(x.roles & y.roles)):
            return False
    elif not (x.unit == y.unit and (not x.roles or not y.roles or bool(x.roles & y.roles))):
        return False
    if x.aspect != y.aspect:
        return False  # an old tally is not the new one, nor an increase a level
    if _kind_of(x) != "@people" or x.group == y.group:
        return True
    if x.group and y.group:
        return False
    return _ratio(x, y) <= COUNT_RATIO


def _ratio(x: Quantity, y: Quantity) -> float:
    """How many times apart two counts are (1.0 for equal ones; infinite for a zero)."""
    try:
        low, high = sorted((float(x.value), float(y.value)))
    except ValueError:
        return float("inf")
    return high / low if low > 0 else float("inf")


def _kind_of(x: Quantity) -> str:
    return "@people" if x.unit == "?" else x.unit


def _sum_of(parts: list[Quantity], whole: Quantity) -> bool:
    """Whether two to four exact counts of people on one side add up to a count on the other."""
    if whole.hedged or _kind_of(whole) != "@people":
        return False
    values = []
    for part in parts:
        if _kind_of(part) == "@people" and not part.hedged:
            try:
                values.append(float(part.value))
            except ValueError:
                continue
    try:
        target = float(whole.value)
    except ValueError:
        return False
    return any(
        sum(chosen) == target
        for size in range(2, min(4, len(values)) + 1)
        for chosen in combinations(values[:8], size)
    )


def quantity_differences(
    mine: list[Quantity], theirs: list[Quantity]
) -> list[tuple[Quantity, Quantity]]:
    """Counts of one thing that differ: a count with no reading on the other side that can
    be one figure with it (nor a sum of parts there that makes it), against a count of the
    same thing there with none either; one pair per thing counted, the two closest
    figures (the likeliest to be two readings of one). A hedged count is a reading too:
    "more than 800" can be "844", "over 760" cannot."""
    pairs = [(x, y) for x in mine for y in theirs if _same_count(x, y)]
    held_x = {id(x) for x, y in pairs if _consistent(x, y) or _sum_of(theirs, x)}
    held_y = {id(y) for x, y in pairs if _consistent(x, y) or _sum_of(mine, y)}
    closest: dict[tuple[str, str], tuple[Quantity, Quantity]] = {}
    for x, y in pairs:
        if id(x) in held_x or id(y) in held_y:
            continue
        thing = (_kind_of(x), x.aspect)
        if thing not in closest or _ratio(x, y) < _ratio(*closest[thing]):
            closest[thing] = (x, y)
    return sorted(closest.values(), key=lambda pair: (pair[0].start, pair[1].start))

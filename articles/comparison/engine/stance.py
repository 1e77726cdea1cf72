"""Whether two linked passages agree or differ, and how: the stance pass over a pair's links.

A link says two passages report one fact. They *differ* when they give it different readings:

- "polarity": the same predicate, affirmed on one side and negated or refused on the other
  ("have decided to attend" / "have refused to attend"; "not", "no longer", "never", "deny",
  "fail to", "decline to");
- "predicate": opposing predicates of one family ("attend" / "boycott", "freeze" or "suspend"
  participation; "agree" / "reject"; "rise" / "fall"; "allow" / "ban");
- "number", "date", "name", "place", "relative-date": readings found by `differences`
  (replaced words of a near span, or the dated events and counts of two linked sentences).

Predicates are read per sentence with their scope: an operator ("refused to", "not") flips
the predicate it governs within its clause, control verbs ("decided to", "will", "threatened
to") pass it through, and a predicate in a background clause ("after they had previously
declared freezing...") yields to the main one. Two passages differ on a family when the signs
they give it have nothing in common and their subjects can be the same actor (no subject, or
one actor in common: "rebels" = "opposition groups", "Moscow" = "Russia").

Every rule is symmetric: swapping the two passages gives the same stance and kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from articles.ingest.text import STOPWORDS

from .dates import DateValue, as_day, find_dates
from .document import Doc
from .frames import sentence_frame
from .results import Config, Difference, DifferenceKind, Evidence, Link, Stance
from .similarity import light_stem


def _forms[V](words: str, value: V) -> dict[str, V]:
    """Map the light stem of each listed word form to value."""
    return {light_stem(word): value for word in words.split()}


# Predicates by light stem: (family, sign of the word itself). A family's False words oppose
# its True ones.
PREDICATES: dict[str, tuple[str, bool]] = {
    **_forms(
        """attend attends attended attending attendance participate participates participated
        participating participation join joins joined joining go going""",
        ("attend", True),
    ),
    **_forms(
        """boycott boycotts boycotted boycotting freeze freezes froze frozen freezing suspend
        suspends suspended suspending suspension withdraw withdraws withdrew withdrawn
        withdrawing withdrawal quit quits quitting skip skips skipped skipping abstain
        abstained""",
        ("attend", False),
    ),
    **_forms(
        """agree agrees agreed accept accepts accepted accepting approve approves approved
        approving endorse endorsed endorses ratify ratified ratifies welcome welcomed
        welcomes""",
        ("accept", True),
    ),
    **_forms(
        """reject rejects rejected rejecting oppose opposes opposed opposing veto vetoed
        vetoes dismiss dismissed dismisses""",
        ("accept", False),
    ),
    **_forms("confirm confirms confirmed confirming admit admits admitted", ("confirm", True)),
    **_forms("deny denies denied denying", ("confirm", False)),
    **_forms(
        """rise rises rose risen rising increase increases increased increasing grow grows
        grew grown growing climb climbs climbed jump jumps jumped surge surged""",
        ("rise", True),
    ),
    **_forms(
        """fall falls fell fallen falling decrease decreases decreased decreasing drop drops
        dropped dropping decline declines plunge plunged slump slumped shrink shrank""",
        ("rise", False),
    ),
    **_forms("allow allows allowed allowing permit permits permitted lift lifted", ("allow", True)),
    **_forms("ban bans banned banning prohibit prohibited block blocks blocked", ("allow", False)),
    **_forms("win wins won winning", ("win", True)),
    **_forms("lose loses lost losing", ("win", False)),
    **_forms("convict convicted convicts", ("convict", True)),
    **_forms("acquit acquitted acquits", ("convict", False)),
}
# Two-word predicates: (light stem, next light stem) -> (family, sign); read at the second word.
PREDICATE_PAIRS: dict[tuple[str, str], tuple[str, bool]] = {
    (light_stem(first), light_stem(second)): value
    for words, value in (
        ("take part", ("attend", True)),
        ("takes part", ("attend", True)),
        ("taking part", ("attend", True)),
        ("took part", ("attend", True)),
        ("pull out", ("attend", False)),
        ("pulled out", ("attend", False)),
        ("pulling out", ("attend", False)),
        ("stay away", ("attend", False)),
        ("stayed away", ("attend", False)),
    )
    for first, second in [words.split()]
}
# Words that flip the predicate they govern. "refuse", "decline", "fail" only when "to" follows.
_FLIP = frozenset(("not", "no", "never", "cannot", "nor", "neither", "without"))
_FLIP_TO = frozenset(
    light_stem(w)
    for w in "refuse refused refuses refusing declined decline declines fail failed fails".split()
)
_DENY = frozenset(light_stem(w) for w in "deny denies denied denying".split())
# Words an operator's scope passes over: auxiliaries, control verbs, adverbs.
_TRANSPARENT = frozenset(
    light_stem(w)
    for w in """to have has had having will would could should may might must can be been being
    is are was were am do does did also still now already just then yet ever even longer
    reportedly officially formally finally eventually later again all both each decide decided
    decides deciding plan plans planned planning intend intends intended want wants wanted
    expect expected expects vow vowed pledge pledged promise promised threaten threatened
    threatens threatening continue continued set ready going prepared willing able likely
    declare declared declaring announce announced say said says agree agreed their its his her
    our the a an this that they it he she we formally fully""".split()
)
# Words that make the clause after them background to the main claim.
_BACKGROUND = frozenset(
    light_stem(w)
    for w in """after before previously earlier initially originally although though despite
    once formerly""".split()
)
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”—–]|\s-\s")
_DETERMINERS = frozenset(("their", "its", "his", "her", "our", "the", "a", "an"))
_CLAUSE_WORDS = frozenset(("and", "but", "while", "whereas", "which", "who", "because"))


@dataclass(frozen=True, slots=True)
class Predicate:
    """One predicate of a sentence with its sign after the operators that govern it."""

    family: str
    sign: bool
    word_sign: bool  # the sign of the word itself (attend True, boycott False)
    start: int  # body span: from the first operator to the predicate
    end: int
    token: int  # token index of the predicate word
    background: bool
    actors: frozenset[str]
    # Light stems of the content words of its subject ("the death toll" -> toll, death).
    subject: frozenset[str] = frozenset()


def _token_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Tokens [first, end) whose spans lie inside the body span [start, end)."""
    from bisect import bisect_left, bisect_right

    return bisect_left(doc.starts, start), bisect_right(doc.ends, end)


def _breaks_before(doc: Doc, index: int) -> bool:
    """Whether a clause break (punctuation) stands between token index - 1 and token index."""
    return bool(_CLAUSE_BREAK.search(doc.body[doc.ends[index - 1] : doc.starts[index]]))


def _readings(doc: Doc) -> dict[str, Any]:
    if doc.readings is None:
        doc.readings = {}
    return doc.readings


def sentence_predicates(doc: Doc, sentence: int) -> tuple[Predicate, ...]:
    """The predicates of one sentence, with scope and subjects (cached on the article)."""
    cache: dict[int, tuple[Predicate, ...]] = _readings(doc).setdefault("predicates", {})
    found = cache.get(sentence)
    if found is None:
        found = cache[sentence] = tuple(_predicates(doc, sentence))
    return found


def _predicates(doc: Doc, sentence: int) -> list[Predicate]:
    first, end, _s_start, _ = doc.sentences[sentence]
    keys = doc.keys
    roots = [light_stem(keys[i]) for i in range(first, end)]
    out: list[Predicate] = []
    for i in range(first, end):
        root = roots[i - first]
        previous = roots[i - first - 1] if i > first else ""
        entry = PREDICATE_PAIRS.get((previous, root))
        word_first = i - 1 if entry else i
        if entry is None:
            entry = PREDICATES.get(root)
            if entry is None:
                continue
            if root in _FLIP_TO and i + 1 < end and keys[i + 1] == "to":
                continue  # "refused to": an operator, read with the predicate it governs
            if _auxiliary(doc, i, end, entry[0], root):
                continue  # "going to announce", "agreed to hold talks": the verb after it is
            text = doc.body[doc.starts[i] : doc.ends[i]]
            if text[:1].isupper() and i > first and not _title_case(doc, sentence):
                continue  # a name ("Rise Party"), not a predicate
        family, word_sign = entry
        sign, op_start = word_sign, word_first
        phrase_start = word_first  # the reading shown: "decided to attend", "not to go"
        # Operators in scope: walk back over transparent words within the clause.
        j = word_first - 1
        steps = 0
        while j >= first and steps < 6:
            if _breaks_before(doc, j + 1):
                break
            word, stem_j = keys[j], roots[j - first]
            refusal = stem_j in _FLIP_TO and j + 1 < end and keys[j + 1] == "to"
            if word in _FLIP or word.endswith("n't") or stem_j in _DENY or refusal:
                sign, op_start = not sign, j
            elif stem_j in PREDICATES and PREDICATES[stem_j][0] == family:
                if not PREDICATES[stem_j][1]:  # "freezing their participation"
                    # The opposing predicate governs it: it reads as that predicate.
                    sign, op_start, word_sign = not sign, j, not word_sign
                break
            elif word in _CLAUSE_WORDS or (stem_j not in _TRANSPARENT and len(word) > 1):
                break
            elif word not in STOPWORDS and word not in _DETERMINERS:
                phrase_start = j
            j -= 1
            steps += 1
        # Background: a subordinator ("after", "previously") earlier in the same clause.
        background = False
        for k in range(op_start - 1, max(first, op_start - 12) - 1, -1):
            if _breaks_before(doc, k + 1) or keys[k] in _CLAUSE_WORDS:
                break
            if roots[k - first] in _BACKGROUND:
                background = True
                break
        actors, subject = _subject(doc, first, op_start)
        out.append(
            Predicate(
                family,
                sign,
                word_sign,
                doc.starts[min(op_start, phrase_start)],
                doc.ends[i],
                i,
                background,
                actors,
                subject,
            )
        )
    return out


_GO = frozenset(light_stem(w) for w in "go goes going went gone".split())
# Particles that make "go" another verb ("go ahead", "go on", "went up").
_GO_PARTICLES = frozenset("ahead on up down out back off over through into along".split())
_OBJECT_STARTS = _DETERMINERS | frozenset(
    "this that these those my your which what some any all both one two three".split()
)


def _auxiliary(doc: Doc, index: int, end: int, family: str, root: str) -> bool:
    """Whether a predicate word only carries the verb after it: "going to <verb>" is a
    future, "go ahead" / "went up" another verb; "agreed to <verb>" or "accepted to <verb>"
    says what was agreed, read from that verb. "Going to Astana", "agreed to the plan" are
    predicates of their own."""
    keys = doc.keys
    following = keys[index + 1] if index + 1 < end else ""
    if root in _GO and following in _GO_PARTICLES:
        return True
    if (root not in _GO and family != "accept") or following != "to" or index + 2 >= end:
        return False
    after = doc.body[doc.starts[index + 2] : doc.ends[index + 2]]
    return (
        after[:1].islower()
        and keys[index + 2] not in _OBJECT_STARTS
        and not any(c.isdigit() for c in after)
    )


_SPEECH = frozenset(light_stem(w) for w in "said says say told tells added adds according".split())
_SUBJECT_BREAK = re.compile(r"[,;:()\"“”‘’—–]|\s-\s")


def _subject(doc: Doc, first: int, op_start: int) -> tuple[frozenset[str], frozenset[str]]:
    """The actors and content words (light stems) of the words before a predicate in its own
    clause: after the last clause break, quote or speech verb ("Malahifji said: “The
    majority of the groups decided")."""
    start = first
    for k in range(op_start - 1, first - 1, -1):
        if _SUBJECT_BREAK.search(doc.body[doc.ends[k] : doc.starts[k + 1]]):
            start = k + 1
            break
        if light_stem(doc.keys[k]) in _SPEECH or doc.keys[k] in _CLAUSE_WORDS:
            start = k + 1
            break
    if start >= op_start:
        return frozenset(), frozenset()
    words = frozenset(
        light_stem(doc.keys[k])
        for k in range(start, op_start)
        if doc.keys[k] not in STOPWORDS
        and light_stem(doc.keys[k]) not in _TRANSPARENT
        and light_stem(doc.keys[k]) not in PREDICATES
        and any(c.isalpha() for c in doc.keys[k])
    )
    frame = sentence_frame(doc.body[doc.starts[start] : doc.starts[op_start]])
    return frozenset(frame.actors), words


def _title_case(doc: Doc, sentence: int) -> bool:
    """A headline in title case, where a capital says nothing of a name."""
    first, end, _, _ = doc.sentences[sentence]
    long_words = [doc.body[doc.starts[i] : doc.ends[i]] for i in range(first, end)]
    long_words = [w for w in long_words if len(w) > 3]
    capitals = sum(1 for w in long_words if w[:1].isupper())
    return len(long_words) >= 3 and 3 * capitals >= 2 * len(long_words)


def _compatible(x: Predicate, y: Predicate) -> bool:
    """Whether two predicates' subjects can be one: an actor in common when both name
    actors ("rebels" = "opposition groups", "Moscow" = "Russia"); otherwise a content word
    in common ("the majority of the groups" / "majority of opposition groups"), or no
    subject of its own on one side ("they", "to take part"). "The death toll rose" and
    "shares fell" are two facts, not one told two ways."""
    if x.actors and y.actors:
        return bool(x.actors & y.actors)
    if not x.subject or not y.subject:
        return True
    return bool(x.subject & y.subject)


def opposed(
    a_preds: Sequence[Predicate], b_preds: Sequence[Predicate]
) -> list[tuple[DifferenceKind, Predicate, Predicate]]:
    """The families on which two passages give signs with nothing in common, and how."""
    out: list[tuple[DifferenceKind, Predicate, Predicate]] = []
    families = {p.family for p in a_preds} & {p.family for p in b_preds}
    for family in sorted(families):
        mine = [p for p in a_preds if p.family == family]
        theirs = [p for p in b_preds if p.family == family]
        mine = [p for p in mine if not p.background] or mine
        theirs = [p for p in theirs if not p.background] or theirs
        if {p.sign for p in mine} & {p.sign for p in theirs}:
            continue
        pairs = [(x, y) for x in mine for y in theirs if _compatible(x, y)]
        if not pairs:
            continue
        # Same word sign on both sides: the difference is a negation ("polarity").
        polar = [(x, y) for x, y in pairs if x.word_sign == y.word_sign]
        kind: DifferenceKind = "polarity" if polar else "predicate"
        x, y = min(polar or pairs, key=lambda pair: (pair[0].start, pair[1].start))
        out.append((kind, x, y))
    return out


# --- Datelines, bylines and the article's own date ---------------------------------------

_MONTH_WORDS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# "ASTANA, January 24 /TASS/.", "BEIRUT, Jan 23 (Reuters) -", "MOSCOW (AP) —"
_DATELINE_RE = re.compile(
    rf"""^\s*[A-Z][A-Za-z'.\- ]{{1,40}}?,?\s+
    (?:(?:{_MONTH_WORDS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH_WORDS})(?:,?\s+\d{{4}})?\s*)?
    (?:/[^/\n]{{1,30}}/|\([^()\n]{{1,30}}\))\.?\s*[-—–:.]?\s*""",
    re.VERBOSE | re.IGNORECASE,
)
_DATELINE_PLAIN_RE = re.compile(
    rf"^\s*[A-Z][A-Z'.\- ]{{1,40}},\s+(?:{_MONTH_WORDS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH_WORDS})"
    rf"(?:,?\s+\d{{4}})?\s*[-—–:.]\s*",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(
    r"""^\s*(?:by\s+\S|published|updated|posted|last\s+updated|\d{1,2}[:.]\d{2}|
    (?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)
    [a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[a-z]+\s+\d{4})""",
    re.IGNORECASE | re.VERBOSE,
)
_LINES_RE = re.compile(r"[^\n]+")


def dateline(doc: Doc) -> tuple[list[tuple[int, int]], DateValue | None]:
    """Byline and dateline spans near the top of an article, and the date they give.

    A dateline opens a paragraph ("ASTANA, January 24 /TASS/."); a byline or date line is a
    short line of its own ("By Jane Doe | January 23, 2017", "Published: 23 January 2017")
    among the first few. The date is (year or None, month, day)."""
    cache = _readings(doc)
    if "dateline" not in cache:
        spans: list[tuple[int, int]] = []
        value: DateValue | None = None
        for count, line in enumerate(_LINES_RE.finditer(doc.body[:3000])):
            if count >= 6:
                break
            text = line.group()
            match = _DATELINE_RE.match(text) or _DATELINE_PLAIN_RE.match(text)
            words = text.split()
            dates = find_dates(text, line.start())
            if match and match.end() < len(text):
                spans.append((line.start(), line.start() + match.end()))
                inside = [d for d in dates if d[2] <= line.start() + match.end()]
                if inside and value is None:
                    value = inside[0][0]
            elif (
                count > 0
                and len(words) <= 14
                and (_BYLINE_RE.match(text) or (dates and len(words) <= 8))
            ):
                spans.append((line.start(), line.end()))
                if dates and value is None:
                    value = dates[0][0]
        cache["dateline"] = (spans, value)
    found: tuple[list[tuple[int, int]], DateValue | None] = cache["dateline"]
    return found


def in_dateline(doc: Doc, start: int, end: int) -> bool:
    """Whether a body span lies in a byline or dateline."""
    return any(s <= start and end <= e for s, e in dateline(doc)[0])


def reference_day(doc: Doc) -> date | None:
    """The article's own date: the one the caller gave, else its dateline's (the year, when
    the dateline has none, from the latest full date the article writes)."""
    cache = _readings(doc)
    if "reference" not in cache:
        day = doc.published if isinstance(doc.published, date) else None
        if day is None:
            value = dateline(doc)[1]
            if value is not None:
                day = as_day(value, anchor_day(doc))
        cache["reference"] = day
    reference: date | None = cache["reference"]
    return reference


def anchor_day(doc: Doc) -> date | None:
    """A day near when the article was written: its date if known, else the latest full date
    (with a year) it writes; for the year of dates written without one."""
    cache = _readings(doc)
    if "anchor" not in cache:
        day = doc.published if isinstance(doc.published, date) else None
        if day is None:
            full = [as_day(value, None) for value, _, _ in find_dates(doc.body, 0) if value[0]]
            days = [d for d in full if d is not None]
            day = max(days) if days else None
        cache["anchor"] = day
    anchor: date | None = cache["anchor"]
    return anchor


# --- Judging a pair's links -----------------------------------------------------------------


def _sentences_of(doc: Doc, start: int, end: int) -> range:
    first, last = _token_range(doc, start, end)
    if last <= first:
        return range(0)
    return range(doc.sent_of[first], doc.sent_of[last - 1] + 1)


def passage_predicates(doc: Doc, start: int, end: int) -> list[Predicate]:
    """The predicates whose word lies in a body span (their operators may lie before it)."""
    first, last = _token_range(doc, start, end)
    return [
        p
        for sentence in _sentences_of(doc, start, end)
        for p in sentence_predicates(doc, sentence)
        if first <= p.token < last
    ]


def _inside(d: Difference, link: Link) -> bool:
    return (
        d.a_key == link.a_key
        and d.b_key == link.b_key
        and link.a_start <= d.a_start
        and d.a_end <= link.a_end
        and link.b_start <= d.b_start
        and d.b_end <= link.b_end
    )


def _evidence(a: Doc, link: Link, b: Doc, agreeing: Iterable[Predicate]) -> Evidence:
    """What both passages say alike: actors, places, numbers, dates, predicates."""
    a_text = a.body[link.a_start : link.a_end]
    b_text = b.body[link.b_start : link.b_end]
    a_frame, b_frame = sentence_frame(a_text), sentence_frame(b_text)
    out: list[tuple[str, str]] = []
    for category, mine, theirs in (
        ("actor", a_frame.actors, b_frame.actors),
        ("place", a_frame.places, b_frame.places),
        ("number", a_frame.numbers, b_frame.numbers),
    ):
        out.extend((category, a_frame.words_for(key)) for key in sorted(mine & theirs))
    a_days = {value[1:]: text for value, text in _written(a_text)}
    b_days = {value[1:] for value, _ in _written(b_text)}
    out.extend(("date", text) for key, text in a_days.items() if key in b_days)
    out.extend(("predicate", a.body[p.start : p.end]) for p in agreeing)
    return tuple(dict.fromkeys(out))  # each item once, in order


def _written(text: str) -> list[tuple[DateValue, str]]:
    return [(value, text[start:end]) for value, start, end in find_dates(text, 0)]


def judge(a: Doc, b: Doc, link: Link, found: Sequence[Difference]) -> tuple[Link, list[Difference]]:
    """A link with its stance and kinds set, and its differences (given ones that lie inside
    it, plus polarity and predicate ones). Evidence the linker gave (`shared`) is kept;
    otherwise what both passages say alike is read here."""
    mine = [d for d in found if _inside(d, link)]
    a_preds = passage_predicates(a, link.a_start, link.a_end)
    b_preds = passage_predicates(b, link.b_start, link.b_end)
    for kind, x, y in opposed(a_preds, b_preds):
        mine.append(Difference.between(kind, a, (x.start, x.end), b, (y.start, y.end), link.kind))
    disputed = {p.family for p in a_preds} & {p.family for p in b_preds}
    disputed = {f for f in disputed if any(d.kind in ("polarity", "predicate") for d in mine)}
    b_signs = {(p.family, p.sign) for p in b_preds}
    agreeing = [p for p in a_preds if (p.family, p.sign) in b_signs and p.family not in disputed]
    kinds = tuple(sorted({d.kind for d in mine}))
    stance: Stance = "differ" if kinds else "agree"
    shared = link.shared or _evidence(a, link, b, agreeing)
    return replace(link, stance=stance, differs_by=kinds, shared=shared), mine


def judge_pair(
    a: Doc, b: Doc, links: Sequence[Link], found: Sequence[Difference], config: Config
) -> tuple[list[Link], list[Difference]]:
    """The stance pass over one pair: every link judged, and the pair's differences (each
    inside a link; one per kind and pair of readings), in a stable order."""
    judged: list[Link] = []
    differences: dict[tuple[str, int, int, int, int], Difference] = {}
    for link in links:
        new, mine = judge(a, b, link, found)
        judged.append(new)
        for d in mine:
            differences.setdefault((d.kind, d.a_start, d.a_end, d.b_start, d.b_end), d)
    ordered = sorted(differences.values(), key=lambda d: (d.a_start, d.b_start, d.kind))
    return judged, ordered


__all__ = [
    "PREDICATES",
    "Predicate",
    "anchor_day",
    "dateline",
    "in_dateline",
    "judge",
    "judge_pair",
    "opposed",
    "passage_predicates",
    "reference_day",
    "sentence_predicates",
]

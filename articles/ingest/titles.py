"""The headline: which line above the story is the title, and why.

A page copied from the browser puts navigation, section labels, dates and counts above the
headline, so the first heading-shaped line is often not it. Among the heading-shaped lines
above the lead, the one chosen is, in order of preference:

1. a line printed twice (pages repeat the headline: the title bar and the article);
2. a line of four words or more right above a byline or a date line;
3. the first line of four words or more;
4. the first line of three words;
5. a line of one or two words when it is the only line above the story.

A line is never the headline when it is a date or holds one with a short label ("This Article
is From Jan 22, 2017"), a relative time, a count, punctuation only, navigation, a caption's
dated ending, or the name of a known outlet; a row of capitalised words with no function word
(a menu) only when no other line can be.
"""

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import dates as _dates
from . import furniture, rules
from .records import OutletSignature
from .text import line_word_count, matching_key

MAX_KEYED_LINE = 300  # only lines up to this long are compared for repetition (as in layout)

PROMPT_WORDS = 5  # a sign-up prompt this short ("Unsubscribe at any time") is no headline
RULE_REPEATED = "title: a heading-shaped line printed twice above the story"
RULE_ABOVE_BYLINE = "title: a heading-shaped line right above the byline or date"
RULE_FIRST_LONG = "title: the first heading-shaped line of four words or more above the story"
RULE_MENU_ROW = "title: a row of capitalised words above the story (nothing else could be)"
RULE_SHORT = "title: the first heading-shaped line of three words above the story"
RULE_ONLY_SHORT = "title: the only line above the story, heading-shaped (one or two words)"

_DIGIT_RE = re.compile(r"\d")
# A line ending in a dash or a colon opens what follows (a stamp "Site ـ", a label "Live:").
_OPEN_ENDINGS = (" -", " –", " —", " ـ", ":")
RULE_SENTENCE = (
    "title: a short sentence opening the page, above longer running text"
    " (its line keeps its own kind: it may be the story's first sentence)"
)
SENTENCE_TITLE_WORDS = (2, 10)
_YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


@dataclass(frozen=True, slots=True)
class Line:
    """What the chooser needs of a line: its text, and whether a rule already classified it
    (and as what: "byline", "date", "other"), or "" when it is still unclassified."""

    text: str
    classified: str


def _label_and_date(text: str, start: int, end: int) -> bool:
    """The rest of a line around a date is only a short label ("FIRST AIRED:", "This Article
    is From"): a headline that mentions a date has more to say, and rarely the year."""
    rest = (text[:start] + " " + text[end:]).strip()
    if line_word_count(rest) == 0 or rest.endswith(":"):
        return True
    has_year = bool(_YEAR_RE.search(text[start:end]))
    return has_year and line_word_count(rest) <= 5


def holds_date(text: str) -> bool:
    """A line that is a date, or a short label and a date ("FIRST AIRED: January 26, 2017")."""
    if rules.is_date_line(text):
        return True
    if line_word_count(text) > 12 or not _DIGIT_RE.search(text):
        return False
    hits = _dates.find_dates(text)
    return any(_label_and_date(text, *hit.span) for hit in hits)


def ends_with_dated_place(text: str) -> bool:
    """A picture caption's ending: ", Givors, France, 17 octobre 2024" (a comma, then a full
    date with its year closing the line)."""
    if "," not in text or not _DIGIT_RE.search(text[-40:]):
        return False
    hits = _dates.find_dates(text[-60:])
    if not hits:
        return False
    start, end = hits[-1].span
    tail = text[-60:]
    return (
        end >= len(tail.rstrip(" .")) - 1
        and bool(_YEAR_RE.search(tail[start:end]))
        and tail[:start].rstrip().endswith(",")
    )


DATE_LED_WORDS = 2  # words after a leading date that make it a live page's headline


def date_led(text: str) -> bool:
    """A headline that opens with a date and says something after it ("January 3, 2023
    Russia-Ukraine news", a live page's title): the rest holds two words or more with
    letters and is no label (no colon at its end) nor a time."""
    if len(text) > MAX_KEYED_LINE or not _DIGIT_RE.search(text[:40]):
        return False
    hits = _dates.find_dates(text)
    if not hits or hits[0].span[0] != 0:
        return False
    rest = text[hits[0].span[1] :].strip(" ,.-–—|")
    if rest.endswith(":") or _DIGIT_RE.search(rest[:8]):
        return False
    return sum(1 for word in rest.split() if any(c.isalpha() for c in word)) >= DATE_LED_WORDS


def never_headline(text: str, site_names: Collection[str] = (), *, dated: bool = False) -> bool:
    """Lines that are never a headline, whatever their shape (with `dated`, a date-led
    headline is let through: the caller has evidence that it is the page's headline)."""
    stripped = text.strip()
    if dated and not date_led(stripped):
        return True
    if (
        furniture.is_punctuation_only(stripped)
        or furniture.is_bare_count(stripped)
        or furniture.is_relative_time(stripped)
        or furniture.is_navigation(stripped)
        or rules.is_url_line(stripped)
        or (holds_date(stripped) and not dated)
        or ends_with_dated_place(stripped)
        or stripped.endswith(_OPEN_ENDINGS)
        or (
            furniture.has_newsletter_words(stripped)
            and (furniture.addresses_reader(stripped) or line_word_count(stripped) <= PROMPT_WORDS)
        )
    ):
        return True
    return matching_key(stripped) in site_names


def _candidate(
    line: Line, site_names: Collection[str], *, menus: bool = False, dated: bool = False
) -> bool:
    """A heading-shaped line that may be the headline; a row of menu words only when asked
    (`menus`): such a row is the headline only when nothing else can be; a date-led line
    only when asked (`dated`)."""
    return (
        not line.classified
        and rules.looks_like_heading(line.text)
        and menus == furniture.is_menu_row(line.text)
        and not never_headline(line.text, site_names, dated=dated)
    )


RULE_DATE_LED = "title: a date-led headline (repeated, above a byline or date, or alone)"


def _date_led_title(
    lines: Sequence[Line], lead: int, site_names: Collection[str], repeats: Mapping[str, int]
) -> tuple[int, str] | None:
    """A live page's date-led headline, when the evidence says it is the page's headline:
    printed twice, or right above a byline or a date line, or the only headline-shaped line
    above the story (asked only when no other line could be the headline)."""
    found = [i for i in range(lead) if _candidate(lines[i], site_names, dated=True)]
    for index in found:
        following = lines[index + 1] if index + 1 < len(lines) else None
        repeated = repeats.get(furniture.line_key(lines[index].text), 0) > 1
        if repeated or (following is not None and following.classified in ("byline", "date")):
            return index, RULE_DATE_LED
    return (found[0], RULE_DATE_LED) if len(found) == 1 else None


def choose_title(
    lines: Sequence[Line],
    lead: int,
    site_names: Collection[str] = (),
    repeats: Mapping[str, int] | None = None,
) -> tuple[int, str] | None:
    """(index, rule) of the headline among lines[:lead], or None.

    `lines` is the page up to the comment section; `lead` the index of the first line of
    running text (len(lines) when there is none). `site_names` are matching keys of outlet
    names, never headlines; `repeats` counts the matching keys of the page's lines.
    The cheap tests run first and the candidate test only on the lines they leave.
    """
    if repeats is None:
        repeats = {}
        for line in lines:
            if len(line.text) <= MAX_KEYED_LINE:
                key = furniture.line_key(line.text)
                repeats[key] = repeats.get(key, 0) + 1
    known: dict[int, bool] = {}

    def candidate(index: int) -> bool:
        if index not in known:
            known[index] = _candidate(lines[index], site_names)
        return known[index]

    words = [line_word_count(lines[i].text) if not lines[i].classified else 0 for i in range(lead)]
    for index in range(lead):
        if (
            words[index] >= 3
            and len(lines[index].text) <= MAX_KEYED_LINE
            and repeats.get(furniture.line_key(lines[index].text), 0) > 1
            and candidate(index)
        ):
            return index, RULE_REPEATED
    for index in range(lead):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            words[index] >= 4
            and following is not None
            and following.classified in ("byline", "date")
            and candidate(index)
        ):
            return index, RULE_ABOVE_BYLINE
    for index in range(lead):
        if words[index] >= 4 and candidate(index):
            return index, RULE_FIRST_LONG
    for index in range(lead):
        if words[index] == 3 and candidate(index):
            return index, RULE_SHORT
    unclassified = [index for index in range(lead) if not lines[index].classified]
    if len(unclassified) == 1 and words[unclassified[0]] in (1, 2) and candidate(unclassified[0]):
        return unclassified[0], RULE_ONLY_SHORT
    if (dated := _date_led_title(lines, lead, site_names, repeats)) is not None:
        return dated
    for index in range(lead):
        if words[index] >= 4 and _candidate(lines[index], site_names, menus=True):
            return index, RULE_MENU_ROW
    return None


def without_glued_date(title: str) -> str:
    """A headline with a date glued to its end ("…with regimeJanuary 23, 2017") without it."""
    if len(title) > 400 or not _DIGIT_RE.search(title):
        return title
    hits = _dates.find_dates(title)
    if not hits:
        return title
    start, end = hits[-1].span
    if end < len(title.rstrip()) or start == 0:
        return title
    before = title[start - 1]
    if before.isalpha() and before.islower() and title[start].isupper():
        return title[:start].rstrip()
    return title


def site_names(outlets: Sequence[OutletSignature]) -> frozenset[str]:
    """Matching keys of outlet names and signatures: a line that is only one is never the
    headline (worked out once for each set of outlets)."""
    return _site_names(tuple(outlets))


@lru_cache(maxsize=8)
def _site_names(outlets: tuple[OutletSignature, ...]) -> frozenset[str]:
    return frozenset(matching_key(n) for o in outlets for n in (o.name, *o.signatures) if n)


def choose_sentence_title(lines: Sequence[Line], lead: int) -> tuple[int, str] | None:
    """(index, rule) of a headline printed as a sentence ("Kazakistan'da deprem!",
    "Семибалльное землетрясение произошло на Камчатке."), or None. Asked only when no
    heading-shaped line could be the headline: it is the page's first unclassified line
    ending in . ! or ?, of two to ten words, with nothing but labels (two words at most)
    above it, and a line of running text at least twice as long right under it."""
    first = next(
        (
            i
            for i in range(min(lead + 1, len(lines)))
            if not lines[i].classified and lines[i].text.rstrip()[-1:] in ".!?؟"
        ),
        None,
    )
    if first is None or first + 1 >= len(lines):
        return None
    if any(line_word_count(lines[i].text) > 2 for i in range(first)):
        return None  # more than labels above it: the page's top is not understood
    text = lines[first].text.strip()
    words = line_word_count(text)
    low, high = SENTENCE_TITLE_WORDS
    if not low <= words <= high or text[-1:] not in ".!?؟" or text.endswith(".."):
        return None
    if any(mark in text[:-1] for mark in ".!?؟"):
        return None  # one sentence only
    following = lines[first + 1]
    if following.classified or line_word_count(following.text) < 2 * words:
        return None
    if never_headline(text):
        return None
    return first, RULE_SENTENCE

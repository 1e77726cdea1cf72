"""Corroborating evidence for the rules that set a line aside by its position alone.

A position rule ("a name alone right after the lead is the byline", "a headline-shaped line
after the story is a related link") is right on most pages and ruinous on the others: the
line it takes may be a story paragraph that lost its full stop, or a subheading. So each such
rule asks here for a second, independent signal before it acts — link-likeness (a bullet, a
label's length), grammar (function-word density, see `density`), or topic (words the story
never uses) — and when the evidence is missing the line stays in the body.
Each test reads a bounded part of the lines it is given: linear on any input.
"""

from collections.abc import Iterable, Sequence
from typing import Protocol

from . import density, furniture
from .text import content_words, line_word_count

STORY_DENSITY = 0.3  # a line this dense in function words reads as a sentence, not a link
LABEL_WORDS = 5  # a tail line shorter than this is a label ("Most Viewed"), not a paragraph
TAIL_NOVELTY = 0.6  # share of a tail line's topic words the story never used: another story
MIN_TOPIC_WORDS = 3  # fewer topic words than this say nothing about novelty
TAIL_RATIO = 2  # an appended story has at most twice as much text as the article before it
_MAX_STORY_CHARS = 20_000  # story text read for its topic words


def story_words(lines: Iterable[str]) -> set[str]:
    """The topic words of the story's lines (its first `_MAX_STORY_CHARS` characters)."""
    seen: set[str] = set()
    budget = _MAX_STORY_CHARS
    for text in lines:
        if budget <= 0:
            break
        seen |= content_words(text[:budget])
        budget -= len(text)
    return seen


def novelty(text: str, seen: set[str]) -> float | None:
    """The share of a line's topic words the story has not used (None: too few to tell)."""
    topic = content_words(text[: density.PROBE])
    if len(topic) < MIN_TOPIC_WORDS:
        return None
    return len(topic - seen) / len(topic)


def tail_line_is_link(text: str, seen: set[str]) -> bool:
    """The first headline-shaped line after the story is a related link (not the story's last
    paragraph without its full stop) only on a second signal: a list bullet, a label's
    length, or sparse grammar together with a topic the story never touched."""
    if furniture.without_bullet(text) != text.strip():
        return True
    if density.density(text) >= STORY_DENSITY:
        return False
    if line_word_count(text) < LABEL_WORDS:
        return True
    new = novelty(text, seen)
    return new is not None and new >= TAIL_NOVELTY


def name_is_not_topic(name: str, neighbours: Iterable[str]) -> bool:
    """A name alone next to the story is its byline only when the story around it does not
    take it up: a subheading ("Kherson Offensive") names what the next paragraph is about,
    an author's name does not appear in the paragraphs beside it."""
    words = content_words(name)
    if not words:
        return False
    around: set[str] = set()
    for text in neighbours:
        around |= content_words(text[: density.PROBE * 2])
    return not (words & around)


WORD_ROW_WORDS = 12  # a line of this many words with no grammar at all is a menu or tag row
_SENTENCE_MARKS = frozenset(".!?…;:,،؛؟۔。！？")


def is_word_row(text: str) -> bool:
    """A long row of words with no punctuation and no function word ("أخبار الأردن
    اقتصاديات مغاربيات …", "World Business Sport Culture …"): a menu or a tag list, never
    the story's lead, even when it is long enough to pass for running text."""
    probe = text[: density.PROBE]
    if line_word_count(probe) < WORD_ROW_WORDS:
        return False
    if any(char in _SENTENCE_MARKS for char in probe):
        return False
    return density.density(probe) == 0.0


def _uncased(text: str) -> bool:
    return not any(char.upper() != char.lower() for char in text)


def is_uncased_name(text: str) -> bool:
    """Two or three words of a script without capitals (Arabic, Hebrew, Persian), letters
    only (two or more each, the tatweel "ـ" aside), none a function word, an optional full
    stop ("سعيد منار."): the shape of a name.
    Weak on its own: callers add a position (the author slot, the story's end)."""
    stripped = text.strip().removesuffix(".").strip()
    tokens = stripped.split()
    if not 2 <= len(tokens) <= 3 or not _uncased(stripped):
        return False
    if not all(token.isalpha() and len(token.strip("\u0640")) >= 2 for token in tokens):
        return False
    return density.density(stripped) == 0.0


MAX_ACRONYM = 4


def is_agency_acronym(text: str) -> bool:
    """An agency's acronym alone on a line ("İHA", "AA", "DPA"): two to four capitals."""
    stripped = text.strip()
    return (
        2 <= len(stripped) <= MAX_ACRONYM
        and stripped.isalpha()
        and stripped.isupper()
        and stripped.upper() == stripped
    )


SHORT_SENTENCE = (3, 7)  # words: a short sentence between headline and lead is story text


def keeps_above_lead(text: str) -> bool:
    """A line between the headline and the lead that is story text whatever its position: a
    list item (the highlights some sites put under the headline), or a short sentence of
    three to seven words ending in a full stop (labels and captions rarely end in one; a
    longer line there is more often a caption with a sentence glued on)."""
    stripped = text.strip()
    words = line_word_count(stripped)
    if furniture.without_bullet(stripped) != stripped and words >= 4:
        return True
    low, high = SHORT_SENTENCE
    return low <= words <= high and stripped[-1:] in ".!?؟" and not stripped.endswith("..")


class _Open(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> object: ...


def open_chars_after(segs: Sequence[_Open]) -> list[int]:
    """For each line, the characters of the still unclassified lines after it (one walk
    back: linear)."""
    out = [0] * len(segs)
    total = 0
    for index in range(len(segs) - 1, -1, -1):
        out[index] = total
        if segs[index].kind is None:
            total += len(segs[index].text)
    return out


def is_tail(chars_after: int, story_chars: int) -> bool:
    """A story appended under the article (a "secondary story") is a tail: there is at most
    `TAIL_RATIO` times as much text after its headline as the article has had before it. A
    late headline with most of the text still to come is the article's own subheading,
    however new its topic (a listicle's "Federal: …", "Local: …" sections)."""
    return chars_after < TAIL_RATIO * story_chars

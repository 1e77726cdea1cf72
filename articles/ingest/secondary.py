"""A second story appended below the article (a late headline on a new topic).

Moved out of extract.py unchanged in behaviour.
"""

from typing import Protocol

from . import rules
from .kinds import Kind
from .text import content_words, line_word_count

SECONDARY_NOVELTY = 0.6  # share of a late heading's topic words the story has not used yet
SECONDARY_HEADLINE_WORDS = 8  # a full headline; subheadings are shorter


class StoryLine(Protocol):
    text: str
    kind: Kind | None


class Topics:
    """The content words of the texts read so far, worked out only when asked for: only a
    late headline-shaped line asks, and most articles have none."""

    __slots__ = ("_pending", "_words")

    def __init__(self, text: str) -> None:
        self._words: set[str] = set()
        self._pending = [text]

    def add(self, text: str) -> None:
        self._pending.append(text)

    def words(self) -> set[str]:
        for text in self._pending:
            self._words |= content_words(text)
        self._pending.clear()
        return self._words


def _novelty(text: str, seen: set[str]) -> tuple[float, int]:
    topic = content_words(text)
    if not topic:
        return 0.0, 0
    return len(topic - seen) / len(topic), len(topic)


def is_secondary_start(
    seg: StoryLine, following: StoryLine | None, topics: Topics, paragraphs: int
) -> bool:
    """A late headline introducing a story the article has not been about.

    Both the headline and the paragraph under it must be mostly new in topic, and the headline
    must be as long as a real one (subheadings are short), unless the paragraph opens the way
    appended stories do ("Meanwhile, ...").
    """
    if paragraphs < 3 or following is None or following.kind is not None:
        return False
    seen = topics.words()
    novelty, size = _novelty(seg.text, seen)
    if size < 3:
        return False
    following_novelty, _ = _novelty(following.text, seen)
    if rules.opens_another_story(following.text):
        return novelty >= SECONDARY_NOVELTY / 2 and following_novelty >= SECONDARY_NOVELTY / 2
    return (
        novelty >= SECONDARY_NOVELTY
        and following_novelty >= SECONDARY_NOVELTY
        and line_word_count(seg.text) >= SECONDARY_HEADLINE_WORDS
    )

"""Cutting a block of body text into segments by the annotations that cover it.

Pure Python: spans in, segments out (`story_with_highlights` does it for each block of a
story: any objects with the block's text and body offset). Overlapping annotations give
segments carrying several ids; the template marks each segment once, so the text is never
duplicated or reordered.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Span:
    id: int
    start: int | None  # None: a page note, which covers no words
    end: int | None
    colour: str


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int  # body offset of the segment's first character
    spans: tuple[Span, ...]  # the annotations covering it, innermost (shortest) last

    @property
    def ids(self) -> str:
        return " ".join(str(span.id) for span in self.spans)

    @property
    def overlap(self) -> bool:
        return len(self.spans) > 1

    @property
    def described_by(self) -> str:
        """The ids of the cards describing it, for aria-describedby."""
        return " ".join(f"card-{span.id}" for span in self.spans)

    @property
    def colour(self) -> str:
        return self.spans[-1].colour if self.spans else ""

    @property
    def first_of(self) -> tuple[int, ...]:
        """Ids of the annotations that begin in this segment (their anchor target)."""
        return tuple(span.id for span in self.spans if span.start == self.start)


def segments(text: str, offset: int, spans: Sequence[Span]) -> list[Segment]:
    """Cut `text` (which starts at body offset `offset`) at every span boundary inside it."""
    end_of_text = offset + len(text)
    # A span without offsets (a page note's) covers no words: it is never drawn.
    # Each drawn span with its offsets (start, end, span), so they are known to be numbers.
    inside = [
        (s.start, s.end, s)
        for s in spans
        if s.start is not None and s.end is not None and s.start < end_of_text and s.end > offset
    ]
    if not inside:
        return [Segment(text, offset, ())] if text else []
    cuts = {offset, end_of_text}
    for start, end, _span in inside:
        cuts.add(max(offset, start))
        cuts.add(min(end_of_text, end))
    points = sorted(cuts)
    result: list[Segment] = []
    for left, right in pairwise(points):
        covering = sorted(
            (placed for placed in inside if placed[0] <= left and placed[1] >= right),
            key=lambda placed: (-(placed[1] - placed[0]), placed[2].id),
        )
        result.append(
            Segment(
                text[left - offset : right - offset],
                max(left, offset),
                tuple(span for _start, _end, span in covering),
            )
        )
    return result


class TextBlock(Protocol):
    """A block of a story as the segmenter reads it (articles.models.Block is one)."""

    @property
    def text(self) -> str: ...

    @property
    def body_start(self) -> int | None: ...  # None: not part of the body (a caption)


@dataclass(frozen=True, slots=True)
class StoryItem[B: TextBlock]:
    block: B
    segments: list[Segment]


def story_with_highlights[B: TextBlock](
    story: Sequence[B], spans: Sequence[Span]
) -> list[StoryItem[B]]:
    """Each story block with its text cut into highlight segments (captions stay whole)."""
    items: list[StoryItem[B]] = []
    for block in story:
        if block.body_start is None:
            items.append(StoryItem(block, [Segment(block.text, -1, ())]))
        else:
            items.append(StoryItem(block, segments(block.text, block.body_start, spans)))
    return items

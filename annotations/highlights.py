"""Cutting a block of body text into segments by the annotations that cover it.

Pure Python: spans in, segments out. Overlapping annotations give segments carrying several
ids; the template marks each segment once, so the text is never duplicated or reordered.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


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
    inside = [
        s
        for s in spans
        if s.start is not None and s.end is not None and s.start < end_of_text and s.end > offset
    ]
    if not inside:
        return [Segment(text, offset, ())] if text else []
    cuts = {offset, end_of_text}
    for span in inside:
        cuts.add(max(offset, span.start))
        cuts.add(min(end_of_text, span.end))
    points = sorted(cuts)
    result: list[Segment] = []
    for left, right in pairwise(points):
        covering = sorted(
            (s for s in inside if s.start <= left and s.end >= right),
            key=lambda s: (-(s.end - s.start), s.id),
        )
        result.append(
            Segment(
                text[left - offset : right - offset],
                max(left, offset),
                tuple(covering),
            )
        )
    return result

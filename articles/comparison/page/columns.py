"""The columns' text: each shown article's blocks cut into pieces under the page's marks
(passages of a group, disagreements, word differences, discrepancies and reader notes) with
`articles.highlights.segments`, each piece knowing what covers it and which anchors start
there, and how much of the body other shown articles carry."""

from __future__ import annotations

from dataclasses import dataclass

from articles.highlights import segments

from ...models import Block
from .parts import Column, Item, Piece


@dataclass(frozen=True, slots=True)
class Mark:
    """A labelled span of one body, cut into pieces with `articles.highlights.segments`."""

    id: int
    start: int
    end: int
    colour: str  # unused by the compare page; segments() reads it
    kind: str  # "passage", "differ", "diff", "fact" or "note"
    value: object = None


def _fill(column: Column, blocks: list[Block], marks: list[Mark]) -> None:
    """Cut the column's blocks into pieces under the marks; count what is shared."""
    index = column.index
    seen_mark: set[int] = set()
    anchors: set[str] = set()  # group anchors
    # Carried elsewhere, in the same or in other words: no "only here" mark.
    passage_spans = sorted((m.start, m.end) for m in marks if m.kind in ("passage", "differ"))
    for block in blocks:
        if block.body_start is None:
            column.items.append(Item(block, [Piece(block.text, -1)], False))
            continue
        pieces = []
        for segment in segments(block.text, block.body_start, marks):
            piece = Piece(segment.text, segment.start)
            for mark in segment.spans:
                if mark.kind == "passage":
                    piece.group = mark.value.group
                    piece.member = mark.value
                    piece.group_start = mark.id not in seen_mark
                    seen_mark.add(mark.id)
                    anchor = f"g{piece.group.number}-c{index}"
                    if anchor not in anchors:
                        anchors.add(anchor)
                        piece.anchor = anchor
                elif mark.kind == "differ":
                    piece.differs.append(mark.value)
                    if mark.id not in seen_mark:
                        seen_mark.add(mark.id)
                        piece.differ_starts.append(mark.value)
                    key = f"d{mark.value.number}"
                    if key not in column.anchors:
                        piece.differ_anchor = piece.differ_anchor or f"{key}-c{index}"
                        column.anchors[key] = piece.differ_anchor
                elif mark.kind == "diff":
                    piece.diff = True
                elif mark.kind == "fact":
                    piece.facts.append(mark.value)
                    key = f"f{mark.value}"
                    if key not in column.anchors:
                        piece.fact_anchor = piece.fact_anchor or f"{key}-c{index}"
                        column.anchors[key] = piece.fact_anchor
                else:
                    piece.notes.append(mark.value)
                    if mark.id not in seen_mark:
                        piece.note_start.append(mark.value)
                        seen_mark.add(mark.id)
            pieces.append(piece)
            column.body_chars += len(segment.text)
            if piece.group is not None:
                column.shared_chars += len(segment.text)
        shared = any(s < block.body_end and e > block.body_start for s, e in passage_spans)
        column.items.append(Item(block, pieces, shared))

"""Arranging a revision's blocks for the reading and source views.

These functions take blocks already loaded (no queries) and return plain structures the
templates walk through.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from .ingest import Kind
from .ingest.rules import RULE_COMMENT_AUTHOR, RULE_COMMENT_WIDGET
from .models import Block


@dataclass(slots=True)
class Comment:
    author: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReadingLayout:
    story: list[Block]  # title, headings, paragraphs and captions, in page order
    secondary: list[Block]
    comments: list[Comment]
    set_aside: list[Block]  # promo, footer, breadcrumb, repeated titles


def reading_layout(blocks: Sequence[Block]) -> ReadingLayout:
    story: list[Block] = []
    secondary: list[Block] = []
    comments: list[Comment] = []
    set_aside: list[Block] = []
    in_secondary = False
    for block in blocks:
        kind = Kind(block.kind)
        if kind is Kind.SECONDARY:
            in_secondary = True
            secondary.append(block)
        elif kind is Kind.CAPTION:
            (secondary if in_secondary else story).append(block)
        elif kind is Kind.COMMENT:
            _add_comment(comments, block)
        elif block.body_start is not None:
            story.append(block)
        elif kind is not Kind.DATELINE:
            set_aside.append(block)
    return ReadingLayout(story=story, secondary=secondary, comments=comments, set_aside=set_aside)


def _add_comment(comments: list[Comment], block: Block) -> None:
    if block.rule == RULE_COMMENT_WIDGET:
        return
    if block.rule == RULE_COMMENT_AUTHOR:
        comments.append(Comment(author=block.author))
        return
    last = comments[-1] if comments else None
    if last is not None and block.author and last.author == block.author:
        last.paragraphs.append(block.text)
    else:
        comments.append(Comment(author=block.author, paragraphs=[block.text]))


@dataclass(frozen=True, slots=True)
class RawPiece:
    text: str
    block: Block | None  # None for the whitespace between blocks


def raw_pieces(raw_text: str, blocks: Sequence[Block]) -> list[RawPiece]:
    """The raw text cut at block boundaries, so every character is shown exactly once."""
    pieces: list[RawPiece] = []
    cursor = 0
    for block in sorted(blocks, key=lambda b: b.start):
        if block.start > cursor:
            pieces.append(RawPiece(raw_text[cursor : block.start], None))
        pieces.append(RawPiece(raw_text[block.start : block.end], block))
        cursor = max(cursor, block.end)
    if cursor < len(raw_text):
        pieces.append(RawPiece(raw_text[cursor:], None))
    return pieces


@dataclass(frozen=True, slots=True)
class KindCount:
    kind: Kind
    count: int


def kind_counts(blocks: Sequence[Block]) -> list[KindCount]:
    counts = dict.fromkeys(Kind, 0)
    for block in blocks:
        counts[Kind(block.kind)] += 1
    return [KindCount(kind, counts[kind]) for kind in Kind]

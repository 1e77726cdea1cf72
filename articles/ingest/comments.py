"""The reader-comment section: where it opens, and who wrote each comment in it.

Moved out of extract.py unchanged in behaviour; works on any line records with text, kind,
rule, author and gap (blank lines before the line).
"""

from collections.abc import Sequence
from typing import Protocol

from . import rules
from .kinds import Kind
from .text import line_word_count


class CommentLine(Protocol):
    text: str
    kind: Kind | None
    rule: str
    author: str
    gap: int


def _is_running_text(text: str) -> bool:
    """A sentence of story text (not a headline, byline or widget label)."""
    return rules.ends_sentence(text) and line_word_count(text) >= 5


def mark_comment_section(segs: Sequence[CommentLine], *, not_before: int = 0) -> int:
    """Mark everything from a comment widget's opening label on; returns where it starts.

    `not_before`: the index after the last line a saved page's markup calls the story (the
    main-content extractor kept it); a label above it (a "reader comments" count in a sidebar)
    never opens the section, which would sweep the story's own lines under it."""
    # The section opens at a label that follows the story; a comment count under the headline
    # is only a widget line.
    story_seen = False
    start = None
    for index, seg in enumerate(segs):
        if rules.starts_comment_section(seg.text) and story_seen and index >= not_before:
            start = index
            break
        if _is_running_text(seg.text):
            story_seen = True
    if start is None:
        return len(segs)
    author = ""
    for index in range(start, len(segs)):
        seg = segs[index]
        following = segs[index + 1] if index + 1 < len(segs) else None
        if (rule := rules.is_footer_sentence(seg.text)) is not None and not rules.is_comment_widget(
            seg.text
        ):
            seg.kind, seg.rule = Kind.FOOTER, f"footer: {rule}"
            author = ""
            continue
        seg.kind = Kind.COMMENT
        if rules.is_comment_widget(seg.text):
            seg.rule, author = rules.RULE_COMMENT_WIDGET, ""
        elif (
            (
                rules.looks_like_person_name(seg.text)
                or (
                    (seg.gap >= 2 or _after_widget(segs, index))
                    and rules.looks_like_handle(seg.text)
                )
            )
            and following is not None
            and not rules.is_comment_widget(following.text)
            and line_word_count(following.text) > line_word_count(seg.text)
        ):
            author = seg.text
            seg.rule, seg.author = rules.RULE_COMMENT_AUTHOR, author
        else:
            # Two or more blank lines separate comments; one separates paragraphs of one comment.
            if seg.gap >= 2:
                author = ""
            seg.author = author
            seg.rule = "comment: text in the comment section" + (
                "" if author else " (no author given)"
            )
    return start


def _after_widget(segs: Sequence[CommentLine], index: int) -> bool:
    return index > 0 and rules.is_comment_widget(segs[index - 1].text)

"""Rendering annotation notes: CommonMark through an allowlist sanitiser, once, when written.

The parser is markdown-it-py's CommonMark, whose parsing takes time linear in the note's
length even on adversarial input (runs of `[`, `![`, emphasis, backticks...; see
tests/security/test_markdown_bomb.py). python-Markdown took 58 s on `"![" * 9999`.
Nesting is bounded: markdown-it stops parsing blocks nested deeper than MAX_NESTING (and
drops what is inside), and the sanitiser takes time quadratic in the nesting depth, so a
note that reaches the bound is refused rather than shown cut short.
"""

import html
import re
from typing import Any

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
MAX_NESTING = 20  # block levels (a list item counts two); deeper notes are refused

# Raw HTML is not passed through (html=False shows it as text); no typographer, no linkify.
_PARSER = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
# Every link becomes an <a>, so that nh3 decides its scheme (a javascript: or data: link keeps
# its words and loses its href) instead of the link's source showing as text.
# (markdown-it documents replacing this method on the instance; its stubs call that an error.)
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]


class NoteRefused(ValueError):
    """A note that cannot be rendered whole; the message says why, for its writer."""


def render_note(text: str) -> str:
    """CommonMark to HTML that is safe to put in a page: no raw HTML, no scripts, safe links.
    Raises NoteRefused when the note nests quotes or lists too deep or cannot be rendered."""
    if not text.strip():
        return ""
    env: dict[str, Any] = {}
    try:
        tokens = _PARSER.parse(text, env)
    except Exception as error:  # a note must never become a 500
        raise NoteRefused("This note could not be read as Markdown.") from error
    # The block parser stops at level MAX_NESTING and drops the rest: refuse, don't cut.
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        raise NoteRefused(
            "This note nests quotes or lists too deeply to show; flatten them a little."
        )
    try:
        rendered = _PARSER.renderer.render(tokens, _PARSER.options, env)
        return nh3.clean(
            rendered,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_SCHEMES,
            link_rel="nofollow noopener noreferrer",
            strip_comments=True,
        )
    except Exception as error:
        raise NoteRefused("This note could not be rendered.") from error


def render_note_or_text(text: str) -> str:
    """render_note, or the text escaped in one paragraph when it refuses: for notes already
    stored (a migration or a restore cannot refuse them), so that one never breaks a page."""
    try:
        return render_note(text)
    except NoteRefused:
        return f"<p>{html.escape(text)}</p>"


# Blocks whose end separates words ("a" then a new paragraph "b" reads "a b", not "ab").
_BLOCK_ENDS = {
    "paragraph_close", "heading_close", "list_item_close", "blockquote_close", "hr",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


def note_text(text: str) -> str:
    """A note's words as a reader sees them once rendered, without Markdown's marks: `**Key**
    point` reads "Key point", a link its words, code its content. Characters Markdown does not
    treat as syntax (search's match markers among them) pass through. Linear in the note's
    length, like render_note; it never refuses: nesting past the bound only loses the deepest
    blocks' marks, never words."""
    if not text.strip():
        return ""
    parts: list[str] = []
    for token in _PARSER.parse(text):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline", "image"):  # an image: its alt text
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        elif token.type in ("fence", "code_block"):
            parts.append(f" {token.content} ")
        elif token.type in _BLOCK_ENDS:
            parts.append(" ")
    return _SPACES.sub(" ", "".join(parts)).strip()

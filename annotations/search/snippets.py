"""Snippets of what matched, as safe HTML: the backends put private marker characters around
matches (ts_headline over a bounded window on PostgreSQL, `articles.snippets.Marker` on
SQLite); `snippet_window` cuts a bounded snippet around the first match with at most MAX_MARKS
marks, and `highlighted` escapes the text and turns balanced markers into <mark>, so stored
text is never trusted. Pure functions; they never raise."""

import itertools
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Around matches in what the database returns: Unicode noncharacters, which text never holds
# meaningfully (and which are dropped from queries and handled safely if text holds them).
MARK_OPEN, MARK_CLOSE = "\ufdd0", "\ufdd1"
ELLIPSIS = " … "


def highlighted(raw: str | None) -> SafeString:
    """Text from the database with MARK_OPEN/MARK_CLOSE around matches, as safe HTML.

    Everything is escaped; only balanced markers become <mark>…</mark>, so text holding the
    marker characters itself can at worst mark the wrong words, never break the page.
    """
    out: list[str] = []
    is_open = False
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", raw or ""):
        if piece == MARK_OPEN:
            if not is_open:
                out.append("<mark>")
                is_open = True
        elif piece == MARK_CLOSE:
            if is_open:
                out.append("</mark>")
                is_open = False
        elif piece:
            out.append(str(escape(piece)))
    if is_open:
        out.append("</mark>")
    return mark_safe("".join(out))  # every piece was escaped above


# How much of a row's text a snippet shows and how many matches it marks, whatever the text's
# length or how often it matches: the work after the database is linear in the text and the
# result is bounded (a 1 MB article of one repeated word gives a 64-word snippet).
MAX_MARKS = 16
_CONTEXT_WORDS = 4  # words shown before the first match
_WORD = re.compile(r"\S+\s*")
_MARKS = re.compile(f"[{MARK_OPEN}{MARK_CLOSE}]")
_MARKED = re.compile(f"({MARK_OPEN}[^{MARK_CLOSE}]*{MARK_CLOSE}?)")
_CONTENT = re.compile(f"[^\\s{MARK_OPEN}{MARK_CLOSE}]")


def snippet_window(raw: str | None, *, words: int) -> str:
    """Text with markers cut to about `words` words starting just before its first match
    ("…" where text was cut), with at most MAX_MARKS matches marked. Pure; never raises."""
    text = raw or ""
    first = max(0, text.find(MARK_OPEN))
    # Only a bounded stretch around the first match is ever split into words.
    reach = max(0, first - 40 * _CONTEXT_WORDS)
    lead = _WORD.findall(text, reach, first)
    if reach > 0:
        lead = lead[1:]  # the stretch may start inside a word
    start = first - sum(map(len, lead[-_CONTEXT_WORDS:]))
    # When the first match lies within the first `words` words, nothing is cut before it (a
    # title or a short note shows whole).
    opening = itertools.islice(_WORD.finditer(text, 0, 40 * words), words)
    if text.find(MARK_CLOSE, first) < sum(len(m.group()) for m in opening):
        start = 0
    taken = itertools.islice(_WORD.finditer(text, start, start + 40 * words), words)
    end = start + sum(len(m.group()) for m in taken)
    marks = 0
    pieces: list[str] = []
    for piece in _MARKED.split(text[start:end].strip()):
        if piece.startswith(MARK_OPEN):
            marks += 1
            if marks > MAX_MARKS:
                piece = _MARKS.sub("", piece)
        pieces.append(piece)
    cut_before = _CONTENT.search(text, 0, start) is not None
    cut_after = _CONTENT.search(text, end) is not None
    return ("…" if cut_before else "") + "".join(pieces) + ("…" if cut_after else "")

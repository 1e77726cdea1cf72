"""Annotations as a Markdown document, grouped by article, for reading or pasting elsewhere.

Words that come from articles or from other people's choices (quotes, article titles, tag
names, usernames) are escaped so that, whatever they contain, a CommonMark renderer shows them
as the same words: never as a link, an image, HTML, code or emphasis, and never as a heading or
list item of the document (`markdown_text`, `markdown_quote`). A note is its writer's own
Markdown and stays Markdown, with `<` escaped, as the site shows it (raw HTML as text).

The escapers are pure; `annotations_markdown` reads the rows it is given (the caller decides
what the reader may see) in three queries whatever their number.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone

from .models import Annotation, Motivation

Absolute = Callable[[str], str]

# Inline syntax, wherever it stands: escapes, code, emphasis, links and images, raw HTML and
# autolinks, entities, GFM strikethrough and tables.
_INLINE = re.compile(r"([\\`*_\[\]<>&~|!#])")
# Block syntax at the start of a line: headings, quotes, list items, thematic breaks, setext
# underlines, fences; an ordered list item is digits and "." or ")".
_LINE_START = re.compile(r"^(?:([#>+\-=])|(\d+)([.)]))")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")

PAGE_NOTE = "page-note"  # a kind of its own: a note on the whole article, whatever its motivation
KIND_LABELS = {
    PAGE_NOTE: "Page note",
    Motivation.HIGHLIGHTING: "Highlight",
    Motivation.COMMENTING: "Comment",
    Motivation.TAGGING: "Tag",
    Motivation.ASSESSING: "Claim",
    Motivation.QUESTIONING: "Question",
    Motivation.REPLYING: "Reply",
}


def kind_of(annotation: Annotation) -> str:
    """The annotation's kind: "page-note" for a note on the whole article (top level, no
    passage), else its motivation."""
    if annotation.parent_id is None and annotation.start is None:
        return PAGE_NOTE
    return annotation.motivation


def kind_label(annotation: Annotation) -> str:
    return KIND_LABELS.get(kind_of(annotation), annotation.get_motivation_display())


def _clean_line(line: str) -> str:
    """One line with its runs of white space made one space; NUL (which CommonMark turns into
    U+FFFD) becomes U+FFFD here, so the text shown is the text written."""
    return " ".join(line.replace("\x00", "\ufffd").split())


def _escape_line(line: str) -> str:
    escaped = _INLINE.sub(r"\\\1", line)
    return _LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped
    )


def markdown_text(text: str) -> str:
    """Text on one line of a Markdown document, read literally: line breaks become spaces."""
    return _escape_line(_clean_line(" ".join(_LINE_BREAKS.split(text))))


def markdown_quote(text: str) -> str:
    """A block quote of the text, read literally; its line breaks are kept as line breaks
    within the quote and blank lines as paragraph breaks. Empty text gives ""."""
    lines = [_clean_line(line) for line in _LINE_BREAKS.split(text)]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(_escape_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    return "\n>\n".join("\n".join(f"> {line}" for line in p) for p in paragraphs)


def markdown_note(note: str) -> str:
    """A note's own Markdown, with raw HTML and autolinks shown as text (as on the site)."""
    return _LINE_BREAKS.sub("\n", note).replace("<", "\\<").strip()


def _link(label: str, url: str) -> str:
    """A link whose destination cannot end early: spaces and brackets percent-encoded."""
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
    return f"[{markdown_text(label)}]({safe.replace('>', '%3E')})"


@dataclass(slots=True)
class _ArticleGroup:
    title: str
    url: str
    outlet: str
    annotations: list[Annotation] = field(default_factory=list)


def _context_url(absolute: Absolute, annotation: Annotation) -> str:
    """The annotation's share link: the article opened at its words, its card selected."""
    return absolute(reverse("annotations:annotation-permalink", args=[annotation.pk]))


def _item(annotation: Annotation, absolute: Absolute) -> list[str]:
    created = dateformat.format(timezone.localtime(annotation.created), "j M Y, H:i")
    kind = kind_label(annotation)
    by = markdown_text(annotation.creator.get_username())
    lines = [
        f"### {kind} by {by}, {created} · {_link('in context', _context_url(absolute, annotation))}"
    ]
    if annotation.parent_id is not None:
        parent = annotation.parent
        lines += ["", f"In reply to: {markdown_text((parent.exact or parent.note)[:300])}"]
    if quote := markdown_quote(annotation.exact):
        lines += ["", quote]
    if annotation.claim_id:
        rating = annotation.claim.get_rating_display()
        lines += ["", f"Claim ({rating}): {markdown_text(annotation.claim.text)}"]
    if note := markdown_note(annotation.note):
        lines += ["", note]
    if tags := sorted(t.name for t in annotation.tags.all()):
        lines += ["", "Tags: " + ", ".join(markdown_text(t) for t in tags)]
    if annotation.anchor_status == "orphaned":
        lines += ["", "(Orphaned: these words are no longer in the article.)"]
    return lines


def _text_order(annotation: Annotation) -> tuple:
    """Where the words are (a reply: its passage's, after it); a note on the whole article
    (no words) first."""
    passage = annotation.parent if annotation.parent_id is not None else annotation
    start = passage.start if passage.start is not None else -1
    return (start, annotation.parent_id is not None, annotation.created, annotation.pk)


def _groups(annotations: QuerySet[Annotation], absolute: Absolute) -> list[_ArticleGroup]:
    records = annotations.select_related(
        "article", "article__outlet", "creator", "claim", "parent"
    ).prefetch_related("tags")
    groups: dict[int, _ArticleGroup] = {}
    for a in records:
        if a.article_id not in groups:
            groups[a.article_id] = _ArticleGroup(
                title=a.article.title,
                url=absolute(reverse("articles:detail", args=[a.article.slug])),
                outlet=a.article.outlet.name if a.article.outlet else "",
            )
        groups[a.article_id].annotations.append(a)
    for group in groups.values():
        group.annotations.sort(key=_text_order)
    return sorted(groups.values(), key=lambda g: (g.title.lower(), g.url))


def annotations_markdown(
    *, annotations: QuerySet[Annotation], absolute: Absolute, title: str, summary: str = ""
) -> str:
    """A document: the title, the summary, then each article (by title) with its annotations
    in text order (a reply after the passage it answers)."""
    groups = _groups(annotations, absolute)
    total = sum(len(g.annotations) for g in groups)
    out = [f"# {markdown_text(title)}", ""]
    if summary:
        out += [markdown_text(summary), ""]
    out += [f"{total} annotation{'s' if total != 1 else ''} on {len(groups)} article"
            f"{'s' if len(groups) != 1 else ''}.", ""]  # fmt: skip
    for group in groups:
        out += [f"## {_link(group.title, group.url)}", ""]
        if group.outlet:
            out += [markdown_text(group.outlet), ""]
        for annotation in group.annotations:
            out += [*_item(annotation, absolute), "", "---", ""]
    return "\n".join(out).rstrip("\n") + "\n"

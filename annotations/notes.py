"""Rendering annotation notes: Markdown through an allowlist sanitiser."""

import threading
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread, reset between notes: building one costs more than most
    notes take to convert."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=["sane_lists"], output_format="html"
        )
    return converter.reset()


@lru_cache(maxsize=4096)
def render_note(text: str) -> str:
    """Markdown to HTML that is safe to put in a page: no raw HTML, no scripts, safe links.
    A pure function of the text, so pages re-rendered after an edit reuse earlier results."""
    html = _markdown().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )

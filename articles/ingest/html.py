"""Saved HTML pages through the same pipeline as plain-text files.

`extract_html(data, url=..., outlets=...)` decodes the page (`decode_html`), renders its whole
visible text one block per line (`html_text`), asks trafilatura which lines are the main
content, reads the metadata the markup states (`html_meta`), and then runs the very same
`extract` as for a text file on the page text, with a `LineHint` for each line so that the
markup decides where it is decisive. The markup's headline, publication date and authors then
replace what the text rules found (they are more reliable); language, site name and the rest
fill in what the text did not give. The page text is what the revision keeps as its raw text,
so the source view tints every block of the page as it does for text files.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.etree

from .decode import Decoded, IngestError, decode_html
from .extract import extract
from .html_meta import PageMeta, parse_date, read_meta
from .html_text import PageLine, parse_page, render_page, with_hint
from .kinds import Kind
from .records import Extraction, LineHint, OutletSignature
from .text import matching_key, word_count

DEFAULT_MAX_BYTES = 20_000_000
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MIN_MAIN_MATCH = 20  # characters a line must have to be found inside a main-content paragraph
MIN_STORY_WORDS = 25  # words of story text any article has (an error page has fewer)
MIN_ARTICLE_WORDS = 40  # words of story text a page must have when no main content was found
MAX_HEADLINE_WORDS = 40
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "sd", "ug", "dv", "ckb"})
NO_ARTICLE = "no article text found in this page"

_SNIFF_BYTES = 8192
_SNIFF_OPENINGS = (b"<!doctype html", b"<html>", b"<html ", b"<html\n", b"<html\r", b"<html\t")
_MAIN_TAGS = frozenset({"p", "head", "item", "cell", "quote", "code", "td", "li"})
_HEADING_TAGS = ("h1", "h2", "h3", "h4")
_FURNITURE_ZONES = frozenset({"nav", "footer", "aside"})


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    """A saved page read: the text of the whole page (what the revision stores as raw text),
    the extraction made from it, the encoding it was read in and the page's address."""

    page_text: str
    extraction: Extraction
    encoding: str
    warnings: list[str] = field(default_factory=list)  # from decoding
    url: str = ""  # the address given, else the page's canonical address
    hints: dict[int, LineHint] = field(default_factory=dict)

    @property
    def decoded(self) -> Decoded:
        """The page text as a decoded file, for code that handles text files and pages alike."""
        return Decoded(text=self.page_text, encoding=self.encoding, warnings=self.warnings)


def looks_like_html(name: str, data: bytes) -> bool:
    """A saved web page: by its file name (.html, .htm) or by how its bytes begin."""
    if name.lower().endswith(HTML_SUFFIXES):
        return True
    head = data[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    for _ in range(4):  # a few comments may come first
        if not head.startswith(b"<!--"):
            break
        end = head.find(b"-->")
        head = head[end + 3 :].lstrip() if end >= 0 else b""
    return head.startswith(_SNIFF_OPENINGS)


def extract_html(
    data: bytes,
    *,
    url: str | None = None,
    outlets: Sequence[OutletSignature] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> HtmlExtraction:
    """Read a saved page into blocks and metadata; IngestError when it holds no article."""
    decoded = decode_html(data, max_bytes=max_bytes)
    root = parse_page(decoded.text)
    meta = read_meta(root, url=url)
    page = render_page(root)
    if not page.lines:
        raise IngestError(NO_ARTICLE)
    main = _main_content(decoded.text, url=meta.url or None)
    lines = _mark_main(page.lines, main)
    headline, headline_rule, headline_start = choose_headline(lines, meta)
    lines = [
        with_hint(line, headline=True) if line.start == headline_start else line for line in lines
    ]
    hints = {line.start: line.hint for line in lines}
    extraction = extract(page.text, outlets=outlets, hints=hints)
    _check_article(extraction, main_found=bool(main[0]))
    extraction = _overlay(
        extraction,
        meta,
        headline=(headline, headline_rule),
        outlets=outlets,
        html=decoded.text,
    )
    return HtmlExtraction(
        page_text=page.text,
        extraction=extraction,
        encoding=decoded.encoding,
        warnings=list(decoded.warnings),
        url=meta.url,
        hints=hints,
    )


# --- Main content --------------------------------------------------------------------------


def _main_content(html: str, *, url: str | None) -> tuple[frozenset[str], str]:
    """The matching keys of the paragraphs trafilatura keeps as the page's main content, and
    all of them joined (to find lines that are part of a longer paragraph)."""
    import trafilatura  # slow to import; text files never need it

    try:
        xml = trafilatura.extract(
            html,
            url=url,
            output_format="xml",
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            deduplicate=False,
        )
    except Exception:
        xml = None
    if not xml:
        return frozenset(), ""
    try:
        doc = lxml.etree.fromstring(xml.replace("<lb/>", "\n").encode("utf-8"))
    except lxml.etree.XMLSyntaxError:
        return frozenset(), ""
    keys: list[str] = []
    for element in doc.iter():
        if element.tag in _MAIN_TAGS:
            for piece in "".join(element.itertext()).split("\n"):
                if key := matching_key(piece):
                    keys.append(key)
    return frozenset(keys), "\n".join(keys)


def _mark_main(lines: list[PageLine], main: tuple[frozenset[str], str]) -> list[PageLine]:
    """Mark the lines trafilatura kept; a class or id word on an element that holds any of
    them names no furniture (a wrapper such as "article-ad-marker" holds the story)."""
    keys, joined = main
    if not keys:
        return lines
    out = []
    for line in lines:
        key = matching_key(line.text)
        kept = key in keys or (len(key) >= MIN_MAIN_MATCH and key in joined)
        out.append(with_hint(line, main=True) if kept else line)
    story_scopes = {line.class_scope for line in out if line.hint.main and line.class_scope}
    return [
        with_hint(line, class_kind="", class_word="") if line.class_scope in story_scopes else line
        for line in out
    ]


def _check_article(extraction: Extraction, *, main_found: bool) -> None:
    """Refuse a page with no story text: nothing but furniture, or (when the main-content
    extractor found nothing either) too few words of running text to be an article."""
    story = [b for b in extraction.blocks if b.kind is Kind.PARAGRAPH and b.in_body]
    words = sum(word_count(b.text) for b in story)
    if words < MIN_STORY_WORDS or (not main_found and words < MIN_ARTICLE_WORDS):
        raise IngestError(NO_ARTICLE)


# --- Headline ------------------------------------------------------------------------------


def choose_headline(lines: Sequence[PageLine], meta: PageMeta) -> tuple[str, str, int | None]:
    """The headline, the rule that chose it, and the start of the line that prints it.

    A heading whose text is one of the markup's headlines (JSON-LD, og:title, …) first, then
    any short line that is; then the page's one <h1> (or the first inside its article) unless
    it names the site; then the markup's headline though the page does not print it.
    """
    wanted = {matching_key(text): rule for text, rule in meta.headlines}
    candidates = [line for line in lines if len(line.text.split()) <= MAX_HEADLINE_WORDS]
    for tags in (_HEADING_TAGS, None):
        for line in candidates:
            if tags is not None and line.hint.tag not in tags:
                continue
            rule = wanted.get(matching_key(line.text))
            if rule is not None:
                where = f"<{line.hint.tag}>" if tags else "a line"
                return (
                    line.text,
                    f"html: {where} matching {rule.removeprefix('html: ')}",
                    line.start,
                )
    site = matching_key(meta.site_name)
    h1s = [
        line
        for line in candidates
        if line.hint.tag == "h1"
        and not _FURNITURE_ZONES & set(line.hint.zones)
        and matching_key(line.text) != site
    ]
    in_article = [line for line in h1s if {"article", "main"} & set(line.hint.zones)]
    if len(h1s) == 1 or in_article:
        line = (in_article or h1s)[0]
        return line.text, "html: the page's <h1>", line.start
    if meta.headlines:
        text, rule = meta.headlines[0]
        return text, f"{rule} (not printed on the page)", None
    if h1s:
        return h1s[0].text, "html: the page's first <h1>", h1s[0].start
    return "", "", None


# --- Metadata over the text's ----------------------------------------------------------------


def _overlay(
    extraction: Extraction,
    meta: PageMeta,
    *,
    headline: tuple[str, str],
    outlets: Sequence[OutletSignature],
    html: str,
) -> Extraction:
    """The extraction with the markup's metadata where it is more reliable (headline, date,
    authors, outlet) or where the text gave none (site name, language, direction)."""
    changes: dict[str, Any] = {}
    title, title_rule = headline
    if title:
        changes.update(title=title, title_rule=title_rule, title_derived=False)
    published, published_rule = _published(extraction, meta, html)
    changes.update(published=published, published_rule=published_rule)
    desk_only = meta.authors_rule.endswith("(names no person)")
    if meta.authors and not (desk_only and extraction.authors):  # people in the text win
        changes.update(
            authors=list(meta.authors),
            byline=extraction.byline or ", ".join(meta.authors),
            byline_rule=meta.authors_rule,
        )
    changes.update(_language(extraction, meta))
    outlet = _outlet_by_site(outlets, meta)
    if outlet is not None:
        key, rule = outlet
        changes.update(outlet_key=key, outlet_rule=rule)
        names = {o.name.casefold() for o in outlets if o.key == key}
        changes["credits"] = [c for c in extraction.credits if c.casefold() not in names]
    elif extraction.outlet_key is None and meta.site_name:
        changes.update(
            outlet_suggestion=meta.site_name[:200], outlet_suggestion_rule=meta.site_name_rule
        )
    return replace(extraction, **changes)


def _published(
    extraction: Extraction, meta: PageMeta, html: str
) -> tuple[datetime | date | None, str]:
    if meta.published is not None:
        return meta.published, meta.published_rule
    if extraction.published is not None:
        return extraction.published, extraction.published_rule
    from htmldate import find_date  # slow to import; only pages with no date need it

    try:
        found = find_date(
            html,
            url=meta.url or None,
            original_date=True,
            extensive_search=False,  # the text rules read dates in the text; no © years
            outputformat="%Y-%m-%d",
        )
    except Exception:
        found = None
    parsed = parse_date(found) if found else None
    return (parsed, "html: htmldate (original date)") if parsed is not None else (None, "")


def _language(extraction: Extraction, meta: PageMeta) -> dict[str, str]:
    """The text's language wins over the markup's when they disagree (pages keep template
    lang attributes); the markup's fills in when the text gives none."""
    text, markup = extraction.language, meta.language
    if not markup:
        language, rule = text, extraction.language_rule
    elif not text or text == "und":
        language, rule = markup, meta.language_rule
    elif text == markup:
        language, rule = text, f"{meta.language_rule} (the text agrees)"
    else:
        language = text
        rule = f"{extraction.language_rule or 'text'} (the page says “{markup}”; the text wins)"
    if language in RTL_LANGUAGES:
        direction = "rtl"
    elif language in ("", "und") and meta.direction:
        direction = meta.direction
    else:
        direction = extraction.direction
    return {"language": language, "language_rule": rule[:300], "direction": direction}


def _outlet_by_site(outlets: Sequence[OutletSignature], meta: PageMeta) -> tuple[str, str] | None:
    """A known outlet the page names itself as: its site name, else its address's host."""
    site = matching_key(meta.site_name)
    host = (urlsplit(meta.url).hostname or "").lower().removeprefix("www.") if meta.url else ""
    for outlet in outlets:
        names = (outlet.name, *outlet.signatures)
        if site and any(matching_key(name) == site for name in names):
            return outlet.key, f"{meta.site_name_rule} “{meta.site_name}”"
    for outlet in outlets:
        for name in (outlet.name, *outlet.signatures):
            domain = name.lower().removeprefix("www.")
            if (
                host
                and "." in domain
                and " " not in domain
                and (host == domain or host.endswith("." + domain))
            ):
                return outlet.key, f"html: the page's address ({host})"
    return None


def page_url(source_path: str) -> str | None:
    """The address a page was fetched from, when its source path is a link ("link", or
    "link -> where it redirected", as link imports record it); None for a file path."""
    last = source_path.rsplit(" -> ", 1)[-1].strip()
    return last[:2048] if last.startswith(("http://", "https://")) else None

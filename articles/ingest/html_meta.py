"""Metadata a saved web page states in its markup: headline, publication date, authors, site
name, language, direction and address, each with the source it came from.

Read from the page's element tree: JSON-LD (schema.org NewsArticle and kin), <meta> tags
(Open Graph, article:*, Dublin Core, plain name=…), <time datetime>, rel=author links and
<html lang/dir>. Every value carries a rule such as "html: og:title" saying where it came from.
Pure: nothing here imports Django.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import lxml.html

from .text import matching_key

_JSON_LD_CAP = 1_000_000  # characters of JSON-LD read from one page
_VALUE_CAP = 1000  # characters of one metadata value kept
_ARTICLE_TYPES_RE = re.compile(r"article|posting|report|news", re.IGNORECASE)
# YYYY-MM-DD, optionally a time and a zone: what datetime attributes and metadata hold.
_ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
# Headline suffixes and prefixes naming the site: "Headline | Site", "Site - Headline".
_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " • ", " « ", " » ")
_STAFF_RE = re.compile(
    r"^(?:(?:the\s+)?[\w.&'’ -]{0,40}\s)?(?:staff|staff\s+writers?|staff\s+reporters?"
    r"|news\s*desk|desk|editors?|editorial\s+(?:board|team|staff)|team|correspondents?"
    r"|agencies|newsroom|web\s*desk|online|redaktion|редакция)$",
    re.IGNORECASE,
)
_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\bи\b|\bو\b)\s*")
_DOMAIN_IN_NAME_RE = re.compile(r"\bwww\.|\b[\w-]+\.(?:com|org|net|info|[a-z]{2})\b")
_BY_RE = re.compile(r"^(?:by|von|par|por|автор[:\s]|от)\s+", re.IGNORECASE)

# Metadata names (lower-cased) that give each field, most reliable first.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "publishdate",
    "publish-date",
    "published_time",
    "pubdate",
    "publisheddate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher")
_HEADLINE_META = ("og:title", "twitter:title", "title", "dc.title", "headline")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the markup says; each value with the rule that found it ("" when none did)."""

    headlines: list[tuple[str, str]] = field(default_factory=list)  # (text, rule), best first
    published: datetime | date | None = None
    published_rule: str = ""
    authors: list[str] = field(default_factory=list)
    authors_rule: str = ""
    site_name: str = ""
    site_name_rule: str = ""
    language: str = ""
    language_rule: str = ""
    direction: str = ""
    direction_rule: str = ""
    url: str = ""


def read_meta(root: lxml.html.HtmlElement, *, url: str | None = None) -> PageMeta:
    """Everything the page's markup states about the article."""
    metas = _meta_values(root)
    ld = list(_json_ld_articles(root))
    site_name, site_rule = _site_name(metas, ld)
    published, published_rule = _published(metas, ld, root)
    authors, authors_rule = _authors(metas, ld, root, site_name)
    language, language_rule = _language(root, metas)
    direction, direction_rule = _direction(root)
    return PageMeta(
        headlines=_headlines(metas, ld, site_name),
        published=published,
        published_rule=published_rule,
        authors=authors,
        authors_rule=authors_rule,
        site_name=site_name,
        site_name_rule=site_rule,
        language=language,
        language_rule=language_rule,
        direction=direction,
        direction_rule=direction_rule,
        url=url or _canonical(root, metas),
    )


def _clean(value: object) -> str:
    return " ".join(str(value)[:_VALUE_CAP].split()) if isinstance(value, str) else ""


def _meta_values(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """<meta property|name|itemprop=… content=…> values by lower-cased name, in page order."""
    found: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        content = _clean(meta.get("content"))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            # "property" may list several names separated by spaces.
            for name in (meta.get(attribute) or "").lower().split()[:4]:
                found.setdefault(name, []).append(content)
    for element in root.xpath("//*[@itemprop][not(self::meta)]"):
        for name in (element.get("itemprop") or "").lower().split()[:4]:
            value = element.get("datetime") or element.get("content") or element.text_content()
            if value := _clean(value):
                found.setdefault(f"itemprop:{name}", []).append(value)
    return found


def _json_ld_articles(root: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    """The JSON-LD objects that describe an article (types named …Article, …Posting, News…),
    then any other with a headline; unreadable scripts are skipped."""
    budget = _JSON_LD_CAP
    articles: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        text = script.text or ""
        if len(text) > budget:
            break
        budget -= len(text)
        try:
            data = json.loads(text)
        except ValueError:
            continue
        for item in _ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES_RE.search(k) for k in kinds):
                articles.append(item)
            elif "headline" in item or "datePublished" in item:
                others.append(item)
    yield from articles
    yield from others


def _ld_items(data: object) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD document: a list, a @graph, or one object (two levels)."""
    pending = [data]
    for _ in range(2):
        nested: list[object] = []
        for item in pending:
            if isinstance(item, list):
                nested.extend(item[:100])
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    nested.extend(graph[:100])
        pending = nested


def _first(metas: dict[str, list[str]], names: tuple[str, ...]) -> tuple[str, str]:
    for name in names:
        for value in metas.get(name, ()):
            return value, name
    return "", ""


def _site_name(metas: dict[str, list[str]], ld: list[dict[str, Any]]) -> tuple[str, str]:
    value, name = _first(metas, _SITE_META)
    if value:
        return value, f"html: {name}"
    for item in ld:
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and (name := _clean(publisher.get("name"))):
            return name, "html: JSON-LD publisher"
    return "", ""


def strip_site_name(title: str, site_name: str) -> str:
    """The headline without a " | Site name" suffix (or "Site name - " prefix)."""
    site = matching_key(site_name)
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if head and (_names_site(tail, site) or (separator == " | " and len(tail.split()) <= 4)):
            return strip_site_name(head.strip(), site_name)
        first, _, rest = title.partition(separator)
        if rest and _names_site(first, site):
            return strip_site_name(rest.strip(), site_name)
    return title.strip()


def _names_site(part: str, site: str) -> bool:
    key = matching_key(part)
    return bool(site) and bool(key) and (key == site or key in site or site in key)


def _headlines(
    metas: dict[str, list[str]], ld: list[dict[str, Any]], site_name: str
) -> list[tuple[str, str]]:
    """Headline candidates from the markup, best first, without site-name affixes."""
    found: list[tuple[str, str]] = []
    for item in ld:
        if headline := _clean(item.get("headline")):
            found.append((headline, "html: JSON-LD headline"))
            break
    for name in _HEADLINE_META:
        for value in metas.get(name, ())[:1]:
            found.append((strip_site_name(value, site_name), f"html: {name}"))
    seen: set[str] = set()
    out = []
    for text, rule in found:
        if text and matching_key(text) not in seen:
            seen.add(matching_key(text))
            out.append((text, rule))
    return out


def parse_date(value: str) -> datetime | date | None:
    """An ISO 8601 or RFC 2822 date: a date alone, a naive datetime (no zone given) or an
    aware one. Midnight exactly with no seconds' precision given is read as the day only."""
    value = value[:80]
    match = _ISO_RE.match(value)
    if match is not None:
        year, month, day, hour, minute, second, zone = match.groups()
        try:
            day_of = date(int(year), int(month), int(day))
            if hour is None:
                return day_of
            moment = datetime(
                day_of.year, day_of.month, day_of.day, int(hour), int(minute), int(second or 0)
            )
        except ValueError:
            return None
        if zone is not None:
            moment = moment.replace(tzinfo=_zone(zone))
        if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
            return day_of
        return moment
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if 1900 < moment.year < 2200 else None


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _published(
    metas: dict[str, list[str]], ld: list[dict[str, Any]], root: lxml.html.HtmlElement
) -> tuple[datetime | date | None, str]:
    """When the page says the article was published (never when it was modified)."""
    for item in ld:
        value = item.get("datePublished") or item.get("dateCreated")
        if isinstance(value, str) and (parsed := parse_date(value)) is not None:
            return parsed, "html: JSON-LD datePublished"
    for name in (*_PUBLISHED_META, "itemprop:datepublished"):
        for value in metas.get(name, ())[:1]:
            if (parsed := parse_date(value)) is not None:
                return parsed, f"html: {name}"
    return _time_element(root)


def _time_element(root: lxml.html.HtmlElement) -> tuple[datetime | date | None, str]:
    """A <time datetime> marked as the publication time, else the first one outside the
    page's navigation, sidebars and footer that is not marked as an update."""
    marked, plain = [], []
    for element in root.iter("time"):
        value = element.get("datetime")
        if not value:
            continue
        words = " ".join(
            (element.get(a) or "") for a in ("class", "itemprop", "pubdate", "id")
        ).lower()
        if element.get("pubdate") is not None or re.search(r"publish|pubdate|posted", words):
            marked.append(value)
        elif not re.search(r"updat|modif|edited", words) and not _in_furniture(element):
            plain.append(value)
    for values, rule in ((marked, "html: <time> marked published"), (plain, "html: <time>")):
        for value in values[:3]:
            if (parsed := parse_date(value)) is not None:
                return parsed, rule
    return None, ""


def _in_furniture(element: lxml.html.HtmlElement) -> bool:
    return any(ancestor.tag in ("nav", "aside", "footer") for ancestor in element.iterancestors())


def _ld_names(value: object) -> Iterator[str]:
    items = value if isinstance(value, list) else [value]
    for item in items[:20]:
        if isinstance(item, dict):
            if name := _clean(item.get("name")):
                yield name
        elif isinstance(item, str) and (name := _clean(item)):
            yield name


def _authors(
    metas: dict[str, list[str]],
    ld: list[dict[str, Any]],
    root: lxml.html.HtmlElement,
    site_name: str,
) -> tuple[list[str], str]:
    """The people the page names as authors; a desk or the site itself only when it names no
    one else ("Staff", "Reuters"). URLs and handles are never names."""
    sources: list[tuple[list[str], str]] = []
    for item in ld:
        names = list(_ld_names(item.get("author")))
        if names:
            sources.append((names, "html: JSON-LD author"))
            break
    for name in _AUTHOR_META:
        values = metas.get(name, ())
        if values:
            sources.append(
                ([v for value in values[:3] for v in _split_names(value)], f"html: {name}")
            )
    rel = [_clean(a.text_content()) for a in root.xpath("//a[@rel='author']")[:5]]
    if rel:
        sources.append((rel, "html: rel=author"))
    fallback: tuple[list[str], str] = ([], "")
    for names, rule in sources:
        names = _unique([n for n in (_person(name) for name in names) if n])
        if not names:
            continue
        people = [n for n in names if not _is_desk(n, site_name)]
        if people:
            return people, rule
        if not fallback[0]:
            fallback = (names, f"{rule} (names no person)")
    return fallback


def _split_names(value: str) -> list[str]:
    return [part for part in _AUTHOR_SPLIT_RE.split(value) if part]


def _person(name: str) -> str:
    name = _BY_RE.sub("", _clean(name)).strip(" ,;:")
    if not name or len(name) > 80 or "/" in name or "@" in name or "http" in name.lower():
        return ""
    if re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", name):  # a domain ("futurezone.at") is no author
        return ""
    return name


def _is_desk(name: str, site_name: str) -> bool:
    """A desk, the site itself, or a name with the site's address in it."""
    key = matching_key(name)
    site = matching_key(site_name)
    return (
        bool(_STAFF_RE.match(name))
        or _DOMAIN_IN_NAME_RE.search(name) is not None
        or (bool(site) and (key == site or key in site))
    )


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if matching_key(name) not in seen:
            seen.add(matching_key(name))
            out.append(name)
    return out


def _language(root: lxml.html.HtmlElement, metas: dict[str, list[str]]) -> tuple[str, str]:
    """The language the markup declares, as an ISO 639-1 code."""
    for value, rule in (
        (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"), "<html lang>"),
        (_first(metas, ("og:locale",))[0], "og:locale"),
        (_first(metas, ("content-language", "language", "dc.language"))[0], "meta language"),
    ):
        code = re.split(r"[-_]", (value or "").strip().lower(), maxsplit=1)[0]
        if 2 <= len(code) <= 3 and code.isalpha():
            return code, f"html: {rule}"
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            code = re.split(r"[-_,]", (meta.get("content") or "").lower(), maxsplit=1)[0].strip()
            if 2 <= len(code) <= 3 and code.isalpha():
                return code, "html: http-equiv content-language"
    return "", ""


def _direction(root: lxml.html.HtmlElement) -> tuple[str, str]:
    for element, where in ((root, "<html dir>"), (root.find("body"), "<body dir>")):
        if element is not None and (value := (element.get("dir") or "").lower()) in ("rtl", "ltr"):
            return value, f"html: {where}"
    return "", ""


def _canonical(root: lxml.html.HtmlElement, metas: dict[str, list[str]]) -> str:
    for link in root.xpath("//link[@rel='canonical'][@href]")[:1]:
        href: str = link.get("href", "").strip()
        if href.startswith(("http://", "https://")):
            return href[:2048]
    value, _ = _first(metas, ("og:url",))
    return value[:2048] if value.startswith(("http://", "https://")) else ""

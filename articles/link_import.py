"""Writes to articles from a link: the page fetched safely, then imported like a file.

The bytes go through the same `article_import` as files and pasted text, under a name made
from the link, so importing the same link again adds a revision only when the page changed.
A link that cannot be fetched raises FetchError (an IngestError) before anything is written.
"""

import codecs
import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser

from .fetch import Fetched, FetchPolicy, Resolver, allow_hosts, fetch, resolve
from .services import ImportResult, article_import

NAME_MAX = 255
_NAME_READABLE = 160  # characters of the link kept readable in the name
_UNSAFE_IN_NAME = re.compile(r"[/\\\x00-\x1f\x7f]+")
_TEXT_CHARSETS = {"", "utf-8", "utf8", "us-ascii", "ascii"}


def fetch_policy() -> FetchPolicy:
    """The limits of a fetch, from the settings."""
    deadline = float(settings.ASTANA_FETCH_TIMEOUT)
    return FetchPolicy(
        max_bytes=settings.ASTANA_IMPORT_MAX_BYTES,
        deadline=deadline,
        connect_timeout=min(5.0, deadline),
        read_timeout=min(10.0, deadline),
        allow_hosts=allow_hosts(settings.ASTANA_FETCH_ALLOW_HOSTS),
    )


def link_source_name(url: str, *, pipeline: str) -> str:
    """The article name a link is imported under: the link without its scheme, readable and
    cut to fit, then a digest of the whole link (scheme aside, so http and https of one page
    are one article) and a suffix saying what the page is (".html" or ".txt")."""
    parts = urlsplit(url)
    rest = url[len(parts.scheme) + 3 :] if parts.scheme else url
    readable = _UNSAFE_IN_NAME.sub("_", rest).strip("_.")[:_NAME_READABLE].rstrip("_.")
    digest = hashlib.sha256(rest.encode()).hexdigest()[:12]
    suffix = ".html" if pipeline == "html" else ".txt"
    return f"{readable or 'link'}~{digest}{suffix}"[:NAME_MAX]


def link_source_path(fetched: Fetched) -> str:
    """Where the revision's bytes came from: the link, and where it redirected to."""
    if fetched.final_url == fetched.url:
        return fetched.url
    return f"{fetched.url} -> {fetched.final_url}"


def _text_bytes(fetched: Fetched) -> bytes:
    """A plain-text page's bytes in UTF-8 when the site declares another charset (the text
    pipeline reads UTF-8, or Windows-1252 with a warning); HTML pages are kept verbatim."""
    charset = fetched.charset
    if fetched.pipeline != "text" or charset in _TEXT_CHARSETS:
        return fetched.data
    try:
        codecs.lookup(charset)
        return fetched.data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return fetched.data  # an unknown or wrong charset: the pipeline guesses, and warns


def article_import_link(
    *,
    url: str,
    user: AbstractBaseUser | None = None,
    compare: bool = True,
    resolver: Resolver | None = None,
) -> ImportResult:
    """Fetch a page by its link and import it as an article, or as a new revision of the
    article imported from that link before; unchanged bytes change nothing.

    Raises FetchError when the link cannot be fetched and IngestError when the page cannot be
    imported; either way nothing is written. `user` is the curator asking (kept for the audit
    trail once revisions record who imported them); `resolver` replaces DNS in tests.
    """
    fetched = link_fetch(url=url, resolver=resolver)
    return article_import_fetched(fetched=fetched, compare=compare)


def link_fetch(*, url: str, resolver: Resolver | None = None) -> Fetched:
    """The page behind a link, fetched within the settings' limits (raises FetchError)."""
    return fetch(url, policy=fetch_policy(), resolver=resolver or resolve)


def article_import_fetched(*, fetched: Fetched, compare: bool = True) -> ImportResult:
    """Import a fetched page as `article_import_link` does (a job fetches outside its
    transaction, then imports in it)."""
    return article_import(
        name=link_source_name(fetched.url, pipeline=fetched.pipeline),
        data=_text_bytes(fetched),
        source_path=link_source_path(fetched),
        compare=compare,
    )

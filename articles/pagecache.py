"""Whole pages for anonymous readers, served from the cache while their version stands, and
the reader part every cache key holds.

A view decorated with `anonymous_page(version, params=...)` renders as usual for signed-in
readers. For a reader who carries no session or message cookie (so nothing on the page can be
personal), it keeps only the query parameters the view declares, each in its canonical form
(so `?x=1`, `?x=2`, ... or `?sort=nonsense` add no entries), asks `version(request, *args,
**kwargs)` for the page's version (one cheap query) and serves the stored page under that
version if there is one, or renders and stores it. The view itself is then given the same
cleaned request, so a stored page never holds a parameter its key ignored. Versions are
computed by the database on every request, so a change shows at once; nothing needs to be
deleted from the cache. When `version` answers None (no such page, or one not worth keeping,
such as a page number past the end), the view runs and nothing is stored.
"""

import hashlib
from collections.abc import Callable, Mapping
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import patch_vary_headers

Version = Callable[..., str | None]
# A query parameter's values as the request gives them -> its canonical value ("" = default).
Normaliser = Callable[[list[str]], str]


def reader_part(user) -> tuple:
    """Who is reading, as every per-reader cache key holds it: anonymous, or the account's id
    with its session auth hash (a digest of its salted password hash, which no other account
    shares, even one given the same id after a delete or a restore) and every role the access
    rules read, so a changed role or password reads from new keys at once."""
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    return (
        user.pk,
        user.get_session_auth_hash(),
        user.is_staff,
        user.is_superuser,
        user.is_active,
    )


def last_value(allowed: Callable[[str], bool]) -> Normaliser:
    """A one-valued parameter read as the view reads it (the last value given), kept when
    `allowed` accepts it and dropped (the view's default) otherwise."""

    def normalise(values: list[str]) -> str:
        value = values[-1] if values else ""
        return value if value and allowed(value) else ""

    return normalise


def _personal(request: HttpRequest) -> bool:
    """Whether the page could differ for this request: a session (signed in, or messages
    waiting), a messages cookie, or a user known some other way."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or request.user.is_authenticated
    )


def _clean(request: HttpRequest, params: Mapping[str, Normaliser]) -> None:
    """Leave in the request only the declared parameters, canonical and sorted by name."""
    kept = [(name, params[name](request.GET.getlist(name))) for name in sorted(params)]
    query = urlencode([(name, value) for name, value in kept if value])
    request.GET = QueryDict(query)
    request.META = {**request.META, "QUERY_STRING": query}


def _key(request: HttpRequest, version: str) -> str:
    # Scheme, host, path and the cleaned query: all may show on the page.
    address = request.build_absolute_uri(request.path)
    parts = (address, request.META["QUERY_STRING"], reader_part(request.user), version)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"page:{digest}"


def anonymous_page(version: Version, *, params: Mapping[str, Normaliser] | None = None):
    """Serve the view's page to anonymous readers from the cache under `version`; `params`
    names the query parameters the view reads, with how each is normalised."""
    declared = dict(params or {})

    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or _personal(request):
                return view(request, *args, **kwargs)
            _clean(request, declared)
            current = version(request, *args, **kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            key = _key(request, current)
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
                # As the rendered page would: it depends on the (absent) session cookie.
                patch_vary_headers(response, ("Cookie",))
                return response
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                cache.set(
                    key,
                    (response.content, response["Content-Type"]),
                    settings.ASTANA_PAGE_CACHE_SECONDS,
                )
            return response

        return wrapped

    return decorate


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a plain, complete 200 that set no cookie and holds no CSRF token."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )

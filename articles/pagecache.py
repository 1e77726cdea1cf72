"""Whole pages for anonymous readers, served from the cache while their version stands.

A view decorated with `anonymous_page(version)` renders as usual for signed-in readers. For a
reader who carries no session or message cookie (so nothing on the page can be personal), it
asks `version(request, *args, **kwargs)` for the page's version (one or two cheap queries) and
serves the stored page under that version if there is one, or renders and stores it. Versions
are computed by the database on every request, so a change shows at once; nothing needs to
be deleted from the cache. When `version` answers None (no such page), the view runs.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

Version = Callable[..., str | None]


def _personal(request: HttpRequest) -> bool:
    """Whether the page could differ for this request: a session (signed in, or messages
    waiting) or a messages cookie."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def _key(request: HttpRequest, version: str) -> str:
    address = request.build_absolute_uri()  # scheme, host and query: all may show on the page
    digest = hashlib.sha1(f"{address}\n{version}".encode(), usedforsecurity=False).hexdigest()
    return f"page:{digest}"


def anonymous_page(version: Version):
    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or _personal(request):
                return view(request, *args, **kwargs)
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

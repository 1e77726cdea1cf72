"""What every page's header needs to know about the reader."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .notifications import unread_count


def notifications(request: HttpRequest) -> dict:
    """The reader's unread notification count, counted (one query, none for anonymous
    readers) only when a template shows it. Never cached: the header is rendered outside
    every cached fragment, and whole cached pages are served to anonymous readers only
    (annotations/pages/cache.py)."""
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user=request.user))}

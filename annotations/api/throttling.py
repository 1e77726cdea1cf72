"""How often one user may write annotations through the API.

A sliding-window counter: each user has a count per fixed window (a minute for "120/min"),
and a request is let through while this window's count plus the previous window's, weighted
by how much of that window still lies within the last period, stays within the limit. Two
small integers per user, whatever the rate (DRF's own throttles keep a list of every request's
time, which grows with the rate and is rewritten on every request).

Counts live in the "throttle" cache, which every gunicorn worker shares: files by default,
Redis with REDIS_URL. Redis adds and increments atomically; the file store reads and rewrites a
file, so there a count is changed under an exclusive lock on a file in the cache's directory
(`flock`, which holds across threads and processes). Either way the limit holds exactly
across workers. Refused requests are not counted.
"""

import contextlib
import fcntl
import math
import os
import time
from collections.abc import Iterator

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/min" -> (120, 60): how many requests per how many seconds."""
    number, _, period = rate.partition("/")
    try:
        return int(number), PERIODS[period.strip()[:1]]
    except (ValueError, KeyError):
        raise ValueError(f"Not a throttle rate: {rate!r} (e.g. '120/min').") from None


def window_wait(*, limit: int, period: float, count: int, previous: int, into: float) -> float:
    """Seconds until one more request fits, given this window's `count` (already let through),
    the previous window's, and how far (`into`, seconds) the current window is; 0 if it fits.

    The estimate at time t after the current window began is
    `previous * (1 - t / period) + count` (and, once it ends, `count * (1 - t' / period)`)."""
    room = limit - 1  # what the estimate may be before the next request counts
    if previous * (1 - into / period) + count <= room:
        return 0.0
    if count <= room:  # the previous window's share falls below the room within this one
        return period * (1 - (room - count) / previous) - into
    # Not in this window: in the next, this window's count is the weighted one.
    return (period - into) + period * (1 - room / count)


# Beside the counters in the file store's directory; the store lists, culls and clears only
# its own files (*.djcache), so the lock file stays.
LOCK_NAME = "counts.lock"


@contextlib.contextmanager
def counts_locked(cache) -> Iterator[None]:
    """Hold an exclusive lock while counts change, if the store's add/incr are not atomic."""
    if not isinstance(cache, FileBasedCache):  # Redis and local memory are atomic already
        yield
        return
    path = os.path.join(cache._dir, LOCK_NAME)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except FileNotFoundError:  # the directory was removed (the file store allows that)
        os.makedirs(cache._dir, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # one open per call: threads exclude each other too
        yield
    finally:
        os.close(fd)  # and with it the lock


class AnnotationWriteThrottle(BaseThrottle):
    """Creates, edits and deletes per user (per address when anonymous); reads never count."""

    scope = "annotation-writes"
    timer = staticmethod(time.time)

    def __init__(self) -> None:
        self._wait: float | None = None

    def get_rate(self) -> str | None:
        # Read the setting on each use (DRF binds it once at import), so it can be changed.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    @property
    def cache(self):
        return caches["throttle"]

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        rate = self.get_rate()
        if rate is None:
            return True
        limit, period = parse_rate(rate)
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        window, into = divmod(self.timer(), period)
        prefix = f"throttle:{self.scope}:{ident}:"
        key = f"{prefix}{int(window)}"
        with counts_locked(self.cache):
            count = self._count(key, timeout=2 * period)  # the next window weighs this one's
            previous = self.cache.get(f"{prefix}{int(window) - 1}", 0)
            wait = window_wait(
                limit=limit, period=period, count=count - 1, previous=previous, into=into
            )
            if wait <= 0:
                return True
            with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
                self.cache.decr(key)
        self._wait = wait
        return False

    def _count(self, key: str, *, timeout: int) -> int:
        """Count one more request in the window; its count with it."""
        if self.cache.add(key, 1, timeout=timeout):
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:  # it expired between the two calls
            self.cache.add(key, 1, timeout=timeout)
            return 1

    def wait(self) -> float | None:
        # Whole seconds for Retry-After, not rounded up by float error (20.000000000000004).
        return None if self._wait is None else math.ceil(self._wait - 1e-9)

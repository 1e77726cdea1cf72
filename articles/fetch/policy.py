"""What a fetch may do and what it gives: its limits, its result and its one error."""

import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from ..ingest.decode import IngestError

# (family, socket address) pairs, as socket.getaddrinfo gives them.
Resolved = list[tuple[int, tuple]]
Resolver = Callable[[str, int], Resolved]

MAX_REDIRECTS = 5
# The media types imported, and the pipeline each goes to.
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


class FetchError(IngestError):
    """A link that cannot be fetched; the message is one line, fit for a command-line error."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """The limits of one fetch. `allow_hosts` ("host:port") may resolve to loopback: for tests
    that serve pages from 127.0.0.1, never anything else, and empty everywhere else."""

    max_bytes: int
    deadline: float = 15.0  # seconds for the whole fetch, redirects included
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    max_redirects: int = MAX_REDIRECTS
    allow_hosts: frozenset[str] = frozenset()
    tls: ssl.SSLContext | None = None  # None: the system's trusted certificates


@dataclass(frozen=True, slots=True)
class Fetched:
    """A page fetched: its bytes (unpacked, at most the cap) and where they came from."""

    url: str  # the link asked for (normalized)
    final_url: str  # where the bytes came from, after redirects
    media_type: str  # e.g. "text/html"
    charset: str  # as the answer declared it, lower case ("" if none)
    data: bytes
    redirects: tuple[str, ...] = field(default=())

    @property
    def pipeline(self) -> str:
        """ "html" or "text": which import pipeline the bytes go through."""
        return PAGE_TYPES[self.media_type]


def one_line(value: object) -> str:
    """A reason fit for a one-line error: white space folded, at most 200 characters."""
    return " ".join(str(value).split())[:200]

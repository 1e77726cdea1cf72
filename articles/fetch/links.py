"""Links checked and taken apart before anything is fetched: http and https only, no user
names or passwords, a host name in IDNA, a request line in ASCII."""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from .policy import FetchError, one_line

SCHEMES = ("http", "https")
MAX_LINK = 8000  # characters
# Characters left as they are when a link's path or query is quoted for the request line.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~-._"


@dataclass(frozen=True, slots=True)
class Target:
    """A link checked and taken apart: what a request to it needs."""

    scheme: str
    host: str  # ASCII (IDNA), lower case, without brackets for IPv6 literals
    port: int
    path: str  # the request target: path and query, ASCII
    url: str  # the link as fetched: normalized, without its fragment


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def parse_url(url: str) -> Target:
    """Check a link and take it apart; FetchError (never another exception) if it is unusable."""
    if not isinstance(url, str):
        raise FetchError("a link must be text")
    url = url.strip()
    if not url:
        raise FetchError("no link given")
    if len(url) > MAX_LINK:
        raise FetchError(f"the link is longer than {MAX_LINK:,} characters")
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        raise FetchError("the link contains spaces or control characters")
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            shown = f" (this one is {scheme}:)" if scheme else ""
            raise FetchError(f"only http and https links can be imported{shown}")
        if parts.username is not None or parts.password is not None:
            raise FetchError("links with a user name or password cannot be imported")
        host = _ascii_host(parts.hostname or "")
        port = parts.port or default_port(scheme)
    except FetchError:
        raise
    except ValueError as exc:  # a bad port, an unclosed IPv6 bracket, an unencodable name
        raise FetchError(f"not a valid link ({one_line(exc)})") from None
    if port == 0:
        raise FetchError("not a valid link (port 0)")
    path = quote(parts.path or "/", safe=_URL_SAFE)
    query = quote(parts.query, safe=_URL_SAFE)
    shown_host = f"[{host}]" if ":" in host else host
    netloc = shown_host if port == default_port(scheme) else f"{shown_host}:{port}"
    return Target(
        scheme=scheme,
        host=host,
        port=port,
        path=path + (f"?{query}" if query else ""),
        url=urlunsplit((scheme, netloc, path, query, "")),
    )


def _ascii_host(host: str) -> str:
    """The host as it goes on the wire: an IP literal as is, a name in IDNA, lower case."""
    if not host:
        raise FetchError("the link names no host")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if "%" in host:  # an IPv6 zone or a percent-encoded name
        raise FetchError("not a valid link (a host name cannot contain %)")
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchError(f"not a valid link (the host name {host[:80]!r} is invalid)") from None
    if not ascii_host or not all(char.isalnum() or char in "-." for char in ascii_host):
        raise FetchError(f"not a valid link (the host name {host[:80]!r} is invalid)")
    return ascii_host


def allow_hosts(entries: Sequence[str]) -> frozenset[str]:
    """The policy's allow_hosts from "host:port" strings, normalized as links are."""
    hosts = set()
    for entry in entries:
        target = parse_url(f"http://{entry}/")
        hosts.add(f"{target.host}:{target.port}")
    return frozenset(hosts)

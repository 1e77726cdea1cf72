"""Fetching a news page by its link, safely: the one way the importer reaches the network.

A link typed by a curator is untrusted input that makes this server open a connection, so the
fetcher refuses anything but http and https, resolves the host itself and refuses private,
loopback, link-local, multicast and reserved addresses (an attacker's page must not make the
server read its own network), then connects to the address it checked (no second lookup that
a DNS server could answer differently), sending the link's host name as Host header and TLS
server name. Redirects are followed by hand, each hop checked the same way. Every read is
bounded: connect and read timeouts and a deadline for the whole fetch, a cap on the bytes
read and on the bytes a compressed body unpacks to. Every refusal is a `FetchError` with a
one-line reason a person can act on.

Pure Python: nothing here imports Django (the service reads the settings into a
`FetchPolicy`).
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from .ingest.decode import IngestError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (family, socket address) pairs, as socket.getaddrinfo gives them.
Resolved = list[tuple[int, tuple]]
Resolver = Callable[[str, int], Resolved]

SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
# The media types imported, and the pipeline each goes to.
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
USER_AGENT = "AstanaReader/1.0 (news page import for a curator)"
ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8"
# Characters left as they are when a link's path or query is quoted for the request line.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~-._"
# IPv6 ranges that carry an IPv4 address (NAT64 and 6to4 gateways reach it for us).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(IngestError):
    """A link that cannot be fetched; the message is one line, fit for a command-line error."""


@dataclass(frozen=True, slots=True)
class Target:
    """A link checked and taken apart: what a request to it needs."""

    scheme: str
    host: str  # ASCII (IDNA), lower case, without brackets for IPv6 literals
    port: int
    path: str  # the request target: path and query, ASCII
    url: str  # the link as fetched: normalized, without its fragment


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


# --- Links ------------------------------------------------------------------------------


def parse_url(url: str) -> Target:
    """Check a link and take it apart; FetchError (never another exception) if it is unusable."""
    if not isinstance(url, str):
        raise FetchError("a link must be text")
    url = url.strip()
    if not url:
        raise FetchError("no link given")
    if len(url) > 8000:
        raise FetchError("the link is longer than 8,000 characters")
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
        port = parts.port or (443 if scheme == "https" else 80)
    except FetchError:
        raise
    except ValueError as exc:  # a bad port, an unclosed IPv6 bracket, an unencodable name
        raise FetchError(f"not a valid link ({_one_line(exc)})") from None
    if port == 0:
        raise FetchError("not a valid link (port 0)")
    path = quote(parts.path or "/", safe=_URL_SAFE)
    query = quote(parts.query, safe=_URL_SAFE)
    shown_host = f"[{host}]" if ":" in host else host
    default = port == (443 if scheme == "https" else 80)
    netloc = shown_host if default else f"{shown_host}:{port}"
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


# --- Addresses --------------------------------------------------------------------------


def address_refusal(address: IPAddress) -> str | None:
    """Why a connection to `address` is refused ("a private address", ...), or None if it is
    a public address. IPv6 addresses that carry an IPv4 one (mapped, NAT64, 6to4) are judged
    by the address they carry."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and address in _NAT64:
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None:
            reason = address_refusal(carried)
            return f"{reason} ({carried})" if reason else None
        if address.teredo is not None:
            return "a tunnel (Teredo) address"
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for refused, reason in checks if refused), None)


def resolve(host: str, port: int) -> Resolved:
    """Every address of `host`, as (family, socket address); socket.gaierror if none."""
    return [
        (family, sockaddr)
        for family, kind, _, _, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if kind == socket.SOCK_STREAM and family in (socket.AF_INET, socket.AF_INET6)
    ]


def checked_addresses(
    target: Target, *, policy: FetchPolicy, resolver: Resolver, deadline: float
) -> Resolved:
    """The addresses to connect to for `target`, once every one of them is known to be
    allowed: all public, or loopback for a host:port the policy allows (tests)."""
    addresses = _resolve_within(resolver, target, deadline)
    if not addresses:
        raise FetchError(f"could not find the site {target.host} (no address)")
    allowed_loopback = f"{target.host}:{target.port}" in policy.allow_hosts
    for _, sockaddr in addresses:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        reason = address_refusal(address)
        if reason is None or (allowed_loopback and address.is_loopback):
            continue
        where = target.host if target.host == str(address) else f"{target.host} ({address})"
        raise FetchError(f"{where} is {reason}; links into private networks are refused")
    return addresses


def _resolve_within(resolver: Resolver, target: Target, deadline: float) -> Resolved:
    """The resolver's answer, or FetchError when it fails or does not come by the deadline
    (getaddrinfo has no timeout of its own: it runs in a thread left to finish alone)."""
    answer: list = []

    def run() -> None:
        try:
            answer.append(resolver(target.host, target.port))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)

    thread = threading.Thread(target=run, daemon=True, name="fetch-resolve")
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if not answer:
        raise FetchError(f"could not find the site {target.host} (the name lookup timed out)")
    if isinstance(answer[0], Exception):
        reason = getattr(answer[0], "strerror", None) or answer[0]
        raise FetchError(f"could not find the site {target.host} ({_one_line(reason)})")
    return answer[0]


# --- Fetching ---------------------------------------------------------------------------


def fetch(url: str, *, policy: FetchPolicy, resolver: Resolver = resolve) -> Fetched:
    """GET a page by its link within the policy's limits, following at most
    `policy.max_redirects` redirects; its bytes, or FetchError with the reason."""
    deadline = time.monotonic() + policy.deadline
    target = parse_url(url)
    first, hops = target.url, []
    while True:
        try:
            addresses = checked_addresses(
                target, policy=policy, resolver=resolver, deadline=deadline
            )
        except FetchError as exc:
            if not hops:
                raise
            raise FetchError(f"redirect {len(hops)} to {target.url} refused: {exc}") from None
        answer = _get(target, addresses, policy=policy, deadline=deadline)
        if isinstance(answer, Fetched):
            return Fetched(
                url=first,
                final_url=target.url,
                media_type=answer.media_type,
                charset=answer.charset,
                data=answer.data,
                redirects=tuple(hops),
            )
        if len(hops) >= policy.max_redirects:
            raise FetchError(f"too many redirects (more than {policy.max_redirects}) from {first}")
        try:
            target = parse_url(urljoin(target.url, answer))
        except FetchError as exc:
            shown = _one_line(answer)[:200]
            raise FetchError(f"redirect {len(hops) + 1} to {shown} refused: {exc}") from None
        if target.url in hops or target.url == first:
            raise FetchError(f"the link redirects in a loop (back to {target.url})")
        hops.append(target.url)


def _get(target: Target, addresses: Resolved, *, policy: FetchPolicy, deadline: float):
    """One GET to checked addresses: a Fetched (its url fields unset) for a page, or the
    Location of a redirect."""
    connection = _connect(target, addresses, policy=policy, deadline=deadline)
    sock = connection.sock  # the response keeps using it once the connection lets it go
    response = None
    try:
        connection.putrequest("GET", target.path, skip_accept_encoding=True)
        for name, value in (
            ("User-Agent", USER_AGENT),
            ("Accept", ACCEPT),
            ("Accept-Encoding", "gzip"),
            ("Connection", "close"),
        ):
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        if response.status in REDIRECTS and response.getheader("Location"):
            return response.getheader("Location", "").strip()
        if not 200 <= response.status < 300:
            raise FetchError(f"the site answered {_status(response)}")
        return _page(response, sock=sock, target=target, policy=policy, deadline=deadline)
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError(f"{target.host} did not answer within {policy.deadline:g} s") from None
    except ssl.SSLError as exc:
        raise FetchError(_tls_reason(target, exc)) from None
    except http.client.HTTPException as exc:
        name = type(exc).__name__
        raise FetchError(f"{target.host} sent a broken answer ({name})") from None
    except OSError as exc:
        reason = _one_line(exc.strerror or exc)
        raise FetchError(f"the connection to {target.host} failed ({reason})") from None
    finally:
        if response is not None:
            response.close()
        connection.close()
        sock.close()


def _page(response, *, sock: socket.socket, target: Target, policy: FetchPolicy, deadline: float):
    """The body of a page answer, checked and capped."""
    media_type, charset = _content_type(response.getheader("Content-Type", ""))
    if media_type not in PAGE_TYPES:
        shown = media_type or "no content type"
        raise FetchError(f"the link gives {shown}, not a web page")
    encoding = response.getheader("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"the site sent the page packed as {encoding[:40]}, which is not read")
    length = response.getheader("Content-Length")
    if length is not None and length.strip().isdigit() and int(length) > policy.max_bytes:
        raise FetchError(_too_large(int(length), policy.max_bytes))
    unpack = None if encoding in ("identity", "") else _Unpacker(encoding, policy.max_bytes)
    body = bytearray()
    read = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{target.host} did not answer within {policy.deadline:g} s")
        if response.isclosed():  # all of it read: the response let the socket go
            break
        sock.settimeout(min(policy.read_timeout, remaining))
        chunk = response.read1(CHUNK)  # what has come, not waiting for CHUNK bytes
        if not chunk:
            break
        read += len(chunk)
        if read > policy.max_bytes:
            raise FetchError(_too_large(None, policy.max_bytes))
        body += chunk if unpack is None else unpack.feed(chunk)
    if unpack is not None:
        body += unpack.finish()
    return Fetched(url="", final_url="", media_type=media_type, charset=charset, data=bytes(body))


class _Unpacker:
    """A gzip or deflate body unpacked as it arrives, refused once it grows past the cap."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        # 47: a gzip or zlib header, detected; 15 bits of window.
        self._inflate = zlib.decompressobj(47 if encoding != "deflate" else 15)
        self._encoding = encoding
        self._left = max_bytes
        self._raw_fallback = encoding == "deflate"

    def feed(self, data: bytes) -> bytes:
        try:
            out = self._inflate.decompress(data, self._left + 1)
        except zlib.error:
            if self._raw_fallback:  # some servers send raw deflate without the zlib header
                self._raw_fallback = False
                self._inflate = zlib.decompressobj(-15)
                return self.feed(data)
            raise FetchError(f"the page is not valid {self._encoding} data") from None
        self._raw_fallback = False
        self._take(len(out))
        if self._inflate.unconsumed_tail:  # more output is waiting than the cap allows
            self._take(self._left + 1)
        return out

    def finish(self) -> bytes:
        out = self._inflate.flush()
        self._take(len(out))
        return out

    def _take(self, size: int) -> None:
        self._left -= size
        if self._left < 0:
            raise FetchError("the page unpacks to more than the size limit; it is refused")


def _connect(target: Target, addresses: Resolved, *, policy: FetchPolicy, deadline: float):
    """An HTTP connection to the first of the checked addresses that answers."""
    failure: OSError | None = None
    for family, sockaddr in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        connection = _PinnedConnection(
            target,
            family=family,
            sockaddr=sockaddr,
            connect_timeout=min(policy.connect_timeout, remaining),
            read_timeout=min(policy.read_timeout, remaining),
            tls=_tls_context(policy) if target.scheme == "https" else None,
        )
        try:
            connection.connect()
        except ssl.SSLError as exc:
            connection.close()
            raise FetchError(_tls_reason(target, exc)) from None
        except TimeoutError:
            connection.close()
            failure = TimeoutError("the connection timed out")
        except OSError as exc:
            connection.close()
            failure = exc
        else:
            return connection
    if isinstance(failure, ConnectionRefusedError):
        raise FetchError(f"{target.host} refused the connection (port {target.port})")
    reason = _one_line(getattr(failure, "strerror", None) or failure or "out of time")
    raise FetchError(f"could not connect to {target.host} ({reason})")


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to one address checked beforehand, whatever DNS says now: the
    Host header and the TLS server name are the link's host."""

    def __init__(
        self,
        target: Target,
        *,
        family: int,
        sockaddr: tuple,
        connect_timeout: float,
        read_timeout: float,
        tls: ssl.SSLContext | None,
    ) -> None:
        super().__init__(target.host, target.port, timeout=read_timeout)
        self.default_port = 443 if target.scheme == "https" else 80  # Host: without :443
        self._family = family
        self._sockaddr = sockaddr
        self._connect_timeout = connect_timeout
        self._tls = tls

    def connect(self) -> None:
        sock = socket.socket(self._family, socket.SOCK_STREAM)
        try:
            sock.settimeout(self._connect_timeout)
            sock.connect(self._sockaddr)
            sock.settimeout(self.timeout)
            if self._tls is not None:
                sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


def _tls_context(policy: FetchPolicy) -> ssl.SSLContext:
    return policy.tls or ssl.create_default_context()


def _tls_reason(target: Target, exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or exc.reason
        return f"the TLS certificate of {target.host} is not valid ({_one_line(detail)})"
    return f"the secure connection to {target.host} failed ({_one_line(exc.reason or exc)})"


# --- Small helpers ----------------------------------------------------------------------


def _content_type(header: str) -> tuple[str, str]:
    """The media type and charset of a Content-Type header, lower case."""
    media_type, _, parameters = header.partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    return media_type.strip().lower(), charset


def _status(response) -> str:
    reason = (response.reason or "").strip()
    if not reason:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = "(no reason given)"
    return f"{response.status} {_one_line(reason)[:80]}"


def _too_large(size: int | None, limit: int) -> str:
    if size is None:
        return f"the page is larger than the limit of {limit:,} bytes; it is refused"
    return f"the page is {size:,} bytes, over the limit of {limit:,} bytes"


def _one_line(value: object) -> str:
    return " ".join(str(value).split())[:200]


def allow_hosts(entries: Sequence[str]) -> frozenset[str]:
    """The policy's allow_hosts from "host:port" strings, normalized as links are."""
    hosts = set()
    for entry in entries:
        target = parse_url(f"http://{entry}/")
        hosts.add(f"{target.host}:{target.port}")
    return frozenset(hosts)

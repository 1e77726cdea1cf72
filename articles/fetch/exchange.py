"""The HTTP exchange: GET a checked link at the addresses checked for it, follow redirects by
hand (each hop checked again), and turn every failure into a one-line FetchError."""

import http.client
import socket
import ssl
import time
from http import HTTPStatus
from urllib.parse import urljoin

from .addresses import checked_addresses, resolve
from .body import read_page
from .links import Target, default_port, parse_url
from .policy import Fetched, FetchError, FetchPolicy, Resolved, Resolver, one_line

REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "AstanaReader/1.0 (news page import for a curator)"
ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8"


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
            shown = one_line(answer)[:200]
            raise FetchError(f"redirect {len(hops) + 1} to {shown} refused: {exc}") from None
        if target.url in hops or target.url == first:
            raise FetchError(f"the link redirects in a loop (back to {target.url})")
        hops.append(target.url)


def _get(
    target: Target, addresses: Resolved, *, policy: FetchPolicy, deadline: float
) -> Fetched | str:
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
        return read_page(response, sock=sock, target=target, policy=policy, deadline=deadline)
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
        reason = one_line(exc.strerror or exc)
        raise FetchError(f"the connection to {target.host} failed ({reason})") from None
    finally:
        if response is not None:
            response.close()
        connection.close()
        sock.close()


def _connect(
    target: Target, addresses: Resolved, *, policy: FetchPolicy, deadline: float
) -> "_PinnedConnection":
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
            tls=(policy.tls or ssl.create_default_context()) if target.scheme == "https" else None,
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
    reason = one_line(getattr(failure, "strerror", None) or failure or "out of time")
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
        self.default_port = default_port(target.scheme)  # Host: without :443
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


def _tls_reason(target: Target, exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or exc.reason
        return f"the TLS certificate of {target.host} is not valid ({one_line(detail)})"
    return f"the secure connection to {target.host} failed ({one_line(exc.reason or exc)})"


def _status(response: http.client.HTTPResponse) -> str:
    reason = (response.reason or "").strip()
    if not reason:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = "(no reason given)"
    return f"{response.status} {one_line(reason)[:80]}"

"""Where a link may connect: every address its host resolves to must be public (or loopback
for a host:port the policy allows, in tests), and the lookup itself is bounded in time."""

import ipaddress
import socket
import threading
import time

from .links import Target
from .policy import FetchError, FetchPolicy, Resolved, Resolver, one_line

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 ranges that carry an IPv4 address (NAT64 and 6to4 gateways reach it for us).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


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
        raise FetchError(f"could not find the site {target.host} ({one_line(reason)})")
    return answer[0]

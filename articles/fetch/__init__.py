"""Fetching a news page by its link, safely: the one way the importer reaches the network.

A link typed by a curator is untrusted input that makes this server open a connection, so the
fetcher refuses anything but http and https (`links`), resolves the host itself and refuses
private, loopback, link-local, multicast and reserved addresses (`addresses`: an attacker's
page must not make the server read its own network), then connects to the address it checked
(`exchange`: no second lookup that a DNS server could answer differently), sending the link's
host name as Host header and TLS server name. Redirects are followed by hand, each hop checked
the same way. Every read is bounded (`body`): connect and read timeouts and a deadline for the
whole fetch, a cap on the bytes read and on the bytes a compressed body unpacks to. Every
refusal is a `FetchError` with a one-line reason a person can act on.

Pure Python: nothing here imports Django (the service reads the settings into a
`FetchPolicy`, see articles/link_import.py).
"""

from .addresses import address_refusal, checked_addresses, resolve
from .exchange import fetch
from .links import Target, allow_hosts, parse_url
from .policy import PAGE_TYPES, Fetched, FetchError, FetchPolicy, Resolved, Resolver

__all__ = [
    "PAGE_TYPES",
    "FetchError",
    "FetchPolicy",
    "Fetched",
    "Resolved",
    "Resolver",
    "Target",
    "address_refusal",
    "allow_hosts",
    "checked_addresses",
    "fetch",
    "parse_url",
    "resolve",
]

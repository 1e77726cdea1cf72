"""Reading a page's answer: only web pages and plain text, never more bytes than the cap (as
sent or as unpacked from gzip or deflate), never past the deadline of the whole fetch."""

import socket
import time
import zlib
from http.client import HTTPResponse

from .links import Target
from .policy import PAGE_TYPES, Fetched, FetchError, FetchPolicy

CHUNK = 64 * 1024
_PACKED = ("gzip", "x-gzip", "deflate")


def read_page(
    response: HTTPResponse,
    *,
    sock: socket.socket,
    target: Target,
    policy: FetchPolicy,
    deadline: float,
) -> Fetched:
    """The body of a page answer, checked and capped (a Fetched whose url fields the caller
    sets)."""
    media_type, charset = content_type(response.getheader("Content-Type", ""))
    if media_type not in PAGE_TYPES:
        shown = media_type or "no content type"
        raise FetchError(f"the link gives {shown}, not a web page")
    encoding = response.getheader("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "", *_PACKED):
        raise FetchError(f"the site sent the page packed as {encoding[:40]}, which is not read")
    length = response.getheader("Content-Length")
    if length is not None and length.strip().isdigit() and int(length) > policy.max_bytes:
        raise FetchError(too_large(int(length), policy.max_bytes))
    unpack = _Unpacker(encoding, policy.max_bytes) if encoding in _PACKED else None
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
            raise FetchError(too_large(None, policy.max_bytes))
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


def content_type(header: str) -> tuple[str, str]:
    """The media type and charset of a Content-Type header, lower case."""
    media_type, _, parameters = header.partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    return media_type.strip().lower(), charset


def too_large(size: int | None, limit: int) -> str:
    if size is None:
        return f"the page is larger than the limit of {limit:,} bytes; it is refused"
    return f"the page is {size:,} bytes, over the limit of {limit:,} bytes"

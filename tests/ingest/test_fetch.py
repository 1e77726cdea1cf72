"""The link fetcher (articles/fetch/): pages in, and every unsafe or broken link refused
with one clear line. A local server stands in for the web; nothing reaches the internet."""

import ipaddress
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.fetch import (
    FetchError,
    FetchPolicy,
    Target,
    address_refusal,
    allow_hosts,
    fetch,
    parse_url,
)
from articles.ingest import IngestError
from tests.ingest.pageserver import BOMB_SIZE, PAGE_HTML, PAGE_TEXT, RUSSIAN, PageServer

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    running = PageServer().start()
    yield running
    running.stop()


def policy_for(server: PageServer, **changes) -> FetchPolicy:
    values = {
        "max_bytes": 5 * MB,
        "deadline": 3.0,
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "allow_hosts": allow_hosts(server.allowed),
    }
    return FetchPolicy(**{**values, **changes})


def refused(url: str, policy: FetchPolicy, **kwargs) -> str:
    """The one-line reason the fetch of `url` is refused."""
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=policy, **kwargs)
    message = str(excinfo.value)
    assert "\n" not in message
    assert isinstance(excinfo.value, IngestError)
    return message


# --- Pages that come in -----------------------------------------------------------------


def test_a_text_page_is_fetched_as_sent(server):
    """A plain-text page comes back byte for byte, with its type and link."""
    fetched = fetch(f"{server.base}/page.txt", policy=policy_for(server))
    assert fetched.data == PAGE_TEXT
    assert (fetched.media_type, fetched.charset, fetched.pipeline) == (
        "text/plain",
        "utf-8",
        "text",
    )
    assert fetched.url == fetched.final_url == f"{server.base}/page.txt"
    assert fetched.redirects == ()


def test_an_html_page_goes_to_the_html_pipeline(server):
    """text/html is accepted and marked for the HTML pipeline."""
    fetched = fetch(f"{server.base}/page.html", policy=policy_for(server))
    assert fetched.data == PAGE_HTML
    assert fetched.pipeline == "html"


def test_a_packed_page_is_unpacked(server):
    """A gzip-encoded answer is unpacked."""
    assert fetch(f"{server.base}/page.gz", policy=policy_for(server)).data == PAGE_TEXT


def test_the_declared_charset_is_reported(server):
    """The charset of the Content-Type header travels with the bytes."""
    fetched = fetch(f"{server.base}/cp1251.txt", policy=policy_for(server))
    assert (fetched.data, fetched.charset) == (RUSSIAN, "windows-1251")


def test_redirects_are_followed_and_recorded(server):
    """Up to five redirects are followed; each hop and the final link are recorded."""
    fetched = fetch(f"{server.base}/chain/16", policy=policy_for(server))
    assert fetched.data == PAGE_TEXT
    assert fetched.final_url == f"{server.base}/chain/20"
    assert len(fetched.redirects) == 4


def test_the_checked_address_is_used_with_the_links_host_name():
    """DNS is asked once per hop and the connection goes to the address checked, with the
    link's host in the Host header (no second lookup a rebinding DNS server could answer)."""
    local = PageServer().start()
    try:
        asked: list[tuple[str, int]] = []

        def resolver(host: str, port: int):
            asked.append((host, port))
            return [(socket.AF_INET, ("127.0.0.1", port))]

        policy = policy_for(local, allow_hosts=frozenset({f"news.example:{local.port}"}))
        fetched = fetch(f"http://news.example:{local.port}/host", policy=policy, resolver=resolver)
        assert fetched.data == f"news.example:{local.port}".encode()
        assert asked == [("news.example", local.port)]
    finally:
        local.stop()


def self_signed(directory: Path, host: str) -> tuple[Path, Path]:
    """A certificate for `host` and its key, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = directory / f"{host}.pem", directory / f"{host}.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}"),
            *("-addext", f"subjectAltName=DNS:{host}"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(tmp_path) -> Iterator[tuple[PageServer, ssl.SSLContext, list[str]]]:
    """An HTTPS test server with a certificate for news.example; the client context that
    trusts it; and the TLS server names clients sent."""
    cert, key = self_signed(tmp_path, "news.example")
    names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    running = PageServer(tls=context).start()
    client = ssl.create_default_context(cafile=str(cert))
    yield running, client, names
    running.stop()


def test_https_sends_the_links_host_as_server_name(tls_server):
    """Over HTTPS the pinned address gets the link's host as TLS server name, and the
    certificate is checked against that name."""
    running, client, names = tls_server

    def resolver(host: str, port: int):
        return [(socket.AF_INET, ("127.0.0.1", port))]

    policy = policy_for(
        running, tls=client, allow_hosts=frozenset({f"news.example:{running.port}"})
    )
    fetched = fetch(f"https://news.example:{running.port}/host", policy=policy, resolver=resolver)
    assert fetched.data == f"news.example:{running.port}".encode()
    assert names == ["news.example"]


def test_a_certificate_for_another_name_is_refused(tls_server):
    """A certificate that does not name the link's host fails in one line."""
    running, client, _ = tls_server

    def resolver(host: str, port: int):
        return [(socket.AF_INET, ("127.0.0.1", port))]

    policy = policy_for(
        running, tls=client, allow_hosts=frozenset({f"other.example:{running.port}"})
    )
    message = refused(f"https://other.example:{running.port}/host", policy, resolver=resolver)
    assert message.startswith("the TLS certificate of other.example is not valid (")
    assert "other.example" in message


# --- Links refused before any connection -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/news.txt",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "gopher://example.com/",
        "example.com/news",
    ],
)
def test_only_http_and_https_links_are_fetched(server, url):
    """Other schemes are refused, saying which ones are allowed."""
    assert "only http and https links can be imported" in refused(url, policy_for(server))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://user:secret@example.com/", "user name or password"),
        ("http://example.com:99999/", "not a valid link"),
        ("http://[::1/", "not a valid link"),
        ("http:///news", "names no host"),
        ("http://exa mple.com/", "spaces or control characters"),
        ("", "no link given"),
    ],
)
def test_malformed_links_are_refused(server, url, reason):
    """Credentials, bad ports, broken hosts and blanks: one clear line each."""
    assert reason in refused(url, policy_for(server))


def test_loopback_is_refused_unless_allowed(server):
    """localhost resolves to loopback: refused, as the server's own port unless allowed."""
    message = refused(f"http://localhost:{server.port}/page.txt", policy_for(server))
    assert "loopback" in message
    assert "private networks are refused" in message
    assert "loopback" in refused(
        f"{server.base}/page.txt", policy_for(server, allow_hosts=frozenset())
    )


def test_a_host_resolving_to_a_private_address_is_refused(server):
    """If any address of a host is private, the host is refused."""

    def resolver(host: str, port: int):
        return [(socket.AF_INET, ("93.184.216.34", port)), (socket.AF_INET, ("10.1.2.3", port))]

    message = refused("https://news.example/story", policy_for(server), resolver=resolver)
    assert message == (
        "news.example (10.1.2.3) is a private address; links into private networks are refused"
    )


def test_a_failing_name_lookup_is_one_line(server):
    """A name that does not resolve says so."""

    def resolver(host: str, port: int):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    message = refused("http://no-such-host.example/", policy_for(server), resolver=resolver)
    assert message == "could not find the site no-such-host.example (Name or service not known)"


def test_a_slow_name_lookup_is_bounded(server):
    """A lookup that hangs is given up at the deadline."""

    def resolver(host: str, port: int):
        time.sleep(2)
        return []

    message = refused("http://slow.example/", policy_for(server, deadline=0.3), resolver=resolver)
    assert "timed out" in message


# --- Redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.1/", "http://127.0.0.2:{port}/page.txt", "http://127.0.0.1:1/page.txt"],
)
def test_a_redirect_to_a_private_address_is_refused(server, location):
    """A redirect from the allowed test server to any other private place is refused,
    naming the hop."""
    target = location.format(port=server.port)
    message = refused(f"{server.base}/redirect?to={target}", policy_for(server))
    assert message.startswith(f"redirect 1 to {target} refused: ")
    assert "private networks are refused" in message


def test_a_redirect_to_another_scheme_is_refused(server):
    """A redirect to file:// is refused like the link itself would be."""
    message = refused(f"{server.base}/redirect?to=file:///etc/passwd", policy_for(server))
    assert "only http and https links can be imported" in message
    assert message.startswith("redirect 1 to file:///etc/passwd refused")


def test_redirect_loops_and_long_chains_are_refused(server):
    """A loop is named as such; more than five hops are too many."""
    assert "redirects in a loop" in refused(f"{server.base}/loop", policy_for(server))
    assert "too many redirects (more than 5)" in refused(
        f"{server.base}/chain/1", policy_for(server)
    )


# --- Answers refused ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/pdf", "the link gives application/pdf, not a web page"),
        ("/image", "the link gives image/png, not a web page"),
        ("/notype", "the link gives no content type, not a web page"),
        ("/status/404", "the site answered 404 Not Found"),
        ("/status/500", "the site answered 500 Internal Server Error"),
        ("/status/418", "the site answered 418 I'm a Teapot"),
    ],
)
def test_answers_that_are_not_pages(server, path, message):
    """Other media types and HTTP errors are refused in the words a curator reads."""
    assert refused(f"{server.base}{path}", policy_for(server)) == message


def test_a_declared_50_mb_page_is_refused_before_reading(server):
    """Content-Length over the cap is refused at once."""
    message = refused(f"{server.base}/huge", policy_for(server))
    assert message == "the page is 52,428,800 bytes, over the limit of 5,242,880 bytes"


def test_an_endless_body_is_cut_at_the_cap(server):
    """A chunked body that never ends is refused once it passes the cap."""
    message = refused(f"{server.base}/endless", policy_for(server, max_bytes=256 * 1024))
    assert message == "the page is larger than the limit of 262,144 bytes; it is refused"


def test_a_gzip_bomb_is_refused_while_unpacking(server):
    """A small packed body that unpacks past the cap is refused without unpacking it all."""
    assert len(server.bomb) < 100 * 1024 < BOMB_SIZE
    message = refused(f"{server.base}/bomb", policy_for(server))
    assert message == "the page unpacks to more than the size limit; it is refused"


def test_a_page_that_never_answers_times_out(server):
    """No answer within the read timeout: a one-line timeout."""
    message = refused(f"{server.base}/sleep", policy_for(server, deadline=0.5, read_timeout=0.5))
    assert message == "127.0.0.1 did not answer within 0.5 s"


def test_a_slow_drip_is_stopped_at_the_deadline(server):
    """Bytes that keep coming, too slowly, are stopped by the deadline of the whole fetch."""
    # A byte comes every 0.2 s, well within the read timeout: only the deadline can stop it.
    message = refused(f"{server.base}/drip", policy_for(server, deadline=0.6, read_timeout=2.0))
    assert message == "127.0.0.1 did not answer within 0.6 s"


def test_a_refused_connection_is_one_line(server):
    """Nothing listening on the port: the connection is refused."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # the port is free now, and nothing listens on it
    policy = policy_for(server, allow_hosts=frozenset({f"127.0.0.1:{port}"}))
    message = refused(f"http://127.0.0.1:{port}/", policy)
    assert message == f"127.0.0.1 refused the connection (port {port})"


def test_a_tls_failure_is_one_line(server):
    """https to a server that speaks plain HTTP fails the TLS handshake, in one line."""
    message = refused(f"https://127.0.0.1:{server.port}/page.txt", policy_for(server))
    assert message.startswith("the secure connection to 127.0.0.1 failed (")


# --- Addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("127.0.0.1", "a loopback address"),
        ("127.255.255.254", "a loopback address"),
        ("0.0.0.0", "an unspecified address"),
        ("169.254.169.254", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "a reserved address"),
        ("100.64.0.1", "not a public address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fc00::1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:10.0.0.1", "a private address (10.0.0.1)"),
        ("::ffff:127.0.0.1", "a loopback address (127.0.0.1)"),
        ("64:ff9b::a9fe:a9fe", "a link-local address (169.254.169.254)"),
        ("2002:0a00:0001::1", "a private address (10.0.0.1)"),
        ("2001:db8::1", "a private address"),
    ],
)
def test_addresses_that_are_refused(address, reason):
    """Private, loopback, link-local, multicast, reserved, unspecified, mapped and embedded
    IPv4 addresses are refused with what they are."""
    assert address_refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:93.184.216.34"]
)
def test_public_addresses_are_allowed(address):
    """Public IPv4 and IPv6 addresses (and a mapped public one) pass."""
    assert address_refusal(ipaddress.ip_address(address)) is None


# --- Parsing links -----------------------------------------------------------------------


def test_links_are_normalized():
    """Scheme and host lower case, default port dropped, IDNA host, non-ASCII path quoted,
    fragment dropped."""
    target = parse_url("  HTTPS://Пример.Рф:443/новости/1?q=дом#top ")
    assert target.scheme == "https"
    assert target.host == "xn--e1afmkfd.xn--p1ai"
    assert target.port == 443
    assert target.path == "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1?q=%D0%B4%D0%BE%D0%BC"
    assert target.url == f"https://xn--e1afmkfd.xn--p1ai{target.path}"
    assert parse_url("http://[2001:db8::1]:8080/a").url == "http://[2001:db8::1]:8080/a"


URLISH = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda scheme, rest: f"{scheme}://{rest}",
        st.sampled_from(["http", "https", "HTTP", "ftp", "file", "javascript", ""]),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    ),
    st.builds(
        lambda host, port, path: f"http://{host}:{port}/{path}",
        st.text(alphabet="abc.[]:%@-0123456789xnй", max_size=40),
        st.integers(-10, 100_000),
        st.text(max_size=40),
    ),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(URLISH)
def test_any_string_is_a_valid_link_or_a_fetch_error(text):
    """No string makes the link parser raise anything but FetchError; what it accepts is an
    http(s) link that parses back to itself."""
    try:
        target = parse_url(text)
    except FetchError as exc:
        message = str(exc)
        assert "\n" not in message, message
        return
    assert isinstance(target, Target)
    assert target.scheme in ("http", "https")
    assert target.url.isascii()
    assert target.path.isascii()
    assert target.host
    assert 0 < target.port < 65536
    assert parse_url(target.url) == target

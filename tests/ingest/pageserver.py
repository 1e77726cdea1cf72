"""A local HTTP server for the link-import tests: saved pages and every kind of bad answer.

It listens on 127.0.0.1 on a free port, in a thread; nothing in the tests reaches the
internet. Routes (GET only):

  /page.txt        a saved plain-text page (tests/ingest/fixtures/reuters_style.txt)
  /page.html       a small news page in HTML
  /page.gz         the plain-text page, gzip-packed
  /cp1251.txt      Russian plain text in Windows-1251, declared in the header
  /mutable.txt     text the test sets (`server.mutable`)
  /host            the Host header it was sent, as text
  /sleep           answers nothing for longer than any test timeout
  /drip            a page sent one byte at a time, slowly
  /redirect?to=U   a 302 to U;  /chain/N  a 302 to /chain/N+1 (N < 20), then the page
  /loop            a 302 to itself
  /pdf             application/pdf;  /image  image/png;  /notype  no Content-Type
  /huge            claims Content-Length 50 MB (sends a few bytes)
  /endless         a chunked text/plain body that never ends
  /bomb            a gzip bomb: 20 KB packed, 60 MB unpacked
  /empty.txt       an empty text/plain page
  /status/N        answers status N
"""

import gzip
import http.server
import ssl
import threading
import time
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
PAGE_TEXT = (FIXTURES / "reuters_style.txt").read_bytes()
PAGE_HTML = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Rains flood the valley | Example News</title>
<meta property="og:title" content="Rains flood the valley">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Rains flood the valley</h1>
<p>VALLEYTOWN (Example News) - Heavy rains flooded the valley on Tuesday, forcing hundreds of
families from their homes as rivers burst their banks, officials said.</p>
<p>Rescue teams worked through the night to reach villages cut off by the water, and the
regional governor said shelters had been opened in three schools.</p>
<p>Forecasters expect more rain later in the week, and farmers fear for the harvest.</p>
</article>
<footer>Copyright Example News</footer>
</body></html>
"""
RUSSIAN = (
    "Дожди затопили долину\n\n"
    "Сильные дожди затопили долину во вторник, сотни семей покинули свои дома.\n"
).encode("cp1251")
BOMB_SIZE = 60 * 1024 * 1024


@cache
def _bomb() -> bytes:
    return gzip.compress(b"a" * BOMB_SIZE, compresslevel=9)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "PageServer"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        try:
            self._route(path, parse_qs(parts.query))
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return  # the client gave up, as the tests want it to

    def _route(self, path: str, query: dict[str, list[str]]) -> None:
        pages = {
            "/page.txt": ("text/plain; charset=utf-8", PAGE_TEXT),
            "/page.html": ("text/html; charset=utf-8", PAGE_HTML),
            "/cp1251.txt": ("text/plain; charset=windows-1251", RUSSIAN),
            "/mutable.txt": ("text/plain", self.server.mutable),
            "/host": ("text/plain", (self.headers.get("Host") or "").encode()),
            "/pdf": ("application/pdf", b"%PDF-1.4\n%%EOF\n"),
            "/image": ("image/png", b"\x89PNG\r\n\x1a\n"),
            "/empty.txt": ("text/plain", b""),
        }
        if path in pages:
            self._send(200, *pages[path])
        elif path == "/page.gz":
            self._send(200, "text/plain", gzip.compress(PAGE_TEXT), encoding="gzip")
        elif path == "/bomb":
            self._send(200, "text/plain", self.server.bomb, encoding="gzip")
        elif path == "/notype":
            self._send(200, None, b"hello")
        elif path == "/sleep":
            self.server.stopping.wait(30)
        elif path == "/drip":
            self._drip()
        elif path == "/redirect":
            self._redirect(query.get("to", ["/page.txt"])[0])
        elif path == "/loop":
            self._redirect("/loop")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect(f"/chain/{n + 1}") if n < 20 else self._send(
                200, "text/plain", PAGE_TEXT
            )
        elif path == "/huge":
            self._huge()
        elif path == "/endless":
            self._endless()
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), "text/plain", b"no")
        else:
            self._send(404, "text/plain", b"not here")

    def _send(self, status: int, kind: str | None, body: bytes, encoding: str = "") -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(PAGE_TEXT)))
        self.end_headers()
        for byte in PAGE_TEXT:
            if self.server.stopping.wait(0.2):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def _huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(50 * 1024 * 1024))
        self.end_headers()
        self.wfile.write(b"a" * 1024)
        self.wfile.flush()

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"all work and no play\n" * 3000
        line = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while not self.server.stopping.is_set():
            self.wfile.write(line)
            self.server.endless_bytes += len(chunk)


class PageServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        if tls is not None:  # HTTPS: each connection's handshake happens as it is accepted
            # (one that fails is an OSError the server loop ignores)
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.stopping = threading.Event()
        self.mutable = b"First version\n\nThe first text of the story.\n"
        self.endless_bytes = 0
        # serve_forever checks for shutdown every poll interval: a short one stops it quickly.
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def bomb(self) -> bytes:
        return _bomb()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def allowed(self) -> list[str]:
        """What ASTANA_FETCH_ALLOW_HOSTS must hold for the tests to fetch from this server."""
        return [f"127.0.0.1:{self.port}"]

    def handle_error(self, request, client_address) -> None:  # a client that hung up
        return

    def start(self) -> "PageServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        time.sleep(0)  # let the handler threads see the stop

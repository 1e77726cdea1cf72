"""Real-browser fixtures: Debian's Chromium driven through Playwright against live_server.

The browser is started once for this package and each test gets a fresh browser context (no
shared cookies, storage or history). The seed corpus is imported per test: live_server needs
transactional_db, which empties the database after every test.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def _allow_async_unsafe() -> Iterator[None]:
    """Let Django touch the database while Playwright's event loop exists.

    Playwright's sync API runs an asyncio event loop in this (the test) thread and switches to it
    with greenlets, so from Django's point of view every ORM call made by a test or fixture here
    happens "inside a running event loop" and raises SynchronousOnlyOperation. Nothing here is
    actually concurrent: the loop only runs while a Playwright call is blocking the thread, and
    the live server answers from its own thread. The flag is set for this package only and
    restored afterwards, so the rest of the suite keeps Django's safety check.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started only once the test database exists.

    The server shares the test thread's connection only if, when it is created, the database is
    already the in-memory SQLite test one (pytest-django's LiveServer looks at connections then).
    Session fixtures are set up before transactional_db pulls in the database, so without this
    the server sees the file path from settings, shares nothing, and every request thread opens
    its own connection to the in-memory database, which Django never closes (close() is a no-op
    on in-memory SQLite): "ResourceWarning: unclosed database", an error under filterwarnings.
    """
    return live_server


@pytest.fixture(scope="package")
def playwright(_allow_async_unsafe: None) -> Iterator[Playwright]:
    """Playwright's sync API, with Django still using the test thread's own DB connections.

    Django keeps database connections in an asgiref Local that is thread-local while no event
    loop runs in the thread, but switches to separate, context-local storage while one does. Once
    Playwright's loop exists, `connections["default"]` in this thread would therefore be a brand
    new DatabaseWrapper: not the one shared with the live server thread, not the one holding the
    snapshot that serialized rollback restores (so the migrated outlets vanished after the first
    test), and one Django never really closes (close() is a no-op on in-memory SQLite). Putting
    the original wrappers into that storage keeps one connection per database throughout.
    """
    originals = {alias: connections[alias] for alias in connections}
    with sync_playwright() as p:
        for alias, connection in originals.items():
            connections[alias] = connection
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium from the system (CHROMIUM, else /usr/bin/chromium); a missing one is a failure."""
    executable = os.environ.get("CHROMIUM", DEFAULT_CHROMIUM)
    path = Path(executable)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"Chromium is not an executable file at {executable!r}. The e2e tests need a real "
            "browser: install Debian's chromium package or point CHROMIUM at one "
            "(Playwright's own browsers cannot be downloaded here).",
            pytrace=False,
        )
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as exc:
        failure = f"Chromium at {executable!r} did not start: {exc}"
    else:
        failure = None
    if failure:
        pytest.fail(failure, pytrace=False)
    yield browser
    browser.close()


@pytest.fixture
def make_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """A factory of pages, each in its own context with base_url set to the live server.

    Every page records uncaught script errors and failed responses (a 404 stylesheet would make
    layout and contrast checks meaningless); the test errors at teardown if there were any.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def _make(viewport: dict[str, int] = DESKTOP) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
        page.on(
            "response",
            lambda r: problems.append(f"HTTP {r.status} for {r.url}") if r.status >= 400 else None,
        )
        # A request the browser itself cancelled (net::ERR_ABORTED: the page navigated away
        # while the favicon or an image was still loading) is no fault of the site.
        page.on(
            "requestfailed",
            lambda r: (
                None
                if r.failure == "net::ERR_ABORTED"
                else problems.append(f"request failed: {r.url} {r.failure}")
            ),
        )
        return page

    yield _make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The browser saw problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(make_page: Callable[..., Page]) -> Page:
    """A desktop-sized page (1280×800) on the live server."""
    return make_page()


@pytest.fixture
def seeded(live_server, transactional_db, django_db_serialized_rollback, seeds) -> dict:
    """The five seed articles, imported into the database the live server reads.

    `seeds` (tests/conftest.py) imports through the management command; with live_server and
    transactional_db requested here, pytest-django does not wrap the test in a transaction, so the
    rows are committed and the live server's thread sees them. A transactional test ends by
    emptying every table, which would also wipe the outlets that migration
    articles/0002_seed_outlets creates (later imports would then find no outlet at all);
    django_db_serialized_rollback restores the migrated rows before each test.
    """
    return seeds


def sign_in_page(page: Page, user, live_server) -> None:
    """Put a signed-in session (made with Client.force_login) into the page's browser context."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.fixture
def sign_in(live_server) -> Callable[[Page, object], None]:
    """sign_in(page, user): sign_in_page with this session's live server."""
    return lambda page, user: sign_in_page(page, user, live_server)

"""Import by link: the service, `import_articles https://…` and the admin's "Add by link".
Pages come from a local server (tests/ingest/pageserver.py); nothing reaches the internet."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.fetch import FetchError
from articles.ingest import IngestError
from articles.link_import import article_import_link, link_source_name
from articles.models import Article, ArticleRevision, Block
from articles.services import ImportStatus
from tests.ingest.pageserver import PAGE_TEXT

pytestmark = pytest.mark.django_db

TITLE = PAGE_TEXT.decode().splitlines()[0]


@pytest.fixture(autouse=True)
def allowed(settings, server):
    """The test server may be fetched from (it is on loopback); nothing else is relaxed."""
    settings.ASTANA_FETCH_ALLOW_HOSTS = server.allowed
    settings.ASTANA_FETCH_TIMEOUT = 2
    server.mutable = b"First version\n\nThe first text of the story, as the site printed it.\n"


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", "pw-123456789")


def counts() -> tuple[int, int, int]:
    return Article.objects.count(), ArticleRevision.objects.count(), Block.objects.count()


# --- The service -------------------------------------------------------------------------


def test_a_text_page_becomes_an_article(server):
    """A plain-text page is fetched and imported; its revision records the link."""
    url = f"{server.base}/page.txt"
    result = article_import_link(url=url)
    assert result.status is ImportStatus.CREATED
    assert result.article.title == TITLE
    assert result.article.source_name == link_source_name(url, pipeline="text")
    assert result.article.source_name.endswith(".txt")
    assert bytes(result.revision.raw_bytes) == PAGE_TEXT
    assert result.revision.source_path == url


def test_the_same_link_again_changes_nothing_until_the_page_does(server):
    """Re-importing a link leaves an unchanged page alone and adds a revision when it changed."""
    url = f"{server.base}/mutable.txt"
    first = article_import_link(url=url)
    again = article_import_link(url=url)
    assert again.status is ImportStatus.UNCHANGED
    assert counts()[:2] == (1, 1)
    server.mutable = b"Second version\n\nThe story, corrected by the site an hour later.\n"
    revised = article_import_link(url=url)
    assert revised.status is ImportStatus.REVISED
    assert revised.article.pk == first.article.pk
    assert revised.revision.number == 2
    assert counts()[:2] == (1, 2)


def test_a_redirected_link_records_where_it_led(server):
    """After redirects the revision records the link asked for and the final one."""
    url = f"{server.base}/redirect?to=/page.txt"
    result = article_import_link(url=url)
    assert result.revision.source_path == f"{url} -> {server.base}/page.txt"


def test_a_declared_charset_is_honoured(server):
    """A plain-text page in Windows-1251, declared in its header, reads as Russian."""
    result = article_import_link(url=f"{server.base}/cp1251.txt")
    assert result.article.title == "Дожди затопили долину"
    assert result.warnings == []


def test_an_html_page_goes_through_the_html_pipeline(server):
    """An HTML page is imported as a saved page, verbatim, with its link."""
    url = f"{server.base}/page.html"
    result = article_import_link(url=url)
    assert result.article.source_name.endswith(".html")
    assert result.article.title == "Rains flood the valley"
    assert "Heavy rains flooded the valley" in result.revision.body
    assert "Home" not in result.revision.body
    revision = ArticleRevision.objects.get(pk=result.revision.pk)
    if hasattr(revision, "source_format"):  # the HTML pipeline's own record of the page
        assert revision.source_format == "html"
        assert revision.source_url == url


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/redirect?to=http://10.0.0.1/", "redirect 1 to http://10.0.0.1/ refused"),
        ("/redirect?to=http://127.0.0.2:{port}/page.txt", "is a loopback address"),
        ("/loop", "redirects in a loop"),
        ("/pdf", "the link gives application/pdf, not a web page"),
        ("/huge", "the page is 52,428,800 bytes, over the limit of 5,242,880 bytes"),
        ("/endless", "the page is larger than the limit of 5,242,880 bytes"),
        ("/bomb", "the page unpacks to more than the size limit"),
        ("/status/404", "the site answered 404 Not Found"),
        ("/empty.txt", "file is empty"),
    ],
)
def test_a_failed_link_writes_nothing(server, path, message):
    """Every way a link fails is one clear line, and no row is written."""
    url = server.base + path.format(port=server.port)
    with pytest.raises(IngestError) as excinfo:
        article_import_link(url=url)
    assert message in str(excinfo.value)
    assert counts() == (0, 0, 0)


def test_a_link_that_never_answers_times_out_and_writes_nothing(server, settings):
    """The fetch gives up at the configured timeout (shortened here) with one clear line."""
    settings.ASTANA_FETCH_TIMEOUT = 0.3
    with pytest.raises(IngestError, match=r"^127\.0\.0\.1 did not answer within 0\.3 s$"):
        article_import_link(url=f"{server.base}/sleep")
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https links can be imported"),
        ("ftp://127.0.0.1/page.txt", "only http and https links can be imported"),
        ("javascript:alert(1)", "only http and https links can be imported"),
        ("http://localhost:{port}/page.txt", "is a loopback address"),
        ("http://127.0.0.1:1/page.txt", "is a loopback address"),
    ],
)
def test_unsafe_links_are_refused_before_fetching(server, url, message):
    """Other schemes, and loopback other than the allowed test server, are refused."""
    with pytest.raises(FetchError) as excinfo:
        article_import_link(url=url.format(port=server.port))
    assert message in str(excinfo.value)
    assert counts() == (0, 0, 0)


def test_loopback_is_refused_without_the_test_setting(server, settings):
    """With ASTANA_FETCH_ALLOW_HOSTS empty (every setting but tests), the test server is a
    loopback address like any other."""
    settings.ASTANA_FETCH_ALLOW_HOSTS = []
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address"):
        article_import_link(url=f"{server.base}/page.txt")
    assert counts() == (0, 0, 0)


# --- The command -------------------------------------------------------------------------


def test_the_command_imports_a_link(server):
    """`import_articles https://…` imports the page, and only it (not the seeds)."""
    out, err = io.StringIO(), io.StringIO()
    url = f"{server.base}/page.txt"
    call_command("import_articles", url, "--no-progress", "--no-compare", stdout=out, stderr=err)
    article = Article.objects.get()
    assert f"created: {url} -> /articles/{article.slug}/ (revision 1" in out.getvalue()
    assert "1 created; 0 failed." in out.getvalue()


def test_the_command_reports_a_failed_link_and_imports_the_rest(server, tmp_path):
    """A refused link is an error line; the files and links beside it still import."""
    text = tmp_path / "local.txt"
    text.write_text("Local story\n\nA story from a file on disk, imported beside a link.\n")
    out, err = io.StringIO(), io.StringIO()
    bad = f"{server.base}/pdf"
    with pytest.raises(CommandError, match="1 path"):
        call_command(
            "import_articles",
            str(text),
            bad,
            f"{server.base}/page.txt",
            "--no-progress",
            "--no-compare",
            stdout=out,
            stderr=err,
        )
    assert f"error: {bad}: the link gives application/pdf, not a web page" in err.getvalue()
    assert "2 created; 1 failed." in out.getvalue()
    assert Article.objects.count() == 2


# --- The admin ---------------------------------------------------------------------------


def test_the_article_list_and_import_page_link_to_add_by_link(client, curator):
    """ "Add by link" is offered on the article list and on the file import page."""
    client.force_login(curator)
    target = reverse("admin:articles_article_import_link")
    for page in ("admin:articles_article_changelist", "admin:articles_article_import"):
        assert f'href="{target}"' in client.get(reverse(page)).content.decode()


def test_a_curator_adds_an_article_by_link(client, curator, server):
    """Posting a link imports the page and opens the new article with a success message."""
    client.force_login(curator)
    url = f"{server.base}/page.txt"
    response = client.post(reverse("admin:articles_article_import_link"), {"url": url}, follow=True)
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    html = response.content.decode()
    assert f"Created from {url}: <a href=" in html
    assert article.title in html


def test_a_refused_link_in_the_admin_says_why_and_writes_nothing(client, curator, server):
    """A link that fails is shown again with the reason; nothing is stored."""
    client.force_login(curator)
    response = client.post(
        reverse("admin:articles_article_import_link"),
        {"url": f"{server.base}/redirect?to=http://10.0.0.1/"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Not imported: redirect 1 to http://10.0.0.1/ refused: 10.0.0.1 is a private address"
        in html
    )
    assert counts() == (0, 0, 0)


def test_only_curators_who_may_add_articles_fetch_links(client, django_user_model, server):
    """Staff without the add permission get 403, and nothing is fetched or written."""
    staff = django_user_model.objects.create_user("staff", password="pw-123456789", is_staff=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:articles_article_import_link"), {"url": f"{server.base}/page.txt"}
    )
    assert response.status_code == 403
    assert counts() == (0, 0, 0)

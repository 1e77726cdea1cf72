"""Every link import records its link (ArticleRevision.source_url), text pages as HTML ones;
a file from disk records none."""

import pytest

from articles.link_import import article_import_link
from articles.services import article_import
from tests.ingest.pageserver import PAGE_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allowed(settings, server):
    settings.ASTANA_FETCH_ALLOW_HOSTS = server.allowed


@pytest.mark.parametrize("path", ["/page.txt", "/page.html", "/page.gz"])
def test_a_link_import_records_its_link(server, path):
    """Plain text, HTML and packed text alike: the revision's source_url is the link."""
    url = f"{server.base}{path}"
    result = article_import_link(url=url)
    assert result.revision.source_format == ("html" if path.endswith(".html") else "text")
    result.revision.refresh_from_db()
    assert result.revision.source_url == url


def test_a_redirected_text_link_records_where_the_text_came_from(server):
    """After redirects the source URL is the page that gave the bytes."""
    result = article_import_link(url=f"{server.base}/redirect?to=/page.txt")
    result.revision.refresh_from_db()
    assert result.revision.source_url == f"{server.base}/page.txt"


def test_a_file_records_no_link():
    """A file from disk (its path as source path) has no source URL."""
    result = article_import(name="story.txt", data=PAGE_TEXT, source_path="/tmp/story.txt")
    assert result.revision.source_url == ""

"""Importing saved HTML pages: the service and the import_articles command, beside text files."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.ingest import IngestError, Kind
from articles.ingest.html import NO_ARTICLE, extract_html
from articles.management.commands import import_articles
from articles.models import Article, ArticleRevision, Block
from articles.services import article_import, article_reextract

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "ingest" / "fixtures" / "html"
NEWS = (FIXTURES / "news_page.html").read_bytes()
TEXT = (
    "Ceasefire holds in the north\n\n"
    "DAMASCUS - The ceasefire held for a third day on Sunday, officials said.\n\n"
    "Talks are expected to resume next week in the Kazakh capital.\n"
)


def snapshot() -> tuple[int, int, int]:
    return Article.objects.count(), ArticleRevision.objects.count(), Block.objects.count()


def run(*args: str, fails: bool = False) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if fails:
        with pytest.raises(CommandError):
            call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
    else:
        call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_html_page_is_imported_with_its_bytes_and_page_text():
    """The raw HTML is kept verbatim with its digest; the raw text is the page text."""
    result = article_import(name="valley-floods.html", data=NEWS, compare=False)
    revision = result.revision
    assert bytes(revision.raw_bytes) == NEWS
    assert revision.sha256 == hashlib.sha256(NEWS).hexdigest()
    assert revision.raw_text == extract_html(NEWS).page_text
    assert revision.source_format == "html"
    assert revision.source_url == "https://courier.example/news/2024/10/17/valley-floods"
    article = result.article
    assert article.title == "Floodwaters cut off valley towns as rivers burst banks"
    blocks = list(revision.blocks.order_by("position"))
    for block in blocks:
        assert revision.raw_text[block.start : block.end] == block.text
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["Sport"] == Kind.BREADCRUMB
    assert revision.body.startswith(article.title)


def test_html_is_sniffed_without_an_html_name():
    """A page saved under a name with no .html suffix is still read as HTML."""
    result = article_import(name="valley-floods", data=NEWS, compare=False)
    assert result.revision.source_format == "html"


def test_a_page_with_no_article_writes_nothing():
    """An error page is refused with a one-line reason and nothing is written."""
    before = snapshot()
    with pytest.raises(IngestError, match=NO_ARTICLE):
        article_import(
            name="missing.html", data=(FIXTURES / "not_found.html").read_bytes(), compare=False
        )
    assert snapshot() == before


def test_reextracting_an_html_article_reads_its_markup_again(admin_user):
    """Running extraction again on an HTML revision changes nothing (hints come back)."""
    result = article_import(name="valley-floods.html", data=NEWS, compare=False)
    again = article_reextract(user=admin_user, article=result.article)
    assert again.revision is None


def test_the_command_imports_html_pages_beside_text_files(tmp_path):
    """A directory of .txt, .html and .htm files imports them all; a bad page fails alone."""
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.html").write_bytes(NEWS)
    (tmp_path / "c.htm").write_bytes((FIXTURES / "arabic_rtl.html").read_bytes())
    (tmp_path / "d.html").write_bytes((FIXTURES / "not_found.html").read_bytes())
    (tmp_path / "e.png").write_bytes(b"\x89PNG\r\n")  # not a page: skipped
    out, err = run(str(tmp_path), "--no-compare", fails=True)
    assert "3 created; 1 failed." in out
    assert f"d.html: {NO_ARTICLE}" in err
    formats = dict(Article.objects.values_list("source_name", "current_revision__source_format"))
    assert formats == {"a.txt": "text", "b.html": "html", "c.htm": "html"}
    arabic = Article.objects.get(source_name="c.htm")
    assert arabic.language == "ar"
    assert arabic.direction == "rtl"


def test_the_command_reads_html_pages_in_worker_processes(tmp_path, monkeypatch):
    """With many files the workers run the HTML engine too; the result is the same. (The
    threshold and chunk are lowered so that a few pages use both workers.)"""
    monkeypatch.setattr(import_articles, "POOL_MIN_FILES", 4)
    monkeypatch.setattr(import_articles, "CHUNK", 2)
    for n in range(8):
        (tmp_path / f"page{n:02}.html").write_bytes(NEWS.replace(b"Millbrook", f"Mill{n}".encode()))
    out, _ = run(str(tmp_path), "--no-compare", "--workers", "2")
    assert "8 created; 0 failed." in out
    assert set(ArticleRevision.objects.values_list("source_format", flat=True).distinct()) == {
        "html"
    }

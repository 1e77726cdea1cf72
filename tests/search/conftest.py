"""Fixtures for the search tests: readers, articles made from a few lines of text, and helpers."""

from collections.abc import Callable

import pytest

from annotations.models import Annotation, Claim, Visibility
from annotations.services import annotation_create
from articles.models import Article
from articles.services import article_import
from tests.annotations.conftest import alice, bob  # noqa: F401 (fixtures)

FOOTERS = {
    "mehr-news-agency": "All Content by Mehr News Agency is licensed under a Creative Commons "
    "Attribution 4.0 International License.",
    "southfront": "Support SouthFront",
}


def page_text(title: str, *paragraphs: str, outlet: str = "mehr-news-agency") -> str:
    """A small web page as the importer reads it: headline, paragraphs, the outlet's footer."""
    return "\n\n".join([title, *paragraphs, FOOTERS[outlet]]) + "\n"


@pytest.fixture
def make_article(db) -> Callable[..., Article]:
    """Import a page under a file name (the same name again makes a new revision)."""

    def _make(name: str, title: str, *paragraphs: str, outlet: str = "mehr-news-agency"):
        data = page_text(title, *paragraphs, outlet=outlet).encode()
        return article_import(name=name, data=data).article

    return _make


def annotate(
    user,
    article: Article,
    words: str,
    *,
    note: str = "",
    visibility: str = Visibility.PUBLIC,
    tags: tuple[str, ...] = (),
    claim: Claim | None = None,
) -> Annotation:
    """Annotate the first occurrence of words in the article's current body."""
    article.refresh_from_db()
    start = article.current_revision.body.index(words)
    motivation = "assessing" if claim else "commenting" if note else "highlighting"
    return annotation_create(
        user=user,
        article=article,
        start=start,
        end=start + len(words),
        note=note,
        motivation=motivation,
        visibility=visibility,
        tags=list(tags),
        claim=claim,
    ).annotation


def found(response) -> list[tuple[str, str]]:
    """(kind, url) of each result on a search page, in order."""
    assert response.status_code == 200, response.content[:500]
    return [(r.kind.value, r.url) for r in response.context["results"].results]

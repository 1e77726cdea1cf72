"""Stored results and outlet boilerplate: what an outlet repeats in its own articles is never
linked, and stays right as the outlet's articles come, change and go."""

import pytest

from articles.comparison.engine import ENGINE_VERSION
from articles.comparison.store import comparison_refresh
from articles.models import Article, ComparedRevision, Outlet, PassageLink
from articles.services import article_import

pytestmark = pytest.mark.django_db

LINE = "Follow our coverage of the war in Syria on our channel for the latest updates."
STORIES = (
    "Apple growers in the valley report a record harvest after a mild and rainy spring.",
    "The city orchestra opens its winter season with a programme of forgotten symphonies.",
    "A new bridge over the northern river will carry trams from the end of next year.",
)


def _import(name: str, text: str) -> Article:
    return article_import(name=name, data=text.encode()).article


def _links_on_line() -> list[PassageLink]:
    found = []
    for link in PassageLink.objects.select_related("a_revision", "b_revision"):
        a_text = link.a_revision.body[link.a_start : link.a_end]
        if "coverage of the war" in a_text:
            found.append(link)
    return found


def test_an_outlets_own_line_is_masked_and_unmasked_as_its_articles_change():
    outlet = Outlet.objects.create(name="One", slug="one")
    articles = [
        _import(f"story{i}.txt", f"Story {i}\n\n{story}\n\n{LINE}\n")
        for i, story in enumerate(STORIES)
    ]
    assert _links_on_line()  # no outlet known yet: three articles share the line
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(outlet=outlet)
    comparison_refresh(article_ids=[a.pk for a in articles])
    assert _links_on_line() == []  # the outlet repeats it in three of its articles
    assert set(ComparedRevision.objects.values_list("engine_version", flat=True)) == {
        ENGINE_VERSION
    }
    # One of them drops the line: for the other two it is no longer the outlet's
    # boilerplate, and their stored results are recomputed though neither changed.
    revised = _import("story0.txt", f"Story 0\n\n{STORIES[0]}\n")
    assert revised.pk == articles[0].pk
    links = _links_on_line()
    assert {(link.a_article_id, link.b_article_id) for link in links} == {
        (articles[1].pk, articles[2].pk)
    }


def test_results_of_an_older_engine_are_recomputed():
    first = _import("a.txt", f"A\n\n{STORIES[0]}\n\n{LINE}\n")
    _import("b.txt", f"B\n\n{STORIES[1]}\n\n{LINE}\n")
    assert comparison_refresh().compared == 0
    ComparedRevision.objects.filter(revision__article=first).update(engine_version=0)
    report = comparison_refresh()
    assert report.compared == 1
    assert ComparedRevision.objects.get(revision__article=first).engine_version == ENGINE_VERSION

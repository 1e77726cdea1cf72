"""The pager (templates/_pager.html) keeps the filters and sort a list was opened with."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from lxml import html

from annotations import services, tag_index

pytestmark = pytest.mark.django_db


def _pager_links(response) -> dict[str, dict[str, list[str]]]:
    tree = html.fromstring(response.content)
    return {
        a.get("rel"): parse_qs(urlparse(a.get("href")).query)
        for a in tree.xpath("//nav[@class='pager']//a[@rel]")
    }


def test_article_list_pages_keep_the_sort(client, seeds, settings):
    settings.ASTANA_ARTICLES_PER_PAGE = 1
    response = client.get("/?sort=-title&page=2&junk=1")
    assert response.status_code == 200
    links = _pager_links(response)
    # The sort is kept; a parameter the list does not read is not carried along.
    assert links["prev"] == {"page": ["1"], "sort": ["-title"]}
    assert links["next"] == {"page": ["3"], "sort": ["-title"]}


def test_tag_index_pages_keep_sort_and_query(client, seeds, monkeypatch):
    monkeypatch.setattr(tag_index, "PER_PAGE", 2)
    alice = get_user_model().objects.create_user("alice", password="pw-123456789")
    article = seeds["001"]
    body = article.current_revision.body
    for n in range(5):
        start = body.index(" ", 40 * n) + 1
        services.annotation_create(
            user=alice,
            article=article,
            start=start,
            end=start + 5,
            exact=body[start : start + 5],
            motivation="tagging",
            tags=[f"talks-{n}"],
        )
    response = client.get("/tags/?sort=name&q=talks&page=2")
    links = _pager_links(response)
    assert links["prev"] == {"page": ["1"], "q": ["talks"], "sort": ["name"]}
    assert links["next"] == {"page": ["3"], "q": ["talks"], "sort": ["name"]}

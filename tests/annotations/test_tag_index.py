"""The tag index (/tags/): every tag the reader may see with its count, sortable, filterable,
linked from the site header, in a number of queries that does not grow with the tags."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from articles.services import article_import
from tests.factories import ARTICLE_TEMPLATE

pytestmark = pytest.mark.django_db


def make_article(n: int):
    data = ARTICLE_TEMPLATE.format(n=n).encode()
    return article_import(name=f"tag-index-{n:03}.txt", data=data, compare=False).article


def annotate(user, article, *, tags, visibility="public", at=0):
    return services.annotation_create(
        user=user,
        article=article,
        start=at,
        end=at + 6,
        motivation="tagging",
        tags=tags,
        visibility=visibility,
    ).annotation


def rows(response) -> list[tuple[str, int]]:
    """The (tag, count) rows of the index table, in order."""
    html = response.content.decode()
    found = re.findall(
        r'<td><a href="/tags/[^"]+/" dir="auto">([^<]+)</a></td>\s*<td class="num">(\d+)</td>',
        html,
    )
    return [(name, int(count)) for name, count in found]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("mod", password="pw-123456789", is_staff=True)


@pytest.fixture
def corpus(alice, bob, staff):
    """alice: two public "talks", one private "secret", one public "hidden-one" (hidden by
    staff); bob: one public "talks", one public "Ceasefire"."""
    one, two = make_article(1), make_article(2)
    annotate(alice, one, tags=["talks"])
    annotate(alice, two, tags=["talks"], at=10)
    annotate(alice, one, tags=["secret"], visibility="private", at=20)
    hidden = annotate(alice, two, tags=["hidden-one"], at=30)
    services.annotation_set_hidden(user=staff, annotation=hidden, hidden=True)
    annotate(bob, one, tags=["talks", "Ceasefire"], at=40)
    return one, two


def test_counts_follow_what_each_reader_may_see(client, alice, bob, staff, corpus):
    """Anonymous readers count public unhidden passages; alice also her private and hidden
    ones; bob never alice's private one; staff the hidden one but not the private one."""
    assert rows(client.get("/tags/")) == [("Ceasefire", 1), ("talks", 3)]
    client.force_login(bob)
    assert rows(client.get("/tags/")) == [("Ceasefire", 1), ("talks", 3)]
    client.force_login(alice)
    assert rows(client.get("/tags/")) == [
        ("Ceasefire", 1),
        ("hidden-one", 1),
        ("secret", 1),
        ("talks", 3),
    ]
    client.force_login(staff)
    assert rows(client.get("/tags/")) == [("Ceasefire", 1), ("hidden-one", 1), ("talks", 3)]


def test_replies_and_unpublished_articles_do_not_count(client, alice, bob, corpus):
    """A tag's count is the passages its own page lists: an archived article's are left out."""
    one, _ = corpus
    one.status = "archived"
    one.save(update_fields=["status"])
    assert rows(client.get("/tags/")) == [("talks", 1)]


def test_sorts_by_name_and_by_count_both_ways(client, alice, corpus):
    """?sort=name|-name|count|-count orders the rows; an unknown sort is by name."""
    annotate(alice, corpus[0], tags=["alpha"], at=50)
    by_name = [("alpha", 1), ("Ceasefire", 1), ("talks", 3)]
    assert rows(client.get("/tags/?sort=name")) == by_name
    assert rows(client.get("/tags/?sort=-name")) == by_name[::-1]
    assert rows(client.get("/tags/?sort=-count")) == [("talks", 3), ("alpha", 1), ("Ceasefire", 1)]
    assert rows(client.get("/tags/?sort=count")) == [("alpha", 1), ("Ceasefire", 1), ("talks", 3)]
    assert rows(client.get("/tags/?sort=nonsense")) == by_name


def test_sort_headers_link_to_the_other_order(client, corpus):
    """The column headers say which way the list is sorted and keep the filter."""
    html = client.get("/tags/?sort=-count&q=a").content.decode()
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=count&amp;q=a"' in html  # counts: most first, then fewest
    assert 'href="?sort=name&amp;q=a"' in html


def test_filter_box_narrows_by_name_case_insensitively(client, corpus):
    """?q= keeps the tags whose names contain the words, whatever their case."""
    response = client.get("/tags/?q=CEASE")
    assert rows(response) == [("Ceasefire", 1)]
    assert 'value="CEASE"' in response.content.decode()
    empty = client.get("/tags/?q=secret")  # alice's private tag is no match for others
    assert rows(empty) == []
    assert "No tag you can see matches" in empty.content.decode()


def test_empty_site_says_so(client, db):
    """With no tags at all the page explains how to add one."""
    response = client.get("/tags/")
    assert response.status_code == 200
    assert "No tags yet" in response.content.decode()


def test_header_links_to_the_index_and_marks_it_current(client, corpus):
    """Every page's header has a Tags link; on the index it is the current page."""
    home = client.get("/").content.decode()
    assert '<a href="/tags/">Tags</a>' in home
    index = client.get("/tags/").content.decode()
    assert '<a href="/tags/" aria-current="page">Tags</a>' in index


def test_tag_page_links_usernames_to_their_pages(client, corpus):
    """The tag's own page links each passage's author to their page."""
    html = client.get("/tags/talks/").content.decode()
    assert '<a href="/users/alice/">alice</a>' in html
    assert '<a href="/users/bob/">bob</a>' in html


@pytest.mark.parametrize("viewer", ["anonymous", "alice", "staff"])
def test_query_count_does_not_grow_with_tags(
    client, django_assert_num_queries, alice, staff, viewer
):
    """The index runs as many queries with 50 tags as with 5."""
    article = make_article(7)
    if viewer != "anonymous":
        client.force_login(alice if viewer == "alice" else staff)
    for i in range(5):
        annotate(alice, article, tags=[f"tag-{i:03}"], at=i)
    with CaptureQueriesContext(connection) as few:
        assert len(rows(client.get("/tags/"))) == 5
    for i in range(5, 50):
        annotate(alice, article, tags=[f"tag-{i:03}"], at=i % 40)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows(client.get("/tags/"))) == 50


def test_large_query_is_bounded(client, corpus):
    """A very long ?q= is cut, not refused."""
    html = client.get("/tags/?q=" + "a" * 5000).content.decode()
    assert f'value="{"a" * 100}"' in html

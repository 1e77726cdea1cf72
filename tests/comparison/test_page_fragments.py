"""The compare page keeps its picker, its columns and panels, and its claims in the cache:
readers who read the same notes there are given the same fragments, drawn once; a reader's own
notes (private, their group's, their marks of a claim elsewhere) reach them alone; any change
shows on the next request; the picker lists the newest articles when there are many."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Motivation
from annotations.pages import compare as compare_page
from articles.models import Article

pytestmark = pytest.mark.django_db

GUARANTOR = "This will be a test for the Russians as the guarantor"
PASSWORD = "pw-123456789"
COLUMNS = re.compile(r'<div class="cmp-columns" data-compare>.*', re.S)


@pytest.fixture
def world(seeds, alice, bob, compare_url):
    User = get_user_model()
    olga = User.objects.create_user("olga", password=PASSWORD)
    group = services.group_create(user=olga, name="Desk")
    mia = User.objects.create_user("mia", password=PASSWORD)
    services.group_join(user=mia, token=group.invite_token)
    return {
        "alice": alice,
        "bob": bob,
        "olga": olga,
        "mia": mia,
        "group": group,
        "url": compare_url(seeds["001"], seeds["004"]),
        "first": seeds["001"],
        "second": seeds["004"],
    }


def _client(world, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world[who])
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _note(user, article, words: str, **fields):
    start = article.current_revision.body.index(words)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(words), **fields
    ).annotation


def test_readers_without_notes_of_their_own_share_what_was_drawn(world):
    """A second reader, signed in or not, is given the columns the first one's request drew,
    without the page being built again (no comparison row is read)."""
    _note(world["alice"], world["first"], GUARANTOR, note="A public note")
    drawn = COLUMNS.search(_page(_client(world, "alice"), world["url"])).group()
    for who in ("bob", "mia"):
        with CaptureQueriesContext(connection) as ctx:
            html = _page(_client(world, who), world["url"])
        assert COLUMNS.search(html).group() == drawn, who
        read = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "articles_discrepancy" not in read, who
        assert "articles_framinghit" not in read, who
    assert "A public note" in drawn


@pytest.mark.parametrize("who", ["alice", "bob", "anonymous"])
def test_a_private_note_reaches_its_writer_alone(world, who):
    """After every reader's page is kept, Alice's private note shows on her page only, and
    her edit of it on the next request."""
    readers = {name: _client(world, name) for name in ("alice", "bob", "anonymous")}
    for client in readers.values():
        _page(client, world["url"])
    note = _note(
        world["alice"], world["second"], GUARANTOR, note="marmot remark", visibility="private"
    )
    html = _page(readers[who], world["url"])
    assert ("marmot remark" in html) == (who == "alice")
    services.annotation_update(
        user=world["alice"], annotation=note, expected_version=None, note="ibex remark"
    )
    html = _page(readers[who], world["url"])
    assert "marmot remark" not in html
    assert ("ibex remark" in html) == (who == "alice")


def test_a_groups_note_reaches_its_members_alone(world):
    """A note published to a group shows to its members, never to others, whoever drew the
    page first."""
    clients = {who: _client(world, who) for who in ("olga", "mia", "bob", "anonymous")}
    for client in clients.values():
        _page(client, world["url"])
    _note(world["mia"], world["first"], GUARANTOR, note="capybara remark", group=world["group"])
    for who, client in clients.items():
        assert ("capybara remark" in _page(client, world["url"])) == (who in ("olga", "mia"))


def test_a_public_note_shows_to_everyone_at_once(world):
    """Every reader's kept page shows a new public note on the next request."""
    clients = [_client(world, who) for who in ("alice", "bob", "anonymous")]
    for client in clients:
        _page(client, world["url"])
    _note(world["bob"], world["second"], GUARANTOR, note="dingo remark")
    for client in clients:
        assert "dingo remark" in _page(client, world["url"])


def test_the_claims_panel_shows_a_readers_own_marks_to_them_alone(world, seeds, compare_url):
    """A claim marked publicly in one article is offered for the passage another article
    carries, even one not on the page; Alice's private mark of it there shows as "already
    marked" to her only."""
    claim = services.claim_create(user=world["alice"], text="The guarantor claim")
    _note(
        world["alice"],
        world["first"],
        GUARANTOR,
        motivation=Motivation.ASSESSING,
        claim=claim,
    )
    url = compare_url(world["first"], seeds["000"])  # the copy in 004 is not on the page
    alice, bob = _client(world, "alice"), _client(world, "bob")
    for client in (alice, bob):
        html = _page(client, url)
        assert "The guarantor claim" in html
        assert "already marked" not in html
    _note(
        world["alice"],
        world["second"],
        GUARANTOR,
        motivation=Motivation.ASSESSING,
        claim=claim,
        visibility="private",
    )
    assert "already marked" in _page(alice, url)
    assert "already marked" not in _page(bob, url)


def test_the_picker_lists_the_newest_articles_when_there_are_many(world, seeds, monkeypatch):
    """Past PICKER_ALL articles the picker lists the PICKER_NEWEST newest and the chosen
    ones (ticked), and says how to reach the others; below it, every article."""
    every = _page(_client(world, "bob"), world["url"])
    assert every.count('name="articles" value=') == len(seeds)
    monkeypatch.setattr(compare_page, "PICKER_ALL", 3)
    monkeypatch.setattr(compare_page, "PICKER_NEWEST", 2)
    cache.clear()  # (the list kept above was drawn under the other limits)
    html = _page(_client(world, "bob"), world["url"])
    boxes = re.findall(r'name="articles" value="([^"]+)"( checked)?>', html)
    ticked = {slug for slug, checked in boxes if checked}
    assert ticked == {world["first"].slug, world["second"].slug}
    newest = Article.objects.order_by(
        F("published_date").desc(nulls_last=True), "-created", "-pk"
    ).values_list("slug", flat=True)[:2]
    assert {slug for slug, _ in boxes} == ticked | set(newest)
    assert f"newest of {len(seeds)} articles" in html

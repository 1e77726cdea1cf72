"""Every count shown to a viewer counts only what that viewer may see.

One article carries a public passage with a public reply (what everyone sees), alice's private
passage and a passage staff hid, each with public replies by others; one claim is carried by
the public, the private and the hidden passage, another only by the private one. Each row of
COUNTS reads one number off one surface for each viewer; a new counting surface is one line.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from annotations import services
from annotations.models import Claim
from articles.models import Article
from tests.security.conftest import annotate

WORD = "kinkajou"  # in both claims' text, nowhere in the seeds
REPLY = "aardvarkreply"  # in the public replies under the private and the hidden passage
TAG = "countedtag"  # on the public, the private and the hidden passage


@dataclass
class World:
    article: Article
    shared: Claim  # carried by the public, the private and the hidden passage
    mine: Claim  # alice's, carried only by her private passage
    users: dict


@pytest.fixture
def world(seeds) -> World:
    User = get_user_model()
    users = {
        "anonymous": None,
        "alice": User.objects.create_user("alice", password="pw-123456789"),
        "bob": User.objects.create_user("bob", password="pw-123456789"),
        "staff": User.objects.create_user("sam", password="pw-123456789", is_staff=True),
    }
    carol = User.objects.create_user("carol", password="pw-123456789")
    alice, bob = users["alice"], users["bob"]
    article = seeds["004"]
    shared = services.claim_create(user=carol, text=f"The {WORD} talks will go ahead.")
    mine = services.claim_create(user=alice, text=f"The {WORD} delegation is small.")

    def passage(user, quote: str, **fields):
        return annotate(user, article, quote, motivation="assessing", tags=[TAG], **fields)

    public = passage(carol, "Foreign-sponsored militant groups", claim=shared)
    services.annotation_reply(user=bob, parent=public, note="A public reply.")
    private = passage(alice, "Mohammad Alloush", claim=shared, visibility="private")
    annotate(
        alice,
        article,
        "Zakaria Malahifji",
        motivation="assessing",
        claim=mine,
        visibility="private",
    )
    services.annotation_reply(user=bob, parent=private, note=f"Bob: {REPLY}.")
    services.annotation_reply(user=carol, parent=private, note=f"Carol: {REPLY}.")
    hidden = passage(carol, "Ahmad al-Othman", claim=shared)
    services.annotation_reply(user=bob, parent=hidden, note=f"Under a hidden one: {REPLY}.")
    services.annotation_set_hidden(user=users["staff"], annotation=hidden, hidden=True)
    return World(article, shared, mine, users)


def _row_cell(label: str) -> Callable[[World, str], int]:
    """A number in the article list's row for the world's article."""

    def read(w: World, body: str) -> int:
        row = body.split(f'href="/articles/{w.article.slug}/"', 1)[1].split("</tr>", 1)[0]
        return int(re.search(rf'data-label="{label}" class="num">(\d+)<', row)[1])

    return read


def _passages_of(claim: str) -> Callable[[World, str], int]:
    """The "N passage(s)" the claim list shows for one of the world's claims."""

    def read(w: World, body: str) -> int:
        item = body.split(f'href="/claims/{getattr(w, claim).pk}/"', 1)[1]
        return int(re.search(r"(\d+) passages?</span>", item)[1])

    return read


def _json(path: Callable[[object], object]) -> Callable[[World, str], int]:
    return lambda w, body: path(json.loads(body))


def _search_total(w: World, body: str) -> int:
    found = re.search(r"(\d+) results? for", body)
    return int(found[1]) if found else 0


def _tag_page(w: World, body: str) -> int:
    return sum(int(n) for n in re.findall(r'<span class="muted">\((\d+)\)</span></h2>', body))


def _claim_page(w: World, body: str) -> int:
    return sum(int(n) for n in re.findall(r'<span class="muted">\((\d+)\)</span></h3>', body))


# surface -> (address, read the number off the body, the number per viewer)
COUNTS = {
    "article-list-annotations": (
        lambda w: "/?sort=-annotations",
        _row_cell("Annotations"),
        {"anonymous": 2, "bob": 2, "alice": 2, "staff": 2},
    ),
    "article-list-claims": (
        lambda w: "/?sort=-claims",
        _row_cell("Claims"),
        {"anonymous": 1, "bob": 1, "alice": 1, "staff": 1},
    ),
    "claim-list-passages": (
        lambda w: "/claims/",
        _passages_of("shared"),
        {"anonymous": 1, "bob": 1, "alice": 2, "staff": 2},
    ),
    "claim-page-passages": (
        lambda w: f"/claims/{w.shared.pk}/",
        _claim_page,
        {"anonymous": 1, "bob": 1, "alice": 2, "staff": 2},
    ),
    "api-claim-total": (
        lambda w: "/api/claims/",
        _json(lambda data: data["count"]),
        {"anonymous": 1, "bob": 1, "alice": 2, "staff": 1},
    ),
    "search-claim-total": (
        lambda w: f"/search/?q={WORD}&kind=claim",
        _search_total,
        {"anonymous": 1, "bob": 1, "alice": 2, "staff": 1},
    ),
    "search-reply-total": (
        lambda w: f"/search/?q={REPLY}&kind=annotation",
        _search_total,
        {"anonymous": 0, "bob": 0, "alice": 2, "staff": 1},
    ),
    "tag-page": (
        lambda w: f"/tags/{TAG}/",
        _tag_page,
        {"anonymous": 1, "bob": 1, "alice": 2, "staff": 2},
    ),
    "tag-autocomplete": (
        lambda w: f"/api/tags/?q={TAG}",
        _json(lambda data: data[0]["count"]),
        {"anonymous": 1, "bob": 1, "alice": 2, "staff": 2},
    ),
    "api-annotation-total": (
        lambda w: f"/api/annotations/?article={w.article.slug}",
        _json(lambda data: data["partOf"]["total"]),
        {"anonymous": 2, "bob": 2, "alice": 6, "staff": 4},
    ),
}


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("surface", sorted(COUNTS))
def test_a_count_counts_only_what_the_viewer_may_see(world, surface):
    """The number this surface shows each viewer is what that viewer may see of it."""
    address, read, expected = COUNTS[surface]
    shown = {}
    for viewer in expected:
        response = _client(world.users[viewer]).get(address(world))
        assert response.status_code == 200, (viewer, response.status_code)
        shown[viewer] = read(world, response.content.decode())
    assert shown == expected

"""A claim is seen only by who may see an annotation carrying it, and by its creator.

Three claims of one creator, each with its own marker words (text, claimant, reviewer notes,
tag, also on the passage carrying it): one carried only by the creator's private annotation,
one only by an annotation staff hid, and one no passage carries (made through the API). A
control claim on a public passage is seen by everyone. Each surface in SURFACES is read by
every viewer, who must find none of the markers of the claims they may not see, nor the
creator's name when they may see none.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from annotations import services
from annotations.models import Claim
from articles.models import Article
from tests.security.conftest import annotate

CREATOR = "quetzal"  # the name appears nowhere but on the three claims' records
SHARED = "kinkajou"  # in every claim's text, so one search finds them all
MARKERS = {
    "private": {
        "text": "zebutext",
        "claimant": "zebuperson",
        "notes": "zebunotes",
        "tag": "zebutag",
    },
    "hidden": {
        "text": "ibextext",
        "claimant": "ibexperson",
        "notes": "ibexnotes",
        "tag": "ibextag",
    },
    "standalone": {
        "text": "lemurtext",
        "claimant": "lemurperson",
        "notes": "lemurnotes",
        "tag": "lemurtag",
    },
}
PUBLIC = {
    "text": "wombattext",
    "claimant": "wombatperson",
    "notes": "wombatnotes",
    "tag": "wombattag",
}
# Which of the three claims each viewer may see, by the rule in annotations/access.py.
SEES = {
    "anonymous": set(),
    "bob": set(),
    "creator": {"private", "hidden", "standalone"},
    "staff": {"hidden"},
}


@dataclass
class World:
    article: Article
    other: Article
    claims: dict[str, Claim]
    public_claim: Claim
    users: dict


def _claim(user, words: dict, **extra) -> Claim:
    return services.claim_create(
        user=user,
        text=f"The {words['text']} {SHARED} holds.",
        claimant=words["claimant"],
        reviewer_notes=f"Checked: {words['notes']}.",
        rating="disputed",
        **extra,
    )


@pytest.fixture
def world(seeds) -> World:
    User = get_user_model()
    creator = User.objects.create_user(CREATOR, password="pw-123456789")
    carol = User.objects.create_user("carol", password="pw-123456789")
    users = {
        "anonymous": None,
        "creator": creator,
        "bob": User.objects.create_user("bob", password="pw-123456789"),
        "staff": User.objects.create_user("sam", password="pw-123456789", is_staff=True),
    }
    article = seeds["001"]
    claims = {name: _claim(creator, words, tags=[words["tag"]]) for name, words in MARKERS.items()}
    annotate(
        creator,
        article,
        "Vladimir Putin said that that Syrian opposition groups",
        motivation="assessing",
        claim=claims["private"],
        visibility="private",
        tags=[MARKERS["private"]["tag"]],
    )
    hidden = annotate(
        creator,
        article,
        "ceasefire deal",
        motivation="assessing",
        claim=claims["hidden"],
        tags=[MARKERS["hidden"]["tag"]],
    )
    services.annotation_set_hidden(user=users["staff"], annotation=hidden, hidden=True)
    public_claim = _claim(carol, PUBLIC, tags=[PUBLIC["tag"]])
    annotate(carol, article, "Moscow has said", motivation="assessing", claim=public_claim)
    return World(article, seeds["004"], claims, public_claim, users)


def _every_claim(w: World) -> list[Claim]:
    return [*w.claims.values(), w.public_claim]


def _export(w: World) -> list[str]:
    formats = ("jsonld", "csv", "claimreview")
    return [f"/api/export/?format={f}" for f in formats] + [
        f"/api/export/?format={f}&article={w.article.slug}" for f in formats
    ]


# surface -> the addresses to read there (none echoes a marker of its own query string)
SURFACES = {
    "claim-list": lambda w: ["/claims/", f"/claims/?q={SHARED}"],
    "claim-detail": lambda w: [f"/claims/{c.pk}/" for c in _every_claim(w)],
    "api-claim-list": lambda w: ["/api/claims/", f"/api/claims/?q={SHARED}"],
    "api-claim-detail": lambda w: [f"/api/claims/{c.pk}/" for c in _every_claim(w)],
    "search": lambda w: [f"/search/?q={SHARED}", f"/search/?q={SHARED}&kind=claim"],
    "search-tag-filter": lambda w: [
        f"/search/?q={SHARED}&tag={m['tag']}" for m in MARKERS.values()
    ],
    "tag-page": lambda w: [f"/tags/{m['tag']}/" for m in MARKERS.values()],
    "tag-autocomplete": lambda w: [
        "/api/tags/",
        *(f"/api/tags/?q={m['tag']}" for m in MARKERS.values()),
    ],
    "export": _export,
    "compare": lambda w: [f"/compare/?articles={w.article.slug},{w.other.slug}"],
    "article-page": lambda w: [f"/articles/{w.article.slug}/"],
    "article-list": lambda w: ["/", "/?sort=-claims"],
}


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _read(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code in (200, 404), (address, response.status_code)
    return response.content.decode("utf-8", "replace").lower()


def _forbidden(viewer: str) -> set[str]:
    words = {word for name in set(MARKERS) - SEES[viewer] for word in MARKERS[name].values()}
    return words | ({CREATOR} if not SEES[viewer] else set())


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_no_surface_shows_a_claim_the_viewer_may_not_see(world, surface):
    """Text, claimant, reviewer notes, tag and creator of a claim the viewer may not see
    appear nowhere on this surface, for any viewer."""
    leaks = []
    for viewer in sorted(SEES):
        client = _client(world.users[viewer])
        for address in SURFACES[surface](world):
            body = _read(client, address)
            leaks += [
                (viewer, address, word) for word in sorted(_forbidden(viewer)) if word in body
            ]
    assert leaks == []


# surface -> what of a visible claim it shows (the control: absence above means something)
SHOWN = {
    "claim-list": ("text", "claimant"),
    "claim-detail": ("text", "claimant", "notes", "tag"),
    "api-claim-list": ("text", "claimant", "notes", "tag"),
    "api-claim-detail": ("text", "claimant", "notes", "tag"),
    "search": ("text",),
}


@pytest.mark.parametrize("surface", sorted(SHOWN))
def test_a_claim_the_viewer_may_see_is_shown(world, surface):
    """The creator sees all three claims, staff the hidden one, everyone the public one."""
    missing = []
    for viewer in sorted(SEES):
        client = _client(world.users[viewer])
        body = " ".join(_read(client, address) for address in SURFACES[surface](world))
        for words in [PUBLIC, *(MARKERS[name] for name in sorted(SEES[viewer]))]:
            missing += [(viewer, words[f]) for f in SHOWN[surface] if words[f] not in body]
    assert missing == []


def test_the_search_tag_filter_offers_the_tags_of_visible_claims_only(world):
    """The filter's tag list names a claim's tag only for a viewer who may see the claim."""
    for viewer in SEES:
        body = _read(_client(world.users[viewer]), f"/search/?q={SHARED}")
        offered = {name for name in MARKERS if f">{MARKERS[name]['tag']}</option>" in body}
        assert offered == SEES[viewer], viewer
        assert ">wombattag</option>" in body


@pytest.mark.parametrize("name", sorted(MARKERS))
def test_a_claim_the_viewer_may_not_see_is_404_to_read_and_to_change(world, name):
    """Page and API detail answer 404 (never 403) to whoever may not see the claim, and
    neither their PATCH nor their DELETE changes it."""
    claim = world.claims[name]
    for viewer in sorted(SEES):
        client = _client(world.users[viewer])
        expected = 200 if name in SEES[viewer] else 404
        assert client.get(f"/claims/{claim.pk}/").status_code == expected, viewer
        assert client.get(f"/api/claims/{claim.pk}/").status_code == expected, viewer
        if name in SEES[viewer]:
            continue
        address = f"/api/claims/{claim.pk}/"
        patch = client.patch(address, {"rating": "false"}, content_type="application/json")
        assert (patch.status_code, client.delete(address).status_code) == (404, 404), viewer
        claim.refresh_from_db()
        assert claim.rating == "disputed"


def test_an_invisible_claim_cannot_be_attached_to_a_passage(world):
    """Naming a claim one may not see in a new assessing annotation is refused as unknown."""
    client = _client(world.users["bob"])
    body = world.article.current_revision.body
    quote = "Moscow has said"
    start = body.index(quote)
    response = client.post(
        "/api/annotations/",
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "motivation": "assessing",
            "claim": f"http://testserver/api/claims/{world.claims['standalone'].pk}/",
            "target": {
                "source": f"http://testserver/articles/{world.article.slug}/",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": quote},
                    {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
                ],
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "claim" in response.json()


def test_a_claim_becomes_visible_once_a_public_passage_carries_it(world):
    """The standalone claim is the creator's alone until a public passage carries it."""
    claim = world.claims["standalone"]
    anonymous = Client()
    assert anonymous.get(f"/claims/{claim.pk}/").status_code == 404
    annotate(
        world.users["creator"], world.other, "Wadi Barada", motivation="assessing", claim=claim
    )
    page = _read(anonymous, f"/claims/{claim.pk}/")
    assert MARKERS["standalone"]["text"] in page
    assert f"recorded by {CREATOR}" in page

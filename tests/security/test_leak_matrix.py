"""What a viewer may not see never reaches them, on any page, API, export or search.

One world holds records only some viewers may see, each carrying its own marker word: alice's
private note (its tag, the claim it carries, that claim's claimant, reviewer notes and tag), a
note hidden by staff, and a public reply under alice's private note. Every route a reader can
GET is listed in SURFACES (a test fails when a route is added without a line here). Before
each viewer looks, alice and a staff member look at every surface first, so per-user and
anonymous caches are warm with what *they* may see; then the viewer must find none of the
markers they may not see. Demoted staff look after losing the role.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from annotations import services
from annotations.models import Annotation, Claim, Notification
from articles.models import Article
from tests.security.conftest import annotate

# Marker words: one search token each, found nowhere in the seeds.
PRIVATE_NOTE = "quokkanote"
PRIVATE_TAG = "quokkatag"
CLAIM_TEXT = "pangolinclaim"
CLAIMANT = "tapirclaimant"
REVIEW = "okapireview"
CLAIM_TAG = "okapitag"
HIDDEN_NOTE = "narwhalnote"
HIDDEN_TAG = "narwhaltag"
ORPHAN_REPLY = "axolotlreply"
PUBLIC_NOTE = "wombatnote"  # the control: everyone sees it
HANDLE = "lemurword"  # in every secret text, so one search finds them all without echoing one

ALICE_ONLY = {PRIVATE_NOTE, PRIVATE_TAG, CLAIM_TEXT, CLAIMANT, REVIEW, CLAIM_TAG, ORPHAN_REPLY}
HIDDEN = {HIDDEN_NOTE, HIDDEN_TAG}
# What each viewer must never be shown.
FORBIDDEN = {
    "anonymous": ALICE_ONLY | HIDDEN,
    "bob": ALICE_ONLY | HIDDEN,
    "demoted": ALICE_ONLY | HIDDEN,
    "staff": ALICE_ONLY,
}
QUOTE_PRIVATE = "Vladimir Putin said that that Syrian opposition groups"
QUOTE_HIDDEN = "ceasefire deal"
QUOTE_PUBLIC = "Moscow has said"


@dataclass
class World:
    article: Article
    other: Article
    private: Annotation
    hidden: Annotation
    claim: Claim
    users: dict


@pytest.fixture
def world(seeds) -> World:
    User = get_user_model()
    alice = User.objects.create_user("alice", password="pw-123456789")
    carol = User.objects.create_user("carol", password="pw-123456789")
    users = {
        "alice": alice,
        "bob": User.objects.create_user("bob", password="pw-123456789"),
        "staff": User.objects.create_user("sam", password="pw-123456789", is_staff=True),
        "demoted": User.objects.create_user("dora", password="pw-123456789", is_staff=True),
    }
    article = seeds["001"]
    claim = services.claim_create(
        user=alice,
        text=f"The {CLAIM_TEXT} {HANDLE} holds.",
        claimant=CLAIMANT,
        reviewer_notes=f"Checked: {REVIEW} {HANDLE}.",
        tags=[CLAIM_TAG],
    )
    private = annotate(
        alice,
        article,
        QUOTE_PRIVATE,
        motivation="assessing",
        claim=claim,
        visibility="private",
        note=f"My {PRIVATE_NOTE} {HANDLE} here.",
        tags=[PRIVATE_TAG],
    )
    services.annotation_reply(user=carol, parent=private, note=f"A {ORPHAN_REPLY} {HANDLE} to it.")
    hidden = annotate(
        carol, article, QUOTE_HIDDEN, note=f"A {HIDDEN_NOTE} {HANDLE}.", tags=[HIDDEN_TAG]
    )
    services.annotation_set_hidden(user=users["staff"], annotation=hidden, hidden=True)
    annotate(carol, article, QUOTE_PUBLIC, note=f"A {PUBLIC_NOTE}.", tags=["wombattag"])
    return World(article, seeds["004"], private, hidden, claim, users)


def _tag_slug(name: str) -> str:
    from taggit.models import Tag

    return Tag.objects.get(name=name).slug


def _story_url(w: World) -> str:
    """A confirmed story holding the world's article and its neighbour (made on first use)."""
    from articles.models import Story, StoryArticle

    story, _ = Story.objects.get_or_create(
        slug="leak-matrix-story", defaults={"title": "The leak matrix story", "status": "confirmed"}
    )
    for article in (w.article, w.other):
        StoryArticle.objects.get_or_create(
            story=story, article=article, defaults={"status": "confirmed"}
        )
    return story.get_absolute_url()


# route name -> the addresses to read there
SURFACES = {
    "stories:list": lambda w: ["/stories/"],
    # Groups: the reader's own list; a group's page is its members' (test_group_matrix.py
    # reads the pages of a group with secrets in it).
    "annotations:group-list": lambda w: ["/groups/"],
    "annotations:group-detail": lambda w: ["/groups/no-such-group/"],
    "stories:detail": lambda w: [_story_url(w)],
    "articles:list": lambda w: ["/", "/?sort=-annotations"],
    "articles:detail": lambda w: [f"/articles/{w.article.slug}/"],
    # The sidebar's later pages of cards (from the first card: every card in the text).
    "articles:cards": lambda w: [f"/articles/{w.article.slug}/cards/?from=0"],
    # A job's progress: its owner's and curators' (tests/jobs/test_api_admin.py); imports
    # are a curator's POST.
    "api:job-detail": lambda w: ["/api/jobs/1/", "/api/jobs/999999/"],
    "articles:source": lambda w: [f"/articles/{w.article.slug}/source/"],
    "articles:compare": lambda w: [f"/compare/?articles={w.article.slug},{w.other.slug}"],
    "articles:search": lambda w: [
        f"/search/?q={HANDLE}",
        *(f"/search/?q={word}" for word in sorted(ALICE_ONLY | HIDDEN)),
        f"/search/?q=ceasefire&tag={_tag_slug(PRIVATE_TAG)}",
        f"/search/?q=ceasefire&tag={_tag_slug(HIDDEN_TAG)}",
        "/search/?q=ceasefire",
    ],
    "annotations:tag-detail": lambda w: [
        f"/tags/{_tag_slug(name)}/" for name in (PRIVATE_TAG, HIDDEN_TAG, CLAIM_TAG)
    ],
    "annotations:claim-list": lambda w: ["/claims/", f"/claims/?q={HANDLE}"],
    "annotations:claim-detail": lambda w: [f"/claims/{w.claim.pk}/"],
    "annotations:claim-apply": lambda w: [f"/annotations/{w.private.pk}/apply-claim/"],
    "api:annotation-list": lambda w: [
        "/api/annotations/",
        f"/api/annotations/?article={w.article.slug}",
        f"/api/annotations/?tag={_tag_slug(PRIVATE_TAG)}",
        f"/api/annotations/?tag={_tag_slug(HIDDEN_TAG)}",
        f"/api/annotations/?claim={w.claim.pk}",
        "/api/annotations/?motivation=replying",
    ],
    "api:annotation-detail": lambda w: [
        f"/api/annotations/{w.private.pk}/",
        f"/api/annotations/{w.hidden.pk}/",
        *(f"/api/annotations/{r.pk}/" for r in w.private.replies.all()),
    ],
    "api:article-list": lambda w: ["/api/articles/"],
    "api:article-detail": lambda w: [f"/api/articles/{w.article.slug}/"],
    "api:claim-list": lambda w: ["/api/claims/", f"/api/claims/?q={HANDLE}"],
    "api:claim-detail": lambda w: [f"/api/claims/{w.claim.pk}/"],
    "api:annotation-apply-claim": lambda w: [f"/api/annotations/{w.private.pk}/apply-claim/"],
    "api:tag-list": lambda w: ["/api/tags/?q=quokka", "/api/tags/?q=narwhal", "/api/tags/?q=okapi"],
    "api:export": lambda w: [
        "/api/export/?format=jsonld",
        "/api/export/?format=csv",
        "/api/export/?format=claimreview",
        f"/api/export/?format=csv&article={w.article.slug}",
    ],
    "api:schema": lambda w: ["/api/schema/"],
    "api:docs": lambda w: ["/api/docs/"],
    "api:context": lambda w: ["/api/ns/astana.jsonld"],
    "api:article-revision": lambda w: [
        f"/api/articles/{w.article.slug}/revisions/{n}/" for n in (1, 2)
    ],
    "annotations:tag-list": lambda w: ["/tags/", "/tags/?sort=-count", "/tags/?sort=name"],
    "annotations:user-detail": lambda w: [
        *(f"/users/{name}/" for name in ("alice", "carol")),
        f"/users/alice/?tag={_tag_slug(PRIVATE_TAG)}",
        "/users/alice/?kind=assessing",
        f"/users/carol/?tag={_tag_slug(HIDDEN_TAG)}",
        "/users/carol/?kind=replying",
    ],
    "annotations:user-export": lambda w: [
        f"/users/{name}/export/?format={fmt}"
        for name in ("alice", "carol")
        for fmt in ("jsonld", "csv", "md")
    ],
    # A permalink sends whoever may see the annotation on to its article (followed here).
    "annotations:annotation-permalink": lambda w: [
        f"/annotations/{w.private.pk}/",
        f"/annotations/{w.hidden.pk}/",
        *(f"/annotations/{r.pk}/" for r in w.private.replies.all()),
    ],
    "annotations:notification-list": lambda w: ["/notifications/", "/notifications/?unread=1"],
    "annotations:notification-open": lambda w: [
        f"/notifications/{pk}/" for pk in Notification.objects.values_list("pk", flat=True)
    ],
    "annotations:notification-settings": lambda w: ["/notifications/settings/"],
}
# Routes no reader GETs a record through, and why they need no line above.
NOT_READ = {
    "api:import": "a POST for curators that starts an import job; refused for others in "
    "tests/jobs/test_api_admin.py",
    "api:annotation-hide": "a POST for staff; refused for others in test_hostile_inputs",
    "signup": "a form; shows no records",
    "annotations:notifications-read": "a POST marking the reader's own notifications read",
    "annotations:group-manage": "a POST for a group's members (refused to others in "
    "tests/annotations/test_groups.py)",
    "annotations:group-join": "names the group of a valid invite link to whoever holds it "
    "(test_group_matrix.py reads it)",
}


def _route_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue  # curators' tool, behind Django's own permissions
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


AUTH_PAGES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def test_every_route_is_in_the_leak_matrix():
    """A new route fails here until it is listed as a surface or said to show no records."""
    routes = _route_names(get_resolver()) - AUTH_PAGES
    assert routes - set(SURFACES) - set(NOT_READ) == set()
    assert set(SURFACES) - routes == set()


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _addresses(w: World) -> list[str]:
    return [address for build in SURFACES.values() for address in build(w)]


def _read(client: Client, address: str) -> str:
    response = client.get(address, follow=True)  # a permalink's or sign-in's redirect too
    assert response.status_code in (200, 404), (address, response.status_code)
    return response.content.decode("utf-8", "replace").lower()


def _warm(w: World) -> None:
    """Everyone who may see more looks at every surface first, anonymous readers too."""
    for viewer in (w.users["alice"], w.users["staff"], w.users["demoted"], None):
        client = _client(viewer)
        for address in _addresses(w):
            _read(client, address)


@pytest.mark.parametrize("viewer", sorted(FORBIDDEN))
def test_no_surface_shows_a_viewer_what_they_may_not_see(world, viewer):
    """After others warmed every cache, this viewer finds none of their forbidden markers."""
    _warm(world)
    user = world.users.get(viewer)
    if viewer == "demoted":
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    client = _client(user)
    leaks = []
    for address in _addresses(world):
        body = _read(client, address)
        # A marker in the address itself is echoed back (the search box, a collection's id):
        # that is the viewer's own input, not a leak; the other markers are still checked.
        leaks += [
            (address, marker)
            for marker in sorted(FORBIDDEN[viewer])
            if marker in body and marker not in address
        ]
    assert leaks == []


SHOWN_TO_ALICE = {
    "articles:detail": {PRIVATE_NOTE, PRIVATE_TAG, CLAIM_TEXT},
    "articles:cards": {PRIVATE_NOTE, PRIVATE_TAG, CLAIM_TEXT},
    "annotations:claim-detail": {CLAIM_TEXT, CLAIMANT, REVIEW},
    "annotations:claim-apply": {CLAIM_TEXT},
    "api:claim-detail": {CLAIM_TEXT, CLAIMANT, REVIEW},
    "api:annotation-detail": {PRIVATE_NOTE, PRIVATE_TAG},
    "api:export": {PRIVATE_NOTE},
    "annotations:user-detail": {PRIVATE_NOTE, PRIVATE_TAG},
    "annotations:user-export": {PRIVATE_NOTE, PRIVATE_TAG},
    "annotations:annotation-permalink": {PRIVATE_NOTE, ORPHAN_REPLY},
    "annotations:notification-list": {ORPHAN_REPLY},
    "annotations:tag-list": {PRIVATE_TAG},
}


@pytest.mark.parametrize("route", sorted(SHOWN_TO_ALICE))
def test_the_markers_are_shown_to_whoever_may_see_them(world, route):
    """The control: the creator does see her own markers, so their absence above means
    something."""
    client = _client(world.users["alice"])
    body = " ".join(_read(client, address) for address in SURFACES[route](world))
    assert {marker for marker in SHOWN_TO_ALICE[route] if marker in body} == SHOWN_TO_ALICE[route]


def test_staff_see_hidden_notes_and_everyone_sees_public_ones(world):
    """The control for hidden and public markers on the article page."""
    page = f"/articles/{world.article.slug}/"
    assert HIDDEN_NOTE in _read(_client(world.users["staff"]), page)
    for viewer in (None, world.users["bob"], world.users["staff"]):
        assert PUBLIC_NOTE in _read(_client(viewer), page)

"""The search page's tag filter: exactly the tags on what the reader may find, for every kind
of reader, though the tags everyone is offered are kept in the cache and each reader's own
are added from their rows; a change shows at once; the queries do not grow with the tags."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from annotations import access, services
from annotations.models import TaggedAnnotation, TaggedClaim
from articles.services import articles_set_status

from .conftest import annotate

pytestmark = pytest.mark.django_db

SEARCH = "/search/"
PASSWORD = "pw-123456789"
VIEWERS = ("anonymous", "alice", "bob", "mia", "olga", "sam")


def reference_tags(user) -> set[str]:
    """The tags on what the user may find, by the access rules themselves (what the page
    offered before its tags were kept in the cache)."""
    passages = access.annotations_listed_for(user)
    claims = access.claims_visible_to(user)
    return set(
        Tag.objects.filter(
            Exists(TaggedAnnotation.objects.filter(tag=OuterRef("pk"), content_object__in=passages))
            | Exists(TaggedClaim.objects.filter(tag=OuterRef("pk"), content_object__in=claims))
        ).values_list("name", flat=True)
    )


def offered(client: Client) -> set[str]:
    response = client.get(SEARCH)
    assert response.status_code == 200
    return {tag.name for tag in response.context["filters"].tags}


@pytest.fixture
def world(make_article, alice, bob):
    """Tagged records of every audience: public, private, a group's (one of them hidden by its
    owner), hidden by staff, replies in such threads, on a draft article, and claims carried
    publicly, privately, by a group or by nothing."""
    User = get_user_model()
    olga = User.objects.create_user("olga", password=PASSWORD)
    mia = User.objects.create_user("mia", password=PASSWORD)
    sam = User.objects.create_user("sam", password=PASSWORD, is_staff=True)
    group = services.group_create(user=olga, name="Desk")
    services.group_join(user=mia, token=group.invite_token)
    services.group_join(user=alice, token=group.invite_token)
    talks = make_article(
        "talks.txt",
        "Talks in Astana",
        "Delegations met on Monday. Officials said the talks went on. Rebels left early. "
        "Observers stayed late. The hotel was full. Snow fell at night. Buses were late.",
    )
    draft = make_article("draft.txt", "A draft", "Nobody reads this draft yet, said officials.")

    annotate(alice, talks, "Delegations met", tags=("t-public",))
    private = annotate(alice, talks, "Officials said", visibility="private", tags=("t-private",))
    grouped = services.annotation_create(
        user=mia, article=talks, start=0, end=5, group=group, tags=["t-group"]
    ).annotation
    hidden_in_group = services.annotation_create(
        user=alice, article=talks, start=6, end=10, group=group, tags=["t-group-hidden"]
    ).annotation
    services.annotation_set_hidden(user=olga, annotation=hidden_in_group, hidden=True)
    hidden = annotate(bob, talks, "Rebels left", tags=("t-hidden",))
    services.annotation_set_hidden(user=sam, annotation=hidden, hidden=True)
    annotate(bob, talks, "at night", visibility="private", tags=("t-bob",))
    reply = services.annotation_reply(user=alice, parent=private, note="my own reply")
    services.annotation_update(
        user=alice, annotation=reply, expected_version=None, tags=["t-private-reply"]
    )
    group_reply = services.annotation_reply(user=olga, parent=grouped, note="ours")
    services.annotation_update(
        user=olga, annotation=group_reply, expected_version=None, tags=["t-group-reply"]
    )
    # Bob's public reply in a thread its author then moved into the group.
    moved = annotate(alice, talks, "Observers stayed", note="open for now")
    bobs = services.annotation_reply(user=bob, parent=moved, note="bob answers")
    services.annotation_update(user=bob, annotation=bobs, expected_version=None, tags=["t-moved"])
    services.annotation_update(user=alice, annotation=moved, expected_version=None, group=group)
    annotate(alice, draft, "Nobody reads", tags=("t-draft",))
    articles_set_status(user=sam, articles=[draft], status="draft")

    claim_public = services.claim_create(user=bob, text="The talks went on", tags=["c-public"])
    annotate(bob, talks, "The hotel", claim=claim_public)
    claim_private = services.claim_create(user=alice, text="Snow fell", tags=["c-private"])
    annotate(alice, talks, "Snow fell", claim=claim_private, visibility="private")
    services.claim_create(user=alice, text="Nothing carries this", tags=["c-own"])
    claim_group = services.claim_create(
        user=mia, text="The desk's claim", tags=["c-group"], group=group
    )
    services.annotation_create(
        user=mia,
        article=talks,
        start=talks.current_revision.body.index("Buses"),
        end=talks.current_revision.body.index("Buses") + 5,
        group=group,
        motivation="assessing",
        claim=claim_group,
    )
    return {"alice": alice, "bob": bob, "mia": mia, "olga": olga, "sam": sam, "talks": talks}


def _client(world, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world[who])
    return client


@pytest.mark.parametrize("warm_first", [False, True], ids=["cold", "warm"])
def test_every_reader_is_offered_exactly_the_tags_on_what_they_may_find(world, warm_first):
    """Anonymous readers, the creator, another reader, a group's member and owner and staff
    are each offered the tags on what they may find: no more, no fewer; whoever filled the
    cache first."""
    cache.clear()
    if warm_first:  # the kept tags drawn by a member of the group, who sees the most
        offered(_client(world, "olga"))
    for who in VIEWERS:
        user = None if who == "anonymous" else world[who]
        assert offered(_client(world, who)) == reference_tags(user), who


def test_the_world_gives_readers_different_tags(world):
    """The readers of the world above see different tags (so the test above compares sets
    that differ), as the rules say: private, group, hidden and draft tags stay with their
    readers."""
    tags = {who: reference_tags(None if who == "anonymous" else world[who]) for who in VIEWERS}
    assert tags["anonymous"] == {"t-public", "c-public"}
    assert {"t-private", "t-private-reply", "c-private", "c-own"} <= tags["alice"]
    assert "t-moved" in tags["mia"]
    assert "t-moved" not in tags["bob"]
    assert "t-group-hidden" in tags["olga"]
    assert "t-group-hidden" not in tags["mia"]
    assert "t-hidden" in tags["sam"]
    assert "t-hidden" in tags["bob"]
    assert "t-draft" not in tags["alice"]
    assert len({frozenset(found) for found in tags.values()}) == len(VIEWERS)


def test_a_change_is_offered_at_once(world):
    """With the tags every reader is offered kept in the cache, a new tag on a public passage,
    a passage made private, a claim tagged, a claim-only tag renamed and a tag deleted all
    show on the next request."""
    anonymous, alice = _client(world, "anonymous"), _client(world, "alice")
    cache.clear()
    assert offered(anonymous) == {"t-public", "c-public"}
    public = annotate(world["bob"], world["talks"], "Buses were", tags=("fresh",))
    assert "fresh" in offered(anonymous)
    services.annotation_update(
        user=world["bob"], annotation=public, expected_version=None, visibility="private"
    )
    assert "fresh" not in offered(anonymous)
    assert "fresh" not in offered(alice)
    claim = access.claims_visible_to(None).get(text="The talks went on")
    services.claim_update(user=world["bob"], claim=claim, tags=["c-public", "c-more"])
    assert {"c-public", "c-more"} <= offered(anonymous)
    curator = world["sam"]
    services.tag_rename(user=curator, tag=Tag.objects.get(name="c-more"), name="c-renamed")
    assert "c-renamed" in offered(anonymous)
    assert "c-more" not in offered(anonymous)
    services.tags_delete(user=curator, tags=[Tag.objects.get(name="c-renamed")])
    assert offered(anonymous) == {"t-public", "c-public"}
    assert offered(alice) == reference_tags(world["alice"])


def _count(client: Client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(SEARCH).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "alice", "olga", "sam"])
def test_the_tag_filter_runs_as_many_queries_however_many_tags(world, who):
    """More tags on everyone's, the reader's own and the group's records add no query."""
    client = _client(world, who)
    client.get(SEARCH)
    few = _count(client)
    talks, body = world["talks"], world["talks"].current_revision.body
    for n in range(5):
        annotate(world["bob"], talks, "Delegations", tags=(f"more-public-{n}",))
        annotate(
            world["alice"], talks, "Delegations", tags=(f"more-own-{n}",), visibility="private"
        )
        services.annotation_create(
            user=world["mia"],
            article=talks,
            start=body.index("talks"),
            end=body.index("talks") + 5,
            group=services.group_named(world["mia"], "desk"),
            tags=[f"more-group-{n}"],
        )
    assert _count(client) == few
    assert offered(client) == reference_tags(None if who == "anonymous" else world[who])

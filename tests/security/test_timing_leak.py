"""Cached pages' versions follow only what their viewer may see: a private or hidden write
never makes an anonymous page slow (re-rendered) or another reader's key move."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from annotations import services
from annotations.access import annotations_visible_to
from annotations.models import Annotation, ArticleActivity, Claim, SiteActivity, TaggedAnnotation
from annotations.pages import cache as selectors
from articles.models import Article

from .conftest import annotate

pytestmark = pytest.mark.django_db

OTHER_QUOTE = "Mohammad Alloush"  # only in seed 004


# --- The counters move exactly when what anonymous readers (or staff) may read changes -------


def _readable(user) -> dict[int, frozenset]:
    """Per article, everything `user` may read there: each annotation's row, its tags and
    its claim (as the access module selects them)."""
    rows = annotations_visible_to(user).values_list(
        "pk",
        "article_id",
        "version",
        "modified",
        "note",
        "visibility",
        "is_hidden",
        "parent_id",
        "claim_id",
        "claim__text",
        "claim__modified",
    )
    tags: dict[int, list[str]] = {}
    for pk, name in TaggedAnnotation.objects.values_list("content_object_id", "tag__name"):
        tags.setdefault(pk, []).append(name)
    state: dict[int, set] = {}
    for row in rows:
        state.setdefault(row[1], set()).add((*row, tuple(sorted(tags.get(row[0], [])))))
    return {article: frozenset(rows) for article, rows in state.items()}


def _counters() -> tuple[dict, dict, int]:
    activity = ArticleActivity.objects.values_list("article_id", "public_version", "staff_version")
    site = SiteActivity.objects.filter(pk=1).values_list("version", flat=True).first()
    return (
        {pk: public for pk, public, _ in activity},
        {pk: staff for pk, _, staff in activity},
        site or 0,
    )


def _write(rng: random.Random, articles, users, tags) -> str:
    """One random write through a service, an ORM call or a bulk update (none a no-op)."""
    notes = list(Annotation.objects.order_by("pk"))
    tops = [n for n in notes if n.parent_id is None]
    kind = rng.choice(
        ["create"] * 3
        + ["reply"] * 2
        + ["visibility", "hide", "edit", "tag", "untag", "claim", "rename", "delete", "status"]
    )
    if kind == "create" or not tops:
        claim = services.claim_create(user=rng.choice(users), text=f"claim {rng.random()}")
        annotate(
            rng.choice(users),
            rng.choice(articles),
            OTHER_QUOTE,
            visibility=rng.choice(["public", "private"]),
            **({"motivation": "assessing", "claim": claim} if rng.random() < 0.3 else {}),
        )
        return "create"
    note = rng.choice(notes)
    match kind:
        case "reply":
            Annotation.objects.create(
                article=(parent := rng.choice(tops)).article,
                revision_id=parent.revision_id,
                anchor_revision_id=parent.anchor_revision_id,
                creator=rng.choice(users),
                motivation="replying",
                parent=parent,
                visibility=rng.choice(["public", "private"]),
                is_hidden=rng.random() < 0.2,
            )
        case "visibility":
            other = "private" if note.visibility == "public" else "public"
            Annotation.objects.filter(pk=note.pk).update(visibility=other)
        case "hide":
            Annotation.objects.filter(pk=note.pk).update(is_hidden=not note.is_hidden)
        case "edit":
            services.annotation_update(
                user=note.creator, annotation=note, expected_version=None, note=str(rng.random())
            )
        case "tag":
            note.tags.add(rng.choice(tags))
        case "untag":
            note.tags.clear()
        case "claim":
            claim = Claim.objects.filter(annotations__isnull=False).order_by("?").first()
            if claim is not None:
                claim.text = f"claim {rng.random()}"
                claim.save()
        case "rename":
            tag = rng.choice(tags)
            tag.name = f"{tag.name.split('-')[0]}-{rng.randrange(10**6)}"
            tag.save()
        case "delete":
            note.delete()
        case "status":
            article = Article.objects.get(pk=rng.choice(articles).pk)
            published = article.status == Article.Status.PUBLISHED
            Article.objects.filter(pk=article.pk).update(
                status=Article.Status.DRAFT if published else Article.Status.PUBLISHED
            )
    return kind


def _moved(before: dict, after: dict, pk: int) -> bool:
    return before.get(pk, 0) != after.get(pk, 0)


@pytest.mark.parametrize("seed", range(3))
def test_counters_move_exactly_when_what_anonymous_readers_or_staff_read_changes(
    seeds, django_user_model, seed
):
    """Over random writes of every kind (notes and replies, public, private and hidden; by
    services, the ORM and bulk updates; tags, claims, tag renames, article status), an
    article's public counter moves iff what anonymous readers may read on it changed, its
    staff counter iff what staff may read there changed, and the site's iff either of the
    first did anywhere."""
    rng = random.Random(seed)
    articles = [seeds["004"], seeds["004"], seeds["001"]]
    articles = [a for a in articles if OTHER_QUOTE in a.current_revision.body] or articles
    users = [django_user_model.objects.create_user(n, password="x") for n in ("r1", "r2")]
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    tags = [Tag.objects.create(name=name, slug=name) for name in ("economy", "war", "aid")]
    readable, staff_readable, counters = _readable(None), _readable(staff), _counters()
    changes = 0
    for step in range(70):
        kind = _write(rng, articles, users, tags)
        now, staff_now, after = _readable(None), _readable(staff), _counters()
        for pk in {a.pk for a in Article.objects.all()}:
            changed = readable.get(pk) != now.get(pk)
            changes += changed
            assert _moved(counters[0], after[0], pk) == changed, (step, kind, "public", pk)
            staff_changed = staff_readable.get(pk) != staff_now.get(pk)
            assert _moved(counters[1], after[1], pk) == staff_changed, (step, kind, "staff", pk)
        assert (counters[2] != after[2]) == (readable != now), (step, kind, "site")
        readable, staff_readable, counters = now, staff_now, after
    assert changes > 5  # the writes did reach what anonymous readers read


# --- Private and hidden writes leave anonymous pages cached ------------------------------------


@pytest.fixture
def world(seeds, alice, bob, django_user_model):
    """Seeds 001 and 004 compared; public, private, hidden and claim-carrying notes on 004."""
    moderator = django_user_model.objects.create_user("mod", password="x", is_staff=True)
    article, other = seeds["004"], seeds["001"]
    public = annotate(alice, article, OTHER_QUOTE, note="public note")
    private = annotate(alice, article, OTHER_QUOTE, note="alice's own", visibility="private")
    claim = services.claim_create(user=alice, text="Alloush leads the delegation")
    carried = annotate(
        alice, article, OTHER_QUOTE, motivation="assessing", claim=claim, visibility="private"
    )
    hidden = annotate(bob, article, OTHER_QUOTE, note="soon hidden")
    hidden = services.annotation_set_hidden(user=moderator, annotation=hidden, hidden=True)
    return {
        "article": article,
        "other": other,
        "alice": alice,
        "bob": bob,
        "moderator": moderator,
        "public": public,
        "private": private,
        "claim": claim,
        "carried": carried,
        "hidden": hidden,
    }


def versions(world) -> tuple:
    article, other = world["article"], world["other"]
    return (
        selectors.article_page_version(slug=article.slug),
        selectors.site_version(),
        selectors.compare_page_version(slugs=[other.slug, article.slug]),
    )


def urls(world) -> list[str]:
    article, other = world["article"], world["other"]
    return [article.get_absolute_url(), "/", f"/compare/?articles={other.slug},{article.slug}"]


def private_note(w):
    annotate(w["bob"], w["article"], OTHER_QUOTE, note="bob's own", visibility="private")


def private_reply(w):
    services.annotation_reply(user=w["alice"], parent=w["public"], note="r", visibility="private")


def public_reply_in_a_private_thread(w):
    services.annotation_reply(user=w["alice"], parent=w["private"], note="in my own thread")


def _edit(w, who: str, which: str, **fields) -> None:
    note = w[which]
    services.annotation_update(
        user=w[who], annotation=note, expected_version=note.version, **fields
    )


def private_edit(w):
    _edit(w, "alice", "private", note="changed")


def hidden_edit_by_its_creator(w):
    _edit(w, "bob", "hidden", note="edited in hiding")


def claim_change_on_a_private_annotation(w):
    services.claim_update(user=w["alice"], claim=w["claim"], text="Alloush heads it")


def private_delete(w):
    services.annotation_delete(user=w["alice"], annotation=w["private"])


PRIVATE_WRITES = [
    private_note,
    private_reply,
    public_reply_in_a_private_thread,
    private_edit,
    hidden_edit_by_its_creator,
    claim_change_on_a_private_annotation,
    private_delete,
]


@pytest.mark.parametrize("write", PRIVATE_WRITES, ids=lambda f: f.__name__)
def test_private_writes_leave_every_anonymous_page_cached(client, world, write):
    """The article page, the list and the compare page keep their versions and are served from
    the cache (one query, the same bytes) after a write only its author or staff can see."""
    pages = {}
    for url in urls(world):
        pages[url] = client.get(url).content.decode()
    before = versions(world)
    assert None not in before
    write(world)
    assert versions(world) == before
    for url, html in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url).content.decode()
        assert len(ctx.captured_queries) == 1, url  # the version: the page came from the cache
        assert again == html


def public_note(w):
    annotate(w["bob"], w["article"], OTHER_QUOTE, note="bob in public")


def public_edit(w):
    _edit(w, "alice", "public", note="changed")


def made_private(w):
    _edit(w, "alice", "public", visibility="private")


def hidden(w):
    services.annotation_set_hidden(user=w["moderator"], annotation=w["public"], hidden=True)


def public_delete(w):
    services.annotation_delete(user=w["alice"], annotation=w["public"])


def unhidden(w):
    services.annotation_set_hidden(user=w["moderator"], annotation=w["hidden"], hidden=False)


@pytest.mark.parametrize(
    "write",
    [public_note, public_edit, made_private, hidden, public_delete, unhidden],
    ids=lambda f: f.__name__,
)
def test_public_changes_still_move_every_anonymous_page(world, write):
    """What anonymous readers see changing moves all three versions."""
    before = versions(world)
    write(world)
    after = versions(world)
    assert all(a != b for a, b in zip(before, after, strict=True)), (before, after)


def test_a_public_change_to_a_claim_moves_the_article_and_compare_pages(world):
    """A claim carried by a public annotation is seen: its change shows at once."""
    claim = services.claim_create(user=world["bob"], text="Alloush speaks for them")
    annotate(world["bob"], world["article"], OTHER_QUOTE, motivation="assessing", claim=claim)
    before = versions(world)
    services.claim_update(user=world["bob"], claim=claim, text="Alloush spoke for them")
    after = versions(world)
    assert after[0] != before[0]
    assert after[2] != before[2]


# --- Signed-in readers' keys --------------------------------------------------------------------


def key(world, user) -> str:
    return selectors.reader_cache_key(article=world["article"], user=user)


def test_another_readers_private_note_never_moves_my_key(world, django_user_model):
    """Bob's private note and edits to a hidden note of his leave carol's key; carol's own
    private note and, for staff, the hidden note's edit move theirs."""
    carol = django_user_model.objects.create_user("carol", password="x")
    carol_before, staff_before = key(world, carol), key(world, world["moderator"])
    private_note(world)
    claim_change_on_a_private_annotation(world)
    assert key(world, carol) == carol_before
    hidden_edit_by_its_creator(world)
    assert key(world, carol) == carol_before
    assert key(world, world["moderator"]) != staff_before
    annotate(carol, world["article"], OTHER_QUOTE, note="carol's own", visibility="private")
    assert key(world, carol) != carol_before

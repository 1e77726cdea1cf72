"""A changed file re-imported under the same name re-anchors every annotation on the article.

Seed 001 is annotated in several places; then a copy is imported in which a typo inside one
quote is fixed, two paragraphs are deleted and a sentence is inserted before most of the text.
"""

import pytest

from annotations import services
from annotations.models import Annotation
from articles.models import ArticleRevision
from articles.services import ImportStatus, article_import
from tests.conftest import SEED_NAMES, seed_path

NAME = SEED_NAMES["001"]

TYPO = ("said that that Syrian", "said that Syrian")
MOSCOW = "Moscow has said they would take place in Kazakhstan.\n\n"
WADI_BARADA = (
    "The statement said the main violations were in an area northwest of Damascus in the "
    "rebel-held Wadi Barada valley, where government forces and the Iran-backed Lebanese "
    "Hezbollah group have been trying to press advances in an ongoing campaign.\n\n"
)
INSERTED = "Turkish officials confirmed the talks would open on 23 January. "
INSERT_BEFORE = "Russian President Vladimir Putin said"

# key -> (quote, which occurrence in the old body, expected status, exact in the new body)
PLAN = {
    "before-the-insert": (
        "armed Syrian opposition groups",
        0,
        "anchored",
        "armed Syrian opposition groups",
    ),
    "typo-fixed": (
        "Vladimir Putin said that that Syrian opposition groups",
        0,
        "fuzzy",
        "Vladimir Putin said that Syrian opposition groups",
    ),
    "deleted-paragraph": (
        "Moscow has said they would take place in Kazakhstan",
        0,
        "orphaned",
        None,
    ),
    "deleted-look-alike": ("Iran-backed", 1, "orphaned", None),  # the other one survives
    "shifted": (
        "Free Syrian Army, one of the biggest coalitions",
        0,
        "moved",
        "Free Syrian Army, one of the biggest coalitions",
    ),
    "shifted-ambiguous": ("Assad regime", 3, "moved", "Assad regime"),  # six in the text
    "shifted-private": ("Ankara", 0, "moved", "Ankara"),
    "shifted-to-the-end": (
        "450.000 Syrians lost their lives",
        0,
        "moved",
        "450.000 Syrians lost their lives",
    ),
}


def changed_copy() -> bytes:
    text = seed_path("001").read_bytes().decode("utf-8")
    for old, new in (
        TYPO,
        (MOSCOW, ""),
        (WADI_BARADA, ""),
        (INSERT_BEFORE, INSERTED + INSERT_BEFORE),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode("utf-8")


def occurrence(body: str, quote: str, n: int) -> int:
    at = -1
    for _ in range(n + 1):
        at = body.index(quote, at + 1)
    return at


@pytest.fixture
def scene(seeds, django_user_model):
    """Seed 001 annotated by two users, with replies; returns what the test needs."""
    article = seeds["001"]
    old = article.current_revision
    alice = django_user_model.objects.create_user("alice", password="pw-123456789")
    bob = django_user_model.objects.create_user("bob", password="pw-123456789")
    made = {}
    for key, (quote, n, _, _) in PLAN.items():
        start = occurrence(old.body, quote, n)
        made[key] = services.annotation_create(
            user=bob if key == "shifted-private" else alice,
            article=article,
            start=start,
            end=start + len(quote),
            exact=quote,
            note=f"Note on {key}",
            visibility="private" if key == "shifted-private" else "public",
            tags=[key],
        ).annotation
    replies = {
        "shifted": services.annotation_reply(user=bob, parent=made["shifted"], note="Which?"),
        "deleted-paragraph": services.annotation_reply(
            user=bob, parent=made["deleted-paragraph"], note="Source?"
        ),
    }
    return {"article": article, "old": old, "annotations": made, "replies": replies}


def fresh(annotation: Annotation) -> Annotation:
    return Annotation.objects.get(pk=annotation.pk)


def test_the_changed_copy_is_a_new_revision(scene):
    result = article_import(name=NAME, data=changed_copy())

    assert result.status is ImportStatus.REVISED
    assert result.revision.number == scene["old"].number + 1
    assert result.article.current_revision == result.revision
    assert INSERTED in result.revision.body
    assert "Wadi Barada" not in result.revision.body
    assert "Moscow has said" not in result.revision.body
    assert result.reanchor is not None
    assert dict(result.reanchor.counts) == {"anchored": 1, "fuzzy": 1, "orphaned": 2, "moved": 4}
    annotations = scene["annotations"]
    assert sorted(result.reanchor.orphaned) == sorted(
        annotations[k].pk for k in ("deleted-paragraph", "deleted-look-alike")
    )


@pytest.mark.parametrize("key", list(PLAN))
def test_each_annotation_gets_the_right_status_and_words(scene, key):
    before = scene["annotations"][key]
    quote, _, status, new_exact = PLAN[key]

    result = article_import(name=NAME, data=changed_copy())

    after = fresh(before)
    new_body = result.revision.body
    assert after.anchor_status == status
    assert after.version == before.version + 1
    if status == "orphaned":
        # Kept with its old quote and offsets, counted in the revision it was made on.
        assert after.anchor_revision == scene["old"]
        assert (after.exact, after.prefix, after.suffix) == (
            before.exact,
            before.prefix,
            before.suffix,
        )
        assert (after.start, after.end) == (before.start, before.end)
        assert scene["old"].body[after.start : after.end] == after.exact == quote
        return
    assert after.anchor_revision == result.revision
    assert after.revision == scene["old"]  # where it was made does not change
    assert after.exact == new_body[after.start : after.end] == new_exact
    assert after.prefix == new_body[max(0, after.start - 32) : after.start]
    assert after.suffix == new_body[after.end : after.end + 32]
    if status == "anchored":
        assert (after.start, after.end) == (before.start, before.end)
        assert after.anchor_score == 1.0
    elif status == "moved":
        assert after.start == before.start + len(INSERTED) - _removed_before(before)
        assert after.anchor_score == 1.0
        # The same words in the same surroundings, not another occurrence of the quote.
        assert after.prefix[-20:] == before.prefix[-20:]
        assert after.suffix[:20] == before.suffix[:20]
    elif status == "fuzzy":
        assert 0.85 <= after.anchor_score < 1.0
        assert after.start == before.start + len(INSERTED)


def _removed_before(annotation: Annotation) -> int:
    """Characters of the deleted paragraphs that came before the annotation in the old body."""
    body = annotation.anchor_revision.body
    removed = len(TYPO[0]) - len(TYPO[1])
    for paragraph in (MOSCOW, WADI_BARADA):
        if body.index(paragraph) < annotation.start:
            removed += len(paragraph)
    return removed


def test_no_annotation_sits_on_words_other_than_its_quote(scene):
    result = article_import(name=NAME, data=changed_copy())
    bodies = dict(ArticleRevision.objects.values_list("pk", "body"))

    annotations = list(Annotation.objects.filter(parent__isnull=True))
    assert annotations, "the scene has annotations to check"
    assert any(a.anchor_revision_id == result.revision.pk for a in annotations)
    for annotation in annotations:
        body = bodies[annotation.anchor_revision_id]
        assert body[annotation.start : annotation.end] == annotation.exact
        if annotation.anchor_status != "orphaned":
            assert annotation.anchor_revision_id == result.revision.pk


def test_replies_follow_their_parent(scene):
    result = article_import(name=NAME, data=changed_copy())

    moved_reply = fresh(scene["replies"]["shifted"])
    orphan_reply = fresh(scene["replies"]["deleted-paragraph"])
    assert moved_reply.anchor_revision == result.revision
    assert moved_reply.parent_id == scene["annotations"]["shifted"].pk
    assert (moved_reply.start, moved_reply.end, moved_reply.exact) == (None, None, "")
    assert (
        orphan_reply.anchor_revision
        == fresh(scene["annotations"]["deleted-paragraph"]).anchor_revision
    )
    assert orphan_reply.anchor_revision == scene["old"]


def test_replies_to_replies_follow_the_thread_too(scene, django_user_model):
    """A reply to a reply belongs to the same thread and must follow its passage as well."""
    carol = django_user_model.objects.create_user("carol", password="pw-123456789")
    first = scene["replies"]["shifted"]
    nested = services.annotation_reply(user=carol, parent=first, note="Answering the reply")

    result = article_import(name=NAME, data=changed_copy())

    assert fresh(first).anchor_revision == result.revision
    assert fresh(nested).anchor_revision == result.revision


def test_the_api_shows_the_new_anchoring(scene, client):
    result = article_import(name=NAME, data=changed_copy())
    typo = scene["annotations"]["typo-fixed"]
    orphan = scene["annotations"]["deleted-paragraph"]

    fuzzy = client.get(f"/api/annotations/{typo.pk}/")
    lost = client.get(f"/api/annotations/{orphan.pk}/")

    assert fuzzy.status_code == lost.status_code == 200
    assert fuzzy["ETag"] == fresh(typo).etag != typo.etag
    data = fuzzy.json()
    assert (data["anchorStatus"], data["revision"]) == ("fuzzy", result.revision.number)
    quote, position = data["target"]["selector"]
    assert quote["exact"] == result.revision.body[position["start"] : position["end"]]
    assert quote["exact"] == "Vladimir Putin said that Syrian opposition groups"
    assert lost.json()["anchorStatus"] == "orphaned"
    assert lost.json()["revision"] == scene["old"].number
    listed = client.get("/api/annotations/?anchor_status=orphaned").json()
    assert {item["id"] for item in listed["items"]} == {
        f"http://testserver/api/annotations/{a.pk}/"
        for a in (orphan, scene["annotations"]["deleted-look-alike"])
    }


def test_importing_the_same_bytes_again_changes_nothing(scene):
    data = changed_copy()
    article_import(name=NAME, data=data)
    snapshot = list(Annotation.objects.order_by("pk").values())
    revisions = ArticleRevision.objects.filter(article=scene["article"]).count()

    again = article_import(name=NAME, data=data)

    assert again.status is ImportStatus.UNCHANGED
    assert again.reanchor is None
    assert ArticleRevision.objects.filter(article=scene["article"]).count() == revisions
    assert list(Annotation.objects.order_by("pk").values()) == snapshot


def test_the_original_bytes_again_bring_everything_back(scene):
    """Re-importing the first version is a third revision; the text there is the old one."""
    article_import(name=NAME, data=changed_copy())
    third = article_import(name=NAME, data=seed_path("001").read_bytes())

    assert third.status is ImportStatus.REVISED
    assert third.revision.body == scene["old"].body
    for key, before in scene["annotations"].items():
        after = fresh(before)
        assert after.anchor_status in ("anchored", "moved", "fuzzy"), key
        assert after.anchor_revision == third.revision
        assert (after.start, after.end, after.exact) == (before.start, before.end, before.exact)

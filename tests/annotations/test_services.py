"""Invariants of annotations, held by the database and by the services."""

import pytest
from django.db import IntegrityError, transaction

from annotations import access, services
from annotations.models import Annotation, Claim
from articles.services import article_import
from tests.factories import ARTICLE_TEMPLATE

pytestmark = pytest.mark.django_db

QUOTE = "Delegations met for round 3 of the talks"


@pytest.fixture
def article():
    return article_import(name="services.txt", data=ARTICLE_TEMPLATE.format(n=3).encode()).article


@pytest.fixture
def body(article) -> str:
    return article.current_revision.body


def raw(article, user, **fields) -> Annotation:
    """An annotation written straight to the database, past the services."""
    defaults = {
        "article": article,
        "revision": article.current_revision,
        "anchor_revision": article.current_revision,
        "creator": user,
        "exact": "x",
        "start": 0,
        "end": 5,
    }
    return Annotation.objects.create(**{**defaults, **fields})


# --- The database ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"start": 5, "end": 5}, id="empty-span"),
        pytest.param({"start": 9, "end": 5}, id="start-after-end"),
        pytest.param({"start": -1, "end": 5}, id="negative-start"),
        pytest.param({"start": None, "end": 5}, id="passage-without-start"),
        pytest.param({"start": 0, "end": None}, id="passage-without-end"),
        pytest.param({"colour": "pink"}, id="unknown-colour"),
        pytest.param({"visibility": "friends"}, id="unknown-visibility"),
        pytest.param({"motivation": "assessing"}, id="assessing-without-claim"),
        pytest.param({"anchor_score": 1.5}, id="score-above-one"),
        pytest.param({"anchor_score": -0.1}, id="score-below-zero"),
    ],
)
def test_the_database_refuses_an_invalid_annotation(article, alice, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(article, alice, **fields)
    assert not Annotation.objects.exists()


def test_the_database_refuses_a_claim_on_a_non_assessing_annotation(article, alice):
    claim = Claim.objects.create(text="A claim.", created_by=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(article, alice, motivation="commenting", claim=claim)


def test_the_database_refuses_a_reply_with_a_span_or_another_motivation(article, alice):
    parent = raw(article, alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(article, alice, parent=parent, motivation="replying")  # start/end set
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(article, alice, parent=parent, motivation="commenting", start=None, end=None)
    raw(article, alice, parent=parent, motivation="replying", exact="", start=None, end=None)


def test_the_database_refuses_an_empty_claim(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(text="", created_by=alice)


def test_a_valid_span_is_accepted(article, alice):
    annotation = raw(article, alice, start=0, end=1)
    assert (annotation.start, annotation.end) == (0, 1)


# --- annotation_create ----------------------------------------------------------------------


def test_create_stores_the_quote_and_32_characters_of_context(article, body, alice):
    start = body.index(QUOTE)
    end = start + len(QUOTE)
    result = services.annotation_create(
        user=alice, article=article, start=start, end=end, exact=QUOTE, tags=["a", "A", " b  c "]
    )
    annotation = result.annotation
    assert result.corrected is False
    assert annotation.exact == body[start:end] == QUOTE
    assert annotation.prefix == body[max(0, start - 32) : start]
    assert annotation.suffix == body[end : end + 32]
    assert annotation.revision == annotation.anchor_revision == article.current_revision
    assert (annotation.anchor_status, annotation.anchor_score) == ("anchored", 1.0)
    assert (annotation.version, annotation.etag) == (1, f'"a{annotation.pk}v1"')
    assert sorted(annotation.tags.names()) == ["a", "b c"]  # folded duplicates, spaces


def test_create_without_a_quote_takes_it_from_the_body(article, body, alice):
    annotation = services.annotation_create(user=alice, article=article, start=4, end=9).annotation
    assert annotation.exact == body[4:9]


@pytest.mark.parametrize(
    ("start", "end", "exact", "field"),
    [
        (0, 10_000, None, "target"),
        (-1, 5, None, "target"),
        (5, 5, None, "target"),
        (7, 3, None, "target"),
        (0, 5, "nowhere to be found", "target"),
        (0, 5, "", "target"),
        (True, 5, None, "target"),
    ],
)
def test_create_refuses_a_span_outside_the_body_or_a_quote_that_is_not_there(
    article, alice, start, end, exact, field
):
    with pytest.raises(services.AnnotationInvalid) as caught:
        services.annotation_create(user=alice, article=article, start=start, end=end, exact=exact)
    assert set(caught.value.errors) == {field}
    assert not Annotation.objects.exists()


def test_create_corrects_a_position_from_the_quote(article, body, alice):
    start = body.index(QUOTE)
    result = services.annotation_create(
        user=alice, article=article, start=start + 3, end=start + 3 + len(QUOTE), exact=QUOTE
    )
    assert result.corrected is True
    assert (result.annotation.start, result.annotation.end) == (start, start + len(QUOTE))


def test_anonymous_cannot_create(article):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(access.AccessDenied):
        services.annotation_create(user=AnonymousUser(), article=article, start=0, end=5)


def test_inactive_user_cannot_create(article, alice):
    alice.is_active = False
    with pytest.raises(access.AccessDenied):
        services.annotation_create(user=alice, article=article, start=0, end=5)


# --- update, delete, hide --------------------------------------------------------------------


def test_update_checks_the_version_and_the_creator(article, alice, bob):
    annotation = services.annotation_create(user=alice, article=article, start=0, end=5).annotation
    with pytest.raises(access.AccessDenied):
        services.annotation_update(user=bob, annotation=annotation, expected_version=1, note="x")
    updated = services.annotation_update(
        user=alice, annotation=annotation, expected_version=1, note="first"
    )
    assert (updated.note, updated.version) == ("first", 2)
    with pytest.raises(services.VersionMismatch):
        services.annotation_update(
            user=alice, annotation=annotation, expected_version=1, note="second"
        )
    assert Annotation.objects.get().note == "first"


def test_update_keeps_the_claim_rule(article, alice):
    annotation = services.annotation_create(user=alice, article=article, start=0, end=5).annotation
    with pytest.raises(services.AnnotationInvalid) as caught:
        services.annotation_update(
            user=alice, annotation=annotation, expected_version=None, motivation="assessing"
        )
    assert set(caught.value.errors) == {"claim"}


def test_delete_takes_the_replies_too(article, alice, bob):
    annotation = services.annotation_create(user=alice, article=article, start=0, end=5).annotation
    services.annotation_reply(user=bob, parent=annotation, note="reply")
    with pytest.raises(access.AccessDenied):
        services.annotation_delete(user=bob, annotation=annotation)
    services.annotation_delete(user=alice, annotation=annotation)
    assert not Annotation.objects.exists()


def test_hiding_is_for_staff_and_keeps_the_record(article, alice, django_user_model):
    moderator = django_user_model.objects.create_user("mod", is_staff=True)
    annotation = services.annotation_create(user=alice, article=article, start=0, end=5).annotation
    with pytest.raises(access.AccessDenied):
        services.annotation_set_hidden(user=alice, annotation=annotation, hidden=True)
    hidden = services.annotation_set_hidden(user=moderator, annotation=annotation, hidden=True)
    assert (hidden.is_hidden, hidden.hidden_by, hidden.version) == (True, moderator, 2)
    assert hidden.hidden_at is not None
    shown = services.annotation_set_hidden(user=moderator, annotation=hidden, hidden=False)
    assert (shown.is_hidden, shown.hidden_by, shown.hidden_at) == (False, None, None)

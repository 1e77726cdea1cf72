"""The reading view's cached body and sidebar: served from the cache while nothing changed,
and fresh the moment anything a reader sees changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Annotation
from articles.models import Article
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

QUOTE = "Mohammad Alloush"


@pytest.fixture
def article(seeds) -> Article:
    return seeds["004"]


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password="pw-123456789")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password="pw-123456789")


def annotate(user, article, **fields) -> Annotation:
    body = article.current_revision.body
    start = body.index(QUOTE)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(QUOTE), **fields
    ).annotation


def get(client, article) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_a_second_visit_skips_the_annotation_query(client, article, alice):
    annotate(alice, article, note="first note")
    first, html = get(client, article)
    second, again = get(client, article)
    assert second < first  # the annotations and their tags are not read again
    assert again == html


def test_new_edited_and_deleted_annotations_show_at_once(client, article, alice):
    get(client, article)
    note = annotate(alice, article, note="a fresh note")
    _, html = get(client, article)
    assert "a fresh note" in html
    services.annotation_update(
        user=alice, annotation=note, expected_version=note.version, note="an edited note"
    )
    _, html = get(client, article)
    assert "an edited note" in html
    assert "a fresh note" not in html
    note.refresh_from_db()
    services.annotation_delete(user=alice, annotation=note)
    _, html = get(client, article)
    assert "an edited note" not in html


def test_hiding_and_claim_edits_show_at_once(client, article, alice, django_user_model):
    claim = services.claim_create(user=alice, text="Alloush leads the delegation")
    note = annotate(alice, article, motivation="assessing", claim=claim)
    _, html = get(client, article)
    assert "Alloush leads the delegation" in html
    services.claim_update(user=alice, claim=claim, text="Alloush heads the delegation")
    _, html = get(client, article)
    assert "Alloush heads the delegation" in html
    moderator = django_user_model.objects.create_user("mod", password="x", is_staff=True)
    moderator.is_superuser = True
    moderator.save()
    services.annotation_set_hidden(user=moderator, annotation=note, hidden=True)
    _, html = get(client, article)
    assert f'id="card-{note.pk}"' not in html


def test_private_notes_are_never_served_to_someone_else(client, article, alice, bob):
    annotate(alice, article, note="alice only", visibility="private")
    client.force_login(alice)
    _, html = get(client, article)
    assert "alice only" in html
    client.force_login(bob)
    _, html = get(client, article)
    assert "alice only" not in html
    client.logout()
    _, html = get(client, article)
    assert "alice only" not in html


def test_a_new_revision_is_never_served_from_an_old_entry(client, article):
    _, html = get(client, article)
    assert QUOTE in html
    data = seed_path("004").read_bytes().replace(b"Mohammad Alloush", b"Mohammed Alloush")
    article_import(name=SEED_NAMES["004"], data=data)
    _, html = get(client, article)
    assert "Mohammed Alloush" in html

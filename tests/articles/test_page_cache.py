"""The reading view's cached body and sidebar: served from the cache while nothing changed,
and fresh the moment anything a reader sees changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import services
from annotations.models import Annotation
from articles.models import Article
from articles.services import article_import, articles_set_status
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


# --- The whole page, for readers who are not signed in -----------------------------------------


def test_an_anonymous_repeat_visit_is_one_query_and_the_same_page(client, article, alice):
    """A second anonymous visit is served whole from the cache, with the same bytes."""
    annotate(alice, article, note="cached note")
    first, html = get(client, article)
    again, html_again = get(client, article)
    assert again == 1 < first
    assert html_again == html
    response = client.get(article.get_absolute_url())
    assert "Cookie" in response["Vary"]
    assert response["Content-Type"].startswith("text/html")


def test_an_anonymous_page_follows_outlet_status_and_comparison_changes(client, seeds, curator):
    """Byline, the article's status and the "Compare with" list are never served stale."""
    article, other = seeds["004"], seeds["001"]
    _, html = get(client, article)
    assert other.title in html
    outlet = article.outlet
    outlet.name = "Renamed Outlet Daily"
    outlet.save()
    _, html = get(client, article)
    assert "Renamed Outlet Daily" in html
    articles_set_status(user=curator, articles=[other], status=Article.Status.ARCHIVED)
    _, html = get(client, article)
    assert other.title not in html  # no longer offered to compare with
    articles_set_status(user=curator, articles=[article], status=Article.Status.ARCHIVED)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_signed_in_readers_and_pending_messages_never_get_the_anonymous_page(
    client, article, alice
):
    """A request with a session or a messages cookie is rendered for that reader."""
    get(client, article)
    get(client, article)  # stored for anonymous readers
    client.force_login(alice)
    queries, html = get(client, article)
    assert queries > 1
    # The header names the reader, as a link to their own page.
    own_page = re.escape(reverse("annotations:user-detail", args=["alice"]))
    assert re.search(rf'Signed in as <a href="{own_page}"[^>]*><strong>alice</strong></a>', html)
    client.logout()
    client.cookies["messages"] = "anything"
    queries, _ = get(client, article)
    assert queries > 1


def compare_url(*articles) -> str:
    return "/compare/?articles=" + ",".join(a.slug for a in articles)


def test_an_anonymous_compare_page_is_cached_and_follows_annotations(client, seeds, alice):
    """The compare page is served whole on a repeat visit, and shows a new claim at once."""
    chosen = [seeds["001"], seeds["004"]]
    with CaptureQueriesContext(connection) as first:
        html = client.get(compare_url(*chosen)).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert client.get(compare_url(*chosen)).content.decode() == html
    assert len(again.captured_queries) == 1 < len(first.captured_queries)
    claim = services.claim_create(user=alice, text="Alloush leads the armed opposition")
    annotate(alice, seeds["004"], motivation="assessing", claim=claim)
    assert "Alloush leads the armed opposition" in client.get(compare_url(*chosen)).content.decode()


def test_a_compare_selection_that_stops_being_valid_is_never_served_from_the_cache(
    client, seeds, curator
):
    """Archiving a compared article turns the cached page into the plain 400 at once."""
    chosen = [seeds["001"], seeds["004"]]
    assert client.get(compare_url(*chosen)).status_code == 200
    assert client.get(compare_url(*chosen)).status_code == 200
    articles_set_status(user=curator, articles=[seeds["001"]], status=Article.Status.ARCHIVED)
    assert client.get(compare_url(*chosen)).status_code == 400


def test_the_anonymous_article_list_is_cached_and_follows_annotations(client, seeds, alice):
    """The list is served whole on a repeat visit and shows a new annotation count at once."""
    with CaptureQueriesContext(connection) as first:
        html = client.get("/").content.decode()
    with CaptureQueriesContext(connection) as again:
        assert client.get("/").content.decode() == html
    assert len(again.captured_queries) == 1 < len(first.captured_queries)
    annotate(alice, seeds["004"], note="counted")
    assert client.get("/").content.decode() != html

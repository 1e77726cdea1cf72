"""The index follows every write: imports, re-imports, edits and deletes, by any code path."""

import pytest

from annotations.models import Annotation
from annotations.services import annotation_delete, annotation_update, claim_create, claim_update

from .conftest import annotate, found

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def urls(client, query: str, kind: str = "") -> list[str]:
    return [url for _, url in found(client.get(SEARCH, {"q": query, "kind": kind}))]


def test_reimport_replaces_old_words_with_new(client, make_article):
    """After a changed file is imported again, its old words no longer match and new ones do."""
    article = make_article("talks.txt", "Monsoon talks", "A monsoon hit the hotel.")
    assert urls(client, "monsoon") == [article.get_absolute_url()]
    make_article("talks.txt", "Typhoon talks", "A typhoon hit the hotel.")
    assert urls(client, "monsoon") == []
    assert urls(client, "typhoon") == [article.get_absolute_url()]
    result = client.get(SEARCH, {"q": "typhoon"}).context["results"].results[0]
    assert "<mark>Typhoon</mark> talks" in result.title_html


def test_deleted_annotation_is_gone(client, make_article, alice):
    """After an annotation is deleted it is no longer found."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    note = annotate(alice, article, "Officials said", note="Cyclone warning")
    assert len(urls(client, "cyclone")) == 1
    annotation_delete(user=alice, annotation=note)
    assert urls(client, "cyclone") == []


def test_edited_note_matches_its_new_words(client, make_article, alice):
    """After a note is edited its new words match and its old ones do not."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    note = annotate(alice, article, "Officials said", note="Cyclone warning")
    annotation_update(user=alice, annotation=note, expected_version=None, note="Hailstorm alert")
    assert urls(client, "cyclone") == []
    assert urls(client, "hailstorm") == [f"{article.get_absolute_url()}#card-{note.pk}"]


def test_edited_claim_matches_its_new_words(client, alice):
    """After a claim's text and claimant change, search follows."""
    claim = claim_create(user=alice, text="The cyclone delayed the talks", claimant="Lavrov")
    claim_update(user=alice, claim=claim, text="The hailstorm delayed the talks", claimant="Zarif")
    assert urls(client, "cyclone") == []
    assert urls(client, "hailstorm") == [f"/claims/{claim.pk}/"]
    assert urls(client, "zarif") == [f"/claims/{claim.pk}/"]
    assert urls(client, "lavrov") == []


def test_writes_outside_the_services_are_followed_too(client, make_article, alice):
    """Bulk updates and deletes that skip save() and signals still keep the index in sync."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    gone = make_article("gone.txt", "Sandstorm story", "A sandstorm hit the hotel.")
    note = annotate(alice, article, "Officials said", note="Cyclone warning")
    Annotation.objects.filter(pk=note.pk).update(note="Drizzle only")
    assert urls(client, "cyclone") == []
    assert len(urls(client, "drizzle")) == 1
    assert urls(client, "sandstorm") == [gone.get_absolute_url()]
    gone.delete()
    assert urls(client, "sandstorm") == []

"""Search never shows what the user may not see: others' private or hidden notes, drafts."""

import pytest

from annotations.services import annotation_reply, annotation_set_hidden
from articles.services import articles_set_status

from .conftest import annotate, found

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_user("mod", password="pw-123456789", is_staff=True)


@pytest.fixture
def article(make_article):
    return make_article("talks.txt", "Talks in Astana", "Officials said the talks went on.")


def urls(client, query: str) -> list[str]:
    return [url for _, url in found(client.get(SEARCH, {"q": query}))]


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_private_annotation_is_found_only_by_its_creator(client, article, alice, bob):
    """Bob's private note is found by Bob, by nobody else, and its tag is not offered."""
    note = annotate(
        bob,
        article,
        "Officials said",
        note="Blizzard secret",
        visibility="private",
        tags=("covert",),
    )
    assert urls(client, "blizzard") == []
    page = client.get(SEARCH).content.decode()
    assert "covert" not in page
    assert urls(as_user(client, alice), "blizzard") == []
    assert urls(as_user(client, bob), "blizzard") == [f"/articles/{article.slug}/#card-{note.pk}"]


def test_public_reply_to_private_annotation_stays_hidden(client, article, alice, bob):
    """A public reply in a private thread is not found by others either."""
    parent = annotate(bob, article, "Officials said", note="mine", visibility="private")
    annotation_reply(user=bob, parent=parent, note="Blizzard reply")
    assert urls(as_user(client, alice), "blizzard") == []


@pytest.mark.parametrize("viewer", ["anonymous", "bob", "alice"])
def test_hidden_annotation_is_found_only_by_its_creator(
    client, article, alice, bob, moderator, viewer
):
    """A note hidden by a moderator is not found by anyone but its creator (and staff)."""
    note = annotate(alice, article, "Officials said", note="Blizzard rumour")
    annotation_set_hidden(user=moderator, annotation=note, hidden=True)
    user = {"anonymous": None, "bob": bob, "alice": alice}[viewer]
    expected = [f"/articles/{article.slug}/#card-{note.pk}"] if viewer == "alice" else []
    assert urls(as_user(client, user), "blizzard") == expected


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_unpublished_article_and_its_annotations_are_not_found(
    client, make_article, alice, moderator, status
):
    """A draft or archived article, and the notes on it, are found by nobody, not even staff."""
    article = make_article("draft.txt", "Blizzard draft", "Officials said a blizzard hit.")
    annotate(alice, article, "Officials said", note="Blizzard note")
    articles_set_status(user=moderator, articles=[article], status=status)
    for user in (None, alice, moderator):
        response = as_user(client, user).get(SEARCH, {"q": "blizzard"})
        assert found(response) == []
        assert "Blizzard draft" not in response.content.decode()

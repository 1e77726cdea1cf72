"""Requests that another worker's write overtakes between the view's read and the service's
lock. Each interleaving is forced deterministically: the other write runs right after the
view has read the annotation (as a second gunicorn worker can make it happen at random; see
test_gunicorn_writers.py). The request must then answer 404 or 412, never 500."""

import pytest
from django.test import Client

from annotations import access, services
from annotations.models import Annotation
from tests.security.conftest import annotate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

API = "/api/annotations/"
JSON = "application/json"


def overtaken_by(monkeypatch, other_write) -> None:
    """Run `other_write(annotation)` once, just after the view has read the annotation."""
    real = access.annotation_get_for_user
    pending = [other_write]

    def read_then_overtaken(*, user, pk):
        annotation = real(user=user, pk=pk)
        if pending:
            pending.pop()(annotation)
        return annotation

    monkeypatch.setattr(access, "annotation_get_for_user", read_then_overtaken)


def deleted(annotation: Annotation) -> None:
    Annotation.objects.filter(pk=annotation.pk).delete()


def edited(annotation: Annotation) -> None:
    fresh = Annotation.objects.get(pk=annotation.pk)
    services.annotation_update(
        user=fresh.creator, annotation=fresh, expected_version=None, note="the other edit"
    )


def replacement(annotation: Annotation) -> dict:
    return {
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": "my edit", "purpose": "commenting"}],
        "target": {
            "source": f"http://testserver{annotation.article.get_absolute_url()}",
            "selector": {"type": "TextQuoteSelector", "exact": annotation.exact},
        },
    }


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_an_edit_overtaken_by_another_edit_is_412(seeds, alice, monkeypatch):
    """The version checked under the lock is the one the client read: 412, the other edit kept."""
    mine = annotate(alice, seeds["001"], note="first")
    overtaken_by(monkeypatch, edited)

    response = signed_in(alice).put(
        f"{API}{mine.pk}/", replacement(mine), content_type=JSON, headers={"If-Match": mine.etag}
    )

    assert response.status_code == 412, response.content[:300]
    assert Annotation.objects.get(pk=mine.pk).note == "the other edit"


def test_an_edit_overtaken_by_a_delete_is_404_or_412(seeds, alice, monkeypatch):
    """Editing an annotation another request has just deleted is not a server error."""
    mine = annotate(alice, seeds["001"], note="first")
    overtaken_by(monkeypatch, deleted)

    response = signed_in(alice).put(
        f"{API}{mine.pk}/", replacement(mine), content_type=JSON, headers={"If-Match": mine.etag}
    )

    assert response.status_code in {404, 412}, response.content[:300]
    assert not Annotation.objects.filter(pk=mine.pk).exists()


def test_a_delete_overtaken_by_another_delete_is_204_or_404(seeds, alice, monkeypatch):
    """Two deletes of one annotation at once: the second is not a server error."""
    mine = annotate(alice, seeds["001"])
    overtaken_by(monkeypatch, deleted)

    response = signed_in(alice).delete(f"{API}{mine.pk}/")

    assert response.status_code in {204, 404}, response.content[:300]
    assert not Annotation.objects.filter(pk=mine.pk).exists()


def test_a_hide_overtaken_by_a_delete_is_404(seeds, alice, bob, monkeypatch):
    """A moderator hiding an annotation its creator has just deleted gets 404."""
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    theirs = annotate(bob, seeds["001"])
    overtaken_by(monkeypatch, deleted)

    response = signed_in(alice).post(f"{API}{theirs.pk}/hide/", {"hidden": True}, content_type=JSON)

    assert response.status_code == 404, response.content[:300]
    assert not Annotation.objects.filter(pk=theirs.pk).exists()


def test_a_reply_overtaken_by_the_deletion_of_its_thread_is_404(seeds, alice, bob, monkeypatch):
    """Replying to an annotation deleted a moment before is 404, and no orphan reply is kept."""
    theirs = annotate(bob, seeds["001"])
    overtaken_by(monkeypatch, deleted)
    doc = {
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "I agree"},
        "target": f"http://testserver{API}{theirs.pk}/",
    }

    response = signed_in(alice).post(API, doc, content_type=JSON)

    assert response.status_code == 404, response.content[:300]
    assert not Annotation.objects.exists()

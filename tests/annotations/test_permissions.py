"""Who may do what to an annotation, through the HTTP API.

The matrix: five roles x seven actions x three states of the record, each cell an exact status
code (for "list": whether the record is in the list). Then the fields the server alone sets, and
the 404 for another user's private record that must look exactly like the 404 for no record.
"""

import pytest

from annotations import services
from annotations.models import Annotation, Visibility
from articles.services import article_import
from tests.factories import ARTICLE_TEMPLATE

pytestmark = pytest.mark.django_db

API = "/api/annotations/"
JSON = "application/json"
QUOTE = "Delegations met for round 7 of the talks"

ROLES = ("anonymous", "other", "creator", "staff", "staff_creator")
STATES = ("public", "private", "hidden")
ACTIONS = ("list", "read", "replace", "delete", "hide", "unhide", "reply")

# (role, action) -> result for a (public, private, hidden public) record.
# "list" cells say whether the record is in GET /api/annotations/ (always 200).
# The record's creator is a plain user, except for "staff_creator", whose record it is.
# A hidden record was hidden by a moderator who is neither of the staff roles below.
MATRIX: dict[tuple[str, str], tuple] = {
    ("anonymous", "list"): (True, False, False),
    ("anonymous", "read"): (200, 404, 404),
    ("anonymous", "replace"): (403, 404, 404),
    ("anonymous", "delete"): (403, 404, 404),
    ("anonymous", "hide"): (403, 404, 404),
    ("anonymous", "unhide"): (403, 404, 404),
    ("anonymous", "reply"): (403, 403, 403),  # signing in comes first: nothing is revealed
    ("other", "list"): (True, False, False),
    ("other", "read"): (200, 404, 404),
    ("other", "replace"): (403, 404, 404),
    ("other", "delete"): (403, 404, 404),
    ("other", "hide"): (403, 404, 404),
    ("other", "unhide"): (403, 404, 404),
    ("other", "reply"): (201, 404, 404),
    ("creator", "list"): (True, True, True),
    ("creator", "read"): (200, 200, 200),
    ("creator", "replace"): (200, 200, 200),
    ("creator", "delete"): (204, 204, 204),
    ("creator", "hide"): (403, 403, 403),
    ("creator", "unhide"): (403, 403, 403),
    ("creator", "reply"): (201, 201, 201),
    ("staff", "list"): (True, False, True),
    ("staff", "read"): (200, 404, 200),
    ("staff", "replace"): (403, 404, 403),
    ("staff", "delete"): (403, 404, 403),
    ("staff", "hide"): (200, 404, 200),
    ("staff", "unhide"): (200, 404, 200),
    ("staff", "reply"): (201, 404, 201),
    ("staff_creator", "list"): (True, True, True),
    ("staff_creator", "read"): (200, 200, 200),
    ("staff_creator", "replace"): (200, 200, 200),
    ("staff_creator", "delete"): (204, 204, 204),
    ("staff_creator", "hide"): (200, 200, 200),
    ("staff_creator", "unhide"): (200, 200, 200),
    ("staff_creator", "reply"): (201, 201, 201),
}

CELLS = [
    pytest.param(role, action, state, MATRIX[role, action][i], id=f"{role}-{action}-{state}")
    for role in ROLES
    for action in ACTIONS
    for i, state in enumerate(STATES)
]


def test_the_matrix_covers_every_role_and_action():
    assert set(MATRIX) == {(r, a) for r in ROLES for a in ACTIONS}
    assert len(CELLS) == 105


@pytest.fixture
def article():
    data = ARTICLE_TEMPLATE.format(n=7).encode()
    return article_import(name="permissions.txt", data=data).article


@pytest.fixture
def users(django_user_model):
    def make(name, **extra):
        return django_user_model.objects.create_user(name, password="pw-123456789", **extra)

    return {
        "author": make("author"),
        "other": make("other"),
        "staff": make("staff", is_staff=True),
        "staff_author": make("staff_author", is_staff=True),
        "moderator": make("moderator", is_staff=True),
    }


def make_record(article, creator, state: str, moderator) -> Annotation:
    body = article.current_revision.body
    start = body.index(QUOTE)
    visibility = Visibility.PRIVATE if state == "private" else Visibility.PUBLIC
    annotation = services.annotation_create(
        user=creator,
        article=article,
        start=start,
        end=start + len(QUOTE),
        exact=QUOTE,
        motivation="commenting",
        note="First note",
        visibility=visibility,
    ).annotation
    if state == "hidden":
        annotation = services.annotation_set_hidden(
            user=moderator, annotation=annotation, hidden=True
        )
    return annotation


def replacement(annotation: Annotation) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": "Changed note", "purpose": "commenting"}],
        "target": {
            "type": "SpecificResource",
            "source": f"http://testserver{annotation.article.get_absolute_url()}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": annotation.exact},
                {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
            ],
        },
    }


def reply_to(annotation: Annotation) -> dict:
    return {
        "type": "Annotation",
        "motivation": "replying",
        "body": {"type": "TextualBody", "value": "A reply", "purpose": "replying"},
        "target": f"http://testserver{API}{annotation.pk}/",
    }


def perform(client, action: str, annotation: Annotation):
    url = f"{API}{annotation.pk}/"
    if action == "list":
        return client.get(API)
    if action == "read":
        return client.get(url)
    if action == "replace":
        return client.put(
            url, replacement(annotation), content_type=JSON, headers={"If-Match": annotation.etag}
        )
    if action == "delete":
        return client.delete(url)
    if action in ("hide", "unhide"):
        return client.post(f"{url}hide/", {"hidden": action == "hide"}, content_type=JSON)
    if action == "reply":
        return client.post(API, reply_to(annotation), content_type=JSON)
    raise AssertionError(action)


@pytest.mark.parametrize(("role", "action", "state", "expected"), CELLS)
def test_permission_matrix(client, article, users, role, action, state, expected):
    creator = users["staff_author"] if role == "staff_creator" else users["author"]
    record = make_record(article, creator, state, users["moderator"])
    before = Annotation.objects.get(pk=record.pk)
    actor = {
        "anonymous": None,
        "other": users["other"],
        "creator": creator,
        "staff": users["staff"],
        "staff_creator": creator,
    }[role]
    if actor is not None:
        client.force_login(actor)

    response = perform(client, action, record)

    if action == "list":
        assert response.status_code == 200
        listed = {item["id"] for item in response.json()["items"]}
        assert (f"http://testserver{API}{record.pk}/" in listed) is expected
        return
    assert response.status_code == expected, response.content
    after = Annotation.objects.filter(pk=record.pk).first()
    replies = Annotation.objects.filter(parent=record.pk)
    if expected >= 400:
        # Refused: nothing changed, nothing was added.
        assert after is not None
        assert (after.version, after.note, after.is_hidden) == (
            before.version,
            before.note,
            before.is_hidden,
        )
        assert not replies.exists()
        if expected == 404:
            assert response.json() == {"detail": "Not found."}
        return
    if action == "read":
        assert response.json()["id"] == f"http://testserver{API}{record.pk}/"
        assert response["ETag"] == before.etag
    elif action == "replace":
        assert after.note == "Changed note"
        assert after.version == before.version + 1
        assert response["ETag"] == after.etag
    elif action == "delete":
        assert after is None
    elif action == "hide":
        assert after.is_hidden is True
        assert after.hidden_by == actor
        assert response.json()["hidden"] is True
    elif action == "unhide":
        assert after.is_hidden is False
        assert after.hidden_by is None
        assert response.json()["hidden"] is False
    elif action == "reply":
        reply = replies.get()
        assert reply.creator == actor
        assert reply.motivation == "replying"
        assert response["Location"] == f"http://testserver{API}{reply.pk}/"


# --- What the server alone sets -------------------------------------------------------------

FORGED = {
    "id": "http://testserver/api/annotations/999999/",
    "creator": {"type": "Person", "nickname": "other"},
    "created": "2001-01-01T00:00:00+00:00",
    "modified": "2001-01-01T00:00:00+00:00",
    "anchorStatus": "orphaned",
    "anchorScore": 0.125,
    "hidden": True,
    "revision": 42,
}


def test_client_cannot_assign_server_fields_on_create(client, article, users):
    client.force_login(users["author"])
    body = article.current_revision.body
    start = body.index(QUOTE)
    doc = {
        "type": "Annotation",
        "motivation": "highlighting",
        "target": {
            "source": f"http://testserver{article.get_absolute_url()}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": QUOTE},
                {"type": "TextPositionSelector", "start": start, "end": start + len(QUOTE)},
            ],
        },
        **FORGED,
    }

    response = client.post(API, doc, content_type=JSON)

    assert response.status_code == 201, response.content
    stored = Annotation.objects.get()
    assert stored.pk != 999999
    assert response.json()["id"] == f"http://testserver{API}{stored.pk}/"
    assert stored.creator == users["author"]
    assert response.json()["creator"]["nickname"] == "author"
    assert stored.created.year != 2001
    assert stored.modified.year != 2001
    assert stored.anchor_status == "anchored"
    assert stored.anchor_score == 1.0
    assert stored.is_hidden is False
    assert stored.anchor_revision == article.current_revision
    assert response.json()["revision"] == article.current_revision.number
    assert not Annotation.objects.filter(pk=999999).exists()


def test_client_cannot_assign_server_fields_on_replace(client, article, users):
    record = make_record(article, users["author"], "public", users["moderator"])
    victim = make_record(article, users["other"], "public", users["moderator"])
    before = Annotation.objects.get(pk=record.pk)
    client.force_login(users["author"])
    doc = {**replacement(record), **FORGED, "id": f"http://testserver{API}{victim.pk}/"}

    response = client.put(
        f"{API}{record.pk}/", doc, content_type=JSON, headers={"If-Match": record.etag}
    )

    assert response.status_code == 200, response.content
    after = Annotation.objects.get(pk=record.pk)
    assert after.note == "Changed note"
    assert after.creator == users["author"]
    assert after.created == before.created
    assert after.modified.year != 2001
    assert after.anchor_status == "anchored"
    assert after.anchor_score == 1.0
    assert after.is_hidden is False
    assert response.json()["id"] == f"http://testserver{API}{record.pk}/"
    untouched = Annotation.objects.get(pk=victim.pk)
    assert (untouched.note, untouched.version) == ("First note", victim.version)


# --- Another user's private record is indistinguishable from no record --------------------


@pytest.mark.parametrize("action", ["read", "replace", "delete", "hide", "reply"])
@pytest.mark.parametrize("viewer", ["other", "staff"])
def test_private_record_of_another_user_looks_like_no_record(
    client, article, users, action, viewer
):
    private = make_record(article, users["author"], "private", users["moderator"])
    missing = Annotation(pk=private.pk + 1000, article=article, version=1)
    missing.exact, missing.start, missing.end = private.exact, private.start, private.end
    client.force_login(users[viewer])

    for_private = perform(client, action, private)
    for_missing = perform(client, action, missing)

    assert for_private.status_code == for_missing.status_code == 404
    assert for_private.content == for_missing.content
    assert for_private["Content-Type"] == for_missing["Content-Type"]
    assert Annotation.objects.filter(pk=private.pk, note="First note", version=1).exists()
    assert Annotation.objects.count() == 1


def test_hidden_record_is_listed_again_once_unhidden(client, article, users):
    record = make_record(article, users["author"], "hidden", users["moderator"])
    url = f"http://testserver{API}{record.pk}/"
    assert url not in {i["id"] for i in client.get(API).json()["items"]}
    client.force_login(users["staff"])
    response = client.post(f"{API}{record.pk}/hide/", {"hidden": False}, content_type=JSON)
    assert response.status_code == 200
    client.logout()
    assert url in {i["id"] for i in client.get(API).json()["items"]}
    assert Annotation.objects.get(pk=record.pk).note == "First note"  # hidden, never deleted


def test_hide_needs_a_boolean(client, article, users):
    record = make_record(article, users["author"], "public", users["moderator"])
    client.force_login(users["staff"])
    response = client.post(f"{API}{record.pk}/hide/", {"hidden": "yes"}, content_type=JSON)
    assert response.status_code == 400
    assert "hidden" in response.json()
    assert Annotation.objects.get(pk=record.pk).is_hidden is False


def test_a_public_reply_does_not_reveal_a_private_parent(client, article, users):
    """A reply to a private annotation must not show others that the private one exists.

    Only the creator can see (and so reply to) their private annotation; if that reply is
    public, anonymous visitors get it in the list with `target` = the private annotation's IRI.
    """
    private = make_record(article, users["author"], "private", users["moderator"])
    client.force_login(users["author"])
    response = client.post(API, reply_to(private), content_type=JSON)
    assert response.status_code == 201
    reply_iri = response.json()["id"]
    private_iri = f"http://testserver{API}{private.pk}/"
    client.logout()

    items = client.get(API).json()["items"]

    assert private_iri not in {str(item["target"]) for item in items}
    assert reply_iri not in {item["id"] for item in items}
    assert client.get(reply_iri.removeprefix("http://testserver")).status_code == 404

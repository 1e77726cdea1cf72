"""Articles, claims and tags under /api/, authentication (session + CSRF, token), the schema."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from annotations import services
from annotations.models import Annotation, Claim
from articles.models import Article
from tests.factories import make_articles

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
JSON = "application/json"
QUOTE = "Vladimir Putin said that that Syrian opposition groups"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", password="pw-123456789", is_staff=True)


def annotate(user, article: Article, quote: str = QUOTE, **fields) -> Annotation:
    body = article.current_revision.body
    start = body.index(quote)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(quote), exact=quote, **fields
    ).annotation


def highlight(article: Article, quote: str = QUOTE) -> dict:
    start = article.current_revision.body.index(quote)
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "highlighting",
        "target": {
            "source": f"{BASE}{article.get_absolute_url()}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote},
                {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
            ],
        },
    }


# --- Articles -------------------------------------------------------------------------------


def test_article_list(client, seeds):
    response = client.get("/api/articles/")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == 5
    by_slug = {item["slug"]: item for item in data["results"]}
    assert set(by_slug) == {a.slug for a in seeds.values()}
    for article in seeds.values():
        item = by_slug[article.slug]
        assert item["url"] == f"{BASE}{article.get_absolute_url()}"
        assert item["api_url"] == f"{BASE}/api/articles/{article.slug}/"
        assert item["title"] == article.title
        assert item["revision"] == article.current_revision.number
        assert item["word_count"] == article.word_count
        assert item["credits"] == article.credits
        assert item["language"] == article.language
        assert item["outlet"] == (article.outlet.name if article.outlet else None)
        assert "body" not in item


def test_article_list_query_count_does_not_grow(client, db):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/articles/")
        assert response.status_code == 200, response.content
        return len(ctx.captured_queries)

    make_articles(3)
    few = queries()
    make_articles(20, start=3)
    assert queries() == few


def test_article_list_leaves_out_drafts(client, seeds):
    Article.objects.filter(pk=seeds["002"].pk).update(status=Article.Status.DRAFT)
    response = client.get("/api/articles/")
    assert response.status_code == 200, response.content
    assert seeds["002"].slug not in {item["slug"] for item in response.json()["results"]}


def test_article_detail(client, seeds, alice):
    article = seeds["001"]
    revision = article.current_revision

    response = client.get(f"/api/articles/{article.slug}/")

    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == article.slug
    assert data["title"] == article.title
    assert data["body"] == revision.body
    assert data["body_length"] == len(revision.body)
    assert data["sha256"] == revision.sha256
    assert data["revision"] == revision.number
    assert data["credits"] == article.credits
    assert data["url"] == f"{BASE}{article.get_absolute_url()}"
    assert data["url"].startswith("http://")
    # The url is the IRI that annotations on the article target.
    annotation = annotate(alice, article)
    w3c = client.get(f"/api/annotations/{annotation.pk}/").json()
    assert w3c["target"]["source"] == data["url"]
    # ... and an annotation made from that url lands on the article.
    client.force_login(alice)
    doc = highlight(article)
    doc["target"]["source"] = data["url"]
    assert client.post("/api/annotations/", doc, content_type=JSON).status_code == 201
    # The API url of the article is accepted as a target too.
    doc["target"]["source"] = data["api_url"]
    assert client.post("/api/annotations/", doc, content_type=JSON).status_code == 201


def test_article_detail_unknown_slug_is_404(client, db):
    response = client.get("/api/articles/no-such-article/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_draft_article_is_404_except_for_staff(client, seeds, staff):
    article = seeds["003"]
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get(f"/api/articles/{article.slug}/").status_code == 404
    client.force_login(staff)
    assert client.get(f"/api/articles/{article.slug}/").status_code == 200


# --- Claims ---------------------------------------------------------------------------------

CLAIMS = "/api/claims/"


def claim_url(claim: Claim) -> str:
    return f"{CLAIMS}{claim.pk}/"


def test_claim_create_read_list(client, alice):
    client.force_login(alice)
    payload = {
        "text": "  Turkey and Russia will guarantee the ceasefire.  ",
        "claimant": "Vladimir Putin",
        "kind": "prediction",
        "tags": ["ceasefire", "guarantors"],
    }

    response = client.post(CLAIMS, payload, content_type=JSON)

    assert response.status_code == 201, response.content
    claim = Claim.objects.get()
    data = response.json()
    assert response["Location"] == data["id"] == f"{BASE}{claim_url(claim)}"
    assert data["text"] == "Turkey and Russia will guarantee the ceasefire."
    assert (data["claimant"], data["kind"], data["rating"]) == (
        "Vladimir Putin",
        "prediction",
        "unrated",
    )
    assert data["tags"] == ["ceasefire", "guarantors"]
    assert claim.created_by == alice

    assert client.get(claim_url(claim)).json() == data
    listing = client.get(CLAIMS).json()
    assert listing["count"] == 1
    assert listing["results"] == [data]
    assert client.get(f"{CLAIMS}?q=guarantee").json()["count"] == 1
    assert client.get(f"{CLAIMS}?q=putin").json()["count"] == 1
    assert client.get(f"{CLAIMS}?q=nothing-like-it").json()["count"] == 0
    # No passage carries it yet, so it is its creator's alone (annotations/access.py).
    client.logout()
    assert client.get(claim_url(claim)).status_code == 404
    assert client.get(CLAIMS).json()["count"] == 0


def test_anonymous_cannot_create_a_claim(client, db):
    response = client.post(CLAIMS, {"text": "A claim."}, content_type=JSON)
    assert response.status_code == 403
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "A claim.", "rating": "great"}, "rating"),
        ({"text": "A claim.", "kind": "rumour"}, "kind"),
        ({"text": "A claim.", "tags": "one,two"}, "tags"),
        ({"text": "A claim.", "claimant": "x" * 301}, "claimant"),
    ],
)
def test_invalid_claim_is_400(client, alice, payload, field):
    client.force_login(alice)
    response = client.post(CLAIMS, payload, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()
    assert not Claim.objects.exists()


def test_unknown_claim_is_404(client, db):
    assert client.get(f"{CLAIMS}999/").status_code == 404


@pytest.fixture
def claim(alice):
    return services.claim_create(user=alice, text="The truce covers all areas.", tags=["truce"])


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 403), ("bob", 403), ("alice", 200), ("staff", 200)],
)
def test_claim_update_is_for_its_creator_or_staff(client, seeds, claim, bob, staff, who, expected):
    annotate(claim.created_by, seeds["001"], motivation="assessing", claim=claim)  # all see it
    actor = {"anonymous": None, "bob": bob, "alice": claim.created_by, "staff": staff}[who]
    if actor:
        client.force_login(actor)

    patch = client.patch(claim_url(claim), {"rating": "disputed"}, content_type=JSON)
    put = client.put(
        claim_url(claim), {"text": "Replaced text.", "claimant": "UN"}, content_type=JSON
    )

    assert (patch.status_code, put.status_code) == (expected, expected)
    claim.refresh_from_db()
    if expected == 200:
        assert (claim.text, claim.claimant, claim.rating) == ("Replaced text.", "UN", "disputed")
        assert claim.reviewed_by == actor
        assert put.json()["reviewed_by"] == actor.username
    else:
        assert (claim.text, claim.rating) == ("The truce covers all areas.", "unrated")


def test_claim_put_needs_the_text(client, claim):
    client.force_login(claim.created_by)
    response = client.put(claim_url(claim), {"claimant": "UN"}, content_type=JSON)
    assert response.status_code == 400
    assert "text" in response.json()


@pytest.mark.parametrize(
    ("who", "expected"),
    # A claim no passage carries is its creator's alone: to anyone else it does not exist.
    [("anonymous", 404), ("bob", 404), ("alice", 204), ("staff", 404)],
)
def test_claim_delete_is_for_its_creator(client, claim, bob, staff, who, expected):
    actor = {"anonymous": None, "bob": bob, "alice": claim.created_by, "staff": staff}[who]
    if actor:
        client.force_login(actor)
    response = client.delete(claim_url(claim))
    assert response.status_code == expected
    assert Claim.objects.filter(pk=claim.pk).exists() is (expected != 204)


def test_claim_delete_is_refused_while_passages_carry_it(client, seeds, claim, bob):
    assessment = annotate(bob, seeds["001"], motivation="assessing", claim=claim)
    client.force_login(claim.created_by)

    response = client.delete(claim_url(claim))

    assert response.status_code == 400
    assert "Passages still carry this claim" in response.json()["claim"][0]
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Annotation.objects.filter(pk=assessment.pk).exists()
    services.annotation_delete(user=bob, annotation=assessment)
    assert client.delete(claim_url(claim)).status_code == 204
    assert not Claim.objects.exists()


# --- Tags -----------------------------------------------------------------------------------


@pytest.fixture
def tagged(seeds, alice, bob, staff):
    article = seeds["001"]
    annotate(alice, article, tags=["ceasefire", "Russia"])
    annotate(bob, article, "Assad regime", tags=["ceasefire"])
    annotate(bob, article, "Kazakhstan", tags=["secret-plan"], visibility="private")
    hidden = annotate(bob, article, "Aleppo", tags=["rude-word"])
    services.annotation_set_hidden(user=staff, annotation=hidden, hidden=True)
    return article


def tag_names(client, query: str = "") -> list[str]:
    response = client.get(f"/api/tags/{query}")
    assert response.status_code == 200
    return [row["name"] for row in response.json()]


def test_tags_autocomplete(client, tagged):
    rows = client.get("/api/tags/").json()
    assert rows[0] == {"name": "ceasefire", "slug": "ceasefire", "count": 2}
    assert tag_names(client) == ["ceasefire", "Russia"]
    assert tag_names(client, "?q=cease") == ["ceasefire"]
    assert tag_names(client, "?q=RUS") == ["Russia"]
    assert tag_names(client, "?q=zzz") == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["ceasefire", "Russia"]),
        ("alice", ["ceasefire", "Russia"]),
        ("bob", ["ceasefire", "rude-word", "Russia", "secret-plan"]),
        ("staff", ["ceasefire", "rude-word", "Russia"]),
    ],
)
def test_tags_show_only_tags_of_annotations_the_user_can_see(
    client, tagged, alice, bob, staff, who, expected
):
    actor = {"anonymous": None, "alice": alice, "bob": bob, "staff": staff}[who]
    if actor:
        client.force_login(actor)
    assert sorted(tag_names(client), key=str.casefold) == expected
    assert ("secret-plan" in tag_names(client, "?q=secret")) is (who == "bob")


# --- Authentication -------------------------------------------------------------------------


def test_session_post_without_csrf_token_is_403(seeds, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    annotation = client.post("/api/annotations/", highlight(seeds["001"]), content_type=JSON)
    claim = client.post(CLAIMS, {"text": "A claim."}, content_type=JSON)

    assert annotation.status_code == 403
    assert "CSRF" in annotation.json()["detail"]
    assert claim.status_code == 403
    assert not Annotation.objects.exists()
    assert not Claim.objects.exists()


def test_session_post_with_csrf_token_is_accepted(seeds, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    secret = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"  # a CSRF secret: 32 letters and digits
    client.cookies["csrftoken"] = secret

    response = client.post(
        "/api/annotations/",
        highlight(seeds["001"]),
        content_type=JSON,
        headers={"X-CSRFToken": secret},
    )

    assert response.status_code == 201, response.content


def test_token_auth_needs_no_csrf(seeds, alice):
    token = Token.objects.create(user=alice)
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Token {token.key}"}

    created = client.post(
        "/api/annotations/", highlight(seeds["001"]), content_type=JSON, headers=headers
    )

    assert created.status_code == 201, created.content
    annotation = Annotation.objects.get()
    assert annotation.creator == alice
    location = created["Location"]
    etag = created["ETag"]
    doc = created.json()
    doc["body"] = {"type": "TextualBody", "value": "By script", "purpose": "commenting"}
    replaced = client.put(location, doc, content_type=JSON, headers={**headers, "If-Match": etag})
    assert replaced.status_code == 200, replaced.content
    assert client.delete(location, headers=headers).status_code == 204
    claim = client.post(CLAIMS, {"text": "From a script."}, content_type=JSON, headers=headers)
    assert claim.status_code == 201


def test_bad_token_is_refused(seeds):
    client = Client()
    response = client.post(
        "/api/annotations/",
        highlight(seeds["001"]),
        content_type=JSON,
        headers={"Authorization": "Token not-a-real-key"},
    )
    assert response.status_code in (401, 403)
    assert not Annotation.objects.exists()


def test_private_annotation_read_with_token(seeds, alice, bob):
    private = annotate(alice, seeds["001"], visibility="private")
    url = f"/api/annotations/{private.pk}/"
    own = {"Authorization": f"Token {Token.objects.create(user=alice).key}"}
    other = {"Authorization": f"Token {Token.objects.create(user=bob).key}"}
    assert Client().get(url, headers=own).status_code == 200
    assert Client().get(url, headers=other).status_code == 404


# --- Schema ---------------------------------------------------------------------------------


def test_schema(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("openapi: 3")
    for path in ("/api/annotations/", "/api/annotations/{id}/", "/api/articles/", "/api/claims/"):
        assert f"  {path}:" in text
    json_schema = client.get("/api/schema/?format=json")
    assert json_schema.status_code == 200
    assert "/api/tags/" in json_schema.json()["paths"]

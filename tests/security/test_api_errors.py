"""Every error under /api/ is JSON with a message, wherever it arises: in a view, in the
parser, in middleware before any view runs, or in Django's own 400/404/500 handling."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.views import APIView

from annotations import services
from annotations.models import Annotation, Claim
from articles.models import Article
from tests.factories import make_articles

BIG_JSON = json.dumps({"note": "x" * 3_000_000})  # over DATA_UPLOAD_MAX_MEMORY_SIZE, under 12 MB


@dataclass
class Records:
    author: object
    article: Article
    annotation: Annotation
    claim: Claim


@pytest.fixture
def records(db, django_user_model) -> Records:
    make_articles(1)
    article = Article.objects.get()
    author = django_user_model.objects.create_user("writer", password="pw-123456789")
    quote = "Delegations met"
    start = article.current_revision.body.index(quote)
    annotation = services.annotation_create(
        user=author, article=article, start=start, end=start + len(quote), exact=quote
    ).annotation
    claim = services.claim_create(user=author, text="The talks went well.")
    return Records(author=author, article=article, annotation=annotation, claim=claim)


def signed_in(user, **options) -> Client:
    client = Client(raise_request_exception=False, **options)
    client.force_login(user)
    return client


def assert_json_error(response, status: int) -> None:
    """The response has the status, a JSON content type and a JSON body with a message."""
    assert response.status_code == status, response.content[:300]
    media_type = response["Content-Type"].split(";")[0].strip()
    assert media_type in {"application/json", "application/ld+json"}, media_type
    body = json.loads(response.content)
    assert isinstance(body, dict)
    assert isinstance(body.get("detail"), str)
    assert body["detail"].strip()


# Endpoints that read a JSON body: (method, path); {annotation} and {claim} are filled in.
WRITES = [
    ("post", "/api/annotations/"),
    ("put", "/api/annotations/{annotation}/"),
    ("post", "/api/annotations/{annotation}/apply-claim/"),
    ("post", "/api/claims/"),
    ("put", "/api/claims/{claim}/"),
    ("patch", "/api/claims/{claim}/"),
]
# Every endpoint, as read.
READS = [
    "/api/annotations/",
    "/api/annotations/{annotation}/",
    "/api/articles/",
    "/api/articles/{slug}/",
    "/api/claims/",
    "/api/claims/{claim}/",
    "/api/tags/",
    "/api/export/",
    "/api/schema/",
]


def fill(path: str, records: Records) -> str:
    return path.format(
        annotation=records.annotation.pk, claim=records.claim.pk, slug=records.article.slug
    )


def send(client: Client, method: str, path: str, records: Records, body, **extra):
    """A write as its author would send it (with the ETag the annotation's PUT needs)."""
    if method == "put" and path.startswith("/api/annotations/"):
        extra.setdefault("HTTP_IF_MATCH", records.annotation.etag)
    content_type = extra.pop("content_type", "application/json")
    return getattr(client, method)(fill(path, records), body, content_type=content_type, **extra)


# (kind, body, extra request options, status)
BODY_ERRORS = [
    ("body-over-data-upload-limit", BIG_JSON, {}, 413),
    ("malformed-json", '{"note": ', {}, 400),
    ("unsupported-media-type", "note=x", {"content_type": "text/plain"}, 415),
    ("bad-content-length", "{}", {"CONTENT_LENGTH": "lots"}, 400),
    ("declared-over-12-MB", "{}", {"CONTENT_LENGTH": str(13 * 1024 * 1024)}, 413),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    ("kind", "body", "extra", "status"), BODY_ERRORS, ids=[case[0] for case in BODY_ERRORS]
)
def test_a_bad_body_is_answered_in_json(records, method, path, kind, body, extra, status):
    """A body too large, malformed, of the wrong type or with a bad length: a JSON error."""
    client = signed_in(records.author)
    assert_json_error(send(client, method, path, records, body, **dict(extra)), status)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_csrf_failure_is_answered_in_json(records, method, path):
    """A signed-in write without the CSRF token: 403 in JSON."""
    client = signed_in(records.author, enforce_csrf_checks=True)
    assert_json_error(send(client, method, path, records, "{}"), 403)


@pytest.mark.parametrize("path", READS)
def test_a_nul_in_the_query_is_answered_in_json(records, path):
    """A query parameter holding NUL is refused before any view, in JSON."""
    response = Client().get(fill(path, records), {"q": "a\x00b"})
    assert_json_error(response, 400)


@pytest.mark.parametrize("path", READS)
def test_an_unknown_host_is_answered_in_json(records, path):
    """A Host header the site does not answer to: 400 in JSON."""
    response = Client().get(fill(path, records), HTTP_HOST="attacker.example")
    assert_json_error(response, 400)


@pytest.mark.parametrize("path", [*READS, "/api/", "/api/nope/"])
def test_an_unknown_path_is_answered_in_json(records, path):
    """A path no API route matches: 404 in JSON."""
    response = Client().get(fill(path, records).rstrip("/") + "/no-such-thing/")
    assert_json_error(response, 404)


@pytest.mark.parametrize("path", READS)
def test_a_method_not_allowed_is_answered_in_json(records, path):
    """A method the endpoint does not take: 405 in JSON."""
    response = signed_in(records.author).generic("OPTIONS-NOT", fill(path, records))
    assert_json_error(response, 405)


@pytest.mark.parametrize("path", READS)
def test_a_server_error_is_answered_in_json(records, path, monkeypatch):
    """An exception the view does not handle: 500 in JSON, revealing nothing of it."""

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(APIView, "initial", broken)
    response = Client(raise_request_exception=False).get(fill(path, records))
    assert_json_error(response, 500)
    assert b"secret internals" not in response.content


def test_pages_outside_the_api_keep_their_html_errors(records):
    """Only /api/ answers in JSON: a missing page is still the HTML 404 page."""
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")

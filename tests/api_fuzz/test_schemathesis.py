"""Fuzzing the JSON API from its own OpenAPI schema (/api/schema/) with schemathesis.

The schema is read from the Django app through WSGI when this module is collected (drawing it
touches no database). Every operation gets generated requests, sent with an API token; each
response must not be a server error and must match the schema for its status code.

Generated ids and slugs would almost never name a record, so most requests are steered onto
real ones: a path `id` becomes an existing annotation's or claim's id (chosen by the generated
number), a `slug` a real article's, a W3C annotation's target a real passage. The rest of each
request (bodies, query strings, headers) stays as generated.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from annotations import services
from annotations.models import Annotation, Claim, Colour, Motivation, Visibility
from articles.models import Article
from tests.annotations.conftest import alice, bob  # noqa: F401 (fixtures)

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
CHECKS = [not_a_server_error, response_schema_conformance]
PHRASES = ("very fragile", "ceasefire deal", "Moscow has said", "Vladimir Putin said")


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """As Django's test client does: requests through WSGI must not close the connection (that
    would end the transaction the test runs in), so close_old_connections is unhooked."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(seeds, alice, bob):  # noqa: F811 (the fixtures imported above)
    """Alice's API token (a moderator's), with annotations and claims of hers and bob's."""
    article = seeds["001"]
    body = article.current_revision.body
    for n, phrase in enumerate(PHRASES):
        start = body.index(phrase)
        for user in (alice, bob):
            claim = services.claim_create(user=user, text=f"{user}'s claim {n}.")
            services.annotation_create(
                user=user,
                article=article,
                start=start,
                end=start + len(phrase),
                motivation="assessing" if n % 2 else "commenting",
                claim=claim if n % 2 else None,
                note=f"{user}'s note {n}",
                tags=[f"tag{n}", "shared"],
                visibility="private" if n == 3 else "public",
            )
    alice.is_staff = True  # so that hiding (moderation) is exercised too
    alice.save(update_fields=["is_staff"])
    return Token.objects.create(user=alice).key


def _pick(choices: list, generated) -> object:
    """One of the choices, chosen by a generated value (so hypothesis can still shrink)."""
    if not choices or not isinstance(generated, int) or generated < 0:
        return generated
    return choices[generated % len(choices)]


def _passage() -> dict:
    article = Article.objects.get(source_name__startswith="001_")
    body = article.current_revision.body
    start = body.index(PHRASES[0])
    return {
        "type": "SpecificResource",
        "source": article.get_absolute_url(),
        "selector": [
            {"type": "TextQuoteSelector", "exact": PHRASES[0]},
            {"type": "TextPositionSelector", "start": start, "end": start + len(PHRASES[0])},
        ],
    }


def steer(case) -> None:
    """Point the generated request at real records, leaving everything else as generated."""
    path = case.operation.path
    params = case.path_parameters or {}
    if "id" in params:
        model = Claim if path.startswith("/api/claims/") else Annotation
        params["id"] = _pick(sorted(model.objects.values_list("pk", flat=True)), params["id"])
    if "slug" in params:
        slugs = sorted(Article.objects.values_list("slug", flat=True))
        params["slug"] = _pick(slugs, len(str(params["slug"])))
    writes_w3c = path in {"/api/annotations/", "/api/annotations/{id}/"} and case.method != "GET"
    if writes_w3c and isinstance(case.body, dict):
        case.body["type"] = "Annotation"
        case.body["target"] = _passage()
        for name, choices in (
            ("motivation", Motivation.values),
            ("colour", Colour.values),
            ("visibility", Visibility.values),
        ):
            if case.body.get(name) not in choices:
                case.body.pop(name, None)
        if case.body.get("motivation") in {"assessing", "replying"}:
            case.body["motivation"] = "commenting"
        case.body.pop("claim", None)
    if case.method == "PUT" and path == "/api/annotations/{id}/" and isinstance(case.headers, dict):
        case.headers["If-Match"] = "*"


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_answers_as_its_schema_says(case, token):
    """Generated requests, signed in with a token: no 5xx, and responses match the schema."""
    steer(case)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

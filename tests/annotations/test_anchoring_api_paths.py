"""POST /api/annotations/ and the W3C import anchor a target alike (annotations.anchor_input):
a repeated quote alone is refused with its places (409 / not anchorable), never attached to one,
and typographic variants or line breaks land on the same words by both paths."""

import re

import pytest

from annotations import exchange
from annotations.anchoring import CONTEXT
from annotations.models import Annotation
from articles.models import Article
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

API = "/api/annotations/"
BASE = "http://testserver"
JSON = "application/json"
ANNO = "http://www.w3.org/ns/anno.jsonld"
REPEATED = "Assad regime"  # six times in seed 001

# Extraction makes every line of a file a paragraph: the body has "\n\n" between them.
TEXT = (
    "Envoys agree on monitoring in Astana\n\n"
    "The Russian envoy said “the ceasefire must hold” before any other question is taken up.\n"
    "Reporters waited outside the hotel. Nobody else spoke to them that day.\n"
    "On Tuesday the talks ended with a statement on a joint monitoring group.\n"
)


@pytest.fixture
def seed_article() -> Article:
    return article_import(name=SEED_NAMES["001"], data=seed_path("001").read_bytes()).article


@pytest.fixture
def article() -> Article:
    return article_import(name="monitoring.txt", data=TEXT.encode()).article


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def w3c(article: Article, exact: str, **quote) -> dict:
    """A highlight of `exact` (and prefix/suffix if given) with no position."""
    return {
        "@context": ANNO,
        "type": "Annotation",
        "motivation": "highlighting",
        "target": {
            "type": "SpecificResource",
            "source": f"{BASE}{article.get_absolute_url()}",
            "selector": [{"type": "TextQuoteSelector", "exact": exact, **quote}],
        },
    }


def places(body: str, quote: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(re.escape(quote), body)]


# --- 2. A repeated quote alone: 409 with the places, import refuses ---------------------------


def test_post_of_a_repeated_quote_alone_is_409_listing_its_places(signed_in, seed_article):
    """No context, no position, six occurrences: 409 with every place and its context."""
    body = seed_article.current_revision.body
    expected = places(body, REPEATED)
    assert len(expected) == 6

    response = signed_in.post(API, w3c(seed_article, REPEATED), content_type=JSON)

    assert response.status_code == 409, response.content
    data = response.json()
    assert data["count"] == len(expected)
    assert "6 times" in data["detail"]
    assert [(o["start"], o["end"]) for o in data["occurrences"]] == expected
    for o in data["occurrences"]:
        assert o["prefix"] == body[max(0, o["start"] - CONTEXT) : o["start"]]
        assert o["suffix"] == body[o["end"] : o["end"] + CONTEXT]
    assert not Annotation.objects.exists()


def test_post_of_a_repeated_quote_with_its_context_is_attached_there(signed_in, seed_article):
    """The same quote with the prefix and suffix of its fourth occurrence lands there."""
    body = seed_article.current_revision.body
    start, end = places(body, REPEATED)[3]
    doc = w3c(
        seed_article,
        REPEATED,
        prefix=body[start - CONTEXT : start],
        suffix=body[end : end + CONTEXT],
    )

    response = signed_in.post(API, doc, content_type=JSON)

    assert response.status_code == 201, response.content
    stored = Annotation.objects.get()
    assert (stored.start, stored.end) == (start, end)


def test_import_of_a_repeated_quote_alone_is_refused_naming_its_places(seed_article, alice):
    """The import reports the quote as not anchorable, with its places; nothing is attached."""
    body = seed_article.current_revision.body
    expected = places(body, REPEATED)
    doc = {**w3c(seed_article, REPEATED), "id": "https://elsewhere.example/a/1"}

    report = exchange.import_collection(data=[doc], user=alice)

    assert report.imported == []
    assert [r.ref for r in report.unanchored] == ["https://elsewhere.example/a/1"]
    reason = report.unanchored[0].reason
    assert "6 times" in reason
    for start, end in expected:
        assert f"{start}-{end}" in reason
    assert not Annotation.objects.exists()


# --- 5. POST and import agree ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "meant", "quote"),
    [
        ('"the ceasefire must hold"', "“the ceasefire must hold”", {}),
        ("“the ceasefire must hold”", "“the ceasefire must hold”", {}),
        ('envoy said "the ceasefire', "envoy said “the ceasefire", {}),
        ("taken up.\nReporters waited", "taken up.\n\nReporters waited", {}),
        ("taken up. Reporters waited", "taken up.\n\nReporters waited", {}),
        ("that day.\r\nOn Tuesday", "that day.\n\nOn Tuesday", {}),
        ("the talks", "the talks", {"prefix": "On Tuesday ", "suffix": " ended"}),
        ("the hotel", "the hotel", {"prefix": "waited outside ", "suffix": ". Nobody"}),
    ],
)
def test_post_and_import_attach_a_quote_to_the_same_words(
    signed_in, article, alice, sent, meant, quote
):
    """Straight for curly quotes, a line break for a paragraph break: both paths agree."""
    body = article.current_revision.body
    assert len(places(body, meant)) == 1
    expected = places(body, meant)[0]

    response = signed_in.post(API, w3c(article, sent, **quote), content_type=JSON)
    assert response.status_code == 201, response.content
    posted = Annotation.objects.get()
    posted_span = (posted.start, posted.end)
    posted.delete()

    doc = {**w3c(article, sent, **quote), "id": "https://elsewhere.example/a/2"}
    report = exchange.import_collection(data=[doc], user=alice)
    assert report.ok, report.lines()
    imported = Annotation.objects.get()

    assert posted_span == expected
    assert (imported.start, imported.end) == expected
    assert imported.article == article


@pytest.mark.parametrize(
    "sent",
    [
        "the ceasefire must hold firm",  # more words than the body has
        "the ceasfire must hold",  # a typo: only nearly there
        "Nobody wrote this sentence.",
    ],
)
def test_post_and_import_both_refuse_a_quote_not_in_the_body(signed_in, article, alice, sent):
    """A quote that is not in the body (even nearly) is a 400 and is not imported."""
    response = signed_in.post(API, w3c(article, sent), content_type=JSON)
    assert response.status_code == 400, response.content
    assert "target" in response.json()

    doc = {**w3c(article, sent), "id": "https://elsewhere.example/a/3"}
    report = exchange.import_collection(data=[doc], user=alice)
    assert report.imported == []
    assert [r.ref for r in report.unanchored] == ["https://elsewhere.example/a/3"]
    assert not Annotation.objects.exists()


def test_post_and_import_both_refuse_a_repeated_quote_alone(signed_in, article, alice):
    """A word alone that the body repeats: 409 by POST, not anchorable by import."""
    body = article.current_revision.body
    quote = "monitoring"
    expected = places(body, quote)
    assert len(expected) >= 2

    response = signed_in.post(API, w3c(article, quote), content_type=JSON)
    assert response.status_code == 409
    assert [(o["start"], o["end"]) for o in response.json()["occurrences"]] == expected

    doc = {**w3c(article, quote), "id": "https://elsewhere.example/a/4"}
    report = exchange.import_collection(data=[doc], user=alice)
    assert report.imported == []
    assert len(report.unanchored) == 1
    assert not Annotation.objects.exists()

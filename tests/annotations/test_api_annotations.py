"""The W3C annotation endpoints: create, validate, list and filter, page, replace, delete."""

import copy
import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Annotation, Claim
from articles.models import Article
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

API = "/api/annotations/"
BASE = "http://testserver"
JSON = "application/json"
ANNO = "http://www.w3.org/ns/anno.jsonld"
PROFILE_TYPE = f'application/ld+json; profile="{ANNO}"'
QUOTE = "Vladimir Putin said that that Syrian opposition groups"
AMBIGUOUS = "Assad regime"  # six times in seed 001


def import_seed(key: str) -> Article:
    return article_import(name=SEED_NAMES[key], data=seed_path(key).read_bytes()).article


@pytest.fixture
def article() -> Article:
    return import_seed("001")


@pytest.fixture
def body(article) -> str:
    return article.current_revision.body


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def source(article: Article) -> str:
    return f"{BASE}{article.get_absolute_url()}"


def w3c(article: Article, exact: str | None, start: int | None, end: int | None, **extra) -> dict:
    selectors = []
    if exact is not None:
        selectors.append({"type": "TextQuoteSelector", "exact": exact})
    if start is not None or end is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    doc = {
        "@context": ANNO,
        "type": "Annotation",
        "motivation": "highlighting",
        "target": {"type": "SpecificResource", "source": source(article), "selector": selectors},
    }
    doc.update(extra)
    return doc


def quote_doc(article: Article, text: str, quote: str = QUOTE, **extra) -> dict:
    """A highlight of `quote` (its first occurrence in the body `text`); extra W3C keys."""
    start = text.index(quote)
    return w3c(article, quote, start, start + len(quote), **extra)


def annotate(user, article: Article, quote: str, occurrence: int = 0, **fields) -> Annotation:
    body = article.current_revision.body
    starts = [m.start() for m in re.finditer(re.escape(quote), body)]
    start = starts[occurrence]
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(quote), exact=quote, **fields
    ).annotation


def iri(annotation: Annotation) -> str:
    return f"{BASE}{API}{annotation.pk}/"


# --- Create -------------------------------------------------------------------------------


def test_create_returns_the_w3c_annotation(signed_in, article, body, alice):
    doc = quote_doc(
        article,
        body,
        motivation="commenting",
        body=[
            {"type": "TextualBody", "value": "Note *in* Markdown", "purpose": "commenting"},
            {"type": "TextualBody", "value": "ceasefire", "purpose": "tagging"},
            {"type": "TextualBody", "value": "Putin", "purpose": "tagging"},
        ],
        colour="red",
        visibility="public",
    )

    response = signed_in.post(API, doc, content_type=JSON)

    assert response.status_code == 201, response.content
    stored = Annotation.objects.get()
    data = response.json()
    assert response["Content-Type"] == PROFILE_TYPE
    assert response["Location"] == data["id"] == iri(stored)
    assert response["ETag"] == stored.etag
    assert data["@context"] == [ANNO, f"{BASE}/api/ns/astana.jsonld"]
    assert data["type"] == "Annotation"
    assert data["motivation"] == "commenting"
    assert data["creator"] == {"type": "Person", "nickname": "alice"}
    assert datetime.fromisoformat(data["created"]) == stored.created
    assert datetime.fromisoformat(data["modified"]) == stored.modified
    assert data["colour"] == "red"
    assert data["visibility"] == "public"
    assert data["anchorStatus"] == "anchored"
    assert "warning" not in data
    start = body.index(QUOTE)
    end = start + len(QUOTE)
    assert data["target"] == {
        "type": "SpecificResource",
        "source": source(article),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": QUOTE,
                "prefix": body[start - 32 : start],
                "suffix": body[end : end + 32],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
    assert len(data["target"]["selector"][0]["prefix"]) == 32
    assert len(data["target"]["selector"][0]["suffix"]) == 32
    assert data["body"] == [
        {
            "type": "TextualBody",
            "value": "Note *in* Markdown",
            "format": "text/markdown",
            "purpose": "commenting",
        },
        {"type": "TextualBody", "value": "Putin", "purpose": "tagging"},
        {"type": "TextualBody", "value": "ceasefire", "purpose": "tagging"},
    ]
    assert (stored.start, stored.end, stored.exact) == (start, end, QUOTE)
    assert stored.creator == alice
    assert sorted(stored.tags.names()) == ["Putin", "ceasefire"]

    again = signed_in.get(response["Location"])
    assert again.status_code == 200
    assert again.json() == data
    assert again["ETag"] == response["ETag"]
    assert again["Content-Type"] == PROFILE_TYPE


def test_create_with_jsonld_content_type(signed_in, article, body):
    response = signed_in.post(API, quote_doc(article, body), content_type=PROFILE_TYPE)
    assert response.status_code == 201, response.content


def test_create_near_the_start_keeps_the_context_there_is(signed_in, article, body):
    response = signed_in.post(API, w3c(article, body[3:12], 3, 12), content_type=JSON)
    assert response.status_code == 201
    quote = response.json()["target"]["selector"][0]
    assert quote["prefix"] == body[:3]
    assert quote["suffix"] == body[12:44]


def test_create_an_assessing_annotation(signed_in, article, body, alice):
    claim = services.claim_create(user=alice, text="A ceasefire deal was signed.")
    doc = quote_doc(article, body, motivation="assessing", claim=claim.pk)

    response = signed_in.post(API, doc, content_type=JSON)

    assert response.status_code == 201, response.content
    data = response.json()
    claim_iri = f"{BASE}/api/claims/{claim.pk}/"
    assert data["claim"] == claim_iri
    assert {"purpose": "assessing", "source": claim_iri}.items() <= data["body"][0].items()
    assert Annotation.objects.get().claim == claim


def test_create_with_the_claim_as_an_assessing_body(signed_in, article, body, alice):
    claim = services.claim_create(user=alice, text="A ceasefire deal was signed.")
    doc = quote_doc(
        article,
        body,
        motivation="assessing",
        body={
            "type": "TextualBody",
            "purpose": "assessing",
            "source": f"{BASE}/api/claims/{claim.pk}/",
        },
    )
    response = signed_in.post(API, doc, content_type=JSON)
    assert response.status_code == 201, response.content
    assert Annotation.objects.get().claim == claim


def test_anonymous_cannot_create(client, article, body):
    response = client.post(API, quote_doc(article, body), content_type=JSON)
    assert response.status_code == 403
    assert not Annotation.objects.exists()


# --- Invalid input: 400 with a message per field, nothing stored ---------------------------


def _position_only(article, body, start, end):
    return w3c(article, None, start, end)


INVALID = [
    # (id, build(article, body, claim) -> doc, field, message fragment)
    (
        "end-beyond-body",
        lambda a, b, c: w3c(a, None, len(b) - 5, len(b) + 5),
        "target",
        "0 <= start < end <=",
    ),
    (
        "start-beyond-body",
        lambda a, b, c: w3c(a, None, len(b) + 10, len(b) + 20),
        "target",
        "0 <= start < end <=",
    ),
    ("negative-start", lambda a, b, c: w3c(a, None, -3, 10), "target", "0 <= start < end"),
    ("start-equals-end", lambda a, b, c: w3c(a, None, 10, 10), "target", "0 <= start < end"),
    ("start-after-end", lambda a, b, c: w3c(a, None, 20, 10), "target", "0 <= start < end"),
    ("start-not-integer", lambda a, b, c: w3c(a, None, "1", 10), "target", "integers"),
    (
        "exact-nowhere",
        lambda a, b, c: w3c(a, "words that are nowhere in this article at all", 10, 55),
        "target",
        "does not match the article body",
    ),
    (
        "exact-only-similar",
        lambda a, b, c: w3c(  # a near miss is not silently accepted as a fuzzy match
            a,
            QUOTE.replace("opposition", "oposition"),
            b.index(QUOTE),
            b.index(QUOTE) + len(QUOTE) - 1,
        ),
        "target",
        "does not match the article body",
    ),
    ("exact-empty", lambda a, b, c: w3c(a, "", 10, 20), "target", "exact must be text"),
    ("no-selector", lambda a, b, c: w3c(a, None, None, None), "target", "Select a passage"),
    ("no-target", lambda a, b, c: {"type": "Annotation"}, "target", "needs a target"),
    (
        "article-iri-without-selector",
        lambda a, b, c: {"type": "Annotation", "target": source(a)},
        "target",
        "Select a passage",
    ),
    ("wrong-type", lambda a, b, c: quote_doc(a, b, type="Note"), "type", '"Annotation"'),
    (
        "unknown-motivation",
        lambda a, b, c: quote_doc(a, b, motivation="liking"),
        "motivation",
        "Choose one of",
    ),
    (
        "replying-to-a-passage",
        lambda a, b, c: quote_doc(a, b, motivation="replying"),
        "motivation",
        "Replies are made to an annotation",
    ),
    ("unknown-colour", lambda a, b, c: quote_doc(a, b, colour="pink"), "colour", "Choose one of"),
    ("colour-not-text", lambda a, b, c: quote_doc(a, b, colour=3), "colour", "Must be a string"),
    (
        "unknown-visibility",
        lambda a, b, c: quote_doc(a, b, visibility="friends"),
        "visibility",
        "Choose one of",
    ),
    (
        "tags-not-a-string-list",
        lambda a, b, c: quote_doc(
            a, b, body={"type": "TextualBody", "purpose": "tagging", "value": ["a", "b"]}
        ),
        "body",
        "must be a string",
    ),
    (
        "tag-too-long",
        lambda a, b, c: quote_doc(
            a, b, body={"type": "TextualBody", "purpose": "tagging", "value": "x" * 101}
        ),
        "tags",
        "at most 100 characters",
    ),
    (
        "too-many-tags",
        lambda a, b, c: quote_doc(
            a,
            b,
            body=[
                {"type": "TextualBody", "purpose": "tagging", "value": f"tag{n}"} for n in range(51)
            ],
        ),
        "tags",
        "At most 50 tags",
    ),
    (
        "tag-empty",
        lambda a, b, c: quote_doc(
            a, b, body={"type": "TextualBody", "purpose": "tagging", "value": "   "}
        ),
        "tags",
        "cannot be empty",
    ),
    (
        "tag-with-comma",
        lambda a, b, c: quote_doc(
            a, b, body={"type": "TextualBody", "purpose": "tagging", "value": "a,b"}
        ),
        "tags",
        "commas",
    ),
    ("body-not-object", lambda a, b, c: quote_doc(a, b, body=[5]), "body", "object or an IRI"),
    (
        "note-too-long",
        lambda a, b, c: quote_doc(
            a, b, body={"type": "TextualBody", "purpose": "commenting", "value": "x" * 20_001}
        ),
        "note",
        "20,000",
    ),
    (
        "assessing-without-claim",
        lambda a, b, c: quote_doc(a, b, motivation="assessing"),
        "claim",
        "must point at a claim",
    ),
    (
        "claim-on-commenting",
        lambda a, b, c: quote_doc(a, b, motivation="commenting", claim=c.pk),
        "claim",
        "Only an assessing annotation",
    ),
    (
        "unknown-claim",
        lambda a, b, c: quote_doc(a, b, motivation="assessing", claim=c.pk + 100),
        "claim",
        "No such claim",
    ),
    (
        "claim-not-an-id",
        lambda a, b, c: quote_doc(a, b, motivation="assessing", claim="the big one"),
        "claim",
        "claim's id or its IRI",
    ),
    (
        "target-elsewhere",
        lambda a, b, c: {
            **quote_doc(a, b),
            "target": {
                "source": "https://example.org/news/story.html",
                "selector": [{"type": "TextQuoteSelector", "exact": QUOTE}],
            },
        },
        "target",
        "must be an article of this site",
    ),
    (
        "target-another-host-with-our-path",
        lambda a, b, c: {
            **quote_doc(a, b),
            "target": {
                "source": f"https://example.org{a.get_absolute_url()}",
                "selector": [{"type": "TextQuoteSelector", "exact": QUOTE}],
            },
        },
        "target",
        "must be an article of this site",
    ),
    (
        "target-a-page-of-ours-not-an-article",
        lambda a, b, c: {
            **quote_doc(a, b),
            "target": {
                "source": f"{BASE}/api/claims/",
                "selector": [{"type": "TextQuoteSelector", "exact": QUOTE}],
            },
        },
        "target",
        "must be an article of this site",
    ),
    (
        "not-an-object",
        lambda a, b, c: [quote_doc(a, b)],
        "non_field_errors",
        "JSON object",
    ),
]


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [pytest.param(build, field, message, id=name) for name, build, field, message in INVALID],
)
def test_invalid_input_is_400_with_a_message_per_field(
    signed_in, article, body, alice, build, field, message
):
    claim = services.claim_create(user=alice, text="Some claim.")
    response = signed_in.post(API, build(article, body, claim), content_type=JSON)

    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert isinstance(errors[field], list)
    assert any(message in text for text in errors[field]), errors
    assert not Annotation.objects.exists()


def test_position_off_is_corrected_from_the_quote_with_a_warning(signed_in, article, body):
    start = body.index(QUOTE)
    doc = w3c(article, QUOTE, start + 7, start + 7 + len(QUOTE))

    response = signed_in.post(API, doc, content_type=JSON)

    assert response.status_code == 201, response.content
    data = response.json()
    assert "corrected" in data["warning"]
    assert data["target"]["selector"][1] == {
        "type": "TextPositionSelector",
        "start": start,
        "end": start + len(QUOTE),
    }
    stored = Annotation.objects.get()
    assert (stored.start, stored.end) == (start, start + len(QUOTE))
    assert body[stored.start : stored.end] == stored.exact == QUOTE


def test_quote_only_is_located(signed_in, article, body):
    response = signed_in.post(API, w3c(article, QUOTE, None, None), content_type=JSON)
    assert response.status_code == 201, response.content
    stored = Annotation.objects.get()
    assert body[stored.start : stored.end] == QUOTE
    assert "warning" in response.json()


def test_position_beyond_the_body_is_corrected_from_the_quote(signed_in, article, body):
    response = signed_in.post(
        API, w3c(article, QUOTE, len(body) + 10, len(body) + 70), content_type=JSON
    )
    assert response.status_code == 201, response.content
    stored = Annotation.objects.get()
    assert body[stored.start : stored.end] == QUOTE
    assert "warning" in response.json()


def test_an_ambiguous_quote_is_corrected_by_its_context_not_to_other_words(
    signed_in, article, body
):
    """The quote occurs six times; prefix and suffix say which. The position is off.

    The correction must land on the occurrence the prefix and suffix describe (or refuse);
    it must not attach the annotation to another occurrence of the same words.
    """
    starts = [m.start() for m in re.finditer(AMBIGUOUS, body)]
    assert len(starts) == 6
    wanted = starts[3]
    end = wanted + len(AMBIGUOUS)
    doc = w3c(article, AMBIGUOUS, starts[2] - 24, starts[2] - 24 + len(AMBIGUOUS))
    doc["target"]["selector"][0].update(
        prefix=body[wanted - 32 : wanted], suffix=body[end : end + 32]
    )

    response = signed_in.post(API, doc, content_type=JSON)

    if response.status_code == 400:
        assert "target" in response.json()
        assert not Annotation.objects.exists()
    else:
        assert response.status_code == 201
        stored = Annotation.objects.get()
        assert (stored.start, stored.end) == (wanted, end), (
            f"attached to the occurrence at {stored.start}, not the one at {wanted}"
        )


def test_unknown_article_is_404_and_nothing_is_stored(signed_in, article, body):
    doc = quote_doc(article, body)
    doc["target"]["source"] = f"{BASE}/articles/no-such-article/"
    response = signed_in.post(API, doc, content_type=JSON)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not Annotation.objects.exists()


def test_draft_article_is_404_for_a_reader(signed_in, article, body):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    response = signed_in.post(API, quote_doc(article, body), content_type=JSON)
    assert response.status_code == 404
    assert not Annotation.objects.exists()


def test_malformed_json_is_400(signed_in):
    response = signed_in.post(API, '{"type": "Annotation", ', content_type=JSON)
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert not Annotation.objects.exists()


def test_wrong_content_type_is_415(signed_in, article, body):
    response = signed_in.post(API, "type=Annotation", content_type="text/plain")
    assert response.status_code == 415
    assert not Annotation.objects.exists()


def test_reply_to_an_invisible_annotation_is_404(signed_in, article, bob):
    private = annotate(bob, article, QUOTE, visibility="private")
    for target in (iri(private), f"{BASE}{API}{private.pk + 100}/"):
        doc = {
            "type": "Annotation",
            "body": {"type": "TextualBody", "value": "Me too"},
            "target": target,
        }
        response = signed_in.post(API, doc, content_type=JSON)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert Annotation.objects.count() == 1


def test_reply_needs_text(signed_in, article, bob):
    parent = annotate(bob, article, QUOTE)
    response = signed_in.post(API, {"type": "Annotation", "target": iri(parent)}, content_type=JSON)
    assert response.status_code == 400
    assert "note" in response.json()
    assert Annotation.objects.count() == 1


def test_reply_joins_the_thread(signed_in, article, bob, alice):
    parent = annotate(bob, article, QUOTE)
    doc = {
        "type": "Annotation",
        "motivation": "replying",
        "body": {"type": "TextualBody", "value": "Which documents?", "purpose": "replying"},
        "target": iri(parent),
    }
    response = signed_in.post(API, doc, content_type=JSON)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["target"] == iri(parent)
    assert data["motivation"] == "replying"
    assert data["body"][0]["purpose"] == "replying"
    reply = Annotation.objects.get(parent=parent)
    assert (reply.creator, reply.start, reply.end, reply.exact) == (alice, None, None, "")


# --- List and filters -----------------------------------------------------------------------


@pytest.fixture
def corpus(article, alice, bob):
    """Annotations by alice and bob on seeds 001 and 002, with tags, claims, statuses."""
    other_article = import_seed("002")
    claim = services.claim_create(user=alice, text="Turkey and Russia guarantee the ceasefire.")
    other_claim = services.claim_create(user=bob, text="Another claim.")
    other_body = other_article.current_revision.body
    made = {
        "a1": annotate(alice, article, QUOTE, motivation="commenting", tags=["ceasefire"]),
        "a2": annotate(alice, article, AMBIGUOUS, 1, motivation="assessing", claim=claim),
        "a3": annotate(alice, article, AMBIGUOUS, 2, tags=["Ceasefire", "Assad"]),
        "b1": annotate(bob, article, AMBIGUOUS, 3, motivation="questioning"),
        "b2": annotate(bob, article, "Kazakhstan", motivation="assessing", claim=other_claim),
        "c1": services.annotation_create(
            user=bob, article=other_article, start=5, end=25, exact=other_body[5:25]
        ).annotation,
        "private": annotate(bob, article, AMBIGUOUS, 4, tags=["ceasefire"], visibility="private"),
    }
    Annotation.objects.filter(pk=made["b1"].pk).update(anchor_status="fuzzy", anchor_score=0.9)
    Annotation.objects.filter(pk=made["a3"].pk).update(anchor_status="moved")
    return {"article": article, "other": other_article, "claim": claim, **made}


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"{API}{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == PROFILE_TYPE
    return [item["id"] for item in response.json()["items"]]


FILTERS = [
    ("", ["a1", "a2", "a3", "b1", "b2", "c1"]),
    ("?article={article}", ["a1", "a2", "a3", "b1", "b2"]),
    ("?article={other}", ["c1"]),
    ("?article=no-such-article", []),
    ("?tag=ceasefire", ["a1", "a3"]),
    ("?tag=CEASEFIRE", ["a1", "a3"]),
    ("?tag=Assad", ["a3"]),
    ("?tag=nothing", []),
    ("?motivation=assessing", ["a2", "b2"]),
    ("?motivation=questioning", ["b1"]),
    ("?motivation=liking", []),
    ("?creator=alice", ["a1", "a2", "a3"]),
    ("?creator=bob", ["b1", "b2", "c1"]),
    ("?creator=nobody", []),
    ("?claim={claim}", ["a2"]),
    ("?claim=abc", []),
    ("?anchor_status=fuzzy", ["b1"]),
    ("?anchor_status=moved", ["a3"]),
    ("?anchor_status=anchored", ["a1", "a2", "b2", "c1"]),
    ("?anchor_status=orphaned", []),
    ("?anchor_status=lost", []),
    ("?creator=alice&tag=ceasefire&article={article}", ["a1", "a3"]),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_list_filters(client, corpus, query, expected):
    query = query.format(
        article=corpus["article"].slug, other=corpus["other"].slug, claim=corpus["claim"].pk
    )
    assert sorted(listed(client, query)) == sorted(iri(corpus[k]) for k in expected)


def test_list_filters_still_apply_the_access_rules(client, corpus, bob):
    private = iri(corpus["private"])
    assert private not in listed(client, "?creator=bob")
    assert private not in listed(client, "?tag=ceasefire")
    client.force_login(bob)
    assert private in listed(client, "?creator=bob")
    assert private in listed(client, "?tag=ceasefire")


def test_list_is_an_annotation_page(client, corpus):
    response = client.get(API)
    data = response.json()
    assert data["@context"] == [ANNO, f"{BASE}/api/ns/astana.jsonld"]
    assert data["type"] == "AnnotationPage"
    assert data["id"] == f"{BASE}{API}?page=1"
    assert data["partOf"] == {"id": f"{BASE}{API}", "type": "AnnotationCollection", "total": 6}
    assert data["startIndex"] == 0
    assert "next" not in data
    assert "prev" not in data
    item = data["items"][0]
    assert "@context" not in item
    assert item["type"] == "Annotation"
    assert {s["type"] for s in item["target"]["selector"]} == {
        "TextQuoteSelector",
        "TextPositionSelector",
    }


def test_empty_list(client, db):
    data = client.get(API).json()
    assert data["partOf"]["total"] == 0
    assert data["startIndex"] == 0
    assert data["items"] == []
    assert "next" not in data
    assert "prev" not in data


def test_paging(client, article, body, alice):
    total = 123
    for n in range(total):
        services.annotation_create(user=alice, article=article, start=n * 10, end=n * 10 + 6)

    first = client.get(API).json()
    assert first["partOf"]["total"] == total
    assert first["startIndex"] == 0
    assert len(first["items"]) == 50
    assert first["next"] == f"{BASE}{API}?page=2"
    assert "prev" not in first

    second = client.get(first["next"]).json()
    assert second["id"] == f"{BASE}{API}?page=2"
    assert second["startIndex"] == 50
    assert len(second["items"]) == 50
    assert second["prev"] == f"{BASE}{API}?page=1"
    assert second["next"] == f"{BASE}{API}?page=3"
    assert second["partOf"]["total"] == total

    third = client.get(second["next"]).json()
    assert third["startIndex"] == 100
    assert len(third["items"]) == 23
    assert third["prev"] == f"{BASE}{API}?page=2"
    assert "next" not in third

    ids = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert len(set(ids)) == total
    assert set(ids) == {iri(a) for a in Annotation.objects.all()}
    starts = [
        item["target"]["selector"][1]["start"]
        for page in (first, second, third)
        for item in page["items"]
    ]
    assert starts == sorted(starts)  # text order across pages

    past_the_end = client.get(f"{API}?page=99").json()
    assert past_the_end["startIndex"] == 100
    assert client.get(f"{API}?page=abc").json()["startIndex"] == 0


def test_paging_keeps_the_filters(client, article, alice):
    for n in range(60):
        services.annotation_create(
            user=alice, article=article, start=n * 10, end=n * 10 + 6, motivation="tagging"
        )
    services.annotation_create(user=alice, article=article, start=1000, end=1006)
    data = client.get(f"{API}?motivation=tagging").json()
    assert data["partOf"]["total"] == 60
    assert data["next"] == f"{BASE}{API}?motivation=tagging&page=2"
    last = client.get(data["next"]).json()
    assert len(last["items"]) == 10
    assert all(item["motivation"] == "tagging" for item in last["items"])


@pytest.mark.parametrize("as_user", [False, True])
def test_list_query_count_does_not_grow(client, article, alice, bob, as_user):
    claims = [services.claim_create(user=alice, text=f"Claim {n}") for n in range(3)]

    def make(n: int) -> None:
        user = (alice, bob)[n % 2]
        kind = n % 3
        services.annotation_create(
            user=user,
            article=article,
            start=n * 20,
            end=n * 20 + 8,
            motivation="assessing" if kind == 0 else "commenting",
            claim=claims[n % 3] if kind == 0 else None,
            tags=[f"t{n}", "shared"] if kind != 2 else None,
            note=f"note {n}",
            visibility="private" if n % 5 == 4 else "public",
        )

    if as_user:
        client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(API)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["items"])

    for n in range(3):
        make(n)
    few, few_items = queries()
    for n in range(3, 30):
        make(n)
    many, many_items = queries()
    assert few_items < many_items
    assert few == many


# --- Replace and delete: ETag and If-Match --------------------------------------------------


def replacement(annotation: Annotation, note: str = "Changed note", **extra) -> dict:
    doc = {
        "type": "Annotation",
        "motivation": "commenting",
        "body": [
            {"type": "TextualBody", "value": note, "purpose": "commenting"},
            {"type": "TextualBody", "value": "revised", "purpose": "tagging"},
        ],
        "target": {
            "source": source(annotation.article),
            "selector": [{"type": "TextQuoteSelector", "exact": annotation.exact}],
        },
    }
    doc.update(extra)
    return doc


@pytest.fixture
def mine(article, alice):
    return annotate(alice, article, QUOTE, note="Original", tags=["first"])


def put(client, annotation, doc, **headers):
    return client.put(f"{API}{annotation.pk}/", doc, content_type=JSON, headers=headers)


def test_replace_without_if_match_is_428(signed_in, mine):
    response = put(signed_in, mine, replacement(mine))
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Annotation.objects.get(pk=mine.pk).note == "Original"


def test_replace_with_a_stale_etag_is_412(signed_in, mine):
    stale = mine.etag
    assert put(signed_in, mine, replacement(mine, "one"), **{"If-Match": stale}).status_code == 200
    response = put(signed_in, mine, replacement(mine, "two"), **{"If-Match": stale})
    assert response.status_code == 412
    assert Annotation.objects.get(pk=mine.pk).note == "one"


def test_replace_with_the_current_etag(signed_in, mine):
    response = put(signed_in, mine, replacement(mine, colour="blue"), **{"If-Match": mine.etag})

    assert response.status_code == 200, response.content
    stored = Annotation.objects.get(pk=mine.pk)
    assert stored.note == "Changed note"
    assert stored.colour == "blue"
    assert list(stored.tags.names()) == ["revised"]
    assert stored.version == mine.version + 1
    assert response["ETag"] == stored.etag != mine.etag
    assert response["Content-Type"] == PROFILE_TYPE
    assert signed_in.get(f"{API}{mine.pk}/")["ETag"] == response["ETag"]
    # The passage itself does not change.
    assert (stored.start, stored.end, stored.exact) == (mine.start, mine.end, mine.exact)
    # The new ETag works for the next change; the old one no longer does.
    new = put(signed_in, mine, replacement(mine, "third"), **{"If-Match": response["ETag"]})
    assert new.status_code == 200


def test_replace_accepts_a_weak_or_listed_etag(signed_in, mine):
    header = f'"nope", W/{mine.etag}'
    assert put(signed_in, mine, replacement(mine), **{"If-Match": header}).status_code == 200


def test_replace_with_invalid_fields_is_400_and_changes_nothing(signed_in, mine):
    response = put(signed_in, mine, replacement(mine, colour="pink"), **{"If-Match": mine.etag})
    assert response.status_code == 400
    assert "colour" in response.json()
    stored = Annotation.objects.get(pk=mine.pk)
    assert (stored.note, stored.colour, stored.version) == ("Original", "yellow", mine.version)
    assert list(stored.tags.names()) == ["first"]


def test_replace_to_assessing_needs_a_claim(signed_in, mine, alice):
    doc = replacement(mine, motivation="assessing")
    response = put(signed_in, mine, doc, **{"If-Match": mine.etag})
    assert response.status_code == 400
    assert "claim" in response.json()
    claim = services.claim_create(user=alice, text="A claim.")
    doc["claim"] = f"{BASE}/api/claims/{claim.pk}/"
    response = put(signed_in, mine, doc, **{"If-Match": mine.etag})
    assert response.status_code == 200, response.content
    assert Annotation.objects.get(pk=mine.pk).claim == claim


def test_delete(signed_in, mine):
    reply = services.annotation_reply(user=mine.creator, parent=mine, note="follow-up")
    response = signed_in.delete(f"{API}{mine.pk}/")
    assert response.status_code == 204
    assert response.content == b""
    assert not Annotation.objects.filter(pk__in=[mine.pk, reply.pk]).exists()
    assert signed_in.get(f"{API}{mine.pk}/").status_code == 404
    assert signed_in.delete(f"{API}{mine.pk}/").status_code == 404


def test_delete_with_a_stale_etag_is_412(signed_in, mine):
    stale = mine.etag
    put(signed_in, mine, replacement(mine), **{"If-Match": stale})
    response = signed_in.delete(f"{API}{mine.pk}/", headers={"If-Match": stale})
    assert response.status_code == 412
    assert Annotation.objects.filter(pk=mine.pk).exists()
    current = Annotation.objects.get(pk=mine.pk).etag
    assert signed_in.delete(f"{API}{mine.pk}/", headers={"If-Match": current}).status_code == 204


def test_unknown_annotation_is_404(client):
    assert client.get(f"{API}12345/").status_code == 404


def test_every_annotation_response_has_an_etag(signed_in, mine, article, body):
    assert signed_in.get(f"{API}{mine.pk}/")["ETag"] == mine.etag
    created = signed_in.post(API, quote_doc(article, body, AMBIGUOUS), content_type=JSON)
    assert created.has_header("ETag")
    replaced = put(signed_in, mine, replacement(mine), **{"If-Match": mine.etag})
    assert replaced.has_header("ETag")


def test_a_copy_of_the_response_can_be_sent_back(signed_in, mine):
    """A client may PUT back what it read (with the server's fields in it)."""
    read = signed_in.get(f"{API}{mine.pk}/")
    doc = copy.deepcopy(read.json())
    doc["body"][0]["value"] = "Edited in place"
    response = put(signed_in, mine, doc, **{"If-Match": read["ETag"]})
    assert response.status_code == 200, response.content
    assert Annotation.objects.get(pk=mine.pk).note == "Edited in place"
    assert list(Annotation.objects.get(pk=mine.pk).tags.names()) == ["first"]


def test_any_user_may_assess_against_a_shared_claim(signed_in, article, body, bob):
    """Claims are shared: any signed-in user may assess against a claim of anyone's that a
    public passage carries (one they may see)."""
    claim = services.claim_create(user=bob, text="Bob's claim.")
    annotate(bob, article, AMBIGUOUS, motivation="assessing", claim=claim)
    doc = quote_doc(article, body, motivation="assessing", claim=claim.pk)
    assert signed_in.post(API, doc, content_type=JSON).status_code == 201
    assert Claim.objects.get().annotations.count() == 2

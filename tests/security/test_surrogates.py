"""A lone surrogate is not text: every edge refuses it with a clear 400 (JSON from the API) and
writes nothing, whatever field, endpoint or spelling (a JSON escape or raw bytes) carries it."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from annotations.exchange import import_collection
from annotations.models import Annotation, Claim
from articles.ingest import IngestError
from articles.models import Article
from articles.services import article_import
from astana.text import is_encodable, unencodable_at

from .conftest import QUOTE, World, snapshot

pytestmark = pytest.mark.django_db

API = "/api/annotations/"
CLAIMS = "/api/claims/"
BASE = "http://testserver"
LONE = [
    pytest.param("\ud800", id="high"),
    pytest.param("\udc00", id="low"),
    pytest.param("\udbff x", id="high-then-letter"),
    pytest.param("x\udfff", id="low-after-letter"),
]


def passage(w: World, **extra) -> dict:
    """A W3C highlight of QUOTE in seed 001."""
    start = w.article.current_revision.body.index(QUOTE)
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "highlighting",
        "target": {
            "type": "SpecificResource",
            "source": f"{BASE}{w.article.get_absolute_url()}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": QUOTE},
                {"type": "TextPositionSelector", "start": start, "end": start + len(QUOTE)},
            ],
        },
        **extra,
    }


def note(value: str) -> dict:
    return {"type": "TextualBody", "value": value, "purpose": "commenting"}


def tag(value: str) -> dict:
    return {"type": "TextualBody", "value": value, "purpose": "tagging"}


def with_selector_exact(doc: dict, value: str) -> dict:
    doc["target"]["selector"][0]["exact"] = value
    return doc


def reply(w: World, **extra) -> dict:
    return {
        "type": "Annotation",
        "body": [note("A reply.")],
        "target": f"{BASE}{API}{w.mine.pk}/",
        **extra,
    }


def claim_doc(**extra) -> dict:
    return {"text": "A claim.", "claimant": "Someone", "reviewer_notes": "", **extra}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[World], str]
    body: Callable[[World, str], Any]  # the request with the bad text in one field
    headers: Callable[[World], dict] = lambda w: {}
    staff: bool = False


def mine(w: World) -> str:
    return f"{API}{w.mine.pk}/"


def etag(w: World) -> dict:
    return {"If-Match": w.mine.etag}


def field(name: str, endpoint: Endpoint):
    return pytest.param(endpoint, id=name)


FIELDS = [
    # Annotations: create
    field("create-note", Endpoint("POST", lambda w: API, lambda w, s: passage(w, body=[note(s)]))),
    field("create-tag", Endpoint("POST", lambda w: API, lambda w, s: passage(w, body=[tag(s)]))),
    field("create-colour", Endpoint("POST", lambda w: API, lambda w, s: passage(w, colour=s))),
    field(
        "create-visibility", Endpoint("POST", lambda w: API, lambda w, s: passage(w, visibility=s))
    ),
    field(
        "create-motivation", Endpoint("POST", lambda w: API, lambda w, s: passage(w, motivation=s))
    ),
    field(
        "create-quote",
        Endpoint("POST", lambda w: API, lambda w, s: with_selector_exact(passage(w), s)),
    ),
    field(
        "create-claim-iri",
        Endpoint("POST", lambda w: API, lambda w, s: passage(w, motivation="assessing", claim=s)),
    ),
    field(
        "create-body-format",
        Endpoint(
            "POST",
            lambda w: API,
            lambda w, s: passage(w, body=[note("ok") | {"format": s}]),
        ),
    ),
    field("create-key", Endpoint("POST", lambda w: API, lambda w, s: passage(w, **{s: "x"}))),
    field(
        "create-unknown-nested",
        Endpoint("POST", lambda w: API, lambda w, s: passage(w, extra=[{"deep": [s]}])),
    ),
    # Annotations: update
    field(
        "update-note",
        Endpoint("PUT", mine, lambda w, s: passage(w, body=[note(s)]), headers=etag),
    ),
    field(
        "update-tag",
        Endpoint("PUT", mine, lambda w, s: passage(w, body=[note("ok"), tag(s)]), headers=etag),
    ),
    field(
        "update-quote",
        Endpoint(
            "PUT",
            mine,
            lambda w, s: with_selector_exact(passage(w, body=[note("ok")]), s),
            headers=etag,
        ),
    ),
    field("update-key", Endpoint("PUT", mine, lambda w, s: passage(w, **{s: 1}), headers=etag)),
    # Replies
    field("reply-note", Endpoint("POST", lambda w: API, lambda w, s: reply(w, body=[note(s)]))),
    field(
        "reply-tag",
        Endpoint("POST", lambda w: API, lambda w, s: reply(w, body=[note("ok"), tag(s)])),
    ),
    # Claims: create and update
    *[
        field(f"claim-create-{name}", Endpoint("POST", lambda w: CLAIMS, build))
        for name, build in (
            ("text", lambda w, s: claim_doc(text=s)),
            ("claimant", lambda w, s: claim_doc(claimant=s)),
            ("reviewer-notes", lambda w, s: claim_doc(reviewer_notes=s)),
            ("kind", lambda w, s: claim_doc(kind=s)),
            ("rating", lambda w, s: claim_doc(rating=s)),
            ("tag", lambda w, s: claim_doc(tags=["ok", s])),
            ("key", lambda w, s: claim_doc(**{s: "x"})),
        )
    ],
    *[
        field(
            f"claim-{method.lower()}-{name}",
            Endpoint(method, lambda w: f"{CLAIMS}{w.claim.pk}/", build),
        )
        for method in ("PUT", "PATCH")
        for name, build in (
            ("text", lambda w, s: claim_doc(text=s)),
            ("claimant", lambda w, s: claim_doc(claimant=s)),
            ("reviewer-notes", lambda w, s: claim_doc(reviewer_notes=s)),
            ("tag", lambda w, s: claim_doc(tags=[s])),
        )
    ],
    # Applying a claim across outlets, and hiding (staff)
    field(
        "apply-claim-body",
        Endpoint("POST", lambda w: f"{API}{w.assessed.pk}/apply-claim/", lambda w, s: {"x": s}),
    ),
    field(
        "hide-reason",
        Endpoint(
            "POST",
            lambda w: f"{API}{w.bobs_public.pk}/hide/",
            lambda w, s: {"hidden": True, "reason": s},
            staff=True,
        ),
    ),
    field(
        "hide-key",
        Endpoint(
            "POST",
            lambda w: f"{API}{w.bobs_public.pk}/hide/",
            lambda w, s: {"hidden": True, s: True},
            staff=True,
        ),
    ),
]


def send(w: World, endpoint: Endpoint, body: bytes, content_type: str):
    if endpoint.staff:
        get_user_model().objects.filter(pk=w.alice.pk).update(is_staff=True)
    return w.client.generic(
        endpoint.method,
        endpoint.path(w),
        body,
        content_type,
        headers=endpoint.headers(w),
    )


def assert_refused_with_json(response, before: dict, *, names_the_problem: bool) -> None:
    assert response.status_code == 400, response.content[:300]
    assert "json" in response["Content-Type"]
    detail = json.dumps(response.json())
    if names_the_problem:
        assert "surrogate" in detail, detail
    assert snapshot() == before


@pytest.mark.parametrize("bad", LONE[:2])
@pytest.mark.parametrize("endpoint", FIELDS)
def test_an_escaped_lone_surrogate_is_a_json_400_and_writes_nothing(world, endpoint, bad):
    """ "\\udc00" as a JSON escape in any text field (or key) of any write is a 400 naming it."""
    body = json.dumps(endpoint.body(world, bad))  # ensure_ascii: the surrogate as an escape
    assert "\\ud" in body
    before = snapshot()
    response = send(world, endpoint, body.encode("ascii"), "application/json")
    assert_refused_with_json(response, before, names_the_problem=True)


@pytest.mark.parametrize("bad", LONE[:1])
@pytest.mark.parametrize("endpoint", [p for p in FIELDS if not p.id.startswith("claim-")])
def test_an_escaped_lone_surrogate_in_json_ld_is_a_400_too(world, endpoint, bad):
    """The W3C endpoints' JSON-LD parser refuses it the same way."""
    body = json.dumps(endpoint.body(world, bad))
    before = snapshot()
    response = send(world, endpoint, body.encode("ascii"), "application/ld+json")
    assert_refused_with_json(response, before, names_the_problem=True)


@pytest.mark.parametrize("bad", LONE[1:2])
@pytest.mark.parametrize("endpoint", FIELDS)
def test_a_raw_lone_surrogate_is_a_json_400_and_writes_nothing(world, endpoint, bad):
    """The surrogate's own bytes (not UTF-8, as a careless encoder writes them) are a 400 too."""
    text = json.dumps(endpoint.body(world, bad), ensure_ascii=False)
    body = text.encode("utf-8", errors="surrogatepass")
    before = snapshot()
    response = send(world, endpoint, body, "application/json")
    assert_refused_with_json(response, before, names_the_problem=False)


@pytest.mark.parametrize("bad", LONE)
def test_a_lone_surrogate_anywhere_in_a_string_is_refused(world, bad):
    """High or low, alone or beside letters, in a note or a claim: 400, nothing written."""
    before = snapshot()
    for path, doc in ((API, passage(world, body=[note(bad)])), (CLAIMS, claim_doc(text=bad))):
        response = world.client.post(path, json.dumps(doc), content_type="application/json")
        assert_refused_with_json(response, before, names_the_problem=True)


def test_the_refusal_names_where_the_bad_text_is(world):
    """The error says which field holds the lone surrogate."""
    body = json.dumps(passage(world, body=[note("fine"), note("bad \udc00")]))
    response = world.client.post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert "$.body[1].value" in response.json()["detail"]
    assert "U+DC00" in response.json()["detail"]


def test_a_paired_surrogate_escape_is_ordinary_text(world):
    """An escaped pair ("\\ud83d\\udd4a", a dove) is one character and is stored."""
    body = json.dumps(passage(world, body=[note("peace \U0001f54a")]))
    assert "\\ud83d\\udd4a" in body
    response = world.client.post(API, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Annotation.objects.get(note="peace \U0001f54a")


# --- The other edges ------------------------------------------------------------------------


def w3c_file(w: World, bad: str) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            passage(w, id="urn:1", body=[note("Good.")]),
            passage(w, id="urn:2", body=[note(f"bad {bad}")]),
        ],
    }


@pytest.mark.parametrize("bad", LONE)
def test_the_w3c_import_refuses_a_file_with_a_lone_surrogate(world, bad):
    """import_collection refuses the file, saying where the bad text is, and writes nothing."""
    before = snapshot()
    for data in (w3c_file(world, bad), json.dumps(w3c_file(world, bad))):
        report = import_collection(data=data, user=world.alice)
        assert not report.ok
        assert "$.items[1].body[0].value" in " ".join(report.lines())
        assert snapshot() == before


def test_the_import_command_refuses_a_file_with_a_lone_surrogate(world, tmp_path):
    """import_annotations FILE exits with an error naming the problem and writes nothing."""
    path = tmp_path / "notes.jsonld"
    path.write_text(json.dumps(w3c_file(world, "\udc00")), encoding="ascii")
    before = snapshot()
    out = []

    class Out:
        def write(self, line):
            out.append(line)

        def flush(self):
            pass

    with pytest.raises(CommandError):
        call_command("import_annotations", str(path), user="alice", stdout=Out())
    assert "surrogate" in "".join(out)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["bad\udcff.txt", "\ud800.txt"])
def test_the_article_import_refuses_a_file_name_with_a_lone_surrogate(db, name):
    """A file name that is not text (e.g. undecodable bytes from the file system) is refused."""
    data = b"Talks open\n\nASTANA (Reuters) - Delegations arrived on Sunday for talks.\n"
    with pytest.raises(IngestError):
        article_import(name=name, data=data)
    assert not Article.objects.exists()


def test_the_article_import_never_decodes_bytes_into_a_lone_surrogate(db):
    """Surrogate bytes in a file are not UTF-8, so they are read as Windows-1252 text."""
    data = b"Talks open\n\nASTANA (Reuters) - Delegations \xed\xb0\x80 arrived for talks.\n"
    result = article_import(name="cesu.txt", data=data)
    assert is_encodable(result.revision.body)
    assert is_encodable(result.revision.raw_text)


FORM_BYTES = "%ED%B0%80"  # a lone surrogate's bytes, as a form or a query string sends them


def test_forms_and_query_strings_never_deliver_a_lone_surrogate(world):
    """Form posts and query strings decode bad bytes to U+FFFD: no surrogate reaches a form."""
    client = Client()
    response = client.post(
        "/accounts/signup/",
        f"username=eve{FORM_BYTES}&password1=a-Long-pass-42&password2=a-Long-pass-42",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302)
    assert all(
        is_encodable(name) for name in get_user_model().objects.values_list("username", flat=True)
    )
    for path in (f"/search/?q={FORM_BYTES}", f"/claims/?q={FORM_BYTES}", f"/?q={FORM_BYTES}"):
        assert client.get(path).status_code in (200, 400), path
    response = world.client.post(
        reverse("annotations:claim-apply", args=[world.assessed.pk]),
        f"next=/{FORM_BYTES}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert unencodable_at(list(Claim.objects.values_list("text", "claimant"))) is None


def test_the_admin_import_form_never_stores_a_lone_surrogate(world):
    """The admin's pasted text and uploaded file name arrive as text, never as surrogates."""
    get_user_model().objects.filter(pk=world.alice.pk).update(is_staff=True, is_superuser=True)
    upload = SimpleUploadedFile(
        "na\udcffme.txt".encode("utf-8", "surrogateescape").decode("latin-1"),
        b"Talks open\n\nASTANA (Reuters) - Delegations arrived on Sunday for talks.\n",
    )
    world.client.post(reverse("admin:articles_article_import"), {"files": [upload]})
    world.client.post(
        reverse("admin:articles_article_import"),
        f"name=pasted.txt&text=Talks+{FORM_BYTES}+open",
        content_type="application/x-www-form-urlencoded",
    )
    assert unencodable_at(list(Article.objects.values_list("source_name", "title"))) is None

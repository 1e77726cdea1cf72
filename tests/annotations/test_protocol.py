"""The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/), requirement
by requirement: each test names the section and the MUST or SHOULD it checks.

Where this server differs, the test says so: a GET of the container without a preference
answers its first page (an AnnotationPage whose partOf is the container), as before the
protocol's container representation was added; a client asks for the container itself with
`Prefer: return=representation; include="..."` (5.2).
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import import_identity, services
from annotations.api import protocol
from annotations.models import Annotation
from annotations.w3c import EXTENSION_TERMS, to_w3c
from tests.annotations.test_api_annotations import (
    ANNO,
    API,
    BASE,
    JSON,
    PROFILE_TYPE,
    annotate,
    import_seed,
    iri,
    quote_doc,
)

pytestmark = pytest.mark.django_db

LDP = "http://www.w3.org/ns/ldp#"
OURS = f"{BASE}/api/ns/astana.jsonld"
PREFER = 'return=representation; include="{}"'
IRIS = PREFER.format("http://www.w3.org/ns/oa#PreferContainedIRIs")
DESCRIPTIONS = PREFER.format("http://www.w3.org/ns/oa#PreferContainedDescriptions")
MINIMAL = PREFER.format(f"{LDP}PreferMinimalContainer")
QUOTE = "armed Syrian opposition groups"


@pytest.fixture
def article():
    return import_seed("001")


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def mine(alice, article) -> Annotation:
    return annotate(alice, article, QUOTE, note="Mine.")


def links(response) -> set[tuple[str, str]]:
    """The (target, rel) pairs of the Link header."""
    return set(re.findall(r'<([^>]+)>\s*;\s*rel="([^"]+)"', response.get("Link", "")))


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


def allowed(response) -> set[str]:
    return {m.strip() for m in response["Allow"].split(",")}


# --- 4. Annotation Retrieval ----------------------------------------------------------------


def test_annotation_supports_get_head_and_options(client, mine):
    """4: servers MUST support GET, HEAD and OPTIONS on an annotation's IRI."""
    assert client.get(iri(mine)).status_code == 200
    head = client.head(iri(mine))
    assert head.status_code == 200
    assert head.content == b""
    assert client.options(iri(mine)).status_code == 200


def test_annotation_is_json_ld_with_the_anno_profile(client, mine):
    """4: the JSON-LD representation MUST be given with Content-Type application/ld+json and
    the anno.jsonld profile, also as the default when the client sends no Accept."""
    for accept in (f'application/ld+json; profile="{ANNO}"', "application/ld+json", None):
        headers = {"Accept": accept} if accept else {}
        response = client.get(iri(mine), headers=headers)
        assert response.status_code == 200
        assert response["Content-Type"] == PROFILE_TYPE


def test_annotation_has_the_ldp_resource_type_link(client, mine):
    """4: the response MUST have a Link header with rel="type" and ldp#Resource."""
    assert (f"{LDP}Resource", "type") in links(client.get(iri(mine)))
    assert (f"{LDP}Resource", "type") in links(client.head(iri(mine)))


def test_annotation_has_an_etag(client, mine):
    """4: the response MUST have an ETag header."""
    assert client.get(iri(mine))["ETag"] == mine.etag


def test_annotation_has_an_allow_header(client, mine):
    """4: the response MUST have an Allow header listing the methods available."""
    assert allowed(client.get(iri(mine))) >= {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}


def test_annotation_varies_on_accept_and_cookie(client, mine):
    """4: with content negotiation the response SHOULD have Vary: Accept (Cookie: what a
    reader may see depends on who they are)."""
    assert vary(client.get(iri(mine))) >= {"accept", "cookie"}


def test_annotation_if_none_match_answers_304(client, mine):
    """4 (HTTP caching, RFC 9110 13.1.2): a GET whose If-None-Match names the current ETag is
    answered 304 without a body; a stale one gets the representation."""
    fresh = client.get(iri(mine), headers={"If-None-Match": mine.etag})
    assert fresh.status_code == 304
    assert fresh.content == b""
    assert fresh["ETag"] == mine.etag
    stale = client.get(iri(mine), headers={"If-None-Match": '"a0v0"'})
    assert stale.status_code == 200


def test_annotation_context_is_anno_first_then_ours(client, mine):
    """4 / model 3.1: the @context MUST include anno.jsonld; extension keys are defined by a
    second context, after it."""
    assert client.get(iri(mine)).json()["@context"] == [ANNO, OURS]


# --- 5.1 Container Retrieval -----------------------------------------------------------------


def test_container_supports_get_head_and_options(client, mine):
    """5.1: servers MUST support GET, HEAD and OPTIONS on the container."""
    assert client.get(API).status_code == 200
    assert client.head(API).status_code == 200
    assert client.options(API).status_code == 200


def test_container_has_the_basic_container_type_and_constrained_by_links(client, mine):
    """5.1: the response MUST have Link rel="type" ldp#BasicContainer, and a Link
    rel=ldp#constrainedBy to the protocol."""
    for response in (client.get(API), client.head(API), client.options(API)):
        assert (f"{LDP}BasicContainer", "type") in links(response)
        assert ("http://www.w3.org/TR/annotation-protocol/", f"{LDP}constrainedBy") in links(
            response
        )


def test_container_has_accept_post(client, db):
    """5.1: a container accepting POST MUST say what with Accept-Post."""
    for response in (client.get(API), client.head(API), client.options(API)):
        assert response["Accept-Post"] == PROFILE_TYPE


def test_container_has_etag_and_allow(client, mine):
    """5.1: the response MUST have an ETag and an Allow header (with POST)."""
    response = client.get(API)
    assert response["ETag"].startswith('W/"')
    assert allowed(response) >= {"GET", "HEAD", "OPTIONS", "POST"}


def test_container_varies_on_accept_prefer_and_cookie(client, mine):
    """5.1: the response SHOULD have Vary: Accept; and Prefer, which chooses the
    representation (5.2)."""
    assert vary(client.get(API)) >= {"accept", "prefer", "cookie"}


def test_container_if_none_match_answers_304_until_it_changes(client, mine, alice, article):
    """5.1 (HTTP caching): If-None-Match with the container's ETag answers 304; a new
    annotation changes the ETag."""
    etag = client.get(API)["ETag"]
    assert client.get(API, headers={"If-None-Match": etag}).status_code == 304
    annotate(alice, article, "Free Syrian Army")
    changed = client.get(API, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_container_representation(client, mine):
    """5.1: the container is an ldp BasicContainer and AnnotationCollection, with both
    contexts, its total (SHOULD), and first (MUST when not empty) and last (SHOULD)."""
    data = client.get(API, headers={"Prefer": DESCRIPTIONS}).json()
    assert data["@context"][:2] == [ANNO, "http://www.w3.org/ns/ldp.jsonld"]
    assert data["id"] == f"{BASE}{API}"
    assert set(data["type"]) == {"BasicContainer", "AnnotationCollection"}
    assert data["total"] == 1
    assert data["first"]["type"] == "AnnotationPage"
    assert data["last"] == f"{BASE}{API}?page=1"


def test_empty_container_has_no_first_page(client, db):
    """5.1: first and last are given only when the container has annotations."""
    data = client.get(API, headers={"Prefer": DESCRIPTIONS}).json()
    assert data["total"] == 0
    assert "first" not in data
    assert "last" not in data


# --- 5.2 Container Representations (preferences) -------------------------------------------


def test_prefer_contained_descriptions_embeds_the_annotations(client, mine):
    """5.2: with PreferContainedDescriptions the first page's items are the annotations."""
    response = client.get(API, headers={"Prefer": DESCRIPTIONS})
    assert response["Preference-Applied"] == "return=representation"
    [item] = response.json()["first"]["items"]
    assert item["id"] == iri(mine)
    assert item["type"] == "Annotation"


def test_prefer_contained_iris_lists_only_iris(client, mine):
    """5.2: with PreferContainedIRIs the items are the annotations' IRIs only."""
    data = client.get(API, headers={"Prefer": IRIS}).json()
    assert data["first"]["items"] == [iri(mine)]
    assert data["first"]["id"] == f"{BASE}{API}?iris=1&page=1"


def test_prefer_minimal_container_embeds_no_page(client, mine):
    """5.2: with PreferMinimalContainer the container links to its pages, embedding none."""
    data = client.get(API, headers={"Prefer": MINIMAL}).json()
    assert data["first"] == f"{BASE}{API}?page=1"
    assert data["last"] == f"{BASE}{API}?page=1"
    assert data["total"] == 1


def test_without_a_preference_the_first_page_is_answered(client, mine):
    """5.2 (this server's default, see the module docstring): no Prefer, the first page."""
    response = client.get(API)
    assert response.json()["type"] == "AnnotationPage"
    assert "Preference-Applied" not in response


def test_an_oversized_prefer_header_is_ignored(client, mine):
    """5.2: a Prefer header past the bound is not parsed (the page is answered)."""
    huge = DESCRIPTIONS + ' include="' + "x " * 5000 + '"'
    assert client.get(API, headers={"Prefer": huge}).json()["type"] == "AnnotationPage"


# --- 5.3 Annotation Pages --------------------------------------------------------------------


@pytest.fixture
def many(alice, article):
    body = article.current_revision.body
    for n in range(55):
        services.annotation_create(user=alice, article=article, start=n * 10, end=n * 10 + 6)
    return body


def test_pages_link_next_prev_part_of_and_start_index(client, many):
    """5.3: a page is an AnnotationPage with items (MUST), next when not the last (MUST),
    prev (SHOULD), partOf (SHOULD) and startIndex (SHOULD)."""
    first = client.get(API).json()
    assert first["type"] == "AnnotationPage"
    assert len(first["items"]) == 50
    assert first["next"] == f"{BASE}{API}?page=2"
    assert first["partOf"]["id"] == f"{BASE}{API}"
    assert first["startIndex"] == 0
    second = client.get(first["next"]).json()
    assert second["prev"] == f"{BASE}{API}?page=1"
    assert second["startIndex"] == 50
    assert "next" not in second


def test_container_last_is_the_last_page(client, many):
    """5.3: the container's last names its last page."""
    data = client.get(API, headers={"Prefer": MINIMAL}).json()
    assert data["last"] == f"{BASE}{API}?page=2"
    assert len(client.get(data["last"]).json()["items"]) == 5


def test_pages_keep_the_iris_preference(client, many):
    """5.3: the pages of a container asked for with PreferContainedIRIs list IRIs too."""
    first = client.get(API, headers={"Prefer": IRIS}).json()["first"]
    assert first["next"] == f"{BASE}{API}?iris=1&page=2"
    second = client.get(first["next"]).json()
    assert all(isinstance(item, str) for item in second["items"])
    assert len(second["items"]) == 5


def test_page_if_none_match_answers_304(client, many):
    """5.3 (HTTP caching): a page has an ETag of its own, answered 304 when unchanged."""
    response = client.get(f"{API}?page=2")
    again = client.get(f"{API}?page=2", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert client.get(API)["ETag"] != response["ETag"]


# --- 6.1 Create a New Annotation -------------------------------------------------------------


def test_create_answers_201_location_etag_and_the_annotation(signed_in, article):
    """6.1: a POST to the container MUST answer 201 with Location (the new IRI); the body
    SHOULD be the annotation as created, with its ETag."""
    body = article.current_revision.body
    doc = quote_doc(article, body, QUOTE)
    response = signed_in.post(API, doc, content_type=PROFILE_TYPE, headers={"Accept": PROFILE_TYPE})
    assert response.status_code == 201
    created = Annotation.objects.get()
    assert response["Location"] == iri(created) == response.json()["id"]
    assert response["ETag"] == created.etag
    assert response["Content-Type"] == PROFILE_TYPE


def test_create_assigns_its_own_iri(signed_in, article):
    """6.1: the server MUST assign the annotation an IRI, even if it has an id already."""
    doc = quote_doc(article, article.current_revision.body, QUOTE, id="http://example.org/a1")
    response = signed_in.post(API, doc, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["id"] == iri(Annotation.objects.get())


def test_create_keeps_the_canonical_iri_and_copies_the_id_to_via(signed_in, client, article):
    """6.1: a canonical IRI MUST be kept without change; an id the client gave SHOULD be
    copied to via. Both come back on every later read."""
    doc = quote_doc(
        article,
        article.current_revision.body,
        QUOTE,
        id="http://example.org/a1",
        canonical="urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df",
    )
    created = signed_in.post(API, doc, content_type=JSON).json()
    read = client.get(created["id"]).json()
    for data in (created, read):
        assert data["canonical"] == "urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df"
        assert data["via"] == "http://example.org/a1"
        assert data["id"] == iri(Annotation.objects.get())


def test_create_without_client_iris_has_no_canonical_or_via(signed_in, article):
    doc = quote_doc(article, article.current_revision.body, QUOTE)
    data = signed_in.post(API, doc, content_type=JSON).json()
    assert "canonical" not in data
    assert "via" not in data


def test_posting_the_same_client_iri_twice_is_409_with_the_stored_location(signed_in, article):
    """A second POST of an annotation the reader already stored here (same id or canonical)
    is refused with 409 and the address to PUT to, not stored twice."""
    body = article.current_revision.body
    first = signed_in.post(
        API, quote_doc(article, body, QUOTE, id="http://example.org/a1"), content_type=JSON
    )
    again = signed_in.post(
        API, quote_doc(article, body, QUOTE, id="http://example.org/a1"), content_type=JSON
    )
    assert again.status_code == 409
    assert again["Location"] == first.json()["id"] == again.json()["id"]
    assert Annotation.objects.count() == 1
    # Reposting what a GET answered (our own IRI) is the same annotation too.
    echoed = signed_in.post(API, first.json(), content_type=JSON)
    assert echoed.status_code == 409
    assert Annotation.objects.count() == 1


def test_the_same_client_iri_posted_twice_at_once_is_409_not_a_second_row(
    signed_in, article, monkeypatch
):
    """Two POSTs racing: both look and find nothing; the database's unique constraint stops
    the second, which answers 409 with the first one's address, and nothing is half-written."""
    body = article.current_revision.body
    doc = quote_doc(article, body, QUOTE, id="http://example.org/a1", note="x")
    first = signed_in.post(API, doc, content_type=JSON)
    real = import_identity.annotation_find_imported
    calls = []

    def blind_first_look(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(import_identity, "annotation_find_imported", blind_first_look)
    again = signed_in.post(API, doc, content_type=JSON)
    assert again.status_code == 409
    assert again["Location"] == first.json()["id"]
    assert Annotation.objects.count() == 1
    assert len(calls) == 2


def test_an_impossible_created_time_is_not_a_server_error(signed_in, article):
    """A well-formed but impossible `created` ("12:99") says nothing about identity."""
    doc = quote_doc(article, article.current_revision.body, QUOTE, created="2024-01-01T12:99:00Z")
    assert signed_in.post(API, doc, content_type=JSON).status_code == 201


def test_another_reader_may_post_the_same_client_iri(signed_in, client, article, bob):
    """Foreign ids are unique per creator: two readers importing one file each get a copy."""
    body = article.current_revision.body
    doc = quote_doc(article, body, QUOTE, id="http://example.org/a1")
    assert signed_in.post(API, doc, content_type=JSON).status_code == 201
    client.force_login(bob)
    assert client.post(API, doc, content_type=JSON).status_code == 201
    assert Annotation.objects.count() == 2


def test_create_with_an_unsupported_media_type_is_415(signed_in, article):
    """6.1 / 7: a body in a format the container does not accept is refused with 415."""
    response = signed_in.post(API, "<anno/>", content_type="application/xml")
    assert response.status_code == 415


# --- 6.3 Update an Existing Annotation -------------------------------------------------------


def put(client, annotation: Annotation, doc: dict, etag: str | None):
    headers = {"If-Match": etag} if etag else {}
    return client.put(iri(annotation), doc, content_type=JSON, headers=headers)


def representation(client, annotation: Annotation) -> dict:
    return client.get(iri(annotation)).json()


def test_update_with_if_match_answers_200_and_the_new_representation(signed_in, mine):
    """6.3: a PUT with the annotation replaces it; the answer is 200 with the new
    representation and its new ETag."""
    doc = representation(signed_in, mine)
    doc["body"] = [{"type": "TextualBody", "value": "Changed.", "purpose": "commenting"}]
    response = put(signed_in, mine, doc, mine.etag)
    assert response.status_code == 200
    assert response.json()["body"][0]["value"] == "Changed."
    assert response["ETag"] != mine.etag


def test_update_with_a_stale_etag_is_412(signed_in, mine):
    """6.3: a PUT whose If-Match is not the current ETag MUST fail with 412."""
    response = put(signed_in, mine, representation(signed_in, mine), '"a1v99"')
    assert response.status_code == 412


def test_update_without_if_match_is_428(signed_in, mine):
    """6.3: clients SHOULD send If-Match; this server requires it (428 Precondition
    Required, RFC 6585) so that no update is lost."""
    assert put(signed_in, mine, representation(signed_in, mine), None).status_code == 428


def test_update_changing_the_target_is_400(signed_in, mine, article):
    """6.3: a PUT may not move the annotation to other words: 400 with the reason, and
    nothing changed (never silently ignored)."""
    doc = representation(signed_in, mine)
    other = "Free Syrian Army"
    start = article.current_revision.body.index(other)
    doc["target"]["selector"] = [
        {"type": "TextQuoteSelector", "exact": other},
        {"type": "TextPositionSelector", "start": start, "end": start + len(other)},
    ]
    doc["body"] = [{"type": "TextualBody", "value": "Moved?", "purpose": "commenting"}]
    response = put(signed_in, mine, doc, mine.etag)
    assert response.status_code == 400
    assert "target cannot be changed" in str(response.json())
    mine.refresh_from_db()
    assert (mine.exact, mine.note) == (QUOTE, "Mine.")


def test_update_to_another_article_or_into_a_reply_is_400(signed_in, mine, bob):
    """6.3: naming another source or making a passage a reply is a target change too."""
    doc = representation(signed_in, mine)
    doc["target"]["source"] = f"{BASE}/articles/some-other-article/"
    assert put(signed_in, mine, doc, mine.etag).status_code == 400
    parent = annotate(bob, mine.article, "Free Syrian Army")
    doc = {**representation(signed_in, mine), "target": iri(parent)}
    assert put(signed_in, mine, doc, mine.etag).status_code == 400


def test_update_sending_the_target_back_unchanged_is_fine(signed_in, mine):
    """6.3: the representation sent back as it is (its target included) is accepted."""
    assert put(signed_in, mine, representation(signed_in, mine), mine.etag).status_code == 200


def test_update_by_another_user_is_refused(client, mine, bob):
    """6.3 / 7: a user who may not change the annotation is refused (403)."""
    client.force_login(bob)
    assert put(client, mine, representation(client, mine), mine.etag).status_code == 403


# --- 6.4 Delete an Existing Annotation -------------------------------------------------------


def test_delete_answers_204_and_the_annotation_is_gone(signed_in, mine):
    """6.4: a DELETE answers 204; a later GET of the IRI MUST answer 404 (or 410)."""
    response = signed_in.delete(iri(mine), headers={"If-Match": mine.etag})
    assert response.status_code == 204
    assert signed_in.get(iri(mine)).status_code == 404


def test_delete_with_a_stale_etag_is_412(signed_in, mine):
    """6.4: a DELETE whose If-Match is stale fails with 412 and deletes nothing."""
    assert signed_in.delete(iri(mine), headers={"If-Match": '"a1v99"'}).status_code == 412
    assert Annotation.objects.filter(pk=mine.pk).exists()


# --- 7. Error Conditions ---------------------------------------------------------------------


def test_errors(client, signed_in, mine):
    """7: 404 for an unknown annotation, 405 for a method the resource does not allow,
    400 for an invalid annotation, 401/403 for a client not allowed to create."""
    assert signed_in.get(f"{API}999999/").status_code == 404
    assert signed_in.patch(iri(mine), {}, content_type=JSON).status_code == 405
    assert signed_in.delete(API).status_code == 405
    assert signed_in.post(API, {"type": "Annotation"}, content_type=JSON).status_code == 400
    client.logout()
    assert client.post(API, {"type": "Annotation"}, content_type=JSON).status_code in {401, 403}


def test_an_unacceptable_accept_is_406(client, mine):
    """7: a representation the client cannot accept is answered 406."""
    assert client.get(iri(mine), headers={"Accept": "text/html"}).status_code == 406


# --- The context document for our extension keys ---------------------------------------------


def test_the_context_document_defines_every_extension_key(client, mine, alice, article):
    """Model 3.1 / JSON-LD: every key we add beyond the W3C model is defined by the context
    served at /api/ns/astana.jsonld, as application/ld+json."""
    response = client.get("/api/ns/astana.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    terms = response.json()["@context"]
    assert terms["astana"] == f"{OURS}#"
    claim = services.claim_create(user=alice, text="A claim")
    assessed = annotate(alice, article, "Free Syrian Army", motivation="assessing", claim=claim)
    assessed = Annotation.objects.select_related(
        "article", "creator", "anchor_revision", "claim"
    ).get(pk=assessed.pk)
    Annotation.objects.filter(pk=assessed.pk).update(
        foreign_id="https://hypothes.is/a/x", foreign_creator="acct:a@hypothes.is"
    )
    assessed.refresh_from_db()
    keys = set(to_w3c(assessed, lambda p: BASE + p)) | {"warning"}
    w3c_keys = {"@context", "id", "type", "motivation", "created", "modified", "creator"}
    w3c_keys |= {"body", "target", "via"}
    assert keys - w3c_keys <= set(terms)
    assert set(EXTENSION_TERMS) <= set(terms)
    etag = response["ETag"]
    assert client.get("/api/ns/astana.jsonld", headers={"If-None-Match": etag}).status_code == 304


def test_preference_parser_is_bounded():
    """The Prefer parser reads a bounded header and finds the include IRIs in any order."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    def parsed(header: str) -> str | None:
        return protocol.preference(Request(RequestFactory().get("/", HTTP_PREFER=header))).include

    both = f'return=representation; include="{LDP}PreferMinimalContainer x"'
    assert parsed(both) == f"{LDP}PreferMinimalContainer"
    assert parsed('include="' + protocol.PREFER_IRIS + '"') is None  # no return=representation
    assert parsed(IRIS + " " * protocol.MAX_PREFER) is None


@given(st.text(max_size=3000), st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_header_parsers_take_any_text(prefer, none_match):
    """Prefer and If-None-Match parsing never fails, whatever the headers hold."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    headers = {"HTTP_PREFER": prefer, "HTTP_IF_NONE_MATCH": none_match}
    try:
        request = Request(RequestFactory().get("/", **headers))
    except ValueError:  # a header Django itself refuses (control characters)
        return
    assert protocol.preference(request).include in {
        None,
        protocol.PREFER_IRIS,
        protocol.PREFER_DESCRIPTIONS,
        protocol.PREFER_MINIMAL,
    }
    assert protocol.not_modified(request, '"a1v1"') in {True, False}

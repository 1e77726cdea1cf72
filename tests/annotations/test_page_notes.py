"""Page notes: annotating the whole article without selecting words, through the services,
the W3C API, export and import, re-anchoring and every page that lists annotations."""

import json

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import exchange, services
from annotations.models import Annotation
from annotations.w3c import parse_w3c
from articles.highlights import Span, segments
from articles.models import Article
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

API = "/api/annotations/"
BASE = "http://testserver"
ANNO = "http://www.w3.org/ns/anno.jsonld"
QUOTE = "Vladimir Putin said that that Syrian opposition groups"


def absolute(path: str) -> str:
    return f"{BASE}{path}"


@pytest.fixture
def article() -> Article:
    return article_import(name=SEED_NAMES["001"], data=seed_path("001").read_bytes()).article


def page_note(user, article, **fields) -> Annotation:
    fields.setdefault("note", "The whole piece leans on one source.")
    return services.annotation_create(
        user=user, article=article, page_note=True, **fields
    ).annotation


def passage(user, article, quote: str = QUOTE, **fields) -> Annotation:
    start = article.current_revision.body.index(quote)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(quote), exact=quote, **fields
    ).annotation


# --- The service ---------------------------------------------------------------------------


def test_a_page_note_has_no_span_and_no_quote(alice, article):
    """A page note is a top-level annotation with no offsets and no quote."""
    note = page_note(alice, article)
    note.refresh_from_db()
    assert (note.start, note.end, note.exact, note.parent_id) == (None, None, "", None)
    assert note.is_page_note
    assert note.motivation == "commenting"
    assert note.anchor_revision_id == article.current_revision_id
    assert list(Annotation.objects.page_notes()) == [note]


def test_a_page_note_with_only_tags_is_tagging_and_highlighting_becomes_commenting(alice, article):
    """Tags alone make a tagging page note; "highlighting" a whole article is a comment."""
    tagged = page_note(alice, article, note="", motivation="tagging", tags=["sourcing"])
    assert tagged.motivation == "tagging"
    assert [t.name for t in tagged.tags.all()] == ["sourcing"]
    assert page_note(alice, article, motivation="highlighting").motivation == "commenting"
    assert page_note(alice, article, motivation="questioning").motivation == "questioning"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"note": "", "tags": []}, "target"),
        ({"note": "   "}, "target"),
        ({"motivation": "assessing"}, "claim"),
        ({"motivation": "replying"}, "motivation"),
        ({"motivation": "liking"}, "motivation"),
        ({"colour": "pink"}, "colour"),
        ({"visibility": "friends"}, "visibility"),
    ],
)
def test_a_page_note_is_refused_with_a_message_per_field(alice, article, fields, field):
    """An empty page note, one assessing a claim or replying, or bad choices: refused."""
    with pytest.raises(services.AnnotationInvalid) as refused:
        page_note(alice, article, **fields)
    assert field in refused.value.errors
    assert not Annotation.objects.exists()


def test_a_page_note_cannot_carry_a_claim(alice, article):
    """A claim is marked on a passage, never on the whole article."""
    claim = services.claim_create(user=alice, text="Talks were held")
    with pytest.raises(services.AnnotationInvalid) as refused:
        page_note(alice, article, motivation="assessing", claim=claim)
    assert "passage" in refused.value.errors["claim"][0]


def test_anonymous_cannot_write_a_page_note(article):
    """Signing in comes first, as for any annotation."""
    from django.contrib.auth.models import AnonymousUser

    from annotations.access import AccessDenied

    with pytest.raises(AccessDenied):
        page_note(AnonymousUser(), article)


def test_a_page_note_cannot_be_turned_into_a_highlight_or_assessment(alice, article):
    """Editing keeps a page note a comment, tag or question; the reason is said, not a 500."""
    note = page_note(alice, article)
    for motivation in ("highlighting", "assessing"):
        with pytest.raises(services.AnnotationInvalid) as refused:
            services.annotation_update(
                user=alice, annotation=note, expected_version=None, motivation=motivation
            )
        # Refused for being a page note, not for some other missing piece (e.g. a claim).
        assert list(refused.value.errors) == ["motivation"]
        assert "page note" in " ".join(refused.value.errors["motivation"])
    updated = services.annotation_update(
        user=alice, annotation=note, expected_version=None, motivation="questioning", note="Why?"
    )
    assert (updated.motivation, updated.start) == ("questioning", None)


def test_a_page_note_takes_replies(alice, bob, article):
    """Replies join a page note's thread like any other."""
    note = page_note(alice, article)
    reply = services.annotation_reply(user=bob, parent=note, note="Agreed.")
    assert (reply.parent_id, reply.start, reply.motivation) == (note.pk, None, "replying")


# --- The database keeps the rules ----------------------------------------------------------


def _insert(article, user, **fields) -> None:
    revision = article.current_revision
    with transaction.atomic():
        Annotation.objects.create(
            article=article, revision=revision, anchor_revision=revision, creator=user, **fields
        )


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"motivation": "highlighting"}, id="page-highlight"),
        pytest.param({"motivation": "assessing"}, id="page-assessing"),
        pytest.param({"motivation": "commenting", "exact": "words"}, id="page-with-quote"),
        pytest.param({"motivation": "commenting", "start": 5}, id="start-without-end"),
        pytest.param({"motivation": "commenting", "end": 5}, id="end-without-start"),
        pytest.param({"motivation": "commenting", "start": 5, "end": 5}, id="empty-span"),
        pytest.param({"motivation": "commenting", "start": 9, "end": 5}, id="reversed-span"),
    ],
)
def test_the_database_refuses_what_is_neither_passage_page_note_nor_reply(alice, article, fields):
    """annotation_span_valid: a page note has no span, no quote and may not highlight or
    assess; a passage still needs 0 <= start < end."""
    if fields.get("motivation") == "assessing":
        fields["claim"] = services.claim_create(user=alice, text="A claim")
    with pytest.raises(IntegrityError):
        _insert(article, alice, **fields)


def test_the_database_still_refuses_a_reply_with_a_span(alice, article):
    """A reply never has a span of its own."""
    note = page_note(alice, article)
    with pytest.raises(IntegrityError):
        _insert(article, alice, motivation="replying", parent=note, start=1, end=4)


def test_the_database_accepts_page_notes_and_passages(alice, article):
    """The three valid shapes are stored."""
    _insert(article, alice, motivation="commenting")
    _insert(article, alice, motivation="tagging")
    _insert(article, alice, motivation="questioning")
    _insert(article, alice, motivation="highlighting", start=0, end=4, exact="word")
    assert Annotation.objects.page_notes().count() == 3
    assert Annotation.objects.passages().count() == 1


# --- The W3C API ---------------------------------------------------------------------------


def _post(client, target, **extra):
    doc = {
        "@context": ANNO,
        "type": "Annotation",
        "motivation": "commenting",
        "body": [
            {"type": "TextualBody", "value": "About the whole article", "purpose": "commenting"}
        ],
        "target": target,
        **extra,
    }
    return client.post(API, json.dumps(doc), content_type="application/ld+json")


@pytest.mark.parametrize("shape", ["iri", "resource"])
def test_posting_a_target_with_no_selector_makes_a_page_note(client, alice, article, shape):
    """A target that is just the article (its IRI, or a SpecificResource with no selector)
    makes a page note; GET gives the article back as the target, with no selector."""
    client.force_login(alice)
    iri = absolute(article.get_absolute_url())
    target = iri if shape == "iri" else {"type": "SpecificResource", "source": iri}
    response = _post(client, target)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["target"] == {"type": "SpecificResource", "source": iri}
    note = Annotation.objects.get()
    assert note.is_page_note
    assert note.note == "About the whole article"
    fetched = client.get(f"{API}{note.pk}/").json()
    assert fetched["target"] == {"type": "SpecificResource", "source": iri}
    assert "selector" not in json.dumps(fetched)
    listed = client.get(API, {"article": article.slug}).json()
    assert [item["target"] for item in listed["items"]] == [created["target"]]


def test_posting_the_article_with_nothing_to_say_is_refused(client, alice, article):
    """No selector and no note or tag: the answer says to select a passage or write a note."""
    client.force_login(alice)
    response = _post(client, absolute(article.get_absolute_url()), body=[])
    assert response.status_code == 400
    assert "Select a passage" in response.json()["target"][0]
    assert not Annotation.objects.exists()


def test_a_page_note_is_edited_through_put(client, alice, article):
    """PUT changes a page note's words and keeps it on the whole article."""
    client.force_login(alice)
    note = page_note(alice, article)
    data = client.get(f"{API}{note.pk}/").json()
    data["body"] = [{"type": "TextualBody", "value": "Changed", "purpose": "commenting"}]
    response = client.put(
        f"{API}{note.pk}/",
        json.dumps(data),
        content_type="application/json",
        headers={"If-Match": note.etag},
    )
    assert response.status_code == 200, response.content
    note.refresh_from_db()
    assert (note.note, note.start) == ("Changed", None)


# --- Export and import ----------------------------------------------------------------------


def test_page_notes_export_and_import_back_as_page_notes(alice, bob, article):
    """JSON-LD export names the article alone as target; importing it back makes page notes
    (with their replies); the CSV row has no quote or offsets."""
    note = page_note(alice, article, tags=["sourcing"])
    services.annotation_reply(user=bob, parent=note, note="Agreed.")
    passage(alice, article)
    document = exchange.export_document(fmt="jsonld", user=alice, absolute=absolute)
    items = json.loads(document.content)["first"]["items"]
    exported = next(item for item in items if item["id"].endswith(f"/{note.pk}/"))
    assert exported["target"] == {
        "type": "SpecificResource",
        "source": absolute(article.get_absolute_url()),
    }
    assert exchange.validation_errors(exported) == []
    csv_text = exchange.export_document(fmt="csv", user=alice, absolute=absolute).content
    csv_text = csv_text.decode() if isinstance(csv_text, bytes) else csv_text
    row = next(line for line in csv_text.splitlines() if line.startswith(f"{note.pk},"))
    assert ",,," in row  # quote, start and end empty

    Annotation.objects.all().delete()
    report = exchange.import_collection(data=document.content, user=alice, keep_creators=True)
    assert report.ok, report.lines()
    notes = list(Annotation.objects.page_notes())
    assert len(notes) == 1
    assert notes[0].note == note.note
    assert notes[0].start is None
    assert [t.name for t in notes[0].tags.all()] == ["sourcing"]
    assert notes[0].replies.get().note == "Agreed."
    assert Annotation.objects.passages().count() == 1


# --- Re-anchoring ----------------------------------------------------------------------------


def test_re_importing_a_changed_article_never_orphans_a_page_note(alice, bob, article):
    """A new revision: passages are re-anchored, page notes follow the article as they are."""
    note = page_note(alice, article)
    reply = services.annotation_reply(user=bob, parent=note, note="Agreed.")
    changed = seed_path("001").read_bytes().replace(b"Astana", b"Astana (Kazakhstan)", 1)
    result = article_import(name=SEED_NAMES["001"], data=changed)
    article.refresh_from_db()
    assert article.current_revision_id != note.anchor_revision_id
    note.refresh_from_db()
    reply.refresh_from_db()
    assert (note.start, note.end, note.exact, note.anchor_status) == (None, None, "", "anchored")
    assert note.anchor_revision_id == article.current_revision_id == reply.anchor_revision_id
    assert result.reanchor is not None
    assert note.pk not in result.reanchor.orphaned
    assert not result.reanchor.counts["orphaned"]


def test_curators_re_anchoring_skips_page_notes(alice, article, django_user_model):
    """The admin's "re-anchor on the current text" leaves page notes untouched."""
    staff = django_user_model.objects.create_user("curator", password="x", is_staff=True)
    note = page_note(alice, article)
    report = services.annotations_reanchor_current(user=staff, annotations=[note])
    note.refresh_from_db()
    assert report.skipped == 1
    assert report.changed == []
    assert (note.start, note.anchor_status, note.version) == (None, "anchored", 1)


# --- Pages that list annotations -------------------------------------------------------------


def test_the_reader_lists_page_notes_in_their_own_section_and_draws_no_mark(
    client, alice, bob, article
):
    """The sidebar opens with "Page notes"; no highlight is drawn for them; a private page
    note is its writer's alone."""
    public = page_note(alice, article, note="Public page note")
    private = page_note(alice, article, note="Private page note", visibility="private")
    passage(alice, article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="page-notes"' in html
    assert "Page notes" in html
    section = html[
        html.index('id="page-notes"') : html.index("</section>", html.index('id="page-notes"'))
    ]
    assert f'id="card-{public.pk}"' in section
    assert 'data-page-note="1"' in section
    assert f'id="card-{private.pk}"' not in html
    assert f'data-ids="{public.pk}"' not in html
    assert html.index('id="page-notes"') < html.index(
        'id="text-cards"', html.index("</section>", html.index('id="page-notes"'))
    )
    client.force_login(alice)
    mine = client.get(article.get_absolute_url()).content.decode()
    assert f'id="card-{private.pk}"' in mine
    assert "Add page note" in mine
    client.force_login(bob)
    assert f'id="card-{private.pk}"' not in client.get(article.get_absolute_url()).content.decode()


def test_anonymous_readers_see_no_empty_page_notes_section(client, article):
    """Nothing to show and nothing to add: no section."""
    assert 'id="page-notes"' not in client.get(article.get_absolute_url()).content.decode()


def test_tag_compare_claim_and_admin_pages_take_page_notes(
    client, alice, article, django_user_model
):
    """The tag page lists a tagged page note as such; the compare page, a claim's page and the
    admin list still answer."""
    from tests.conftest import SEED_NAMES as names

    other = article_import(name=names["004"], data=seed_path("004").read_bytes()).article
    note = page_note(alice, article, tags=["sourcing"])
    page_note(alice, other, note="On the other one")
    claim = services.claim_create(user=alice, text="Talks were held")
    passage(alice, article, motivation="assessing", claim=claim)
    tag_page = client.get("/tags/sourcing/").content.decode()
    assert "Page note on the whole article" in tag_page
    assert f"/annotations/{note.pk}/" in tag_page
    assert client.get(f"/compare/?articles={article.slug},{other.slug}").status_code == 200
    assert client.get(f"/claims/{claim.pk}/").status_code == 200
    staff = django_user_model.objects.create_superuser("boss", password="x")
    client.force_login(staff)
    admin_list = client.get("/admin/annotations/annotation/")
    assert admin_list.status_code == 200
    assert "(page note)" in admin_list.content.decode()
    assert client.get(f"/admin/annotations/annotation/{note.pk}/change/").status_code == 200


def test_segments_ignore_a_span_without_offsets():
    """The highlight segmenter draws nothing for a span with no offsets."""
    cut = segments("Some words here", 0, [Span(1, None, None, "yellow"), Span(2, 5, 10, "red")])
    assert [(s.text, s.ids) for s in cut] == [("Some ", ""), ("words", "2"), (" here", "")]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
_targets = st.one_of(
    _json,
    st.sampled_from(
        [f"{BASE}/articles/some-article/", "/articles/x/", f"{BASE}/api/annotations/3/"]
    ),
    st.fixed_dictionaries(
        {"source": st.sampled_from([f"{BASE}/articles/some-article/", "https://example.org/a"])},
        optional={"type": st.just("SpecificResource"), "selector": _json},
    ),
)


@given(target=_targets)
@settings(max_examples=200, deadline=None)
def test_reading_any_target_never_crashes_and_page_notes_have_no_selector(target):
    """Whatever the target, parse_w3c answers or refuses with a message; a page note is read
    only from the article alone (no selector, nothing selected)."""
    try:
        parsed = parse_w3c({"type": "Annotation", "target": target}, base=f"{BASE}/")
    except services.AnnotationInvalid as refused:
        errors = refused.errors
        assert errors
        return
    if parsed.page_note:
        assert parsed.article_slug in {"some-article", "x"}
        assert (parsed.exact, parsed.start, parsed.end) == (None, None, None)
        assert not (isinstance(target, dict) and "selector" in target)

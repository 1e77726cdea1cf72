"""Importing is idempotent: an imported annotation keeps its id on the server it came from and
its creator there, and importing the same file again updates it instead of writing it twice;
our own export imported back does not duplicate either."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import exchange, import_identity, services
from annotations.models import Annotation
from tests.annotations.test_exchange import (
    ANNO_CONTEXT,
    BASE,
    absolute,
    hypothesis_annotation,
    unique_span,
)

pytestmark = pytest.mark.django_db

HYPOTHESIS_ID = "https://hypothes.is/a/Xq9mZ0b1EeeQkS8A"
FIELDS = ["id", "via", "canonical", "created", "creator", "originalCreator"]


@pytest.fixture
def note(seeds):
    """A Hypothesis annotation of a passage of seed 002, by acct:reader@hypothes.is."""
    article = seeds["002"]
    start, end = unique_span(article, 400, words=9)
    return hypothesis_annotation(article.current_revision.body, start, end)


def outcomes(report) -> list[str]:
    return [i.outcome for i in report.imported]


def test_importing_the_same_file_twice_writes_each_annotation_once(note, alice):
    """The second import finds the first one's record: nothing doubles, nothing changes."""
    first = exchange.import_collection(data=note, user=alice)
    second = exchange.import_collection(data=note, user=alice)
    assert outcomes(first) == ["created"]
    assert outcomes(second) == ["unchanged"]
    assert Annotation.objects.count() == 1
    record = Annotation.objects.get()
    assert first.imported[0].pk == second.imported[0].pk == record.pk
    assert record.version == 1  # unchanged: not written
    assert "updated 0, created 0, unchanged 1" in second.lines()[0]


def test_the_foreign_id_and_acct_creator_are_kept(note, alice):
    """The Hypothesis id and acct: creator are stored, and exported back (via,
    originalCreator), so the export still names the original."""
    exchange.import_collection(data=note, user=alice)
    record = Annotation.objects.get()
    assert record.foreign_id == HYPOTHESIS_ID
    assert record.foreign_creator == "acct:reader@hypothes.is"
    assert record.creator == alice
    exported = exchange.annotation_collection(
        annotations=Annotation.objects.all(), absolute=absolute, label="All"
    )["first"]["items"][0]
    assert exported["via"] == HYPOTHESIS_ID
    assert exported["originalCreator"] == "acct:reader@hypothes.is"
    assert exchange.validation_errors(exported) == []


def test_a_changed_reimport_updates_note_tags_colour_and_visibility(note, alice):
    """What the reader said is brought up to date; the passage stays."""
    exchange.import_collection(data=note, user=alice)
    before = Annotation.objects.get()
    changed = copy.deepcopy(note)
    changed["body"] = [
        {"type": "TextualBody", "value": "Compare with the AFP wording.", "purpose": "commenting"},
        {"type": "TextualBody", "value": "wire copy", "purpose": "tagging"},
    ]
    changed["colour"] = "red"
    changed["visibility"] = "private"

    report = exchange.import_collection(data=changed, user=alice)

    assert outcomes(report) == ["updated"]
    assert "updated 1, created 0, unchanged 0" in report.lines()[0]
    after = Annotation.objects.get()
    assert after.pk == before.pk
    assert after.note == "Compare with the AFP wording."
    assert [t.name for t in after.tags.all()] == ["wire copy"]
    assert (after.colour, after.visibility) == ("red", "private")
    assert (after.start, after.end, after.exact) == (before.start, before.end, before.exact)
    assert after.version == before.version + 1


def test_absent_colour_and_visibility_are_left_as_they_are(note, alice):
    """A file without colour or visibility (Hypothesis') does not reset them."""
    exchange.import_collection(data=note, user=alice)
    record = Annotation.objects.get()
    services.annotation_update(user=alice, annotation=record, expected_version=None, colour="green")
    report = exchange.import_collection(data=note, user=alice)
    assert outcomes(report) == ["unchanged"]
    assert Annotation.objects.get().colour == "green"


def test_another_reader_gets_their_own_copy(note, alice, bob):
    """The identity is per owner: bob's import never touches alice's annotation."""
    exchange.import_collection(data=note, user=alice)
    report = exchange.import_collection(data=note, user=bob)
    assert outcomes(report) == ["created"]
    assert sorted(a.creator.username for a in Annotation.objects.all()) == ["alice", "bob"]
    again = exchange.import_collection(data=note, user=bob)
    assert outcomes(again) == ["unchanged"]
    assert Annotation.objects.count() == 2


def test_reimporting_our_own_export_does_not_duplicate(seeds, alice):
    """Our export imported back (its ids are our IRIs) updates the records it came from."""
    article = seeds["001"]
    start, end = unique_span(article, 300)
    record = services.annotation_create(
        user=alice, article=article, start=start, end=end, note="First thoughts."
    ).annotation
    services.annotation_reply(user=alice, parent=record, note="A reply.")
    collection = exchange.annotation_collection(
        annotations=Annotation.objects.all(), absolute=absolute, label="All"
    )

    same = exchange.import_collection(
        data=json.dumps(collection), user=alice, absolute_base=BASE + "/"
    )
    assert outcomes(same) == ["unchanged", "unchanged"]
    collection["first"]["items"][0]["body"][0]["value"] = "Second thoughts."
    changed = exchange.import_collection(data=collection, user=alice, absolute_base=BASE + "/")
    assert outcomes(changed) == ["updated", "unchanged"]
    assert Annotation.objects.count() == 2
    record.refresh_from_db()
    assert record.note == "Second thoughts."
    assert record.foreign_id == ""


def test_our_export_is_recognised_by_its_created_time_without_a_base_url(seeds, alice):
    """Without this site's address, one of our IRIs matches when the created time is ours."""
    article = seeds["001"]
    start, end = unique_span(article, 300)
    services.annotation_create(user=alice, article=article, start=start, end=end)
    item = exchange.annotation_collection(
        annotations=Annotation.objects.all(), absolute=absolute, label="All"
    )["first"]["items"][0]
    assert outcomes(exchange.import_collection(data=item, user=alice)) == ["unchanged"]
    other_server = {**item, "created": "2017-01-17T09:12:44+00:00"}
    assert outcomes(exchange.import_collection(data=other_server, user=alice)) == ["created"]
    assert Annotation.objects.count() == 2


def test_a_copy_of_anothers_annotation_is_found_again(seeds, alice, bob):
    """Bob importing alice's export gets copies (ids: our IRIs); importing again updates them."""
    article = seeds["001"]
    start, end = unique_span(article, 300)
    services.annotation_create(user=alice, article=article, start=start, end=end, note="Hm.")
    text = json.dumps(
        exchange.annotation_collection(
            annotations=Annotation.objects.all(), absolute=absolute, label="All"
        )
    )
    first = exchange.import_collection(data=text, user=bob, absolute_base=BASE + "/")
    second = exchange.import_collection(data=text, user=bob, absolute_base=BASE + "/")
    assert (outcomes(first), outcomes(second)) == (["created"], ["unchanged"])
    assert Annotation.objects.filter(creator=bob).count() == 1


def test_acct_creator_on_our_host_is_the_local_user(note, alice):
    """With keep_creators, acct:alice@<this host> is alice; no foreign creator is stored."""
    mine = {**note, "creator": "acct:alice@testserver"}
    report = exchange.import_collection(
        data=mine, user=None, keep_creators=True, absolute_base=BASE + "/"
    )
    assert report.ok, report.lines()
    record = Annotation.objects.get()
    assert (record.creator, record.foreign_creator) == (alice, "")


def test_replies_of_a_reimported_thread_stay_single(note, alice):
    """A reply in the file is matched too, under the same (updated) parent."""
    reply = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "id": "https://hypothes.is/a/reply0001",
        "motivation": "replying",
        "creator": "acct:other@hypothes.is",
        "body": {"type": "TextualBody", "value": "Agreed."},
        "target": note["id"],
    }
    page = {"type": "AnnotationPage", "items": [note, reply]}
    assert outcomes(exchange.import_collection(data=page, user=alice)) == ["created"] * 2
    assert outcomes(exchange.import_collection(data=page, user=alice)) == ["unchanged"] * 2
    assert Annotation.objects.count() == 2
    assert Annotation.objects.get(parent__isnull=False).foreign_creator == "acct:other@hypothes.is"


def test_the_command_reports_updated_created_unchanged(note, alice, tmp_path):
    """import_annotations prints the three counts."""
    path = tmp_path / "h.json"
    path.write_text(json.dumps(note))
    out = io.StringIO()
    call_command("import_annotations", str(path), "--user", "alice", stdout=out)
    call_command("import_annotations", str(path), "--user", "alice", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("Imported")]
    assert "updated 0, created 1, unchanged 0" in lines[0]
    assert "updated 0, created 0, unchanged 1" in lines[1]
    assert Annotation.objects.count() == 1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES), st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_identity_readers_take_any_json(data, iri):
    """Reading an annotation's identity and creator never fails, whatever the file holds."""
    identity = import_identity.identity_of(data)
    assert all(isinstance(key, str) for key in identity.keys)
    assert len(identity.foreign_id) <= import_identity.MAX_FOREIGN_ID
    creator = import_identity.foreign_creator_of(data)
    assert isinstance(creator, str)
    assert len(creator) <= import_identity.MAX_FOREIGN_CREATOR
    name = import_identity.acct_username(iri, "testserver")
    assert name is None or iri.startswith("acct:")

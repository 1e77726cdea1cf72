"""Orphans keep their meaning in export: the target says which revision their offsets count in
(a W3C TimeState whose `cached` IRI is that revision in the API), and import brings them back
as orphans of that revision instead of refusing them."""

import json

import pytest

from annotations import exchange, services
from annotations.models import Annotation
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
NAME = SEED_NAMES["001"]
GONE = "Moscow has said they would take place in Kazakhstan."
KEPT = "armed Syrian opposition groups"


def absolute(path: str) -> str:
    return BASE + path


def annotate(user, article, quote: str, **fields) -> Annotation:
    body = article.current_revision.body
    start = body.index(quote)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(quote), exact=quote, **fields
    ).annotation


@pytest.fixture
def orphaned(alice):
    """Seed 001 annotated twice, then re-imported without the paragraph of one passage."""
    article = article_import(name=NAME, data=seed_path("001").read_bytes()).article
    gone = annotate(alice, article, GONE, motivation="commenting", note="Where?", colour="blue")
    kept = annotate(alice, article, KEPT)
    text = seed_path("001").read_bytes().decode("utf-8")
    assert text.count(GONE) == 1
    article_import(name=NAME, data=text.replace(GONE, "").encode("utf-8"))
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.anchor_status == "orphaned"
    assert gone.anchor_revision.number == 1
    assert kept.anchor_revision.number == 2
    return {"gone": gone, "kept": kept, "article": kept.article}


def export() -> dict:
    return exchange.annotation_collection(
        annotations=Annotation.objects.all(), absolute=absolute, label="All"
    )


def item_of(collection: dict, annotation: Annotation) -> dict:
    iri = absolute(f"/api/annotations/{annotation.pk}/")
    return next(i for i in collection["first"]["items"] if i["id"] == iri)


def test_an_orphan_names_the_revision_its_offsets_count_in(orphaned):
    """The orphan's target has a TimeState: the date and API IRI of its revision."""
    item = item_of(export(), orphaned["gone"])
    slug = orphaned["article"].slug
    revision = orphaned["gone"].anchor_revision
    assert item["target"]["state"] == {
        "type": "TimeState",
        "sourceDate": revision.created.isoformat(),
        "cached": absolute(f"/api/articles/{slug}/revisions/1/"),
    }
    assert item["anchorStatus"] == "orphaned"
    assert exchange.validation_errors(item) == []


def test_an_anchored_annotation_has_no_state(orphaned):
    """Offsets counting in the current text need no state."""
    assert "state" not in item_of(export(), orphaned["kept"])["target"]


def test_the_state_iri_serves_that_revision(orphaned, client):
    """The cached IRI answers with the text the offsets count in."""
    gone = orphaned["gone"]
    cached = item_of(export(), gone)["target"]["state"]["cached"]
    data = client.get(cached).json()
    assert (data["number"], data["current"]) == (1, False)
    assert data["body"][gone.start : gone.end] == GONE
    assert client.get(cached.replace("/1/", "/9/")).status_code == 404


def test_round_trip_brings_an_orphan_back_as_an_orphan(orphaned, alice):
    """Exported, deleted and imported again, the orphan is an orphan of revision 1 again."""
    text = json.dumps(export())
    before = orphaned["gone"]
    Annotation.objects.all().delete()

    report = exchange.import_collection(data=text, user=alice)

    assert report.ok, report.lines()
    back = Annotation.objects.get(exact=GONE)
    assert back.anchor_status == "orphaned"
    assert back.anchor_revision.number == back.revision.number == 1
    assert (back.start, back.end, back.note, back.colour) == (
        before.start,
        before.end,
        "Where?",
        "blue",
    )
    assert Annotation.objects.get(exact=KEPT).anchor_status == "anchored"
    how = {i.ref: i.how for i in report.imported}
    assert "orphaned" in how[absolute(f"/api/annotations/{before.pk}/")]


def test_an_orphan_of_a_revision_not_here_is_still_refused(orphaned, alice):
    """Without the revision it names (nor the quote in the current text), it is refused."""
    item = item_of(export(), orphaned["gone"])
    item["target"]["state"]["cached"] = absolute(
        f"/api/articles/{orphaned['article'].slug}/revisions/7/"
    )
    item["revision"] = 7
    Annotation.objects.all().delete()
    report = exchange.import_collection(data=item, user=alice)
    assert not report.imported
    assert [r.ref for r in report.unanchored] == [item["id"]]


def test_a_state_whose_revision_lacks_the_quote_is_refused(orphaned, alice):
    """A state naming a revision that does not hold the quote does not make an orphan."""
    item = item_of(export(), orphaned["gone"])
    selectors = item["target"]["selector"]
    selectors[0]["exact"] = "words that were never in any revision"
    selectors[1]["end"] = selectors[1]["start"] + len(selectors[0]["exact"])
    Annotation.objects.all().delete()
    report = exchange.import_collection(data=item, user=alice)
    assert not report.imported
    assert len(report.unanchored) == 1

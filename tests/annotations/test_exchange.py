"""Export and import of annotations: W3C JSON-LD (checked with the W3C test suite), CSV,
schema.org ClaimReview, the two management commands and the download view."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from taggit.models import Tag

from annotations import exchange, services
from annotations.models import Annotation, Claim, Visibility
from tests.factories import make_articles

pytestmark = pytest.mark.django_db

SUITE = Path(__file__).resolve().parent / "w3c_suite"
SAMPLES = SUITE / "tools" / "samples"
RUNTIME = Path(exchange.__file__).resolve().parent.parent / "w3c_schemas"
BASE = "http://testserver"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def absolute(path: str) -> str:
    return BASE + path


def suite_musts(test: str = "annotations/annotationMusts.test"):
    """The assertions of a .test list, loaded from the vendored suite (not the runtime copy)."""
    return exchange.load_assertions(SUITE, test)


def failed(document, test: str = "annotations/annotationMusts.test") -> list[str]:
    return [a.name for a in suite_musts(test) if not a.holds(document)]


def load_sample(path: Path):
    """A sample as JSON, or None when it is not JSON (several incorrect ones are not)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


INCORRECT = sorted(SAMPLES.joinpath("incorrect").glob("*.json"))
CORRECT = sorted(SAMPLES.joinpath("correct").glob("*.json"))
CORRECT_SINGLE = [p for p in CORRECT if (load_sample(p) or {}).get("type") == "Annotation"]
CORRECT_CONTAINERS = [p for p in CORRECT if p not in CORRECT_SINGLE]


# --- Fixtures ------------------------------------------------------------------------------


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password="pw-123456", **extra)


@pytest.fixture
def owner(db):
    return make_user("owner")


@pytest.fixture
def other(db):
    return make_user("other")


@pytest.fixture
def importer(db):
    return make_user("importer")


def unique_span(article, near: int, words: int = 7) -> tuple[int, int]:
    """A span of whole words near an offset whose text occurs once in the body."""
    body = article.current_revision.body
    start = body.index(" ", near) + 1
    while True:
        pieces = body[start:].split(" ")[:words]
        end = start + len(" ".join(pieces))
        exact = body[start:end]
        if exact.strip() == exact and "\n" not in exact and body.count(exact) == 1:
            return start, end
        start = body.index(" ", start) + 1


def passage(user, article, near: int, **fields) -> Annotation:
    start, end = unique_span(article, near)
    return services.annotation_create(
        user=user,
        article=article,
        start=start,
        end=end,
        exact=article.current_revision.body[start:end],
        **fields,
    ).annotation


@pytest.fixture
def world(seeds, owner, other):
    """Annotations of every kind on the seeds, made through the services."""
    supported = services.claim_create(
        user=owner,
        text="Ten factions suspended the talks",
        claimant="Sputnik",
        kind="factual",
        rating="supported",
        reviewer_notes="Confirmed by two agencies.",
        tags=["factions", "boycott"],
    )
    unverifiable = services.claim_create(
        user=other, text="Qatar backs the militants", claimant="Danny Makki", rating="unverifiable"
    )
    unrated = services.claim_create(user=owner, text="The talks start on Monday")
    w = {"claims": {"supported": supported, "unverifiable": unverifiable, "unrated": unrated}}
    w["highlight"] = passage(
        owner, seeds["000"], 100, colour="green", tags=["ceasefire", "Astana talks"]
    )
    w["comment_private"] = passage(
        owner,
        seeds["000"],
        600,
        motivation="commenting",
        note="**Check** this against the *Reuters* copy.",
        colour="blue",
        visibility="private",
        tags=["to check"],
    )
    w["assess"] = passage(
        owner,
        seeds["001"],
        300,
        motivation="assessing",
        note="The number matches.",
        claim=supported,
        colour="purple",
    )
    w["assess_again"] = passage(
        other, seeds["002"], 200, motivation="assessing", claim=supported, colour="red"
    )
    w["assess_private"] = passage(
        other,
        seeds["003"],
        250,
        motivation="assessing",
        claim=unverifiable,
        visibility="private",
    )
    w["assess_unrated"] = passage(owner, seeds["004"], 150, motivation="assessing", claim=unrated)
    w["question"] = passage(
        other, seeds["003"], 500, motivation="questioning", note="Who said this first?"
    )
    w["tagging"] = passage(other, seeds["004"], 400, motivation="tagging", tags=["wire copy"])
    w["reply"] = services.annotation_reply(user=other, parent=w["highlight"], note="Agreed.")
    w["reply_to_reply"] = services.annotation_reply(
        user=owner, parent=w["reply"], note="Thanks, see also the AFP story."
    )
    w["reply_private"] = services.annotation_reply(
        user=owner, parent=w["question"], note="Sputnik, I think.", visibility="private"
    )
    return w


def snapshot() -> list[tuple]:
    """Everything the round trip must keep, independent of primary keys."""

    def claim_of(a: Annotation):
        if a.claim is None:
            return None
        c = a.claim
        return (
            c.text,
            c.claimant,
            c.kind,
            c.rating,
            c.reviewer_notes,
            tuple(sorted(t.name for t in c.tags.all())),
            c.reviewed_by.username if c.reviewed_by else None,
        )

    def key(a: Annotation | None):
        if a is None:
            return None
        return (a.article.slug, a.start, a.end, a.note, a.creator.username, key(a.parent))

    rows = []
    for a in Annotation.objects.select_related("article", "creator", "claim", "parent"):
        rows.append(
            (
                key(a),
                a.exact,
                a.prefix,
                a.suffix,
                a.motivation,
                a.colour,
                a.visibility,
                tuple(sorted(t.name for t in a.tags.all())),
                claim_of(a),
                a.created.isoformat(),
            )
        )
    return sorted(rows, key=repr)


def everything() -> dict:
    return exchange.annotation_collection(
        annotations=Annotation.objects.all(), absolute=absolute, label="All"
    )


# --- The W3C suite, vendored ---------------------------------------------------------------


def test_runtime_schemas_are_the_suites():
    runtime = sorted(
        p.relative_to(RUNTIME) for p in RUNTIME.rglob("*") if p.is_file() and p.name != "SOURCE.md"
    )
    assert len(runtime) == 7 + 1 + 1 + 54  # definitions, licence, the .test list, the MUSTs
    for relative in runtime:
        assert (RUNTIME / relative).read_bytes() == (SUITE / relative).read_bytes(), relative
    runtime_names = [a.name for a in exchange.load_assertions()]
    assert runtime_names == [a.name for a in suite_musts()]


def test_uri_format_is_checked():
    sample = load_sample(SAMPLES / "incorrect" / "anno6.json")
    assert sample["id"] == "not a uri"
    assert failed(sample) == ["3.1-annotationIdValidated"]
    assert failed({**sample, "id": "http://example.org/anno6"}) == []
    assert failed({**sample, "id": "http://example.org/ünïcode"}) == []  # an IRI is fine


@pytest.mark.parametrize("path", INCORRECT, ids=lambda p: p.name)
def test_importer_refuses_every_incorrect_sample(path, importer):
    report = exchange.import_collection(data=path.read_bytes(), user=importer)
    assert not report.imported
    assert not report.unanchored
    assert len(report.invalid) == 1, report.lines()
    sample = load_sample(path)
    if sample is None:
        assert report.invalid[0].reason.startswith("Not JSON")
    else:
        assert failed(sample), "the suite's own schemas refuse it too"
    assert Annotation.objects.count() == 0


def test_incorrect_samples_count():
    not_json = [p.name for p in INCORRECT if load_sample(p) is None]
    assert len(INCORRECT) == 39
    assert len(not_json) == 17


@pytest.mark.parametrize("path", CORRECT_SINGLE, ids=lambda p: p.name)
def test_correct_samples_are_valid_but_not_anchorable(path, importer):
    sample = load_sample(path)
    report = exchange.import_collection(data=sample, user=importer)
    assert not report.imported
    if failed(sample):
        # anno11-13: Composite/List/Independents targets, which the final model dropped
        # and the suite's own MUST assertion 3.2-targetObjectsRecognized refuses.
        assert path.name in {"anno11.json", "anno12.json", "anno13.json"}
        assert [r.ref for r in report.invalid] == [sample["id"]]
        assert "3.2-targetObjectsRecognized" in report.invalid[0].reason
    else:
        assert not report.invalid, report.invalid
        assert [r.ref for r in report.unanchored] == [sample["id"]]


def test_correct_sample_numbers():
    passing = [p.name for p in CORRECT_SINGLE if not failed(load_sample(p))]
    assert (len(CORRECT_SINGLE), len(passing)) == (41, 38)


@pytest.mark.parametrize("path", CORRECT_CONTAINERS, ids=lambda p: p.name)
def test_correct_collections_and_pages(path, importer):
    sample = load_sample(path)
    report = exchange.import_collection(data=sample, user=importer)
    assert not report.imported
    if sample["type"] == "AnnotationCollection" and isinstance(sample["first"], str):
        # example41: the pages are links; nothing is fetched, and that is reported.
        assert [r.ref for r in report.invalid] == [sample["first"]]
        assert not report.unanchored
        return
    page = sample["first"] if sample["type"] == "AnnotationCollection" else sample
    ids = [item["id"] for item in page["items"]]
    invalid = {r.ref for r in report.invalid}
    assert invalid <= {
        "http://example.org/anno11",
        "http://example.org/anno12",
        "http://example.org/anno13",
    }
    assert sorted(invalid | {r.ref for r in report.unanchored}) == sorted(ids)


# --- Export --------------------------------------------------------------------------------


def test_every_exported_annotation_meets_every_must(world, owner):
    collection = everything()
    items = collection["first"]["items"]
    assert len(items) == Annotation.objects.count() == 11
    motivations = {item["motivation"] for item in items}
    assert motivations == {
        "highlighting",
        "commenting",
        "assessing",
        "questioning",
        "tagging",
        "replying",
    }
    for item in items:
        assert item["@context"] == [ANNO_CONTEXT, absolute("/api/ns/astana.jsonld")]
        assert failed(item) == [], item
        assert exchange.validation_errors(item) == []
    # What the owner may export (their private annotations too) meets them as well.
    mine = exchange.export_document(fmt="jsonld", user=owner, absolute=absolute)
    for item in json.loads(mine.content)["first"]["items"]:
        assert failed(item) == []


def test_collection_and_page_meet_the_suites_musts(world):
    collection = everything()
    assert failed(collection, "collections/collectionMusts.test") == []
    page = {"@context": collection["@context"], **collection["first"]}
    assert failed(page, "collections/pages/pageMusts.test") == []
    assert collection["total"] == 11
    assert collection["type"] == "AnnotationCollection"


def test_export_references_claims_and_threads(world):
    collection = everything()
    items = {item["id"]: item for item in collection["first"]["items"]}
    claims = {c["id"]: c for c in collection[exchange.CLAIMS_KEY]}
    assert len(claims) == 3
    assess = items[absolute(f"/api/annotations/{world['assess'].pk}/")]
    claim = claims[assess["claim"]]
    assert claim["text"] == "Ten factions suspended the talks"
    assert claim["tags"] == ["boycott", "factions"]
    links = [b for b in assess["body"] if b.get("type") == "SpecificResource"]
    assert links == [
        {"type": "SpecificResource", "source": assess["claim"], "purpose": "assessing"}
    ]
    reply = items[absolute(f"/api/annotations/{world['reply_to_reply'].pk}/")]
    assert reply["target"] == absolute(f"/api/annotations/{world['reply_to_reply'].parent_id}/")
    # Each reply comes after its parent.
    order = list(items)
    for item in items.values():
        if isinstance(item["target"], str):
            assert order.index(item["target"]) < order.index(item["id"])


def test_empty_collection(db):
    collection = exchange.annotation_collection(
        annotations=Annotation.objects.none(), absolute=absolute, label="Nothing"
    )
    assert collection["total"] == 0
    assert "first" not in collection
    assert failed(collection, "collections/collectionMusts.test") == []
    report = exchange.import_collection(data=collection, user=None, keep_creators=True)
    assert report.ok
    assert not report.imported


# --- Round trip ----------------------------------------------------------------------------


def test_round_trip_keeps_everything(world, importer):
    before = snapshot()
    text = json.dumps(everything())
    Annotation.objects.filter(parent__isnull=False).delete()
    Annotation.objects.all().delete()
    Claim.objects.all().delete()
    Tag.objects.all().delete()

    report = exchange.import_collection(data=text, user=importer, keep_creators=True)

    assert report.ok, report.lines()
    assert len(report.imported) == 11
    assert report.claims_created == 3
    assert Claim.objects.count() == 3
    assert snapshot() == before
    assert not Annotation.objects.filter(creator=importer).exists()
    private = Annotation.objects.filter(visibility=Visibility.PRIVATE)
    assert sorted(a.creator.username for a in private) == ["other", "owner", "owner"]


def test_import_again_reuses_claims_and_threads_stay_in_the_file(world, importer):
    text = json.dumps(everything())
    report = exchange.import_collection(data=text, user=importer)
    assert report.ok, report.lines()
    assert report.claims_created == 0
    assert report.claims_reused == 3
    assert Claim.objects.count() == 3
    assert Annotation.objects.filter(creator=importer).count() == 11
    new_reply = Annotation.objects.get(creator=importer, note="Agreed.")
    assert new_reply.parent.creator == importer
    assert new_reply.parent.exact == world["highlight"].exact
    assert new_reply.parent.parent is None


def test_import_order_does_not_matter(world, importer):
    items = everything()["first"]["items"]
    claims = everything()[exchange.CLAIMS_KEY]
    page = {
        "@context": ANNO_CONTEXT,
        "id": "http://elsewhere.example/page",
        "type": "AnnotationPage",
        "items": list(reversed(items)),
        exchange.CLAIMS_KEY: claims,
    }
    report = exchange.import_collection(data=page, user=importer)
    assert report.ok, report.lines()
    assert len(report.imported) == 11


# --- Import: other tools and refusals -----------------------------------------------------


def hypothesis_annotation(body: str, start: int, end: int, **extra) -> dict:
    """An annotation as Hypothesis serves it in JSON-LD (h's AnnotationJSONLDPresenter)."""
    return {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "id": "https://hypothes.is/a/Xq9mZ0b1EeeQkS8A",
        "created": "2017-01-17T09:12:44.103815+00:00",
        "modified": "2017-01-17T09:15:02.000000+00:00",
        "creator": "acct:reader@hypothes.is",
        "body": [
            {
                "type": "TextualBody",
                "value": "Compare with the TASS wording.",
                "format": "text/markdown",
            },
            {"type": "TextualBody", "value": "astana", "purpose": "tagging"},
        ],
        "target": [
            {
                "source": "https://www.example-news.com/world/2017/01/17/syria-astana-talks.html",
                "selector": [
                    {
                        "type": "XPathSelector",
                        "value": "/main[1]/article[1]/div[2]/p[4]",
                        "refinedBy": {
                            "type": "TextPositionSelector",
                            "start": 12,
                            "end": 12 + end - start,
                        },
                    },
                    {"type": "TextPositionSelector", "start": start + 2841, "end": end + 2841},
                    {
                        "type": "TextQuoteSelector",
                        "exact": body[start:end],
                        "prefix": body[max(0, start - 32) : start],
                        "suffix": body[end : end + 32],
                    },
                ],
            }
        ],
        **extra,
    }


def test_hypothesis_annotation_lands_on_the_right_article(seeds, importer):
    article = seeds["002"]
    body = article.current_revision.body
    start, end = unique_span(article, 400, words=9)
    others = [a.current_revision.body for key, a in seeds.items() if key != "002"]
    assert not any(body[start:end] in text for text in others)
    data = hypothesis_annotation(body, start, end)
    assert failed(data) == []

    report = exchange.import_collection(data=data, user=importer)

    assert report.ok, report.lines()
    record = Annotation.objects.get(pk=report.imported[0].pk)
    assert record.article == article
    assert (record.start, record.end, record.exact) == (start, end, body[start:end])
    assert record.motivation == "commenting"  # no motivation, but a note
    assert record.note == "Compare with the TASS wording."
    assert [t.name for t in record.tags.all()] == ["astana"]
    assert record.creator == importer
    assert record.created.isoformat() == "2017-01-17T09:12:44.103815+00:00"
    assert "found by its quote" in report.imported[0].how


def test_hypothesis_quote_with_other_typography_is_found(seeds, importer):
    article = seeds["000"]
    body = article.current_revision.body
    start = body.index("“until it is fully implemented.”")
    end = start + len("“until it is fully implemented.”")
    data = hypothesis_annotation(body, start, end)
    selector = data["target"][0]["selector"][2]
    selector["exact"] = selector["exact"].replace("“", '"').replace("”", '"')
    report = exchange.import_collection(data=data, user=importer)
    assert report.ok, report.lines()
    record = Annotation.objects.get()
    assert record.article == article
    assert record.exact == body[start:end]


def test_ambiguous_or_absent_quote_is_not_anchorable(db, importer):
    make_articles(3)
    body = (
        Annotation._meta.apps.get_model("articles", "Article")
        .objects.get(source_name="generated-0001.txt")
        .current_revision.body
    )
    shared = "Observers said the ceasefire was holding in most areas"
    start = body.index(shared)
    ambiguous = hypothesis_annotation(body, start, start + len(shared), id="https://h.example/a/1")
    for selector in ambiguous["target"][0]["selector"]:
        if selector["type"] == "TextQuoteSelector":
            selector["prefix"] = selector["suffix"] = ""
    unique = "Delegations met for round 1 of the talks"
    start = body.index(unique)
    found = hypothesis_annotation(body, start, start + len(unique), id="https://h.example/a/2")
    absent = hypothesis_annotation("x" * 10 + "Nobody wrote this sentence.", 10, 37)
    absent["id"] = "https://h.example/a/3"

    report = exchange.import_collection(data=[ambiguous, found, absent], user=importer)

    assert [i.ref for i in report.imported] == ["https://h.example/a/2"]
    reasons = {r.ref: r.reason for r in report.unanchored}
    assert "3 articles" in reasons["https://h.example/a/1"]
    assert "no published article" in reasons["https://h.example/a/3"]
    assert not report.invalid
    assert Annotation.objects.get().article.source_name == "generated-0001.txt"


def test_refusals_leave_nothing_behind(world, importer):
    collection = everything()
    items = collection["first"]["items"]
    assess = next(i for i in items if i["motivation"] == "assessing")
    stray = json.loads(json.dumps(assess))
    stray["id"] = "http://elsewhere.example/a/1"
    stray["target"]["source"] = "http://elsewhere.example/articles/no-such-article/"
    stray["target"]["selector"][0]["exact"] = "Words that no article here contains at all."
    stray["claim"] = "http://elsewhere.example/api/claims/999/"
    stray["body"] = [{"type": "TextualBody", "value": "No claim here.", "purpose": "commenting"}]
    orphan_reply = {
        "@context": ANNO_CONTEXT,
        "id": "http://elsewhere.example/a/2",
        "type": "Annotation",
        "motivation": "replying",
        "body": {"type": "TextualBody", "value": "Indeed.", "purpose": "replying"},
        "target": "http://elsewhere.example/a/1",
    }
    claims_before = Claim.objects.count()
    report = exchange.import_collection(
        data={
            "@context": ANNO_CONTEXT,
            "id": "http://elsewhere.example/c",
            "type": "AnnotationCollection",
            "total": 2,
            "first": {
                "id": "http://elsewhere.example/c/1",
                "type": "AnnotationPage",
                "items": [orphan_reply, stray],
            },
            exchange.CLAIMS_KEY: collection[exchange.CLAIMS_KEY],
        },
        user=importer,
    )
    assert not report.imported
    reasons = {r.ref: r.reason for r in report.refused}
    assert "needs its claim" in reasons["http://elsewhere.example/a/1"]
    assert "was not imported" in reasons["http://elsewhere.example/a/2"]
    assert Claim.objects.count() == claims_before
    assert not Annotation.objects.filter(creator=importer).exists()


def test_claim_created_for_a_refused_annotation_is_rolled_back(world, importer):
    collection = everything()
    assess = next(i for i in collection["first"]["items"] if i["motivation"] == "assessing")
    assess["target"]["selector"][0]["exact"] = "A quote that is nowhere in this article."
    Claim.objects.filter(annotations__isnull=True).delete()
    Annotation.objects.filter(motivation="assessing").delete()
    Claim.objects.all().delete()
    report = exchange.import_collection(
        data={**collection, "first": {**collection["first"], "items": [assess]}}, user=importer
    )
    assert [r.ref for r in report.unanchored] == [assess["id"]]
    assert "not in the current text" in report.unanchored[0].reason
    assert Claim.objects.count() == 0
    assert report.claims_created == 0


def test_atomic_import_is_all_or_nothing(world, importer):
    items = everything()["first"]["items"]
    good = next(i for i in items if i["motivation"] == "questioning")
    bad = {**good, "id": "http://elsewhere.example/bad", "created": "last Tuesday"}
    before = Annotation.objects.count()
    report = exchange.import_collection(data=[good, bad], user=importer, atomic=True)
    assert report.rolled_back
    assert len(report.imported) == 1
    assert [r.ref for r in report.invalid] == ["http://elsewhere.example/bad"]
    assert "3.3.1-annotationCreatedValidated" in report.invalid[0].reason
    assert Annotation.objects.count() == before
    report = exchange.import_collection(data=[good, bad], user=importer)
    assert not report.rolled_back
    assert Annotation.objects.count() == before + 1


def test_reply_to_a_local_annotation_with_base_url(world, importer):
    parent = world["question"]
    reply = {
        "@context": ANNO_CONTEXT,
        "id": "http://elsewhere.example/a/9",
        "type": "Annotation",
        "motivation": "replying",
        "body": {"type": "TextualBody", "value": "Me too.", "purpose": "replying"},
        "target": absolute(f"/api/annotations/{parent.pk}/"),
    }
    report = exchange.import_collection(data=reply, user=importer)
    assert [r.ref for r in report.unanchored] == ["http://elsewhere.example/a/9"]
    report = exchange.import_collection(data=reply, user=importer, absolute_base=BASE)
    assert report.ok, report.lines()
    assert Annotation.objects.get(pk=report.imported[0].pk).parent == parent
    # A private annotation of someone else is not there for the importing user.
    hidden = {**reply, "target": absolute(f"/api/annotations/{world['comment_private'].pk}/")}
    report = exchange.import_collection(data=hidden, user=importer, absolute_base=BASE)
    assert "not here" in report.unanchored[0].reason


def test_unknown_creators_without_user_are_refused(world):
    items = everything()["first"]["items"]
    item = next(i for i in items if i["motivation"] == "questioning")
    item["creator"] = {"type": "Person", "nickname": "nobody-here"}
    report = exchange.import_collection(data=item, user=None, keep_creators=True)
    assert "no importing user" in report.invalid[0].reason


# --- CSV and ClaimReview ------------------------------------------------------------------


def test_csv_columns_and_rows(world):
    text = exchange.annotations_csv(annotations=Annotation.objects.all())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == exchange.CSV_COLUMNS
    for column in (
        "article",
        "outlet",
        "quote",
        "note",
        "tags",
        "motivation",
        "claim",
        "rating",
        "creator",
        "created",
        "modified",
        "id",
        "start",
        "end",
        "visibility",
    ):
        assert column in exchange.CSV_COLUMNS
    assert len(rows) == 11
    highlight = next(r for r in rows if r["id"] == str(world["highlight"].pk))
    assert highlight["tags"] == "Astana talks, ceasefire"
    assert highlight["quote"] == world["highlight"].exact
    assert highlight["article"] == world["highlight"].article.slug
    assert (highlight["start"], highlight["end"]) == (
        str(world["highlight"].start),
        str(world["highlight"].end),
    )
    assess = next(r for r in rows if r["id"] == str(world["assess"].pk))
    assert (assess["claim"], assess["rating"]) == ("Ten factions suspended the talks", "supported")
    reply = next(r for r in rows if r["id"] == str(world["reply"].pk))
    assert reply["reply_to"] == str(world["highlight"].pk)
    assert reply["quote"] == reply["start"] == ""


def test_csv_guards_against_formulas(seeds, owner):
    formulas = ('=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)")
    for n, note in enumerate(formulas):
        passage(owner, seeds["000"], 100 + 80 * n, motivation="commenting", note=note)
    rows = list(
        csv.DictReader(io.StringIO(exchange.annotations_csv(annotations=Annotation.objects.all())))
    )
    notes = sorted(r["note"] for r in rows)
    assert notes == sorted("'" + note for note in formulas)
    assert exchange.csv_cell("\tx") == "'\tx"
    assert exchange.csv_cell("plain = fine") == "plain = fine"
    assert exchange.csv_cell(-3) == -3  # numbers are numbers, not formulas


def test_claim_reviews(world):
    reviews = exchange.claim_reviews(claims=Claim.objects.all(), absolute=absolute)
    by_text = {r["claimReviewed"]: r for r in reviews}
    assert set(by_text) == {"Ten factions suspended the talks", "Qatar backs the militants"}
    review = by_text["Ten factions suspended the talks"]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == absolute(f"/api/claims/{world['claims']['supported'].pk}/")
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Supported",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Sputnik"}
    urls = [a["url"] for a in review["itemReviewed"]["appearance"]]
    expected = {world["assess"].article.slug, world["assess_again"].article.slug}
    assert sorted(urls) == sorted(absolute(f"/articles/{slug}/") for slug in expected)
    assert review["author"] == {"@type": "Person", "name": "owner"}
    assert review["reviewBody"] == "Confirmed by two agencies."
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", review["datePublished"])
    # Unverifiable: a label, no place on the scale; its only passage is private, so no
    # appearance is revealed in a public export.
    unverifiable = by_text["Qatar backs the militants"]
    assert unverifiable["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}
    assert unverifiable["itemReviewed"]["appearance"] == []
    mapping = exchange.RATING_SCALE
    assert (mapping["supported"], mapping["disputed"], mapping["misleading"], mapping["false"]) == (
        5,
        3,
        2,
        1,
    )


# --- Commands --------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_command_respects_visibility(world, tmp_path):
    public = json.loads(run("export_annotations"))
    notes = {i.get("visibility") for i in public["first"]["items"]}
    assert notes == {"public"}
    assert public["total"] == 8
    mine = tmp_path / "mine.jsonld"
    run("export_annotations", "--user", "owner", "--output", str(mine))
    data = json.loads(mine.read_text(encoding="utf-8"))
    private = [i for i in data["first"]["items"] if i["visibility"] == "private"]
    assert [i["creator"]["nickname"] for i in private] == ["owner", "owner"]
    assert data["total"] == 10
    assert data["id"] == "http://localhost:8000/api/export/?format=jsonld"


def test_export_command_formats_and_article(world):
    slug = world["highlight"].article.slug
    text = run("export_annotations", "--format", "csv", "--article", slug)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["article"] for r in rows} == {slug}
    assert len(rows) == 3  # the highlight and its two replies; the private comment is not
    # Public export: "Qatar backs the militants" is assessed only in a private annotation.
    reviews = json.loads(run("export_annotations", "--format", "claimreview"))
    assert [r["claimReviewed"] for r in reviews] == ["Ten factions suspended the talks"]
    reviews = json.loads(run("export_annotations", "--format", "claimreview", "--user", "other"))
    assert sorted(r["claimReviewed"] for r in reviews) == [
        "Qatar backs the militants",
        "Ten factions suspended the talks",
    ]


def test_export_command_errors(world):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        run("export_annotations", "--user", "ghost")
    with pytest.raises(CommandError, match="No article with the slug 'no-such-article'"):
        run("export_annotations", "--article", "no-such-article")


def test_import_command_reports_and_exit_status(world, importer, tmp_path):
    good = tmp_path / "good.jsonld"
    good.write_text(run("export_annotations"), encoding="utf-8")
    out = run("import_annotations", str(good), "--user", "importer")
    assert out.startswith("Imported: 8 (kept)")
    assert "Invalid: 0" in out
    assert "Not anchorable: 0" in out

    bad = tmp_path / "bad.json"
    bad.write_bytes((SAMPLES / "incorrect" / "anno6.json").read_bytes())
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 annotation"):
        call_command("import_annotations", str(bad), "--user", "importer", stdout=out)
    assert "Invalid: 1" in out.getvalue()
    assert "3.1-annotationIdValidated" in out.getvalue()

    with pytest.raises(CommandError, match="No user named 'ghost'"):
        run("import_annotations", str(good), "--user", "ghost")
    with pytest.raises(CommandError, match="--user"):
        run("import_annotations", str(good))
    with pytest.raises(CommandError, match="No such file"):
        run("import_annotations", str(tmp_path / "missing.json"), "--user", "importer")


# --- Download view ----------------------------------------------------------------------------


def test_download_view(world, client, owner):
    response = client.get("/api/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert re.fullmatch(
        r'attachment; filename="astana-annotations-\d{8}\.jsonld"', response["Content-Disposition"]
    )
    data = json.loads(response.content)
    assert data["total"] == 8
    assert data["id"] == "http://testserver/api/export/"

    slug = world["highlight"].article.slug
    response = client.get(f"/api/export/?format=csv&article={slug}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="astana-annotations-{slug}-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.csv"')

    response = client.get("/api/export/?format=claimreview")
    assert response["Content-Type"].startswith("application/ld+json")
    assert "astana-claimreviews-" in response["Content-Disposition"]
    assert {r["@type"] for r in json.loads(response.content)} == {"ClaimReview"}

    client.force_login(owner)
    data = json.loads(client.get("/api/export/?format=jsonld").content)
    assert data["total"] == 10


def test_download_view_errors(world, client):
    response = client.get("/api/export/?format=xlsx")
    assert response.status_code == 400
    assert "format" in response.json()
    assert client.get("/api/export/?article=no-such-article").status_code == 404

"""Applying a claim to linked passages: a preview first; passages that agree carry the claim,
passages that differ dispute it (never carry it); the claim page and the API show both sides."""

import json
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from annotations import claims, exchange, services
from annotations.models import Annotation, ClaimStance, Motivation
from articles.models import Article, Discrepancy, PassageLink

CLAIM = "The ceasefire came into effect on 29 December 2016"
MARKED = "came into effect on 29 December 2016"  # in 001 (outlet unknown)
TRUCE = "The truce, which is the third announced this year,"  # 001's sentence starts so
PRESS_TV = "The deal came into force at midnight (2200 GMT) on December 30, 2016,"  # 004
GUARANTOR = "This will be a test for the Russians as the guarantor"  # verbatim in 001 and 004
SUITE = Path(__file__).resolve().parent / "w3c_suite"


def _sentence(body: str, opening: str) -> tuple[int, int]:
    start = body.index(opening)
    return start, body.index(".", body.index("2016", start) + 4) + 1


def _link(a: Article, a_span, b: Article, b_span, **fields) -> PassageLink:
    """A stored link as the comparison engine writes it (a_article < b_article)."""
    if a.pk > b.pk:
        a, a_span, b, b_span = b, b_span, a, a_span
    return PassageLink.objects.create(
        kind=fields.pop("kind", "paraphrase"),
        a_article=a,
        a_revision=a.current_revision,
        a_start=a_span[0],
        a_end=a_span[1],
        b_article=b,
        b_revision=b.current_revision,
        b_start=b_span[0],
        b_end=b_span[1],
        score=0.8,
        **fields,
    )


@pytest.fixture
def dated(seeds, alice):
    """Alice's claim on 001's "29 December 2016", linked to Press TV's "December 30, 2016" by
    a link that differs by date (with the stored difference), as the engine stores it."""
    one, press_tv = seeds["001"], seeds["004"]
    ours = _sentence(one.current_revision.body, TRUCE)
    theirs = _sentence(press_tv.current_revision.body, PRESS_TV)
    # Only this link touches the marked sentence, whatever the engine found there today.
    for side in ("a", "b"):
        PassageLink.objects.filter(
            **{f"{side}_article": one, f"{side}_start__lt": ours[1], f"{side}_end__gt": ours[0]}
        ).delete()
    _link(one, ours, press_tv, theirs, stance="differ", differs_by=["date"])
    one_body, tv_body = one.current_revision.body, press_tv.current_revision.body
    here, there = one_body.index("29 December 2016"), tv_body.index("December 30, 2016")
    Discrepancy.objects.filter(a_article=one, b_article=press_tv).delete()
    Discrepancy.objects.create(
        kind="date",
        link_kind="paraphrase",
        a_article=one,
        a_revision=one.current_revision,
        a_start=here,
        a_end=here + 16,
        a_text="29 December 2016",
        b_article=press_tv,
        b_revision=press_tv.current_revision,
        b_start=there,
        b_end=there + 17,
        b_text="December 30, 2016",
    )
    claim = services.claim_create(user=alice, text=CLAIM)
    start = one_body.index(MARKED)
    return services.annotation_create(
        user=alice,
        article=one,
        start=start,
        end=start + len(MARKED),
        motivation=Motivation.ASSESSING,
        claim=claim,
        tags=["ceasefire"],
    ).annotation


def _url(annotation) -> str:
    return f"/annotations/{annotation.pk}/apply-claim/"


def _preview(client, annotation) -> claims.ClaimApplyPreview:
    response = client.get(_url(annotation))
    assert response.status_code == 200
    return response.context["preview"]


def _articles(offers) -> set[int]:
    return {offer.passage.article.pk for offer in offers}


# --- The preview ----------------------------------------------------------------------------


def test_the_29_december_claim_offers_press_tvs_30_december_as_disputing(client, seeds, dated):
    """Press TV's "December 30, 2016" is offered to dispute the claim, with both readings."""
    client.force_login(dated.creator)
    response = client.get(_url(dated))
    preview = response.context["preview"]
    assert seeds["004"].pk in _articles(preview.disputing)
    assert seeds["004"].pk not in _articles(preview.carrying)
    offer = next(o for o in preview.disputing if o.passage.article.pk == seeds["004"].pk)
    assert offer.passage.differs_by == ("date",)
    assert ("date", "29 December 2016", "December 30, 2016") in [
        (r.kind, r.here, r.there) for r in offer.readings
    ]
    html = response.content.decode()
    disputing = html[html.index('id="disputing"') :]
    assert f'name="dispute" value="{offer.key}"' in disputing
    assert "December 30, 2016" in disputing
    assert "29 December 2016" in disputing
    assert f'name="carry" value="{offer.key}"' not in html


def test_the_preview_writes_nothing_and_works_without_signing_in(client, dated, seeds):
    """The preview is a GET page; anonymous readers see it with a sign-in link, no button."""
    count = Annotation.objects.count()
    html = client.get(_url(dated)).content.decode()
    assert "Sign in</a> to mark these passages" in html
    assert "Mark the chosen passages" not in html
    assert Annotation.objects.count() == count


def test_agreeing_passages_are_offered_to_carry_the_claim_checked(client, seeds, alice):
    """A verbatim copy agrees: offered to carry, its checkbox checked."""
    body = seeds["001"].current_revision.body
    start = body.index(GUARANTOR)
    marked = services.annotation_create(
        user=alice,
        article=seeds["001"],
        start=start,
        end=start + len(GUARANTOR),
        motivation=Motivation.ASSESSING,
        claim=services.claim_create(user=alice, text="Russia guarantees the ceasefire"),
    ).annotation
    client.force_login(alice)
    response = client.get(_url(marked))
    preview = response.context["preview"]
    assert seeds["004"].pk in _articles(preview.carrying)
    assert not preview.disputing
    key = preview.carrying[0].key
    assert f'name="carry" value="{key}" id="carry-1" checked' in response.content.decode()


# --- Confirming -----------------------------------------------------------------------------


def _confirm(client, annotation, *, carry=(), dispute=(), **extra):
    data = {"confirm": "1", "carry": list(carry), "dispute": list(dispute), **extra}
    return client.post(_url(annotation), data)


def test_confirming_records_the_differing_passage_as_disputing(client, seeds, dated):
    """The chosen differing passage disputes the claim; the claim page shows it apart."""
    client.force_login(dated.creator)
    preview = _preview(client, dated)
    response = _confirm(
        client,
        dated,
        carry=[o.key for o in preview.carrying],
        dispute=[o.key for o in preview.disputing],
    )
    assert response.status_code == 302
    assert response.url == f"/claims/{dated.claim_id}/"
    disputing = Annotation.objects.get(article=seeds["004"], claim=dated.claim)
    assert disputing.claim_stance == ClaimStance.DISPUTES
    assert disputing.motivation == Motivation.ASSESSING
    assert disputing.colour == "red"
    assert [t.name for t in disputing.tags.all()] == ["ceasefire"]
    page = client.get(f"/claims/{dated.claim_id}/").content.decode()
    carrying, other_side = page.split('id="disputing"')
    assert "Press TV" in other_side
    assert "Press TV" not in carrying.split('id="carrying"')[1]
    assert "Outlet unknown" in carrying  # 001, where the claim was marked
    assert "December 30, 2016" in other_side


def test_a_differing_passage_is_never_marked_as_carrying(client, seeds, dated):
    """Asking to carry the claim on a passage that differs writes nothing at all."""
    client.force_login(dated.creator)
    preview = _preview(client, dated)
    count = Annotation.objects.count()
    response = _confirm(client, dated, carry=[o.key for o in preview.disputing])
    assert response.status_code == 302
    assert response.url.startswith(_url(dated))
    assert Annotation.objects.count() == count
    follow = client.get(response.url).content.decode()
    assert "changed since the preview" in follow


def test_confirming_is_idempotent_and_says_what_was_already_marked(client, seeds, dated):
    client.force_login(dated.creator)
    preview = _preview(client, dated)
    keys = {"dispute": [o.key for o in preview.disputing]}
    _confirm(client, dated, **keys)
    count = Annotation.objects.count()
    response = client.post(_url(dated), {"confirm": "1", **keys}, follow=True)
    assert Annotation.objects.count() == count
    already = [str(m) for m in response.context["messages"] if "Already marked" in str(m)]
    assert len(already) == 1
    assert "Press TV" in already[0]
    again = _preview(client, dated)
    assert seeds["004"].pk in _articles(again.already)
    assert not again.disputing
    assert again.already[0].passage.marked_as == ClaimStance.DISPUTES


def test_nothing_is_half_written(client, seeds, dated, monkeypatch):
    """When the second passage fails, the first is not kept either (one transaction)."""
    body = seeds["003"].current_revision.body
    _link(
        seeds["001"],
        _sentence(seeds["001"].current_revision.body, TRUCE),
        seeds["003"],
        (0, body.index(".") + 1),
    )
    client.force_login(dated.creator)
    preview = _preview(client, dated)
    assert preview.carrying
    assert preview.disputing
    real, calls = claims.annotation_create, []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise IntegrityError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(claims, "annotation_create", failing)
    count = Annotation.objects.count()
    with pytest.raises(IntegrityError):
        claims.claim_apply(user=dated.creator, annotation=dated)
    assert Annotation.objects.count() == count


def test_an_old_form_without_confirmation_is_sent_to_the_preview(client, dated):
    client.force_login(dated.creator)
    count = Annotation.objects.count()
    response = client.post(_url(dated), {"next": "/compare/"})
    assert response.status_code == 302
    assert response.url.startswith(_url(dated))
    assert "next=%2Fcompare%2F" in response.url
    assert Annotation.objects.count() == count


# --- Who sees what --------------------------------------------------------------------------


def test_passages_the_reader_may_not_see_are_not_offered(client, seeds, dated):
    Article.objects.filter(pk=seeds["004"].pk).update(status=Article.Status.DRAFT)
    client.force_login(dated.creator)
    preview = _preview(client, dated)
    assert seeds["004"].pk not in _articles(preview.offers + preview.already)


def test_anothers_private_dispute_is_neither_shown_nor_counted(client, seeds, dated, bob):
    """Bob's private disputing mark: alice is still offered the passage; no page, count or
    search shows his mark to her or to anonymous readers."""
    preview = claims.claim_apply_preview(user=bob, annotation=dated)
    result = claims.claim_apply(
        user=bob, annotation=dated, carry=[], dispute=[o.key for o in preview.disputing]
    )
    Annotation.objects.filter(pk=result.created[0].pk).update(visibility="private")
    for viewer in (dated.creator, None):
        client.logout()
        if viewer:
            client.force_login(viewer)
            assert seeds["004"].pk in _articles(_preview(client, dated).disputing)
        page = client.get(f"/claims/{dated.claim_id}/").content.decode()
        assert 'id="disputing"' not in page
        assert "Press TV" not in page
        listed = client.get("/claims/").context["page"].object_list
        assert [c.passage_count for c in listed if c.pk == dated.claim_id] == [1]
    client.force_login(bob)
    assert "Press TV" in client.get(f"/claims/{dated.claim_id}/").content.decode()


def test_a_claim_disputed_only_privately_stays_hidden(client, seeds, dated):
    """A claim whose passages are all private is found by no one else, disputes included."""
    preview = claims.claim_apply_preview(user=dated.creator, annotation=dated)
    claims.claim_apply(
        user=dated.creator, annotation=dated, carry=[], dispute=[preview.offers[0].key]
    )
    Annotation.objects.filter(claim=dated.claim).update(visibility="private")
    assert client.get(f"/claims/{dated.claim_id}/").status_code == 404
    assert client.get(_url(dated)).status_code == 404
    assert CLAIM not in client.get("/claims/").content.decode()
    assert CLAIM not in client.get("/search/?q=29+December").content.decode()


# --- The data model and its W3C form --------------------------------------------------------


def test_the_database_refuses_a_dispute_without_a_claim(seeds, alice):
    note = services.annotation_create(user=alice, article=seeds["001"], start=0, end=5).annotation
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=note.pk).update(claim_stance="disputes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=note.pk).update(claim_stance="neither")
    with pytest.raises(services.AnnotationInvalid):
        services.annotation_create(
            user=alice, article=seeds["001"], start=0, end=5, claim_stance="disputes"
        )


def test_a_dispute_in_w3c_is_an_assessment_that_says_so_and_round_trips(client, seeds, dated):
    """motivation "assessing", an assessing body saying "Disputes the claim", claimStance;
    valid per the W3C suite; created and replaced through the API it stays a dispute."""
    client.force_login(dated.creator)
    preview = _preview(client, dated)
    created = claims.claim_apply(
        user=dated.creator, annotation=dated, dispute=[preview.disputing[0].key], carry=[]
    ).created[0]
    data = client.get(f"/api/annotations/{created.pk}/").json()
    assert data["motivation"] == "assessing"
    assert data["claimStance"] == "disputes"
    assert any(
        b.get("purpose") == "assessing" and b.get("value", "").startswith("Disputes the claim")
        for b in data["body"]
    )
    musts = exchange.load_assertions(SUITE, "annotations/annotationMusts.test")
    assert [m.name for m in musts if not m.holds(data)] == []
    assert client.get(f"/api/annotations/{dated.pk}/").json()["claimStance"] == "supports"
    # created through the API with claimStance, then replaced without it: still a dispute
    doc = {k: v for k, v in data.items() if k not in ("id", "created", "modified")}
    doc["target"]["selector"] = doc["target"]["selector"][:1]
    created.delete()
    response = client.post("/api/annotations/", json.dumps(doc), content_type="application/json")
    assert response.status_code == 201, response.content
    new = Annotation.objects.get(pk=response.json()["id"].rstrip("/").rsplit("/", 1)[1])
    assert new.claim_stance == ClaimStance.DISPUTES
    doc.pop("claimStance")
    response = client.put(
        f"/api/annotations/{new.pk}/",
        json.dumps(doc),
        content_type="application/json",
        headers={"If-Match": new.etag},
    )
    assert response.status_code == 200, response.content
    new.refresh_from_db()
    assert new.claim_stance == ClaimStance.DISPUTES


def test_claimreview_appearances_leave_out_disputing_passages(client, seeds, dated):
    preview = claims.claim_apply_preview(user=dated.creator, annotation=dated)
    claims.claim_apply(user=dated.creator, annotation=dated)
    assert preview.disputing
    services.claim_update(user=dated.creator, claim=dated.claim, rating="disputed")
    reviews = json.loads(client.get("/api/export/?format=claimreview").content)
    review = next(r for r in reviews if r["claimReviewed"] == CLAIM)
    assert seeds["004"].slug not in json.dumps(review["itemReviewed"]["appearance"])
    assert seeds["001"].slug in json.dumps(review["itemReviewed"]["appearance"])


# --- The API --------------------------------------------------------------------------------


def test_the_api_previews_then_applies_and_says_which_was_which(client, seeds, dated):
    client.force_login(dated.creator)
    api = f"/api/annotations/{dated.pk}/apply-claim/"
    count = Annotation.objects.count()
    preview = client.get(api).json()
    dry = client.post(api, {"dry_run": True}, content_type="application/json")
    assert dry.status_code == 200
    assert dry.json() == preview
    assert Annotation.objects.count() == count
    assert [p["outlet"] for p in preview["disputing"]] == ["Press TV"]
    disputed = preview["disputing"][0]
    assert disputed["stance"] == "differ"
    assert disputed["differs_by"] == ["date"]
    assert {"kind": "date", "here": "29 December 2016", "there": "December 30, 2016"} in (
        disputed["readings"]
    )
    assert seeds["004"].slug not in json.dumps(preview["carrying"])
    # carrying a differing passage is refused and writes nothing
    bad = client.post(api, {"carry": [disputed["key"]]}, content_type="application/json")
    assert bad.status_code == 400
    assert "carry" in bad.json()
    assert Annotation.objects.count() == count
    applied = client.post(api, content_type="application/json")
    assert applied.status_code == 201, applied.content
    body = applied.json()
    assert [p["key"] for p in body["disputing"]] == [disputed["key"]]
    assert body["disputing"][0]["annotation"]["claimStance"] == "disputes"
    assert len(body["created"]) == len(body["carrying"]) + len(body["disputing"])
    again = client.post(api, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["created"] == []
    assert disputed["key"] in [p["key"] for p in again.json()["already"]]
    assert again.json()["already"][-1]["marked_as"] in ("supports", "disputes")


def test_the_api_refuses_bad_choices_and_anonymous_writes(client, dated):
    api = f"/api/annotations/{dated.pk}/apply-claim/"
    assert client.get(api).status_code == 200  # a public passage's preview
    assert client.post(api, content_type="application/json").status_code == 403
    client.force_login(dated.creator)
    for body in ({"carry": "all"}, {"dispute": [1]}, {"dry_run": "yes"}):
        response = client.post(api, json.dumps(body), content_type="application/json")
        assert response.status_code == 400, body


# --- Query counts ---------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_links(seeds):
    """Three more articles linked to the marked sentence: two agree, one differs."""
    ours = _sentence(seeds["001"].current_revision.body, TRUCE)
    for key, stance in (("000", "agree"), ("002", "differ"), ("003", "agree")):
        body = seeds[key].current_revision.body
        _link(
            seeds["001"],
            ours,
            seeds[key],
            (0, body.index(".") + 1),
            stance=stance,
            differs_by=["date"] if stance == "differ" else [],
        )


def test_the_preview_reads_in_a_fixed_number_of_queries(client, seeds, dated):
    client.force_login(dated.creator)
    few = _queries(client, _url(dated))
    _more_links(seeds)
    assert len(_preview(client, dated).offers) == 4
    assert _queries(client, _url(dated)) == few


def test_the_claim_page_reads_in_a_fixed_number_of_queries(client, seeds, dated):
    client.force_login(dated.creator)
    claim_url = f"/claims/{dated.claim_id}/"
    claims.claim_apply(user=dated.creator, annotation=dated)
    few = _queries(client, claim_url)
    _more_links(seeds)
    result = claims.claim_apply(user=dated.creator, annotation=dated)
    assert result.carrying
    assert result.disputing
    assert _queries(client, claim_url) == few


# --- The compare page -----------------------------------------------------------------------


def test_the_compare_page_says_which_linked_passage_differs_and_previews(client, seeds, dated):
    client.force_login(dated.creator)
    html = client.get(f"/compare/?articles={seeds['001'].slug},{seeds['004'].slug}")
    html = html.content.decode()
    claims_panel = html[html.index('id="claims"') :]
    assert 'data-stance="differ"' in claims_panel
    assert "differs: date" in claims_panel
    form = claims_panel[claims_panel.index("<form") : claims_panel.index("</form>")]
    assert 'method="get"' in form
    assert _url(dated) in form

"""The compare page, "Compare with…" on the article page, and applying a claim across outlets."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Annotation, Claim, Motivation
from articles.models import Article

pytestmark = pytest.mark.django_db

GUARANTOR = "This will be a test for the Russians as the guarantor"


def queries(client, url) -> tuple[int, object]:
    """The queries of a first visit (nothing of the page kept in the cache) and the answer."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def test_compare_page_shows_the_columns_and_the_panels(client, seeds, compare_url):
    """Five columns, the coverage grid, the ceasefire dates, framing and who quotes whom."""
    articles = [seeds[k] for k in ("000", "001", "002", "003", "004")]
    response = client.get(compare_url(*articles))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="cmp-col"') == 5
    assert "<svg" in html
    assert "coverage__cell t" in html
    facts = html[html.index('id="facts"') : html.index('id="framing"')]
    assert "29 December 2016" in facts
    assert "December 30, 2016" in facts
    assert "Assad regime" in html
    assert "Who is quoted" in html
    page = response.context["page"]
    shared = page.shared_groups
    assert shared
    # every shared group has a piece in each column that carries it, with the same tint
    for group in shared:
        for column in page.columns:
            carried = column.article.pk in group.article_ids
            pieces = [p for item in column.items for p in item.pieces if p.group is group]
            assert bool(pieces) == carried


def test_passages_in_one_article_only_are_marked(client, seeds, compare_url):
    """Paragraphs no other column carries get the "only here" mark; shared ones do not."""
    response = client.get(compare_url(seeds["001"], seeds["004"]))
    page = response.context["page"]
    items = [i for c in page.columns for i in c.items if i.block.body_start is not None]
    assert any(not i.shared for i in items)
    assert any(i.shared for i in items)
    html = response.content.decode()
    assert "only here" in html
    column = page.columns[0]
    assert 0 < column.shared_percent < 100


def test_the_shared_quote_has_the_same_group_in_both_columns(client, seeds, compare_url):
    """The guarantor quote of 001 and 004 is one passage group, marked in both columns."""
    response = client.get(compare_url(seeds["001"], seeds["004"]))
    page = response.context["page"]
    groups = []
    for column in page.columns:
        text_by_group: dict = {}
        for item in column.items:
            for piece in item.pieces:
                if piece.group is not None:
                    text_by_group.setdefault(piece.group.number, "")
                    text_by_group[piece.group.number] += piece.text
        groups.append({n for n, text in text_by_group.items() if "test for the Russians" in text})
    assert groups[0]
    assert groups[0] == groups[1]


def test_word_differences_are_marked_inside_near_links(client, seeds, compare_url):
    """Near-verbatim links carry their word differences into the columns."""
    response = client.get(compare_url(seeds["001"], seeds["004"]))
    assert 'class="cmp-diff"' in response.content.decode()


def test_query_count_does_not_grow_with_the_number_of_articles(client, seeds, compare_url):
    """Two articles or five: the same number of queries."""
    two, _ = queries(client, compare_url(seeds["000"], seeds["001"]))
    five, _ = queries(client, compare_url(*seeds.values()))
    assert two == five


def test_query_count_does_not_grow_with_annotations(client, seeds, compare_url, alice):
    """Annotations and claims in the columns are read in a fixed number of queries."""
    url = compare_url(seeds["001"], seeds["004"])
    body = seeds["001"].current_revision.body
    start = body.index(GUARANTOR)
    claim = services.claim_create(user=alice, text="Russia is the guarantor of the ceasefire")
    services.annotation_create(
        user=alice,
        article=seeds["001"],
        start=start,
        end=start + len(GUARANTOR),
        motivation=Motivation.ASSESSING,
        claim=claim,
    )
    one, _ = queries(client, url)
    for offset in range(0, 400, 40):
        services.annotation_create(
            user=alice, article=seeds["004"], start=offset, end=offset + 10, note="see"
        )
        services.annotation_create(
            user=alice,
            article=seeds["001"],
            start=offset + 5,
            end=offset + 15,
            motivation=Motivation.ASSESSING,
            claim=claim,
        )
    many, response = queries(client, url)
    assert one == many
    assert response.content.decode().count('class="hl hl--') >= 10


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 200, ""),
        ("?articles=SLUG0", 200, "at least one more"),
        ("?articles=SLUG0,SLUG0", 200, "at least one more"),
        ("?articles=SLUG0,nope-not-here", 400, "No published article"),
        ("?articles=a,b,c,d,e,f", 400, "At most 5"),
        ("?articles=" + ",".join(f"x{i}" for i in range(300)), 400, "At most 5"),
    ],
)
def test_bad_selections_get_a_clear_answer(client, seeds, query, status, message):
    """Too few, too many or unknown articles: the picker with a plain message, never a 500."""
    response = client.get("/compare/" + query.replace("SLUG0", seeds["001"].slug))
    assert response.status_code == status
    html = response.content.decode()
    assert 'name="articles"' in html  # the picker is always there
    assert message in html


def test_repeated_parameters_work_like_a_comma_list(client, seeds):
    """The picker form sends articles=a&articles=b; that compares the same as a,b."""
    a, b = seeds["001"], seeds["004"]
    response = client.get("/compare/", {"articles": [a.slug, b.slug]})
    assert response.status_code == 200
    assert [c.article for c in response.context["page"].columns] == [a, b]


def test_draft_articles_cannot_be_compared(client, seeds, compare_url):
    """Readers only ever see published articles."""
    Article.objects.filter(pk=seeds["004"].pk).update(status=Article.Status.DRAFT)
    response = client.get(compare_url(seeds["001"], seeds["004"]))
    assert response.status_code == 400


def test_article_page_offers_compare_with_the_closest_articles(client, seeds):
    """001's page lists 004 (which shares its quotes) under "Compare with…"."""
    response = client.get(seeds["001"].get_absolute_url())
    html = response.content.decode()
    section = html[html.index("Compare with…") :]
    assert seeds["004"].title in section
    assert f"?articles={seeds['001'].slug},{seeds['004'].slug}" in section
    sharing = response.context["page"].sharing
    assert sharing[0].article == seeds["004"]


def test_compare_with_does_not_list_drafts(client, seeds):
    Article.objects.filter(pk=seeds["004"].pk).update(status=Article.Status.DRAFT)
    response = client.get(seeds["001"].get_absolute_url())
    assert seeds["004"] not in [s.article for s in response.context["page"].sharing]


# --- Applying a claim across outlets ----------------------------------------------------------


@pytest.fixture
def marked(seeds, alice):
    """Alice's claim on the guarantor quote in 001."""
    body = seeds["001"].current_revision.body
    start = body.index(GUARANTOR)
    claim = services.claim_create(user=alice, text="Russia is the guarantor of the ceasefire")
    return services.annotation_create(
        user=alice,
        article=seeds["001"],
        start=start,
        end=start + len(GUARANTOR),
        motivation=Motivation.ASSESSING,
        claim=claim,
        tags=["guarantor"],
    ).annotation


def _confirm(client, marked, **data):
    """Confirm the preview as offered (every passage it checks)."""
    preview = client.get(f"/annotations/{marked.pk}/apply-claim/").context["preview"]
    data = {
        "confirm": "1",
        "carry": [offer.key for offer in preview.carrying],
        "dispute": [offer.key for offer in preview.disputing],
        **data,
    }
    return client.post(f"/annotations/{marked.pk}/apply-claim/", data)


def test_a_claim_is_applied_to_the_same_words_in_the_linked_article(client, seeds, alice, marked):
    """Confirming the preview marks the claim on 004's copy of the quote, same words and tags."""
    client.force_login(alice)
    response = _confirm(client, marked, next="/compare/")
    assert response.status_code == 302
    assert response.url == "/compare/"
    copy = Annotation.objects.get(article=seeds["004"], claim=marked.claim)
    assert copy.exact == GUARANTOR
    assert copy.motivation == Motivation.ASSESSING
    assert [t.name for t in copy.tags.all()] == ["guarantor"]
    # the claim page shows each outlet's wording
    page = client.get(f"/claims/{marked.claim_id}/").content.decode()
    for article in (seeds["001"], seeds["004"]):
        assert (article.outlet.name if article.outlet else "Outlet unknown") in page
    assert page.count(GUARANTOR) >= 2


def test_applying_twice_adds_nothing(client, seeds, alice, marked):
    client.force_login(alice)
    preview = client.get(f"/annotations/{marked.pk}/apply-claim/").context["preview"]
    chosen = {"confirm": "1", "carry": [offer.key for offer in preview.carrying]}
    client.post(f"/annotations/{marked.pk}/apply-claim/", chosen)
    count = Annotation.objects.count()
    response = client.post(f"/annotations/{marked.pk}/apply-claim/", chosen, follow=True)
    assert Annotation.objects.count() == count
    assert "Already marked with this claim" in response.content.decode()


def test_the_compare_page_offers_the_claim_to_apply(client, seeds, alice, marked, compare_url):
    client.force_login(alice)
    html = client.get(compare_url(seeds["001"], seeds["004"])).content.decode()
    claims = html[html.index('id="claims"') :]
    assert marked.claim.text in claims
    assert f"/annotations/{marked.pk}/apply-claim/" in claims


def test_applying_needs_a_signed_in_reader_who_can_see_the_annotation(client, seeds, bob, marked):
    """Anonymous readers are sent to sign in; another reader's private claim is a 404."""
    response = client.post(f"/annotations/{marked.pk}/apply-claim/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    Annotation.objects.filter(pk=marked.pk).update(visibility="private")
    client.force_login(bob)
    assert client.post(f"/annotations/{marked.pk}/apply-claim/").status_code == 404
    assert client.get(f"/annotations/{marked.pk}/apply-claim/").status_code == 404
    assert not Annotation.objects.filter(article=seeds["004"]).exists()


def test_apply_claim_api(client, seeds, alice, marked):
    """POST /api/annotations/<id>/apply-claim/ answers 201 with the created annotations."""
    client.force_login(alice)
    # The API reads JSON; this action needs no body (an empty one is fine).
    response = client.post(
        f"/api/annotations/{marked.pk}/apply-claim/", content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()["created"]
    assert len(created) == 1
    assert seeds["004"].slug in created[0]["target"]["source"]


def test_a_passage_without_a_claim_cannot_be_applied(client, seeds, alice):
    client.force_login(alice)
    note = services.annotation_create(
        user=alice, article=seeds["001"], start=0, end=10, note="x"
    ).annotation
    response = client.post(
        f"/api/annotations/{note.pk}/apply-claim/", content_type="application/json"
    )
    assert response.status_code == 400
    assert "claim" in response.json()
    assert not Claim.objects.exists()


def test_no_page_is_slow_to_count_or_escapes_markup(client, seeds, alice, compare_url):
    """A claim with markup in its text is escaped in the compare page."""
    claim = services.claim_create(user=alice, text="<script>alert(1)</script> claim")
    body = seeds["001"].current_revision.body
    start = body.index(GUARANTOR)
    services.annotation_create(
        user=alice,
        article=seeds["001"],
        start=start,
        end=start + 10,
        motivation=Motivation.ASSESSING,
        claim=claim,
    )
    html = client.get(compare_url(seeds["001"], seeds["004"])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert re.search(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", html)

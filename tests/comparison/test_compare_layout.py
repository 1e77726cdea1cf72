"""The compare page built for comparing: panels folded above the columns, disagreements shown
as disagreements (never a shared group or tint), "Where they differ", one look per passage
group, hover explanations, readers' highlights apart from tints, and flat query counts."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from articles.comparison.page import DIFFERENCE_LABELS, PATTERNS, TINTS, Group
from articles.models import Discrepancy, PassageLink

from .stance_rows import (
    ALSO_ATTENDS,
    ATTENDS,
    BOYCOTT,
    DEC_29,
    DEC_30,
    REFUSES,
    disagreements,
    make_link,
)

pytestmark = pytest.mark.django_db

FIVE = ("001", "000", "002", "003", "004")
INLINE_STYLE = re.compile(r"<style\b|\bstyle\s*=", re.IGNORECASE)


def get(client, url):
    """The page and its query count, built afresh (rows made by hand bump no cache version)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def pieces(page, column_index):
    return [p for item in page.columns[column_index].items for p in item.pieces]


def groups_at(page, column_index, text):
    """The passage groups of the pieces that hold `text` in the column (None if untinted)."""
    found = []
    body = "".join(p.text for p in pieces(page, column_index))
    start = body.index(text)
    offset = 0
    for p in pieces(page, column_index):
        if offset < start + len(text) and start < offset + len(p.text):
            found.append(p.group)
        offset += len(p.text)
    return found


@pytest.fixture
def five(seeds):
    return [seeds[k] for k in FIVE]


def test_panels_are_folded_above_the_columns(client, five, compare_url):
    """Every panel is a closed <details> before the columns; their content is in the page."""
    _, response = get(client, compare_url(*five))
    html = response.content.decode()
    columns = html.index('class="cmp-columns"')
    for panel in ("coverage", "facts", "claims-drawer", "framing", "quotes"):
        at = html.index(f'id="{panel}"')
        assert at < columns
        tag = html[html.rindex("<details", 0, at) : html.index(">", at)]
        assert " open" not in tag, panel
    assert html.count('<details class="cmp-drawer"') == 6  # with "Change the articles"
    assert "Where they differ" in html
    assert "Facts that differ" not in html
    assert "Assad regime" in html  # the framing table is there, folded
    assert "compare.css" in html


def test_choosing_articles_is_open_before_a_comparison(client, db):
    """With nothing chosen yet the picker is the one open panel."""
    html = client.get("/compare/").content.decode()
    assert '<details class="cmp-drawer" name="cmp-drawer" open>' in html
    assert "cmp-columns" not in html


def test_differing_passages_never_share_a_group(client, seeds, five, compare_url):
    """004's "decided to attend" and 002's "refused to attend" get no common group or tint,
    even while agreeing links through a third article (Mehr's boycott) would join them."""
    disagreements(seeds)
    make_link(seeds, BOYCOTT, ATTENDS)
    make_link(seeds, BOYCOTT, REFUSES)
    make_link(seeds, BOYCOTT, ALSO_ATTENDS)
    _, response = get(client, compare_url(*five))
    page = response.context["page"]
    index = {a.pk: i for i, a in enumerate(five)}
    attends, refuses = index[seeds["004"].pk], index[seeds["002"].pk]
    pairs = [
        ((attends, ATTENDS), (refuses, REFUSES)),
        ((0, ALSO_ATTENDS), (refuses, REFUSES)),
        ((0, DEC_29), (attends, DEC_30)),
    ]
    for one, other in pairs:
        a = {g.number for g in groups_at(page, one[0], one[1][1]) if g}
        b = {g.number for g in groups_at(page, other[0], other[1][1]) if g}
        assert not a & b, (one, other)
        looks_a = {g.look for g in groups_at(page, one[0], one[1][1]) if g}
        looks_b = {g.look for g in groups_at(page, other[0], other[1][1]) if g}
        assert not looks_a & looks_b
    # not vacuous: the boycott passage is still grouped with one side
    assert any(groups_at(page, index[seeds["000"].pk], BOYCOTT[1]))


def test_a_differing_link_alone_makes_no_group(client, seeds, compare_url):
    """Only links that agree are grouped; a differing link is drawn as a disagreement."""
    one, other = seeds["002"], seeds["004"]
    PassageLink.objects.filter(a_article__in=[one, other], b_article__in=[one, other]).delete()
    Discrepancy.objects.all().delete()
    make_link(seeds, ATTENDS, REFUSES, stance="differ", differs_by=("predicate",))
    _, response = get(client, compare_url(one, other))
    page = response.context["page"]
    assert page.groups == []
    assert len(page.disagreements) == 1
    html = response.content.decode()
    assert html.count('class="cmp-dis"') >= 2
    assert 'id="d1-c0"' in html
    assert 'id="d1-c1"' in html


def test_a_disagreement_explains_itself_with_both_readings(client, seeds, five, compare_url):
    """The hover card of each end names the other outlet, the kind and both readings."""
    disagreements(seeds)
    _, response = get(client, compare_url(*five))
    page = response.context["page"]
    item = next(
        d for d in page.disagreements if {d.a.label, d.b.label} == {"SouthFront", "Press TV"}
    )
    here = item.a if item.a.label == "SouthFront" else item.b
    html = response.content.decode()
    cards = re.findall(
        rf'<span class="cmp-why cmp-why--differ" role="tooltip" id="(why-d\d+-c{here.index})"[^>]*>'
        r"(.*?)</span></span></span>(?!<span class=\"cmp-why__head)",
        html,
    )
    card = [c for c in cards if "Differs from Press TV" in c[1]]
    assert card, "no hover card on SouthFront's end"
    card_id = card[0][0]
    text = re.sub(r"<[^>]+>", " ", card[0][1])
    assert "Differs from Press TV" in text
    assert "opposing action" in text.lower()
    assert "refused to attend" in text
    assert "decided to attend" in text
    assert f'aria-describedby="{card_id}"' in html


def test_where_they_differ_names_the_kind_and_links_both_passages(client, seeds, five, compare_url):
    """Entries sit under a reader's name for their kind, with both readings, and each link
    points at an anchor that exists in the columns."""
    disagreements(seeds)
    _, response = get(client, compare_url(*five))
    page = response.context["page"]
    labels = [section.label for section in page.differences]
    assert {"Opposing actions", "Different dates"} <= set(labels)
    order = list(DIFFERENCE_LABELS.values())
    assert labels == sorted(labels, key=order.index)
    html = response.content.decode()
    panel = html[html.index('id="facts"') : html.index('id="claims-drawer"')]
    assert "Opposing actions" in panel
    assert "Different dates" in panel
    assert "refused to attend" in panel
    assert "decided to attend" in panel
    assert "29 December 2016" in panel
    assert "December 30, 2016" in panel
    hrefs = re.findall(r'href="#([^"]+)" data-fact-link', panel)
    assert len(hrefs) == 2 * len(page.facts)
    for href in hrefs:
        assert f'id="{href}"' in html, href
    assert len(re.findall(r'data-fact-link="', panel)) == 2 * len(page.facts)


def test_where_they_differ_says_so_when_nothing_differs(client, seeds, compare_url):
    Discrepancy.objects.all().delete()
    PassageLink.objects.update(stance="agree", differs_by=[])
    _, response = get(client, compare_url(seeds["001"], seeds["004"]))
    html = response.content.decode()
    panel = html[html.index('id="facts"') : html.index('id="claims-drawer"')]
    assert "no number, date, name, place or statement differs" in panel
    assert response.context["page"].facts == []


def test_a_differing_link_without_discrepancy_rows_still_lists_both_passages(
    client, seeds, compare_url
):
    Discrepancy.objects.all().delete()
    PassageLink.objects.update(stance="agree", differs_by=[])
    make_link(seeds, ATTENDS, REFUSES, stance="differ", differs_by=("polarity",))
    _, response = get(client, compare_url(seeds["002"], seeds["004"]))
    (section,) = response.context["page"].differences
    assert section.label == "Opposite statements"
    (fact,) = section.facts
    assert "refused to attend" in fact.a_text + fact.b_text
    assert {fact.a_anchor, fact.b_anchor} == {"d1-c0", "d1-c1"}


def test_every_group_has_its_own_look(client, five, compare_url):
    """Tint and pattern together never repeat on a page (the seeds have more than 8 groups)."""
    _, response = get(client, compare_url(*five))
    page = response.context["page"]
    assert len(page.groups) > 8
    looks = [g.look for g in page.groups]
    assert len(set(looks)) == len(looks)
    html = response.content.decode()
    for group in page.groups:
        assert f'data-badge="{group.number}"' in html


def test_looks_are_unique_up_to_the_palette_and_badges_beyond():
    """Tints times patterns distinct looks; past them the number badge still tells them apart."""
    groups = [Group(n, ("verbatim",), [], []) for n in range(1, TINTS * PATTERNS + 1)]
    assert len({g.look for g in groups}) == TINTS * PATTERNS
    assert Group(1, (), [], []).look != Group(TINTS + 1, (), [], []).look


def test_a_linked_passage_explains_what_it_shares(client, seeds, compare_url):
    """The hover card lists each counterpart's outlet, link kind, score and shared evidence."""
    PassageLink.objects.all().delete()
    Discrepancy.objects.all().delete()
    make_link(
        seeds,
        DEC_29,
        DEC_30,
        kind="paraphrase",
        score=0.83,
        shared=(("actor", "truce"), ("date", "2016"), ("predicate", "come into effect")),
    )
    _, response = get(client, compare_url(seeds["001"], seeds["004"]))
    html = response.content.decode()
    card = re.search(
        r'<span class="cmp-why" role="tooltip" id="why-g1-[^"]+"[^>]*>(.*?)</span></span>', html
    )
    assert card
    text = re.sub(r"<[^>]+>", " ", card.group(1))
    assert "Passage 1" in text
    assert "Same fact in other words as Press TV (83%)" in text
    assert "actors: truce" in text
    assert "dates: 2016" in text
    assert "actions: come into effect" in text


def test_reader_highlights_are_drawn_apart_and_in_the_key(client, seeds, alice, compare_url):
    """A reader's highlight keeps its own mark (underlined by compare.css) and the key says so."""
    url = compare_url(seeds["001"], seeds["004"])
    assert "a reader’s highlight" not in get(client, url)[1].content.decode()
    services.annotation_create(user=alice, article=seeds["004"], start=0, end=12, note="x")
    html = get(client, url)[1].content.decode()
    assert 'class="hl hl--' in html
    assert "a reader’s highlight" in html


def test_query_counts_stay_flat(client, seeds, five, compare_url):
    """Two articles or five, with or without disagreements and evidence: the same queries."""
    two, _ = get(client, compare_url(seeds["001"], seeds["004"]))
    five_before, _ = get(client, compare_url(*five))
    disagreements(seeds)
    for link in PassageLink.objects.all():
        link.shared = [["actor", "Russia"], ["date", "23 January"]]
        link.save(update_fields=["shared"])
    five_after, response = get(client, compare_url(*five))
    assert two == five_before == five_after
    assert response.context["page"].disagreements


def test_the_page_holds_no_inline_style(client, seeds, five, compare_url, alice):
    disagreements(seeds)
    services.annotation_create(user=alice, article=seeds["004"], start=0, end=12, note="x")
    _, response = get(client, compare_url(*five))
    assert not INLINE_STYLE.findall(response.content.decode())

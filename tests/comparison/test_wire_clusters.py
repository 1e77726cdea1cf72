"""Wire passages: a sentence reprinted by more articles than are linked pair by pair is stored
once per holder and shown on the compare page as one passage "carried by N articles"."""

import random

import pytest

from articles.comparison import store
from articles.comparison.engine import CorpusIndex
from articles.comparison.store import comparison_refresh, engine_key, wire_sentence_key
from articles.models import Article, PassageLink, WirePassage
from articles.services import article_import, articles_set_status

pytestmark = pytest.mark.django_db

WIRE = (
    "The ceasefire agreed by the three guarantors held across most of the country on "
    "Friday, monitors said."
)
SYLLABLES = "ba ke lo mi nu po ra si tu ve wo xa yo zi da fe gu hi jo ku".split()


def _words(rng: random.Random, count: int) -> str:
    words = ("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count))
    return " ".join(words).capitalize() + "."


def wire_body(n: int, *, carries: bool = True, moved: bool = False) -> bytes:
    """A small article of its own made-up words; it carries the wire sentence in a paragraph
    of its own (even n) or after a sentence of its own (odd n), later on when `moved`."""
    rng = random.Random(n)
    paragraphs = [_words(rng, 5), f"{_words(rng, 14)} {_words(rng, 12)}"]
    if moved:
        paragraphs.append(_words(rng, 9))
    if carries:
        paragraphs.append(WIRE if n % 2 == 0 else f"{_words(rng, 10)} {WIRE}")
    paragraphs.append(_words(rng, 15))
    return "\n\n".join(paragraphs).encode() + b"\n"


def import_holders(numbers, *, compare: bool = False) -> list[Article]:
    return [
        article_import(name=f"wire-{n:03d}.txt", data=wire_body(n), compare=compare).article
        for n in numbers
    ]


def stored_rows() -> set[tuple]:
    return set(WirePassage.objects.values_list("sentence", "article", "revision", "start", "end"))


def recomputed_rows() -> set[tuple]:
    """The wire rows a full recomputation of the current corpus gives."""
    articles = Article.objects.filter(current_revision__isnull=False).select_related(
        "current_revision"
    )
    revisions = {a.pk: a.current_revision_id for a in articles}
    index = CorpusIndex.from_bodies({engine_key(a.pk): a.current_revision.body for a in articles})
    return {
        (wire_sentence_key(cluster.text), int(key), revisions[int(key)], start, end)
        for cluster in index.wire_clusters()
        for key, start, end in cluster.members
    }


def carried_group(client, compare_url, *articles):
    """The compare page of these articles and its group over the wire sentence."""
    response = client.get(compare_url(*articles))
    assert response.status_code == 200
    page = response.context["page"]
    found = [
        piece.group
        for column in page.columns
        for item in column.items
        for piece in item.pieces
        if piece.group is not None and "three guarantors" in piece.text
    ]
    return response, found


def test_every_holder_of_a_wire_sentence_gets_one_row_at_its_span():
    """25 articles carrying one sentence: 25 rows, one key, each span is the sentence."""
    articles = import_holders(range(25))
    comparison_refresh()
    rows = list(WirePassage.objects.select_related("revision"))
    assert len(rows) == 25
    assert {row.article_id for row in rows} == {a.pk for a in articles}
    assert {row.sentence for row in rows} == {wire_sentence_key(WIRE)}
    for row in rows:
        assert row.revision.body[row.start : row.end] == WIRE
    assert stored_rows() == recomputed_rows()
    # Held by more than the rare threshold: no pair of holders is linked over it.
    assert not PassageLink.objects.exists()


def test_compare_page_shows_the_wire_sentence_as_one_group_carried_by_all(client, compare_url):
    """Two holders on the compare page: one shared group, same tint, "carried by 25 articles"."""
    articles = import_holders(range(25))
    comparison_refresh()
    response, groups = carried_group(client, compare_url, articles[3], articles[10])
    group = groups[0]
    assert all(g is group for g in groups)
    assert len(groups) == 2  # one piece in each column
    assert group.article_ids == [articles[3].pk, articles[10].pk]
    assert group.carried_by == 25
    html = response.content.decode()
    assert "carried by 25 articles" in html
    assert html.count(f'class="cmp-p {group.look}"') == 2


def test_adding_a_holder_raises_the_count_and_keeps_the_other_rows():
    """A 26th holder adds its own row; the 25 stored rows are left as they were."""
    import_holders(range(25))
    comparison_refresh()
    before = set(WirePassage.objects.values_list("pk", flat=True))
    (new,) = import_holders([25])
    report = comparison_refresh()
    assert (report.compared, report.pairs) == (1, 0)  # no pair of holders is compared
    assert WirePassage.objects.count() == 26
    assert before < set(WirePassage.objects.values_list("pk", flat=True))
    assert WirePassage.objects.get(article=new).revision_id == new.current_revision_id
    assert stored_rows() == recomputed_rows()


def test_compare_page_count_follows_additions_revisions_and_drafts(client, compare_url, curator):
    """26 holders read 26; a revision without the sentence 25; a holder made a draft 24."""
    articles = import_holders(range(26))
    comparison_refresh()
    _, groups = carried_group(client, compare_url, articles[0], articles[1])
    assert groups[0].carried_by == 26
    article_import(name="wire-005.txt", data=wire_body(5, carries=False))
    assert not WirePassage.objects.filter(article=articles[5]).exists()
    assert stored_rows() == recomputed_rows()
    response, groups = carried_group(client, compare_url, articles[0], articles[1])
    assert groups[0].carried_by == 25
    assert "carried by 25 articles" in response.content.decode()
    articles_set_status(user=curator, articles=[articles[7]], status=Article.Status.DRAFT)
    response, groups = carried_group(client, compare_url, articles[0], articles[1])
    assert groups[0].carried_by == 24
    assert "carried by 24 articles" in response.content.decode()


def test_a_revised_holder_that_keeps_the_sentence_is_stored_at_its_new_place():
    """A holder revised with the sentence elsewhere: its row follows the new revision."""
    from articles.selectors import wire_carried_by

    articles = import_holders(range(25))
    comparison_refresh()
    old = WirePassage.objects.get(article=articles[6])
    article_import(name="wire-006.txt", data=wire_body(6, moved=True))
    articles[6].refresh_from_db()
    row = WirePassage.objects.select_related("revision").get(article=articles[6])
    assert row.revision_id == articles[6].current_revision_id != old.revision_id
    assert row.start > old.start
    assert row.revision.body[row.start : row.end] == WIRE
    assert stored_rows() == recomputed_rows()
    key = wire_sentence_key(WIRE)
    assert wire_carried_by(sentences=[key]) == {key: 25}


def test_a_revision_not_yet_compared_does_not_count():
    """Rows of an article's earlier revision are not counted once it has a new one."""
    from articles.selectors import wire_carried_by

    articles = import_holders(range(25))
    comparison_refresh()
    key = wire_sentence_key(WIRE)
    assert wire_carried_by(sentences=[key]) == {key: 25}
    article_import(name="wire-004.txt", data=wire_body(4, carries=False), compare=False)
    assert WirePassage.objects.filter(article=articles[4]).exists()  # not refreshed yet
    assert wire_carried_by(sentences=[key]) == {key: 24}


def test_a_cluster_that_falls_to_the_threshold_loses_its_rows():
    """21 holders are a cluster; once one drops the sentence, 20 are linked pair by pair."""
    import_holders(range(21))
    comparison_refresh()
    assert WirePassage.objects.count() == 21
    article_import(name="wire-000.txt", data=wire_body(0, carries=False))
    assert not WirePassage.objects.exists()
    assert stored_rows() == recomputed_rows()


@pytest.mark.parametrize("incremental_max", [0, 1000])
def test_stored_rows_equal_a_full_recomputation_either_way(monkeypatch, incremental_max):
    """Cluster by cluster or all at once, the rows end equal to the engine's clusters."""
    monkeypatch.setattr(store, "WIRE_INCREMENTAL_MAX", incremental_max)
    articles = import_holders(range(24))
    comparison_refresh()
    import_holders([30, 31], compare=True)
    article_import(name="wire-002.txt", data=wire_body(2, carries=False))
    articles[9].delete()
    comparison_refresh(article_ids=[articles[10].pk])
    assert stored_rows() == recomputed_rows()
    assert WirePassage.objects.count() == 24


def test_compare_page_queries_stay_flat_as_the_cluster_grows(
    client, compare_url, django_assert_num_queries
):
    """The compare page makes as many queries with 40 holders as with 25."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    articles = import_holders(range(25))
    comparison_refresh()
    with CaptureQueriesContext(connection) as captured:
        _, groups = carried_group(client, compare_url, articles[0], articles[1])
    assert groups[0].carried_by == 25
    import_holders(range(25, 40))
    comparison_refresh()
    with django_assert_num_queries(len(captured)):
        _, groups = carried_group(client, compare_url, articles[0], articles[1])
    assert groups[0].carried_by == 40

"""The catalogue's version (articles.models.CatalogueVersion, as annotations/pages/cache.py
reads it): every change to what pages show of articles, outlets, stories, comparison results
or the framing lexicon moves it, by whatever path it is written; annotations never do."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model

from annotations import services as annotation_services
from annotations.models import Claim
from annotations.pages import cache
from articles import services
from articles.comparison.store import comparison_refresh
from articles.models import (
    Article,
    ArticleRevision,
    Attribution,
    CatalogueVersion,
    ComparedRevision,
    Discrepancy,
    FramingFamily,
    FramingHit,
    FramingTerm,
    MembershipStatus,
    Outlet,
    PassageLink,
    Story,
    StoryArticle,
    StoryStatus,
    WirePassage,
)
from tests.factories import make_articles

pytestmark = pytest.mark.django_db


def version() -> str:
    """The catalogue's version as a cached page keys on it (the story page's article side
    keys on nothing else)."""
    return cache.story_part_key(story_id=0, curator=False)


def committed() -> int | None:
    """The counter row as every other connection reads it once this one's writes commit."""
    return CatalogueVersion.objects.filter(pk=1).values_list("version", flat=True).first()


@dataclass
class World:
    articles: list[Article]
    revisions: list[ArticleRevision]
    story: Story
    family: FramingFamily


def _article(n: int) -> tuple[Article, ArticleRevision]:
    article = Article.objects.create(
        slug=f"catalogue-{n}", source_name=f"catalogue-{n}.txt", title=f"Catalogue {n}"
    )
    revision = ArticleRevision.objects.create(
        article=article,
        number=1,
        raw_bytes=b"Catalogue",
        sha256="0" * 64,
        encoding="utf-8",
        raw_text="Catalogue text of the article",
        body="Catalogue text of the article",
    )
    Article.objects.filter(pk=article.pk).update(current_revision=revision)
    return article, revision


@pytest.fixture
def world() -> World:
    (a, ra), (b, rb) = _article(1), _article(2)
    story = Story.objects.create(title="A story", slug="a-story")
    family = FramingFamily.objects.create(name="catalogue family")
    return World([a, b], [ra, rb], story, family)


@dataclass(frozen=True)
class Table:
    """How to add a row of a table the catalogue shows (as bulk_create would), and a change
    to make to it (as QuerySet.update would)."""

    model: type[Model]
    row: Callable[[World], Model]
    change: dict[str, Any]

    def __str__(self) -> str:
        return self.model.__name__


def _link(w: World, **more) -> dict:
    return dict(
        a_article=w.articles[0],
        a_revision=w.revisions[0],
        a_start=0,
        a_end=5,
        b_article=w.articles[1],
        b_revision=w.revisions[1],
        b_start=0,
        b_end=5,
        **more,
    )


TABLES = [
    Table(Outlet, lambda w: Outlet(name="Catalogue Daily", slug="catalogue-daily"), {"notes": "x"}),
    Table(
        Article,
        lambda w: Article(slug="catalogue-new", source_name="catalogue-new.txt", title="New"),
        {"title": "Renamed"},
    ),
    Table(Story, lambda w: Story(title="Another story", slug="another"), {"summary": "x"}),
    Table(
        StoryArticle,
        lambda w: StoryArticle(story=w.story, article=w.articles[0]),
        {"status": MembershipStatus.CONFIRMED},
    ),
    Table(
        ComparedRevision,
        lambda w: ComparedRevision(revision=w.revisions[0], lexicon_digest="a" * 64),
        {"lexicon_digest": "b" * 64},
    ),
    Table(
        PassageLink, lambda w: PassageLink(kind="verbatim", score=1.0, **_link(w)), {"score": 0.5}
    ),
    Table(
        Discrepancy,
        lambda w: Discrepancy(kind="number", link_kind="near", a_text="5", b_text="6", **_link(w)),
        {"b_text": "7"},
    ),
    Table(
        FramingHit,
        lambda w: FramingHit(
            revision=w.revisions[0],
            family="f",
            term="t",
            start=0,
            end=5,
            snippet_start=0,
            snippet_end=9,
        ),
        {"term": "u"},
    ),
    Table(
        Attribution,
        lambda w: Attribution(
            revision=w.revisions[0], verb="said", start=0, end=4, sentence_start=0, sentence_end=9
        ),
        {"source": "officials"},
    ),
    Table(
        WirePassage,
        lambda w: WirePassage(
            sentence="c" * 64, article=w.articles[0], revision=w.revisions[0], start=0, end=9
        ),
        {"end": 8},
    ),
    Table(FramingFamily, lambda w: FramingFamily(name="another family"), {"position": 3}),
    Table(
        FramingTerm, lambda w: FramingTerm(family=w.family, phrase="rebel"), {"phrase": "rebels"}
    ),
]


@pytest.mark.parametrize("table", TABLES, ids=str)
def test_adding_changing_and_deleting_rows_of_each_table_move_the_version(world, table):
    """An insert (bulk_create), an update (QuerySet.update) and a delete of a row of every
    table the catalogue's pages show each move the version."""
    seen = [version()]
    (row,) = table.model.objects.bulk_create([table.row(world)])
    seen.append(version())
    table.model.objects.filter(pk=row.pk).update(**table.change)
    seen.append(version())
    table.model.objects.filter(pk=row.pk).delete()
    seen.append(version())
    assert len(set(seen)) == 4, seen


def test_the_curators_and_the_comparisons_writes_move_the_version(seeds, curator):
    """A comparison refresh (raw bulk inserts), an import, a story confirmed, an outlet
    merge and a status change each move it; a refresh with nothing to do does not."""
    seen = [version()]
    assert comparison_refresh().compared == 0
    assert version() == seen[-1]

    comparison_refresh(article_ids=[seeds["001"].pk])
    seen.append(version())

    make_articles(1)
    seen.append(version())

    story = Story.objects.create(title="Proposed", slug="proposed", status=StoryStatus.PROPOSED)
    StoryArticle.objects.create(story=story, article=seeds["001"])
    seen.append(version())
    assert services.stories_confirm(user=curator, stories=[story]) == 1
    seen.append(version())

    keep = Outlet.objects.create(name="Kept Outlet", slug="kept-outlet")
    assert services.outlets_merge(user=curator, keep=keep, others=[seeds["004"].outlet]) >= 1
    seen.append(version())

    services.articles_set_status(
        user=curator, articles=[seeds["002"]], status=Article.Status.ARCHIVED
    )
    seen.append(version())
    assert len(set(seen)) == len(seen), seen


def test_annotation_writes_never_move_the_version(seeds, django_user_model, curator):
    """Annotations, replies, claims and tags are the annotation side's counters' business:
    none of their writes moves the catalogue's version."""
    alice = django_user_model.objects.create_user("alice", password="pw-123456789")
    article = seeds["004"]
    before = version()
    claim = annotation_services.claim_create(user=alice, text="Talks begin", tags=["talks"])
    note = annotation_services.annotation_create(
        user=alice, article=article, start=0, end=6, note="public", tags=["astana"]
    ).annotation
    annotation_services.annotation_create(
        user=alice, article=article, start=7, end=12, note="mine", visibility="private"
    )
    annotation_services.annotation_create(
        user=alice, article=article, start=0, end=6, motivation="assessing", claim=claim
    )
    reply = annotation_services.annotation_reply(user=curator, parent=note, note="a reply")
    annotation_services.annotation_update(
        user=alice, annotation=note, expected_version=note.version, note="edited"
    )
    annotation_services.claim_update(user=alice, claim=claim, rating=Claim.Rating.DISPUTED)
    annotation_services.annotation_set_hidden(user=curator, annotation=reply, hidden=True)
    note.refresh_from_db()
    annotation_services.annotation_delete(user=alice, annotation=note)
    assert version() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_write_moves_the_version_every_reader_sees_and_a_rollback_does_not(world):
    """Once a transaction of many catalogue writes commits, the stored counter has moved;
    a transaction rolled back leaves it as it was."""
    before = committed()
    with transaction.atomic():
        Outlet.objects.bulk_create(
            [Outlet(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(50)]
        )
        for outlet in Outlet.objects.filter(slug__startswith="outlet-"):
            outlet.save()
    after = committed()
    assert after != before

    class Undo(Exception):
        pass

    def delete_then_fail() -> None:
        with transaction.atomic():
            Outlet.objects.filter(slug__startswith="outlet-").delete()
            raise Undo

    with pytest.raises(Undo):
        delete_then_fail()
    assert Outlet.objects.filter(slug__startswith="outlet-").count() == 50
    assert committed() == after


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lost_counter_starts_again_from_the_clock(world):
    """When its row is gone (a flushed database), the next write makes it again from the
    time in microseconds: beyond any version an older database counted to, so a cache kept
    from it is never read for this one."""
    CatalogueVersion.objects.all().delete()
    assert committed() is None
    started = time.time_ns() // 1000
    Outlet.objects.create(name="After the flush", slug="after-the-flush")
    stored = committed()
    assert stored is not None
    assert started - 5_000_000 <= stored <= time.time_ns() // 1000 + 5_000_000


# --- What readers see ----------------------------------------------------------------------


def test_a_bulk_title_change_shows_on_other_articles_cached_pages(client, seeds):
    """QuerySet.update leaves `updated` alone; the cached page of an article that lists the
    changed one ("Compare with") still shows the new title at once."""
    article, other = seeds["004"], seeds["001"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert other.title in html
    assert client.get(article.get_absolute_url()).content.decode() == html  # now cached
    Article.objects.filter(pk=other.pk).update(title="A title set in bulk")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "A title set in bulk" in html


def test_a_lexicon_edit_shows_on_the_cached_compare_page(client, seeds):
    """The compare page's framing table is drawn from the lexicon's families and terms: a
    curator's rename shows at once (the family's counts wait for the next refresh)."""
    url = f"/compare/?articles={seeds['001'].slug},{seeds['004'].slug}"
    html = client.get(url).content.decode()
    family = FramingFamily.objects.order_by("position", "name").first()
    assert family is not None
    shown = f'<th scope="rowgroup" colspan="1">{family.name.capitalize()}</th>'
    assert shown in html
    assert client.get(url).content.decode() == html  # now cached
    family.name = "Renamed family of words"
    family.save()
    assert shown not in client.get(url).content.decode()

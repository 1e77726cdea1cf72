"""Stories suggested as articles come in, and the curators' decisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.access import AccessDenied
from articles.models import (
    Article,
    ArticleKeyTerm,
    ArticleProfile,
    MembershipStatus,
    Story,
    StoryArticle,
    StoryStatus,
    StoryTerm,
)
from articles.stories import engine

from .conftest import import_article

pytestmark = pytest.mark.django_db


def _members(story: Story) -> set[int]:
    return set(story.memberships.values_list("article_id", flat=True))


def test_articles_of_one_event_are_proposed_as_one_story_with_evidence(make_article):
    q1, q2 = make_article("quake", 0), make_article("quake", 1)
    crash = make_article("crash", 0)
    (story,) = Story.objects.all()
    assert story.status == StoryStatus.PROPOSED
    assert _members(story) == {q1.pk, q2.pk}
    assert not StoryArticle.objects.filter(article=crash).exists()
    assert set(story.memberships.values_list("status", flat=True)) == {MembershipStatus.SUGGESTED}
    later = story.memberships.get(article=q2)
    closest = later.evidence["closest"][0]
    assert closest["article"] == q1.pk
    assert "lombok" in closest["terms"]
    assert str(story.first_published) == str(story.last_published) == "2018-07-29"
    assert "lombok" in story.title.lower()


def test_a_later_article_joins_the_story_and_suggesting_again_changes_nothing(make_article):
    q1, q2 = make_article("quake", 0), make_article("quake", 1)
    make_article("crash", 0), make_article("crash", 1)
    q3 = make_article("quake", 2, day="2018-07-31")
    quake = Story.objects.get(memberships__article=q1)
    assert _members(quake) == {q1.pk, q2.pk, q3.pk}
    assert str(quake.last_published) == "2018-07-31"
    before = sorted(StoryArticle.objects.values_list("story_id", "article_id", "status"))
    stories = Story.objects.count()
    services.stories_suggest(article_ids=[q1.pk, q2.pk, q3.pk])
    assert sorted(StoryArticle.objects.values_list("story_id", "article_id", "status")) == before
    assert Story.objects.count() == stories == 2


def test_confirmed_places_stay_when_suggestions_are_made_again(make_article, curator):
    q1, q2 = make_article("quake", 0), make_article("quake", 1)
    story = Story.objects.get()
    services.stories_confirm(user=curator, stories=[story])
    services.stories_suggest(article_ids=[q1.pk, q2.pk])
    story.refresh_from_db()
    assert story.status == StoryStatus.CONFIRMED
    assert set(story.memberships.values_list("status", flat=True)) == {MembershipStatus.CONFIRMED}
    assert StoryArticle.objects.count() == 2
    assert Story.objects.count() == 1


def test_document_frequencies_follow_profiles_through_new_revisions(make_article):
    q1 = make_article("quake", 0)
    make_article("quake", 1)
    services.article_import(name="quake-0-0.txt", data=b"Lombok again\n\nA new text on Lombok.\n")
    q1.refresh_from_db()

    def expected() -> dict[str, int]:
        df: dict[str, int] = {}
        for counts in ArticleProfile.objects.values_list("counts", flat=True):
            for term in counts:
                df[term] = df.get(term, 0) + 1
        return df

    stored = {t: df for t, df in StoryTerm.objects.values_list("term", "df") if df}
    assert stored == expected()
    keys = set(ArticleKeyTerm.objects.filter(article=q1).values_list("term", flat=True))
    assert keys == set(ArticleProfile.objects.get(article=q1).vector)


def test_only_curators_decide(make_article, django_user_model, curator):
    make_article("quake", 0), make_article("quake", 1)
    story = Story.objects.get()
    reader = django_user_model.objects.create_user("reader", password="pw-reader-123456")
    for attempt in (
        lambda user: services.stories_confirm(user=user, stories=[story]),
        lambda user: services.story_create(user=user, title="Mine"),
        lambda user: services.story_memberships_reject(
            user=user, memberships=story.memberships.all()
        ),
        lambda user: services.stories_merge(user=user, stories=[story], into=story),
    ):
        for user in (None, reader):
            with pytest.raises(AccessDenied):
                attempt(user)
    assert Story.objects.get().status == StoryStatus.PROPOSED
    assert story.memberships.count() == 2


def test_move_split_and_merge(make_article, curator):
    q = [make_article("quake", i) for i in range(3)]
    c = [make_article("crash", i) for i in range(2)]
    quake = Story.objects.get(memberships__article=q[0])
    crash = Story.objects.get(memberships__article=c[0])
    # Move one quake article into the crash story (a curator's correction), confirmed there.
    moved = services.story_memberships_move(
        user=curator, memberships=quake.memberships.filter(article=q[2]), target=crash
    )
    assert moved == 1
    assert _members(crash) == {c[0].pk, c[1].pk, q[2].pk}
    assert crash.memberships.get(article=q[2]).status == MembershipStatus.CONFIRMED
    # Split it out again into a story of its own.
    aside = services.story_split(
        user=curator, memberships=crash.memberships.filter(article=q[2]), title="Aftermath"
    )
    assert aside.status == StoryStatus.CONFIRMED
    assert _members(aside) == {q[2].pk}
    assert _members(crash) == {c[0].pk, c[1].pk}
    # Merge it back into the quake story.
    services.stories_merge(user=curator, stories=[quake, aside], into=quake)
    quake.refresh_from_db()
    assert not Story.objects.filter(pk=aside.pk).exists()
    assert _members(quake) == {a.pk for a in q}
    assert quake.status == StoryStatus.CONFIRMED


def test_placing_one_article_costs_the_same_queries_in_a_larger_corpus(make_article):
    """Queries grow with the stories an article joins (a fixed few each), never with the
    corpus: the same article placed in a story of 3 among 4 articles and of 8 among 19."""
    for i in range(2):
        make_article("vote", i)
    make_article("quake", 0)

    def queries_for_one(variant: int) -> int:
        article = import_article("vote", variant)
        assert StoryArticle.objects.filter(article=article).count() == 1
        ArticleProfile.objects.filter(article=article).delete()  # profile it from scratch
        with CaptureQueriesContext(connection) as ctx:
            services.stories_suggest(article_ids=[article.pk])
        assert StoryArticle.objects.filter(article=article).count() == 1
        return len(ctx)

    small = queries_for_one(2)
    for i in range(15):
        make_article(["quake", "crash", "vote"][i % 3], i + 3)
    assert queries_for_one(40) == small


def _df_stored() -> dict[str, int]:
    return {t: df for t, df in StoryTerm.objects.values_list("term", "df") if df}


def _df_of(counts: list[dict[str, int]]) -> dict[str, int]:
    df: dict[str, int] = {}
    for terms in counts:
        for term in terms:
            df[term] = df.get(term, 0) + 1
    return df


def _counts_from_scratch(article: Article) -> dict[str, int]:
    article = Article.objects.select_related("current_revision").get(pk=article.pk)
    return engine.term_counts(article.title, article.current_revision.body)


def _as_old_version(articles: list[Article]) -> None:
    """Make these articles' profiles look as an older term extraction stored them: version 0,
    terms of odd length spelled its way, and every document frequency agreeing with that."""
    for profile in ArticleProfile.objects.filter(article__in=articles):
        profile.counts = {
            (f"{term}~old" if len(term) % 2 else term): n for term, n in profile.counts.items()
        }
        profile.version = 0
        profile.save(update_fields=["counts", "version"])
    StoryTerm.objects.all().delete()
    recount = _df_of(list(ArticleProfile.objects.values_list("counts", flat=True)))
    StoryTerm.objects.bulk_create(StoryTerm(term=t, df=n) for t, n in recount.items())


def test_profiles_of_an_older_term_extraction_are_made_again_with_exact_frequencies(make_article):
    """A profile stored under another TERMS_VERSION is stale though its revision is current:
    the stale run profiles those articles again (and only those), and every document frequency
    is then what a recount from scratch gives."""
    q1, q2 = make_article("quake", 0), make_article("quake", 1)
    crash = make_article("crash", 0)
    _as_old_version([q1, q2])
    assert any(term.endswith("~old") for term in _df_stored())

    report = services.stories_suggest_stale()

    assert report.profiled == 2
    everyone = [q1, q2, crash]
    for article in everyone:
        profile = ArticleProfile.objects.get(article=article)
        assert profile.version == engine.TERMS_VERSION
        assert profile.revision_id == article.current_revision_id
        assert profile.counts == _counts_from_scratch(article)
        keys = set(ArticleKeyTerm.objects.filter(article=article).values_list("term", flat=True))
        assert keys == set(profile.vector) | set(profile.entities)
    assert _df_stored() == _df_of([_counts_from_scratch(a) for a in everyone])
    assert _members(Story.objects.get(memberships__article=q1)) == {q1.pk, q2.pk}
    assert services.stories_suggest_stale().profiled == 0  # nothing is stale any more


def test_profiling_again_after_a_version_change_costs_the_same_queries_for_more_articles(
    make_article,
):
    """Profiling old-version articles again takes a fixed number of queries, for two articles
    as for six (the document frequencies of all their terms change in bulk)."""
    events = ["quake", "crash", "quake", "crash", "quake", "vote"]  # terms held by 1 to 6
    articles = [make_article(event, i) for i, event in enumerate(events)]

    def queries(chosen: list[Article]) -> int:
        _as_old_version(chosen)
        with CaptureQueriesContext(connection) as ctx:
            profiles = services.articles_profile(articles=chosen)
        assert {p.version for p in profiles.values()} == {engine.TERMS_VERSION}
        assert _df_stored() == _df_of([_counts_from_scratch(a) for a in articles])
        return len(ctx)

    assert queries(articles[:2]) == queries(articles)

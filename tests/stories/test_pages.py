"""The story pages, the home page's stories and the story filters, as each reader sees them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Claim, Visibility
from articles import services
from articles.models import Article, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_article, curator):
    """A confirmed quake story (3 articles, one still only suggested), a proposed crash story."""
    q = [make_article("quake", i, day=f"2018-07-{29 + i}") for i in range(3)]
    c = [make_article("crash", i) for i in range(2)]
    quake = Story.objects.get(memberships__article=q[0])
    services.story_memberships_confirm(
        user=curator, memberships=quake.memberships.exclude(article=q[2])
    )
    services.stories_confirm(user=curator, stories=[])  # nothing: a no-op stays a no-op
    Story.objects.filter(pk=quake.pk).update(status="confirmed")
    quake.refresh_from_db()
    crash = Story.objects.get(memberships__article=c[0])
    return {"quake": quake, "crash": crash, "q": q, "c": c}


def _titles(html: str) -> set[str]:
    return set(re.findall(r"<bdi[^>]*>([^<]+)</bdi></label>", html))


def test_readers_see_confirmed_stories_with_confirmed_articles_only(client, corpus):
    quake, crash, q = corpus["quake"], corpus["crash"], corpus["q"]
    page = client.get(quake.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert _titles(html) == {q[0].title, q[1].title}
    assert "suggested" not in html
    assert client.get(crash.get_absolute_url()).status_code == 404
    assert client.get("/stories/no-such-story/").status_code == 404


def test_curators_see_proposed_stories_and_suggestions_marked(client, corpus, curator):
    client.force_login(curator)
    quake_html = client.get(corpus["quake"].get_absolute_url()).content.decode()
    assert _titles(quake_html) == {a.title for a in corpus["q"]}
    assert quake_html.count('class="badge" title="Suggested by the clustering') == 1
    crash = client.get(corpus["crash"].get_absolute_url())
    assert crash.status_code == 200
    assert "Proposed by the clustering" in crash.content.decode()


def test_a_draft_article_leaves_the_story_for_readers(client, corpus, curator):
    q = corpus["q"]
    services.articles_set_status(user=curator, articles=[q[0]], status=Article.Status.DRAFT)
    html = client.get(corpus["quake"].get_absolute_url()).content.decode()
    assert _titles(html) == {q[1].title}


def test_the_timeline_draws_each_dated_article_and_links_it(client, corpus):
    html = client.get(corpus["quake"].get_absolute_url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<circle") == 2
    for article in corpus["q"][:2]:
        assert f'href="{article.get_absolute_url()}"' in svg
    assert "29 Jul 2018" in svg
    assert 'name="articles"' in html
    assert 'action="/compare/"' in html


def test_the_home_page_lists_confirmed_stories_newest_first(client, corpus, curator, make_article):
    votes = [make_article("vote", i) for i in range(2)]
    vote = Story.objects.get(memberships__article=votes[0])
    services.stories_confirm(user=curator, stories=[vote])
    html = client.get("/").content.decode()
    section = html[html.index('id="home-stories-heading"') : html.index("<h1>Articles</h1>")]
    assert section.index(corpus["quake"].title) < section.index(vote.title)  # 2018 before 2017
    assert corpus["crash"].title not in section
    assert "2 articles" in section  # the quake story as readers see it (one is suggested)


def test_the_list_search_and_compare_picker_filter_by_story(client, corpus, curator):
    quake, q, c = corpus["quake"], corpus["q"], corpus["c"]
    listed = client.get(f"/?story={quake.slug}").content.decode()
    assert q[0].title in listed
    assert q[1].title in listed
    assert q[2].title not in listed
    assert c[0].title not in listed
    found = client.get(f"/search/?q=officials&story={quake.slug}").content.decode()
    assert q[0].slug in found
    assert c[0].slug not in found
    picker = client.get(f"/compare/?story={quake.slug}").content.decode()
    assert f'value="{q[0].slug}"' in picker
    assert f'value="{c[0].slug}"' not in picker
    # A proposed story filters nothing in for readers.
    assert c[0].title not in client.get(f"/?story={corpus['crash'].slug}").content.decode()


def _home_stories(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('id="home-stories-heading"') : html.index("<h1>Articles</h1>")]


def test_the_anonymous_home_page_follows_story_decisions(client, corpus, curator):
    assert corpus["crash"].title not in _home_stories(client)
    services.stories_confirm(user=curator, stories=[corpus["crash"]])
    assert corpus["crash"].title in _home_stories(client)


def test_claims_in_the_story_as_the_reader_may_see_them(client, corpus, django_user_model):
    alice = django_user_model.objects.create_user("alice", password="pw-alice-123456")
    article = corpus["q"][0]
    shown = Claim.objects.create(text="Fourteen people died", created_by=alice, rating="supported")
    private = Claim.objects.create(text="A private hunch", created_by=alice)
    for claim, visibility in ((shown, Visibility.PUBLIC), (private, Visibility.PRIVATE)):
        Annotation.objects.create(
            article=article,
            revision=article.current_revision,
            anchor_revision=article.current_revision,
            creator=alice,
            claim=claim,
            visibility=visibility,
            motivation="assessing",
            exact="Officials",
            start=0,
            end=9,
        )
    html = client.get(corpus["quake"].get_absolute_url()).content.decode()
    assert "Fourteen people died" in html
    assert "Supported" in html
    assert "A private hunch" not in html
    client.force_login(alice)
    assert "A private hunch" in client.get(corpus["quake"].get_absolute_url()).content.decode()


def test_the_story_page_costs_the_same_queries_for_many_articles(client, make_article, curator):
    """Two vote stories (each the other's "story like this one"), of 4 and of 15 articles."""
    stories = []
    for n in (4, 15):
        articles = [make_article("vote", i + 100 * n) for i in range(n)]
        stories.append(
            services.story_create(
                user=curator, title=f"Vote {n}", article_ids=[a.pk for a in articles]
            )
        )

    def queries(story: Story) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(story.get_absolute_url()).status_code == 200
        return len(ctx)

    assert queries(stories[0]) == queries(stories[1])


def test_the_cached_story_page_follows_every_change_at_once(client, corpus, curator):
    quake, q = corpus["quake"], corpus["q"]
    assert q[2].title not in _titles(client.get(quake.get_absolute_url()).content.decode())
    services.story_memberships_confirm(user=curator, memberships=quake.memberships.all())
    assert q[2].title in _titles(client.get(quake.get_absolute_url()).content.decode())
    services.articles_set_status(user=curator, articles=[q[0]], status=Article.Status.DRAFT)
    assert q[0].title not in _titles(client.get(quake.get_absolute_url()).content.decode())
    services.story_update(user=curator, story=quake, title="Renamed quake", summary="")
    assert "Renamed quake" in client.get(quake.get_absolute_url()).content.decode()


def test_a_second_reader_gets_the_article_side_from_the_cache(client, make_article, curator):
    """The article side (timeline, articles, coverage, carried passages, differences, framing)
    is rendered once per catalogue version: the next request reads none of its rows, and shows
    the same markup."""
    articles = [make_article("vote", i) for i in range(6)]
    story = services.story_create(user=curator, title="Vote", article_ids=[a.pk for a in articles])

    def fetch() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        return len(ctx), response.content.decode()

    cold, first = fetch()
    warm, second = fetch()
    assert first == second
    # The part reads members, their articles, outlets like it, links, wire passages, bodies,
    # discrepancies and framing: at least six queries a warm request does not make.
    assert warm <= cold - 6, (cold, warm)

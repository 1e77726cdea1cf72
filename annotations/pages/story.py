"""The story page's selector: the article side (articles/stories/selectors.py), rendered once
and kept under a key cache.py makes, and the claims carried in its articles, as the reader may
see them (read for every request: they follow each reader's groups)."""

from functools import cached_property

from django.conf import settings
from django.db.models import Count, Q

from articles.models import Story
from articles.stories.selectors import StoryArticles, story_articles, story_get_for_user

from .. import access
from ..models import Claim
from . import cache

CLAIMS_SHOWN = 20


def story_claims(*, user: access.User | None, story: Story) -> list[Claim]:
    """Claims the reader may see that passages of the story's articles (as this reader sees
    them) carry or dispute, the most carried first, each with how many articles mark it."""
    members = (
        access.story_memberships_visible_to(user)
        .filter(story=story, article__in=access.articles_visible_to(user))
        .values("article_id")
    )
    passages = Q(annotations__article__in=members) & access.annotation_visibility_q(
        user, prefix="annotations__"
    )
    return list(
        access.claims_visible_to(user)
        .filter(passages)
        .annotate(
            articles=Count("annotations__article", filter=passages, distinct=True),
            passages=Count("annotations", filter=passages, distinct=True),
        )
        .order_by("-articles", "-passages", "pk")[:CLAIMS_SHOWN]
    )


class StoryPage:
    """A story as one reader sees it. `part` (the article side) is built only when its
    rendered fragment is not in the cache."""

    def __init__(self, *, story: Story, user: access.User | None) -> None:
        self.story = story
        self.user = user
        self.curator = access.is_curator(user)
        self.cache_key = cache.story_part_key(story_id=story.pk, curator=self.curator)
        self.cache_seconds: int = settings.ASTANA_PAGE_CACHE_SECONDS

    @cached_property
    def part(self) -> StoryArticles:
        return story_articles(story=self.story, user=self.user)

    @cached_property
    def claims(self) -> list[Claim]:
        return story_claims(user=self.user, story=self.story)


def story_page(*, user: access.User | None, slug: str) -> StoryPage:
    """The story page; NotVisible when the reader may not see the story."""
    return StoryPage(story=story_get_for_user(user=user, slug=slug), user=user)

"""The story page's selector: the article side (articles/stories/selectors.py) and the claims
carried in its articles, as the reader may see them."""

from dataclasses import dataclass

from django.db.models import Count, Q

from articles.models import Story
from articles.stories.selectors import StoryArticles, story_articles, story_get_for_user

from .. import access
from ..models import Claim
from . import cache

CLAIMS_SHOWN = 20


@dataclass
class StoryPage:
    part: StoryArticles
    claims: list[Claim]

    @property
    def story(self) -> Story:
        return self.part.story


def story_claims(*, user: access.User | None, article_ids: list[int]) -> list[Claim]:
    """Claims the reader may see that passages of these articles carry or dispute, the most
    carried first, each with how many of these articles mark it."""
    passages = Q(annotations__article__in=article_ids) & access.annotation_visibility_q(
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


def story_page(*, user: access.User | None, slug: str) -> StoryPage:
    """The story page; NotVisible when the reader may not see the story."""
    story = story_get_for_user(user=user, slug=slug)
    part = cache.story_part(
        story_id=story.pk,
        curator=access.is_curator(user),
        build=lambda: story_articles(story=story, user=user),
    )
    return StoryPage(
        part=part, claims=story_claims(user=user, article_ids=[a.pk for a in part.articles])
    )

"""What a search covers: the three kinds it finds (`SearchKind`), the filters a user is offered
(`search_filters`: outlets with published articles, tags on what they may see), and, for each
kind, the queryset of rows the user may find once the outlet and tag filters apply. Access
comes from `annotations.access` only; nothing here knows which database searches."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from taggit.models import Tag

from articles.models import Article, Outlet, Story
from articles.stories import selectors as story_selectors

from .. import access
from ..models import Annotation, Claim, TaggedAnnotation, TaggedClaim


class SearchKind(models.TextChoices):
    ARTICLE = "article", "Articles"
    ANNOTATION = "annotation", "Annotations"
    CLAIM = "claim", "Claims"

    @property
    def code(self) -> int:
        """The kind's part of an FTS5 rowid (pk * 4 + code), as in the migration."""
        return {"article": 1, "annotation": 2, "claim": 3}[self.value]

    @property
    def singular(self) -> str:
        return self.label.removesuffix("s")


def kind_model(kind: SearchKind) -> type[models.Model]:
    return {
        SearchKind.ARTICLE: Article,
        SearchKind.ANNOTATION: Annotation,
        SearchKind.CLAIM: Claim,
    }[kind]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What the filters offer this user."""

    outlets: list[Outlet]
    tags: list[Tag]
    stories: list[Story]
    kinds: type[SearchKind] = SearchKind


def search_filters(*, user) -> SearchFilters:
    """Outlets with published articles, and the tags on what the user may see."""
    visible = access.annotations_listed_for(user)
    tags = Tag.objects.filter(
        Exists(TaggedAnnotation.objects.filter(tag=OuterRef("pk"), content_object__in=visible))
        | Exists(
            TaggedClaim.objects.filter(
                tag=OuterRef("pk"), content_object__in=access.claims_visible_to(user)
            )
        )
    ).order_by("name")
    outlets = Outlet.objects.filter(
        Exists(access.articles_listed().filter(outlet=OuterRef("pk")))
    ).order_by("name")
    stories = story_selectors.stories_for_filter(user=user)
    return SearchFilters(outlets=list(outlets), tags=list(tags), stories=list(stories))


def _visible(kind: SearchKind, *, user, outlet: str, tag: str, story: str = "") -> QuerySet:
    """What of this kind the user may find, filtered by outlet, tag and story slugs."""
    rows = _visible_unstoried(kind, user=user, outlet=outlet, tag=tag)
    if not story:
        return rows
    in_story = story_selectors.articles_in_story_q(user=user, slug=story, prefix="")
    members = access.articles_visible_to(user).filter(in_story).values("pk")
    if kind is SearchKind.ARTICLE:
        return rows.filter(pk__in=members)
    if kind is SearchKind.ANNOTATION:
        return rows.filter(article__in=members)
    # A claim is in a story when a passage the user may see in one of its articles carries it.
    return rows.filter(
        Exists(
            access.annotations_listed_for(user).filter(claim=OuterRef("pk"), article__in=members)
        )
    )


def _visible_unstoried(kind: SearchKind, *, user, outlet: str, tag: str) -> QuerySet:
    if kind is SearchKind.ARTICLE:
        rows = access.articles_listed()
        if outlet:
            rows = rows.filter(outlet__slug=outlet)
        if tag:
            # An article carries a tag when a passage of it the user may see does.
            tagged = access.annotations_visible_to(user).filter(
                article=OuterRef("pk"), tags__slug=tag
            )
            rows = rows.filter(Exists(tagged))
        return rows
    if kind is SearchKind.ANNOTATION:
        rows = access.annotations_listed_for(user)
        if outlet:
            rows = rows.filter(article__outlet__slug=outlet)
        if tag:
            rows = rows.filter(
                Exists(
                    TaggedAnnotation.objects.filter(content_object=OuterRef("pk"), tag__slug=tag)
                )
            )
        return rows
    rows = access.claims_visible_to(user)
    if outlet:
        # A claim is from an outlet when a passage the user may see there carries it.
        carried = access.annotations_listed_for(user).filter(
            claim=OuterRef("pk"), article__outlet__slug=outlet
        )
        rows = rows.filter(Exists(carried))
    if tag:
        rows = rows.filter(
            Exists(TaggedClaim.objects.filter(content_object=OuterRef("pk"), tag__slug=tag))
        )
    return rows

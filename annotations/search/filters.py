"""What a search covers: the three kinds it finds (`SearchKind`), the filters a user is offered
(`search_filters`: outlets with published articles, tags on what they may see), and, for each
kind, the queryset of rows the user may find once the outlet and tag filters apply. Access
comes from `annotations.access` only, cache keys from `annotations.pages.cache`; nothing here
knows which database searches."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as page_cache
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from taggit.models import Tag

from articles.models import Article, Outlet, Story
from articles.stories import selectors as story_selectors

from .. import access
from ..models import Annotation, Claim, TaggedAnnotation, TaggedClaim
from ..pages import cache


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


def search_filters(*, user, beyond: access.Beyond | None = None) -> SearchFilters:
    """Outlets with published articles, and the tags on what the user may see (by name): those
    on what everyone may see, kept in the cache, and the reader's own additions (on what they
    may see beyond that: `beyond`, access.reader_beyond(user) when not given)."""
    if beyond is None:
        beyond = access.reader_beyond(user)
    tags = {tag.pk: tag for tag in _tags_everyone_sees()}
    tags |= {tag.pk: tag for tag in _tags_beyond_everyone(beyond)}
    outlets = Outlet.objects.filter(
        Exists(access.articles_listed().filter(outlet=OuterRef("pk")))
    ).order_by("name")
    stories = story_selectors.stories_for_filter(user=user)
    return SearchFilters(
        outlets=list(outlets),
        tags=sorted(tags.values(), key=lambda tag: (tag.name.casefold(), tag.name)),
        stories=list(stories),
    )


def _tags_everyone_sees() -> list[Tag]:
    """The tags on what an anonymous reader may find (and so every reader): drawn once and
    kept in the cache under cache.search_tags_key, which moves whenever that could change."""
    key = cache.search_tags_key()
    rows: list[tuple[int, str, str]] | None = page_cache.get(key)
    if rows is None:
        passages = TaggedAnnotation.objects.filter(
            access.annotation_visibility_q(None, "content_object__"),
            access.article_listed_q("content_object__article__"),
            tag=OuterRef("pk"),
        )
        claims = TaggedClaim.objects.filter(
            access.claim_visibility_q(None, "content_object__"), tag=OuterRef("pk")
        )
        # A union: each side is read as a join (an OR of the two would be tried tag by tag).
        fields = ("pk", "name", "slug")
        rows = list(
            Tag.objects.filter(Exists(passages))
            .values_list(*fields)
            .union(Tag.objects.filter(Exists(claims)).values_list(*fields))
        )
        page_cache.set(key, rows, settings.ASTANA_PAGE_CACHE_SECONDS)
    return [Tag(pk=pk, name=name, slug=slug) for pk, name, slug in rows]


def _tags_beyond_everyone(beyond: access.Beyond) -> list[Tag]:
    """The tags on what one reader may find beyond what everyone may (their own and their
    groups' records): read each time, never kept. No query when there are none."""
    if beyond.empty:
        return []
    passages = TaggedAnnotation.objects.filter(
        beyond.annotations_q("content_object__"),
        access.article_listed_q("content_object__article__"),
    )
    claims = TaggedClaim.objects.filter(beyond.claims_q("content_object__"))
    return list(
        Tag.objects.filter(
            Q(pk__in=passages.values("tag_id")) | Q(pk__in=claims.values("tag_id"))
        ).only("pk", "name", "slug")
    )


def _visible(
    kind: SearchKind, *, user, beyond: access.Beyond, outlet: str, tag: str, story: str = ""
) -> QuerySet:
    """What of this kind the user may find, filtered by outlet, tag and story slugs: what
    everyone may find and what `beyond` (access.reader_beyond(user)) adds for this reader."""
    rows = _visible_unstoried(kind, beyond=beyond, outlet=outlet, tag=tag)
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
            access.annotations_listed_with(beyond).filter(claim=OuterRef("pk"), article__in=members)
        )
    )


def _visible_unstoried(
    kind: SearchKind, *, beyond: access.Beyond, outlet: str, tag: str
) -> QuerySet:
    if kind is SearchKind.ARTICLE:
        rows = access.articles_listed()
        if outlet:
            rows = rows.filter(outlet__slug=outlet)
        if tag:
            # An article carries a tag when a passage of it the user may see does.
            tagged = access.annotations_listed_with(beyond).filter(
                article=OuterRef("pk"), tags__slug=tag
            )
            rows = rows.filter(Exists(tagged))
        return rows
    if kind is SearchKind.ANNOTATION:
        rows = access.annotations_listed_with(beyond)
        if outlet:
            rows = rows.filter(article__outlet__slug=outlet)
        if tag:
            rows = rows.filter(
                Exists(
                    TaggedAnnotation.objects.filter(content_object=OuterRef("pk"), tag__slug=tag)
                )
            )
        return rows
    rows = access.claims_visible_with(beyond)
    if outlet:
        # A claim is from an outlet when a passage the user may see there carries it.
        carried = access.annotations_listed_with(beyond).filter(
            claim=OuterRef("pk"), article__outlet__slug=outlet
        )
        rows = rows.filter(Exists(carried))
    if tag:
        rows = rows.filter(
            Exists(TaggedClaim.objects.filter(content_object=OuterRef("pk"), tag__slug=tag))
        )
    return rows

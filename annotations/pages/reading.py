"""The reading page's selector: everything the article page shows, gathered in one place.

The read path of a highlight: the view (pages/views.py) asks `reading_page` here; it reads
the annotations the reader may see (access.py), turns the attached ones into spans, and
articles/highlights.py cuts each block's text into segments the template marks. The body and
the sidebar are cached under a key cache.py makes; on a hit, `ReadingPage.story` and
`ReadingPage.annotations` are never computed.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings

from articles.highlights import Span, StoryItem, story_with_highlights
from articles.models import Article, Story
from articles.reading import ReadingLayout, reading_layout
from articles.selectors import SharingArticle, article_get_for_reading, articles_sharing_with
from articles.stories.selectors import stories_of_article

from .. import access
from ..models import AnchorStatus, Group
from . import cache
from .cards import Card


@dataclass(slots=True)
class ReaderAnnotations:
    cards: list[Card]  # anchored on the current revision, in text order
    orphans: list[Card]  # orphaned, or left on an older revision
    spans: list[Span]
    page_notes: list[Card] = field(default_factory=list)  # on the whole article, oldest first
    groups: list[Group] = field(default_factory=list)  # the reader's: layers to show and write

    @property
    def tags(self) -> list[str]:
        listed = self.cards + self.page_notes
        return sorted({t.name for c in listed for t in c.annotation.tags.all()}, key=str.lower)

    @property
    def authors(self) -> list[str]:
        listed = self.cards + self.page_notes
        return sorted({c.annotation.creator.get_username() for c in listed}, key=str.lower)


def annotations_for_reader(*, user, article: Article) -> ReaderAnnotations:
    """What a reader sees of an article's annotations: cards, orphans and highlight spans."""
    records = list(
        access.annotations_visible_to(user)
        .filter(article=article)
        .select_related("creator", "claim", "anchor_revision", "group")
        .prefetch_related("tags")
        .order_by("start", "end", "created", "pk")
    )
    user_id = user.pk if user is not None and user.is_authenticated else None

    top = {a.pk: Card.of(a, user_id=user_id) for a in records if a.parent_id is None}
    for annotation in records:
        if annotation.parent_id in top:
            top[annotation.parent_id].replies.append(Card.of(annotation, user_id=user_id))
    current = article.current_revision_id
    cards, orphans, page_notes = [], [], []
    for item in top.values():
        annotation = item.annotation
        if annotation.is_page_note:
            page_notes.append(item)
        elif (
            annotation.anchor_status in AnchorStatus.unattached()
            or annotation.anchor_revision_id != current
        ):
            orphans.append(item)
        else:
            cards.append(item)
    page_notes.sort(key=lambda note: (note.annotation.created, note.annotation.pk))
    for item in cards + orphans + page_notes:
        item.replies.sort(key=lambda reply: (reply.annotation.created, reply.annotation.pk))
    spans = [
        Span(c.annotation.pk, c.annotation.start, c.annotation.end, c.annotation.colour)
        for c in cards
    ]
    return ReaderAnnotations(
        cards=cards,
        orphans=orphans,
        spans=spans,
        page_notes=page_notes,
        groups=list(access.groups_of(user)),
    )


class ReadingPage:
    """An article as one reader sees it. `story` and `annotations` are read only when the
    cached body or sidebar has to be rendered again."""

    def __init__(self, *, article: Article, user: access.User | None) -> None:
        self.article = article
        self.user = user
        self.layout: ReadingLayout = reading_layout(article.current_revision.ordered_blocks)
        self.sharing: list[SharingArticle] = articles_sharing_with(article=article)
        self.stories: list[Story] = stories_of_article(article=article, user=user)
        self.cache_key: str = cache.reader_cache_key(article=article, user=user)
        self.cache_seconds: int = settings.ASTANA_PAGE_CACHE_SECONDS

    @cached_property
    def annotations(self) -> ReaderAnnotations:
        return annotations_for_reader(user=self.user, article=self.article)

    @cached_property
    def story(self) -> list[StoryItem]:
        return story_with_highlights(self.layout.story, self.annotations.spans)


def reading_page(*, user: access.User | None, slug: str) -> ReadingPage:
    """The reading page of the article with this address, as this user may see it.

    Raises access.NotVisible when there is no such article the user may open."""
    try:
        article = article_get_for_reading(user=user, slug=slug)
    except Article.DoesNotExist:
        raise access.NotVisible from None
    return ReadingPage(article=article, user=user)

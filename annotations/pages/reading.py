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
from django.utils.safestring import SafeString

from articles.highlights import Span, StoryItem, story_with_highlights
from articles.models import Article, Story
from articles.reading import ReadingLayout, reading_layout
from articles.selectors import SharingArticle, article_get_for_reading, articles_sharing_with
from articles.stories.selectors import stories_of_article

from .. import access
from ..models import AnchorStatus, Group
from . import cache
from .cards import CARD_COLUMNS, Card, cards_html, cards_of

# The sidebar shows this many cards in the text at first, and pages in the rest this many at a
# time as the reader scrolls to its end (static/js/annotator/sidebar-more.js).
CARDS_SHOWN = 200


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
        return sorted({t.name for c in listed for t in c.tags}, key=str.lower)

    @property
    def cards_html(self) -> SafeString:
        """The first CARDS_SHOWN cards; the sidebar pages in the rest (`more`)."""
        return cards_html(self.cards[:CARDS_SHOWN])

    @property
    def shown(self) -> int:
        return min(len(self.cards), CARDS_SHOWN)

    @property
    def more(self) -> int:
        """How many cards in the text the sidebar leaves for its next pages."""
        return max(0, len(self.cards) - CARDS_SHOWN)

    def cards_page(self, start: int) -> tuple[SafeString, int]:
        """The HTML of the page of cards that begins at `start`, and where the next begins
        (0: none after it)."""
        end = start + CARDS_SHOWN
        return cards_html(self.cards[start:end]), (end if end < len(self.cards) else 0)

    @property
    def orphans_html(self) -> SafeString:
        return cards_html(self.orphans)

    @property
    def page_notes_html(self) -> SafeString:
        return cards_html(self.page_notes)

    @property
    def authors(self) -> list[str]:
        listed = self.cards + self.page_notes
        return sorted({c.annotation.creator.get_username() for c in listed}, key=str.lower)


def annotations_for_reader(*, user, article: Article) -> ReaderAnnotations:
    """What a reader sees of an article's annotations: cards, orphans and highlight spans."""
    records = list(
        access.annotations_visible_to(user)
        .filter(article=article)
        .select_related("creator", "claim", "group")
        .only(*CARD_COLUMNS)
        .order_by("start", "end", "created", "pk")
    )
    user_id = user.pk if user is not None and user.is_authenticated else None
    cards_by_id = cards_of(records, user_id=user_id)
    top = {a.pk: cards_by_id[a.pk] for a in records if a.parent_id is None}
    for annotation in records:
        if annotation.parent_id in top:
            top[annotation.parent_id].replies.append(cards_by_id[annotation.pk])
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
    cached body or sidebar has to be rendered again.

    `shared`: the page drawn for every signed-in reader who reads what anonymous readers
    read there (cache.shared_reader): its annotations, stories and fragments are the
    anonymous reader's, and the body's fragment is the anonymous page's own; nothing in it
    is of the reader (pages/shared.py fills that in)."""

    def __init__(self, *, article: Article, user: access.User | None, shared: bool = False) -> None:
        self.article = article
        self.user = None if shared else user
        self.shared = shared
        self.cache_seconds: int = settings.ASTANA_PAGE_CACHE_SECONDS

    # Each read only when the page (or the fragment) that shows it is drawn: a reader given
    # the shared page with their own body and sidebar (pages/shared.py) reads the keys only.
    @cached_property
    def layout(self) -> ReadingLayout:
        return reading_layout(self.article.current_revision.ordered_blocks)

    @cached_property
    def sharing(self) -> list[SharingArticle]:
        return articles_sharing_with(article=self.article)

    @cached_property
    def stories(self) -> list[Story]:
        return stories_of_article(article=self.article, user=self.user)

    @cached_property
    def cache_key(self) -> str:
        return cache.reader_cache_key(article=self.article, user=self.user)

    @cached_property
    def sidebar_key(self) -> str:
        return cache.member_sidebar_key(self.cache_key) if self.shared else self.cache_key

    @cached_property
    def annotations(self) -> ReaderAnnotations:
        return annotations_for_reader(user=self.user, article=self.article)

    @cached_property
    def story(self) -> list[StoryItem]:
        return story_with_highlights(self.layout.story, self.annotations.spans)


def reading_page(*, user: access.User | None, slug: str, shared: bool = False) -> ReadingPage:
    """The reading page of the article with this address, as this user may see it (`shared`:
    as every signed-in reader who reads what anonymous readers read, see ReadingPage).

    Raises access.NotVisible when there is no such article the user may open."""
    try:
        article = article_get_for_reading(user=user, slug=slug)
    except Article.DoesNotExist:
        raise access.NotVisible from None
    return ReadingPage(article=article, user=user, shared=shared)

"""The compare page's selector: two to five articles side by side, from stored comparison
results, with the annotations and claims the reader may see.

What every reader who reads the same there sees is drawn once and kept, in three fragments
under keys cache.py makes: the picker's list of articles (the catalogue; the same for every
reader), the columns with their panels (the articles and the notes the reader sees on them:
what everyone reads, and what this reader reads beyond it, access.reader_beyond), and the
claims followed across outlets. A request costs the keys and whatever was not kept; the page
(`ComparePage`) is built only when a fragment must be drawn."""

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property

from django.conf import settings
from django.core.cache import cache as page_cache
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles import selectors as article_selectors
from articles.comparison.page import ComparePage, build_page
from articles.models import (
    Article,
    Attribution,
    Discrepancy,
    FramingFamily,
    FramingHit,
    PassageLink,
    WirePassage,
)
from articles.reading import reading_layout
from articles.selectors import wire_carried_by
from articles.stories import selectors as story_selectors

from .. import access
from ..models import Annotation
from ..selectors import linked_passages
from ..selectors.links import LinkedPassage
from . import cache

ClaimRows = list[tuple[Annotation, list[LinkedPassage]]]


def _between(ids: Sequence[int], revisions: Sequence[int]) -> Q:
    return Q(
        a_article__in=ids, b_article__in=ids, a_revision__in=revisions, b_revision__in=revisions
    )


def _notes(
    *, articles: Sequence[Article], user: access.User | None, claimed: bool = False
) -> dict[int, list[Annotation]]:
    """The passages the reader may see on each article's current text, in text order (with
    `claimed`, only those marked with a claim)."""
    ids = [a.pk for a in articles]
    rows = access.annotations_visible_to(user).filter(
        article__in=ids,
        anchor_revision__in=[a.current_revision_id for a in articles],
        parent__isnull=True,
        start__isnull=False,  # page notes have no passage to draw
    )
    if claimed:
        rows = rows.filter(claim__isnull=False)
    notes: dict[int, list[Annotation]] = {pk: [] for pk in ids}
    for annotation in (
        rows.exclude(anchor_status__in=("orphaned", "ambiguous"))  # on no words of this text
        .select_related("creator", "claim", "article__current_revision", "article__outlet")
        .order_by("start", "pk")
    ):
        notes[annotation.article_id].append(annotation)
    return notes


def _claims(notes: dict[int, list[Annotation]], user: access.User | None) -> ClaimRows:
    """The notes' claims, each with the passages other articles carry it in."""
    claims = [a for found in notes.values() for a in found if a.claim_id]
    targets = linked_passages(user=user, annotations=claims)
    return [(annotation, targets[annotation.pk]) for annotation in claims]


def comparison_build(*, articles: Sequence[Article], user: access.User | None) -> ComparePage:
    """The compare page of these articles (in column order, each with its current revision's
    blocks: articles_for_comparison), from stored results."""
    ids = [a.pk for a in articles]
    revisions = [a.current_revision_id for a in articles]
    links = list(PassageLink.objects.filter(_between(ids, revisions)).order_by("pk"))
    discrepancies = list(
        Discrepancy.objects.filter(_between(ids, revisions)).order_by("a_article", "a_start", "pk")
    )
    hits = list(FramingHit.objects.filter(revision__in=revisions).order_by("revision", "start"))
    attributions = list(
        Attribution.objects.filter(revision__in=revisions).order_by("revision", "start")
    )
    families = [
        (family.name, [term.phrase for term in family.terms.all()])
        for family in FramingFamily.objects.prefetch_related("terms")
    ]
    notes = _notes(articles=articles, user=user)
    wire = list(
        WirePassage.objects.filter(revision__in=revisions).values_list(
            "sentence", "article", "start", "end"
        )
    )
    page = build_page(
        articles=articles,
        blocks={a.pk: reading_layout(a.current_revision.ordered_blocks).story for a in articles},
        links=links,
        discrepancies=discrepancies,
        hits=hits,
        attributions=attributions,
        families=families,
        notes=notes,
        wire=wire,
        carried=wire_carried_by(sentences={row[0] for row in wire}),
    )
    page.claims = _claims(notes, user)
    return page


def comparison_view(*, articles: Sequence[Article], user: access.User | None) -> ComparePage:
    """The compare page of these articles, built whole (for a caller that reads its parts)."""
    return comparison_build(articles=articles, user=user)


def _kept(key: str | None, draw: Callable[[], str]) -> SafeString:
    """A fragment drawn once and kept under `key` (cache.py made it), or drawn each time when
    there is no key (a page not kept)."""
    if key is None:
        return mark_safe(draw())  # drawn from templates, which escape
    html: str | None = page_cache.get(key)
    if html is None:
        html = draw()
        page_cache.set(key, html, settings.ASTANA_PAGE_CACHE_SECONDS)
    return mark_safe(html)  # drawn from templates, which escape


# The picker lists every article while there are this many or fewer; past that, the newest
# (and the chosen ones): a story lists its own, and an article page offers "Compare with…".
PICKER_ALL = 300
PICKER_NEWEST = 100


def compare_picker(*, user: access.User | None, chosen: Sequence[str], story: str) -> SafeString:
    """The picker's story filter and list of articles, the chosen ones ticked: drawn once per
    version of the catalogue for each address (cache.compare_picker_key) and kept for every
    reader of it (curators apart)."""
    key = cache.compare_picker_key(story=story, chosen=chosen, curator=access.is_curator(user))

    def draw() -> str:
        every = article_selectors.compare_choices()
        context: dict[str, object] = {}
        choices: Iterable[Article]
        if story:  # the story's articles, and those already ticked
            choices = every.filter(
                story_selectors.articles_in_story_q(user=user, slug=story) | Q(slug__in=chosen)
            )
        elif len(choices := list(every[: PICKER_ALL + 1])) > PICKER_ALL:
            newest = every.order_by(
                F("published_date").desc(nulls_last=True), "-created", "-pk"
            ).values("pk")[:PICKER_NEWEST]
            choices = every.filter(Q(pk__in=newest) | Q(slug__in=chosen))
            context = {"newest": PICKER_NEWEST, "total": every.count()}
        return render_to_string(
            "articles/_compare_picker.html",
            {
                **context,
                "choices": choices,
                "chosen": chosen,
                "story": story,
                "stories": story_selectors.stories_for_filter(user=user),
            },
        )

    return _kept(key, draw)


class Comparison:
    """The compare page of chosen articles as one reader sees it (cache.compare_keys): its
    fragments drawn from the page only when they were not kept."""

    def __init__(
        self, *, articles: Sequence[Article], user: access.User | None, address: str
    ) -> None:
        self.articles = list(articles)
        self.user = user
        self.address = address  # the page's own address, for the claims' links back
        self.keys = cache.compare_keys(
            articles=self.articles, user=user, beyond=access.annotations_beyond_everyone(user)
        )

    @cached_property
    def page(self) -> ComparePage:
        return comparison_build(articles=self.articles, user=self.user)

    def _draw(self, template: str, **context: object) -> str:
        return render_to_string(template, {"page": self.page, **context})

    @cached_property
    def coverage(self) -> SafeString:
        """The coverage and "Where they differ" panels."""
        key = self.keys and f"{self.keys.body}:coverage"
        return _kept(key, lambda: self._draw("articles/_compare_coverage.html"))

    @cached_property
    def claims(self) -> SafeString:
        """The claims panel: each claim marked here, where else it is carried."""
        key = self.keys and self.keys.claims

        def draw() -> str:
            if "page" in self.__dict__:  # built already: its claims
                rows = self.page.claims
            else:
                rows = _claims(
                    _notes(articles=self.articles, user=self.user, claimed=True), self.user
                )
            return render_to_string(
                "articles/_compare_claims.html",
                {"claims": rows, "user": self.user, "compare_url": self.address},
            )

        return _kept(key, draw)

    @cached_property
    def framing(self) -> SafeString:
        """The framing and "Who is quoted" panels."""
        key = self.keys and f"{self.keys.body}:framing"
        return _kept(key, lambda: self._draw("articles/_compare_framing.html"))

    @cached_property
    def columns(self) -> SafeString:
        """The key, the tabs and the columns of text."""
        key = self.keys and f"{self.keys.body}:columns"
        return _kept(key, lambda: self._draw("articles/_compare_columns.html"))


def comparison_page(
    *, articles: Sequence[Article], user: access.User | None, address: str
) -> Comparison:
    return Comparison(articles=articles, user=user, address=address)

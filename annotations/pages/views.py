"""The pages that show articles with their annotations: the article list, the reading page,
compare and search. Each view parses its input, asks its page's selector (listing.py,
reading.py, compare.py, annotations/search/) and renders; cache.py serves anonymous readers."""

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from articles import selectors as article_selectors
from articles.models import Article
from articles.stories import selectors as story_selectors

from .. import access
from .. import search as site_search
from ..models import Colour, Motivation
from . import cache, listing
from .compare import compare_picker, comparison_page
from .reading import CARDS_SHOWN, ReadingPage, reading_page
from .shared import annotator_config, shared_reading_response
from .story import story_page


def _page_number(value: str | None) -> int:
    """?page= as the list reads it: a whole number from 1; anything else is the first page."""
    if value and value.isascii() and value.isdigit() and len(value) < 10:
        return max(int(value), 1)
    return 1


def _list_version(request: HttpRequest) -> str | None:
    return cache.site_version(
        outlet=request.GET.get("outlet", ""),
        story=request.GET.get("story", ""),
        page=_page_number(request.GET.get("page")),
        per_page=settings.ASTANA_ARTICLES_PER_PAGE,
    )


def _canonical_page(values: list[str]) -> str:
    number = _page_number(values[-1] if values else None)
    return str(number) if number > 1 else ""


# The query parameters each cached page reads, canonical (cache.anonymous_page keys on
# these and renders from them; any other parameter is ignored).
LIST_PARAMS = {
    "sort": cache.last_value(
        lambda v: v in listing.ARTICLE_SORTS and v != listing.DEFAULT_ARTICLE_SORT
    ),
    "outlet": cache.last_value(lambda v: True),
    "story": cache.last_value(lambda v: True),
    "page": _canonical_page,
}


@cache.anonymous_page(_list_version, params=LIST_PARAMS)
def article_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", listing.DEFAULT_ARTICLE_SORT)
    if sort not in listing.ARTICLE_SORTS:
        sort = listing.DEFAULT_ARTICLE_SORT
    outlet, story = request.GET.get("outlet", ""), request.GET.get("story", "")
    articles = listing.article_list(
        user=request.user, outlet_slug=outlet, story_slug=story, sort=sort
    )
    number = _page_number(request.GET.get("page"))
    page = Paginator(articles, settings.ASTANA_ARTICLES_PER_PAGE).get_page(number)
    outlets = list(article_selectors.outlets_with_published_articles())
    stories = list(story_selectors.stories_for_filter(user=request.user))
    return render(
        request,
        "articles/article_list.html",
        {
            "page": page,
            "sort": sort,
            "outlet": outlet,
            "outlets": outlets,
            "current_outlet": next((o for o in outlets if o.slug == outlet), None),
            "story": story,
            "stories": stories,
            "current_story": next((s for s in stories if s.slug == story), None),
            # The home page (the first page, unfiltered) opens with the newest stories.
            "home_stories": (
                story_selectors.stories_for_home(user=request.user)
                if number == 1 and not outlet and not story
                else []
            ),
        },
    )


def article_cards(request: HttpRequest, slug: str) -> HttpResponse:
    """A page of the reading page's cards in the text (`?from=`: the first card's place), as
    the reader may see them: the sidebar pages them in as the reader scrolls, and the link
    at its end opens it without JavaScript."""
    try:
        page = reading_page(user=request.user, slug=slug)
    except access.NotVisible:
        raise Http404("No published article with that address.") from None
    try:
        start = max(0, int(request.GET.get("from", "0")))
    except ValueError:
        start = 0
    cards = page.annotations.cards
    html, following = page.annotations.cards_page(start)
    return render(
        request,
        "annotations/article_cards.html",
        {
            "article": page.article,
            "cards_html": html,
            "first": min(start + 1, len(cards)),
            "last": min(start + CARDS_SHOWN, len(cards)),
            "total": len(cards),
            "following": following,
        },
    )


def _reading_context(page: ReadingPage) -> dict:
    return {"page": page, "article": page.article, "palette": Colour, "motivations": Motivation}


@cache.anonymous_page(lambda request, slug: cache.article_page_version(slug=slug), params={})
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    shared = shared_reading_response(request, slug=slug, context=_reading_context)
    if shared is not None:
        return shared
    try:
        page = reading_page(user=request.user, slug=slug)
    except access.NotVisible:
        raise Http404("No published article with that address.") from None
    address = page.article.get_absolute_url()
    return render(
        request,
        "articles/article_detail.html",
        {
            **_reading_context(page),
            "annotator_config": annotator_config(request, slug=slug, address=address),
        },
    )


def _is_slug(value: str) -> bool:
    return len(value) <= 100 and value.isascii() and all(c.isalnum() or c in "-_" for c in value)


def _compare_slugs(request: HttpRequest) -> list[str]:
    return [s for value in request.GET.getlist("articles") for s in value.split(",")]


def _canonical_slugs(values: list[str]) -> str:
    """?articles= as the compare page reads it: each slug once, in order, comma-separated."""
    slugs = (s.strip() for value in values for s in value.split(","))
    return ",".join(dict.fromkeys(s for s in slugs if s))


@cache.anonymous_page(
    lambda request: cache.compare_page_version(slugs=_compare_slugs(request)),
    params={"articles": _canonical_slugs, "story": cache.last_value(_is_slug)},
)
def compare(request: HttpRequest) -> HttpResponse:
    """Two to five articles side by side: ?articles=a,b,c (or repeated articles=...); the
    picker lists the articles of one story with ?story=."""
    slugs = _compare_slugs(request)
    story = request.GET.get("story", "")
    chosen = [s.strip() for s in slugs if s.strip()]
    context: dict[str, object] = {
        "chosen": chosen,
        "story": story,
        "picker": compare_picker(user=request.user, chosen=chosen, story=story),
    }
    if len(set(chosen)) < 2:
        if chosen:
            context["hint"] = "Choose at least one more article to compare it with."
        return render(request, "articles/compare.html", context)
    try:
        articles = article_selectors.articles_for_comparison(user=request.user, slugs=slugs)
    except article_selectors.CompareSelectionError as exc:
        return render(request, "articles/compare.html", {**context, "error": str(exc)}, status=400)
    comparison = comparison_page(
        articles=articles, user=request.user, address=compare_url(articles)
    )
    context["articles"] = articles
    context["comparison"] = comparison
    # The whole compare page, built only when read (the template reads the kept fragments).
    context["page"] = SimpleLazyObject(lambda: comparison.page)
    return render(request, "articles/compare.html", context)


def compare_url(articles: Sequence[Article]) -> str:
    """The address of the compare page of these articles, in this order."""
    return f"{reverse('articles:compare')}?articles={','.join(a.slug for a in articles)}"


SEARCH_PER_PAGE = 20
SEARCH_MAX_PAGE = 1000


def search(request: HttpRequest) -> HttpResponse:
    """Site search: ?q= with optional kind, outlet and tag filters, paged by ?page=."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in site_search.SearchKind.values else ""
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), SEARCH_MAX_PAGE)
    except ValueError:
        page = 1
    outlet, tag = request.GET.get("outlet", ""), request.GET.get("tag", "")
    story = request.GET.get("story", "")
    found = site_search.search_page(
        user=request.user,
        query=request.GET.get("q", ""),
        kind=kind,
        outlet=outlet,
        tag=tag,
        story=story,
        limit=SEARCH_PER_PAGE,
        offset=(page - 1) * SEARCH_PER_PAGE,
    )
    return render(
        request,
        "articles/search.html",
        {
            "results": found.results,
            "filters": found.filters,
            "kind": kind,
            "outlet": outlet,
            "tag": tag,
            "story": story,
            "page_number": page,
        },
    )


STORIES_PER_PAGE = 30


def story_list(request: HttpRequest) -> HttpResponse:
    """Every story the reader may see, the newest coverage first."""
    stories = story_selectors.stories_for_home(user=request.user, limit=None)
    page = Paginator(stories, STORIES_PER_PAGE).get_page(_page_number(request.GET.get("page")))
    return render(request, "stories/story_list.html", {"page": page})


def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = story_page(user=request.user, slug=slug)
    except access.NotVisible:
        raise Http404("No story with that address.") from None
    return render(request, "stories/story_detail.html", {"page": page, "story": page.story})

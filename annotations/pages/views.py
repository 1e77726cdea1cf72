"""The pages that show articles with their annotations: the article list, the reading page,
compare and search. Each view parses its input, asks its page's selector (listing.py,
reading.py, compare.py, annotations/search/) and renders; cache.py serves anonymous readers."""

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from articles import selectors as article_selectors
from articles.models import Article
from articles.stories import selectors as story_selectors

from .. import access
from .. import search as site_search
from ..models import Claim, Colour, Motivation
from . import cache, listing
from .compare import comparison_view
from .reading import reading_page
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


@cache.anonymous_page(lambda request, slug: cache.article_page_version(slug=slug), params={})
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = reading_page(user=request.user, slug=slug)
    except access.NotVisible:
        raise Http404("No published article with that address.") from None
    return render(
        request,
        "articles/article_detail.html",
        {
            "page": page,
            "article": page.article,
            "palette": Colour,
            "motivations": Motivation,
            "annotator_config": _annotator_config(request, page.article),
        },
    )


def _annotator_config(request: HttpRequest, article: Article) -> dict:
    """What the annotator's script needs to know, as JSON in the page."""
    address = article.get_absolute_url()
    user = request.user
    return {
        "article": article.slug,
        "articleUrl": request.build_absolute_uri(address),
        "signedIn": user.is_authenticated,
        "loginUrl": f"{reverse('login')}?next={address}",
        "signupUrl": f"{reverse('signup')}?next={address}",
        "username": user.get_username() if user.is_authenticated else "",
        "api": {
            "annotations": reverse("api:annotation-list"),
            "claims": reverse("api:claim-list"),
            "tags": reverse("api:tag-list"),
        },
        "palette": [{"value": c.value, "meaning": c.meaning} for c in Colour],
        "claimKinds": [{"value": v, "label": lbl} for v, lbl in Claim.Kind.choices],
        "claimRatings": [{"value": v, "label": lbl} for v, lbl in Claim.Rating.choices],
    }


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
    choices = article_selectors.compare_choices()
    if story:  # the story's articles, and those already ticked
        choices = choices.filter(
            story_selectors.articles_in_story_q(user=request.user, slug=story) | Q(slug__in=chosen)
        )
    context = {
        "choices": list(choices),
        "chosen": chosen,
        "story": story,
        "stories": list(story_selectors.stories_for_filter(user=request.user)),
    }
    if len(set(context["chosen"])) < 2:
        if context["chosen"]:
            context["hint"] = "Choose at least one more article to compare it with."
        return render(request, "articles/compare.html", context)
    try:
        articles = article_selectors.articles_for_comparison(user=request.user, slugs=slugs)
    except article_selectors.CompareSelectionError as exc:
        return render(request, "articles/compare.html", {**context, "error": str(exc)}, status=400)
    context["articles"] = articles
    context["page"] = comparison_view(articles=articles, user=request.user)
    context["compare_url"] = compare_url(articles)
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
    results = site_search.search(
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
            "results": results,
            "filters": site_search.search_filters(user=request.user),
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

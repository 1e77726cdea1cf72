"""Pages for reading articles. Each view parses input, calls a selector and renders."""

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from annotations.models import Claim, Colour, Motivation
from annotations.selectors import annotations_for_reader

from . import search as site_search
from . import selectors
from .ingest import Kind
from .models import Article
from .pagecache import anonymous_page, last_value
from .reading import kind_counts, raw_pieces, reading_layout, story_with_highlights


def _page_number(value: str | None) -> int:
    """?page= as the list reads it: a whole number from 1; anything else is the first page."""
    if value and value.isascii() and value.isdigit() and len(value) < 10:
        return max(int(value), 1)
    return 1


def _list_version(request: HttpRequest) -> str | None:
    return selectors.site_version(
        outlet=request.GET.get("outlet", ""),
        page=_page_number(request.GET.get("page")),
        per_page=settings.ASTANA_ARTICLES_PER_PAGE,
    )


def _canonical_page(values: list[str]) -> str:
    number = _page_number(values[-1] if values else None)
    return str(number) if number > 1 else ""


# The query parameters each cached page reads, canonical (pagecache.anonymous_page keys on
# these and renders from them; any other parameter is ignored).
LIST_PARAMS = {
    "sort": last_value(
        lambda v: v in selectors.ARTICLE_SORTS and v != selectors.DEFAULT_ARTICLE_SORT
    ),
    "outlet": last_value(lambda v: True),
    "page": _canonical_page,
}


@anonymous_page(_list_version, params=LIST_PARAMS)
def article_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", selectors.DEFAULT_ARTICLE_SORT)
    if sort not in selectors.ARTICLE_SORTS:
        sort = selectors.DEFAULT_ARTICLE_SORT
    outlet = request.GET.get("outlet", "")
    articles = selectors.article_list(outlet_slug=outlet, sort=sort)
    number = _page_number(request.GET.get("page"))
    page = Paginator(articles, settings.ASTANA_ARTICLES_PER_PAGE).get_page(number)
    outlets = list(selectors.outlets_with_published_articles())
    return render(
        request,
        "articles/article_list.html",
        {
            "page": page,
            "sort": sort,
            "outlet": outlet,
            "outlets": outlets,
            "current_outlet": next((o for o in outlets if o.slug == outlet), None),
        },
    )


def _article_or_404(slug: str) -> Article:
    try:
        return selectors.article_get_for_reading(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No published article with that address.") from None


@anonymous_page(lambda request, slug: selectors.article_page_version(slug=slug), params={})
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(slug)
    layout = reading_layout(article.current_revision.ordered_blocks)
    # The body and the sidebar are cached under a key that changes exactly when they would
    # (articles/selectors.reader_cache_key); on a hit these lazy values are never read.
    annotations = SimpleLazyObject(
        lambda: annotations_for_reader(user=request.user, article=article)
    )
    story = SimpleLazyObject(lambda: story_with_highlights(layout.story, annotations.spans))
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "layout": layout,
            "story": story,
            "annotations": annotations,
            "reader_key": selectors.reader_cache_key(article=article, user=request.user),
            "cache_seconds": settings.ASTANA_PAGE_CACHE_SECONDS,
            "sharing": selectors.articles_sharing_with(article=article),
            "palette": Colour,
            "motivations": Motivation,
            "annotator_config": {
                "article": article.slug,
                "articleUrl": request.build_absolute_uri(article.get_absolute_url()),
                "signedIn": request.user.is_authenticated,
                "loginUrl": f"{reverse('login')}?next={article.get_absolute_url()}",
                "signupUrl": f"{reverse('signup')}?next={article.get_absolute_url()}",
                "username": request.user.get_username() if request.user.is_authenticated else "",
                "api": {
                    "annotations": reverse("api:annotation-list"),
                    "claims": reverse("api:claim-list"),
                    "tags": reverse("api:tag-list"),
                },
                "palette": [{"value": c.value, "meaning": c.meaning} for c in Colour],
                "claimKinds": [{"value": v, "label": lbl} for v, lbl in Claim.Kind.choices],
                "claimRatings": [{"value": v, "label": lbl} for v, lbl in Claim.Rating.choices],
            },
        },
    )


def article_source(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(slug)
    revision = article.current_revision
    blocks = revision.ordered_blocks
    return render(
        request,
        "articles/article_source.html",
        {
            "article": article,
            "revision": revision,
            "pieces": raw_pieces(revision.raw_text, blocks),
            "readable": [b for b in blocks if b.body_start is not None],
            "counts": kind_counts(blocks),
            "kinds": list(Kind),
        },
    )


def _compare_slugs(request: HttpRequest) -> list[str]:
    return [s for value in request.GET.getlist("articles") for s in value.split(",")]


def _canonical_slugs(values: list[str]) -> str:
    """?articles= as the compare page reads it: each slug once, in order, comma-separated."""
    slugs = (s.strip() for value in values for s in value.split(","))
    return ",".join(dict.fromkeys(s for s in slugs if s))


@anonymous_page(
    lambda request: selectors.compare_page_version(slugs=_compare_slugs(request)),
    params={"articles": _canonical_slugs},
)
def compare(request: HttpRequest) -> HttpResponse:
    """Two to five articles side by side: ?articles=a,b,c (or repeated articles=...)."""
    slugs = _compare_slugs(request)
    choices = list(selectors.compare_choices())
    context = {"choices": choices, "chosen": [s.strip() for s in slugs if s.strip()]}
    if len(set(context["chosen"])) < 2:
        if context["chosen"]:
            context["hint"] = "Choose at least one more article to compare it with."
        return render(request, "articles/compare.html", context)
    try:
        articles = selectors.articles_for_comparison(slugs=slugs)
    except selectors.CompareSelectionError as exc:
        return render(request, "articles/compare.html", {**context, "error": str(exc)}, status=400)
    context["articles"] = articles
    context["page"] = selectors.comparison_view(articles=articles, user=request.user)
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
    results = site_search.search(
        user=request.user,
        query=request.GET.get("q", ""),
        kind=kind,
        outlet=outlet,
        tag=tag,
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
            "page_number": page,
        },
    )

"""Reads of articles and outlets. Views and services call these; they never write."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .ingest import OutletSignature
from .models import Article, Block, Outlet

ARTICLE_SORTS = {
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "outlet": ("outlet__name", "title"),
    "-outlet": ("-outlet__name", "title"),
    "dateline": ("dateline", "title"),
    "-dateline": ("-dateline", "title"),
    "words": ("word_count", "title"),
    "-words": ("-word_count", "title"),
    "annotations": ("annotation_count", "title"),
    "-annotations": ("-annotation_count", "title"),
    "claims": ("claim_count", "title"),
    "-claims": ("-claim_count", "title"),
}
DEFAULT_ARTICLE_SORT = "title"
# The list shows what every visitor can see: public, unhidden annotations (replies included).
PUBLIC_ANNOTATION = Q(annotations__visibility="public", annotations__is_hidden=False)


def outlet_signatures() -> list[OutletSignature]:
    """Every outlet as the ingest engine wants it."""
    return [
        OutletSignature(
            key=str(outlet.pk),
            name=outlet.name,
            signatures=tuple(s for s in outlet.signatures if isinstance(s, str) and s.strip()),
            is_agency=outlet.is_agency,
        )
        for outlet in Outlet.objects.only("pk", "name", "signatures", "is_agency")
    ]


def article_list(*, outlet_slug: str = "", sort: str = DEFAULT_ARTICLE_SORT) -> QuerySet[Article]:
    """Published articles with their outlet and annotation count, filtered and sorted."""
    order = ARTICLE_SORTS.get(sort, ARTICLE_SORTS[DEFAULT_ARTICLE_SORT])
    articles = (
        Article.objects.published()
        .select_related("outlet")
        .only(
            "slug",
            "title",
            "title_derived",
            "dateline",
            "word_count",
            "outlet__name",
            "outlet__slug",
        )
        .annotate(
            annotation_count=Count("annotations", filter=PUBLIC_ANNOTATION, distinct=True),
            claim_count=Count("annotations__claim", filter=PUBLIC_ANNOTATION, distinct=True),
        )
        .order_by(*order)
    )
    if outlet_slug:
        articles = articles.filter(outlet__slug=outlet_slug)
    return articles


def outlets_with_published_articles() -> QuerySet[Outlet]:
    """Outlets that have something to read, with how many articles, for the list filter."""
    return (
        Outlet.objects.annotate(
            article_count=Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED))
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )


def article_get_for_reading(*, slug: str) -> Article:
    """A published article with its current revision and that revision's blocks, in order.

    Raises Article.DoesNotExist when there is no such published article.
    """
    return (
        Article.objects.published()
        .select_related("outlet", "current_revision")
        .prefetch_related(
            Prefetch(
                "current_revision__blocks",
                queryset=Block.objects.order_by("position"),
                to_attr="ordered_blocks",
            )
        )
        .get(slug=slug)
    )

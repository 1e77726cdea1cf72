"""The article list as every reader sees it: published articles with the annotations and
claims anyone may read counted, filtered by outlet and sorted."""

from django.db.models import Count, F, QuerySet

from articles.models import Article
from articles.stories.selectors import articles_in_story_q

from .. import access

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
    # By publication date and local time (a day with no time counts as its start, as in
    # metadata.publication_instant); articles with no date come last either way.
    "published": (
        F("published_date").asc(nulls_last=True),
        F("published_time").asc(nulls_first=True),
        "title",
        "pk",
    ),
    "-published": (
        F("published_date").desc(nulls_last=True),
        F("published_time").desc(nulls_last=True),
        "title",
        "pk",
    ),
}
DEFAULT_ARTICLE_SORT = "title"
# The list counts what every visitor can see (replies included), by the access module's rule:
# a public reply under a private or hidden annotation is not counted.
PUBLIC_ANNOTATION = access.annotation_visibility_q(None, prefix="annotations__")


def article_list(
    *,
    user: access.User | None = None,
    outlet_slug: str = "",
    story_slug: str = "",
    sort: str = DEFAULT_ARTICLE_SORT,
) -> QuerySet[Article]:
    """Published articles with their outlet and annotation count, filtered (by outlet, by a
    story as the user sees its articles) and sorted."""
    order = ARTICLE_SORTS.get(sort, ARTICLE_SORTS[DEFAULT_ARTICLE_SORT])
    articles = (
        access.articles_listed()
        .select_related("outlet")
        .only(
            "slug",
            "title",
            "title_derived",
            "language",
            "direction",
            "dateline",
            "published_date",
            "published_time",
            "published_offset",
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
    if story_slug:
        articles = articles.filter(articles_in_story_q(user=user, slug=story_slug))
    return articles

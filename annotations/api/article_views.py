"""Articles in the API: the list (/api/articles/) and one article with its current text
(/api/articles/<slug>/), whose offsets annotations count in."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Article

from .. import access
from ..pages import listing
from .paging import page_of

ARTICLE_FIELDS = {
    "slug": serializers.CharField(),
    "url": serializers.URLField(),
    "api_url": serializers.URLField(),
    "title": serializers.CharField(),
    "title_derived": serializers.BooleanField(),
    "outlet": serializers.CharField(allow_null=True),
    "dateline": serializers.CharField(),
    "credits": serializers.ListField(child=serializers.CharField()),
    "language": serializers.CharField(),
    "word_count": serializers.IntegerField(),
    "revision": serializers.IntegerField(),
}
ArticleSummary = inline_serializer("ArticleSummary", ARTICLE_FIELDS)
ArticleSummaries = inline_serializer("ArticleSummaries", ARTICLE_FIELDS, many=True)


def _article_json(request: Request, article: Article, *, body: bool) -> dict:
    data = {
        "slug": article.slug,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("api:article-detail", args=[article.slug])),
        "title": article.title,
        "title_derived": article.title_derived,
        "outlet": article.outlet.name if article.outlet else None,
        "dateline": article.dateline,
        "credits": article.credits,
        "language": article.language,
        "word_count": article.word_count,
        "revision": article.current_revision.number if article.current_revision else None,
    }
    if body:
        revision = article.current_revision
        data["body"] = revision.body
        data["body_length"] = len(revision.body)
        data["sha256"] = revision.sha256
    return data


class ArticleListView(APIView):
    @extend_schema(responses={200: ArticleSummaries}, operation_id="articles_list")
    def get(self, request: Request) -> Response:
        articles = listing.article_list(sort=request.query_params.get("sort", "title"))
        articles = articles.select_related("current_revision").only(
            "slug",
            "title",
            "title_derived",
            "dateline",
            "credits",
            "language",
            "word_count",
            "outlet__name",
            "current_revision__number",
        )
        paginator, page = page_of(request, articles)
        return Response(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "results": [_article_json(request, a, body=False) for a in page.object_list],
            }
        )


class ArticleDetailView(APIView):
    @extend_schema(responses={200: ArticleSummary})
    def get(self, request: Request, slug: str) -> Response:
        article = access.article_get_for_annotating(user=request.user, slug=slug)
        return Response(_article_json(request, article, body=True))

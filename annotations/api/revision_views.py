"""One revision of an article's text: what the offsets of an annotation made on it count in
(the `cached` IRI of its target's state, annotations/revision_state.py)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access

ArticleRevisionSchema = inline_serializer(
    "ArticleRevision",
    {
        "article": serializers.CharField(),
        "number": serializers.IntegerField(),
        "current": serializers.BooleanField(),
        "created": serializers.DateTimeField(),
        "sha256": serializers.CharField(),
        "body": serializers.CharField(),
        "body_length": serializers.IntegerField(),
    },
)


class ArticleRevisionView(APIView):
    @extend_schema(responses={200: ArticleRevisionSchema})
    def get(self, request: Request, slug: str, number: int) -> Response:
        article = access.article_get_for_annotating(user=request.user, slug=slug)
        revision = article.revisions.filter(number=number).first()
        if revision is None:
            raise Http404("No such revision.")
        return Response(
            {
                "article": article.slug,
                "number": revision.number,
                "current": revision.pk == article.current_revision_id,
                "created": revision.created.isoformat(),
                "sha256": revision.sha256,
                "body": revision.body,
                "body_length": len(revision.body),
            }
        )

"""Tags in the API: /api/tags/?q= suggests the tags a reader may use, with their counts."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors


class TagListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR)],
        responses={
            200: inline_serializer(
                "Tag",
                {
                    "name": serializers.CharField(),
                    "slug": serializers.CharField(),
                    "count": serializers.IntegerField(),
                },
                many=True,
            )
        },
    )
    def get(self, request: Request) -> Response:
        return Response(
            selectors.tag_suggestions(
                user=request.user, query=request.query_params.get("q", "")[:100]
            )
        )

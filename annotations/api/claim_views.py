"""Claims in the API: the list and search (/api/claims/), and one claim (/api/claims/<pk>/) to
read, change or delete."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, selectors, services
from ..models import Claim
from ..w3c import claim_to_json
from .paging import page_of
from .throttling import AnnotationWriteThrottle

CLAIM_SCHEMA_FIELDS = {
    "id": serializers.URLField(read_only=True),
    "pk": serializers.IntegerField(read_only=True),
    "text": serializers.CharField(),
    "claimant": serializers.CharField(required=False),
    "kind": serializers.ChoiceField(Claim.Kind.choices, required=False),
    "rating": serializers.ChoiceField(Claim.Rating.choices, required=False),
    "reviewer_notes": serializers.CharField(required=False),
    "tags": serializers.ListField(child=serializers.CharField(), required=False),
}
ClaimSchema = inline_serializer("Claim", CLAIM_SCHEMA_FIELDS)
ClaimSchemas = inline_serializer("Claims", CLAIM_SCHEMA_FIELDS, many=True)
CLAIM_FIELDS = ("text", "claimant", "kind", "rating", "reviewer_notes", "tags")


def _claim_input(request: Request, *, partial: bool) -> dict:
    if not isinstance(request.data, dict):
        raise services.AnnotationInvalid({"non_field_errors": ["Send a JSON object."]})
    data = {k: request.data[k] for k in CLAIM_FIELDS if k in request.data}
    if not partial and "text" not in data:
        raise services.AnnotationInvalid({"text": ["This field is required."]})
    group = request.data.get("group")
    if not partial and group is not None:  # a claim's group is chosen when it is made
        if not isinstance(group, str):
            raise services.AnnotationInvalid({"group": ["Give the group's slug."]})
        data["group"] = services.group_named(request.user, group)
    return data


class ClaimListView(APIView):
    throttle_classes = [AnnotationWriteThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: ClaimSchemas},
    )
    def get(self, request: Request) -> Response:
        claims = selectors.claim_list(user=request.user, query=request.query_params.get("q", ""))
        paginator, page = page_of(request, claims)
        absolute = request.build_absolute_uri
        return Response(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "results": [claim_to_json(c, absolute) for c in page.object_list],
            }
        )

    @extend_schema(request=ClaimSchema, responses={201: ClaimSchema})
    def post(self, request: Request) -> Response:
        claim = services.claim_create(user=request.user, **_claim_input(request, partial=False))
        data = claim_to_json(claim, request.build_absolute_uri)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["id"]})


class ClaimDetailView(APIView):
    throttle_classes = [AnnotationWriteThrottle]

    def _claim(self, request: Request, pk: int) -> Claim:
        return access.claim_get_for_user(user=request.user, pk=pk)

    @extend_schema(responses={200: ClaimSchema})
    def get(self, request: Request, pk: int) -> Response:
        return Response(claim_to_json(self._claim(request, pk), request.build_absolute_uri))

    @extend_schema(request=ClaimSchema, responses={200: ClaimSchema})
    def put(self, request: Request, pk: int) -> Response:
        claim = services.claim_update(
            user=request.user,
            claim=self._claim(request, pk),
            **_claim_input(request, partial=False),
        )
        return Response(claim_to_json(claim, request.build_absolute_uri))

    @extend_schema(request=ClaimSchema, responses={200: ClaimSchema})
    def patch(self, request: Request, pk: int) -> Response:
        claim = services.claim_update(
            user=request.user, claim=self._claim(request, pk), **_claim_input(request, partial=True)
        )
        return Response(claim_to_json(claim, request.build_absolute_uri))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.claim_delete(user=request.user, claim=self._claim(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

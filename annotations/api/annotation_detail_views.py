"""One annotation, /api/annotations/<pk>/: read it, replace it (PUT with If-Match), delete it,
and hide it from readers (moderators)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, services
from ..models import Annotation
from ..w3c import parse_w3c
from . import protocol
from .annotation_json import (
    W3C_PARSERS,
    W3C_RENDERERS,
    W3CAnnotation,
    annotation_response,
    claim_or_invalid,
)
from .errors import PreconditionFailed, PreconditionRequired
from .throttling import AnnotationWriteThrottle


def _if_match_version(request: Request, annotation: Annotation) -> int:
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    if "*" in tags:
        return annotation.version
    if annotation.etag not in tags:
        raise PreconditionFailed()
    return annotation.version


class AnnotationDetailView(protocol.ResourceHeaders, APIView):
    throttle_classes = [AnnotationWriteThrottle]
    renderer_classes = W3C_RENDERERS
    parser_classes = W3C_PARSERS

    @extend_schema(responses={200: W3CAnnotation})
    def get(self, request: Request, pk: int) -> Response:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
        if protocol.not_modified(request, annotation.etag):
            return protocol.not_modified_response(annotation.etag)
        return annotation_response(request, annotation)

    @extend_schema(
        request=W3CAnnotation,
        responses={200: W3CAnnotation},
        parameters=[
            OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)
        ],
    )
    def put(self, request: Request, pk: int) -> Response:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
        access.require_change(request.user, annotation)
        version = _if_match_version(request, annotation)
        parsed = parse_w3c(
            request.data, require_our_source=False, base=request.build_absolute_uri("/")
        )
        protocol.refuse_target_change(parsed, annotation)
        fields = {"note": parsed.note, "tags": parsed.tags}
        if parsed.colour is not None:
            fields["colour"] = parsed.colour
        if parsed.visibility is not None:
            fields["visibility"] = parsed.visibility
        if parsed.group_slug is not None:
            fields["group"] = services.group_named(request.user, parsed.group_slug)
        if annotation.parent_id is None:
            fields["motivation"] = parsed.motivation
            fields["claim"] = claim_or_invalid(request.user, parsed.claim_id)
            if parsed.claim_stance is not None:
                fields["claim_stance"] = parsed.claim_stance
        updated = services.annotation_update(
            user=request.user, annotation=annotation, expected_version=version, **fields
        )
        return annotation_response(request, updated)

    @extend_schema(
        responses={204: None},
        parameters=[OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER)],
    )
    def delete(self, request: Request, pk: int) -> Response:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
        access.require_change(request.user, annotation)
        version = _if_match_version(request, annotation) if "If-Match" in request.headers else None
        services.annotation_delete(
            user=request.user, annotation=annotation, expected_version=version
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnnotationHideView(APIView):
    throttle_classes = [AnnotationWriteThrottle]
    renderer_classes = W3C_RENDERERS
    parser_classes = W3C_PARSERS

    @extend_schema(
        request=inline_serializer("HideRequest", {"hidden": serializers.BooleanField()}),
        responses={200: W3CAnnotation},
    )
    def post(self, request: Request, pk: int) -> Response:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
        access.require_moderate(request.user, annotation)
        hidden = request.data.get("hidden", True) if isinstance(request.data, dict) else None
        if not isinstance(hidden, bool):
            raise services.AnnotationInvalid({"hidden": ["Must be true or false."]})
        updated = services.annotation_set_hidden(
            user=request.user, annotation=annotation, hidden=hidden
        )
        return annotation_response(request, updated)

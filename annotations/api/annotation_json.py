"""The W3C annotation as the annotation views send and receive it: the media types, the
documented shapes, and the response with its ETag."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, services
from ..models import Annotation, Claim
from ..w3c import to_w3c
from .renderers import AnnotationJSONLDRenderer, JSONLDParser

W3C_RENDERERS = [AnnotationJSONLDRenderer]
W3C_PARSERS = [JSONLDParser, *APIView.parser_classes]


def _w3c_resource_fields() -> dict[str, serializers.Field]:
    """What every W3C resource documented here starts with: its context, id and type (made
    first, so that they come first in the schema)."""
    return {
        "@context": serializers.ListField(child=serializers.CharField()),
        "id": serializers.URLField(),
        "type": serializers.CharField(),
    }


W3CAnnotation = inline_serializer(
    "W3CAnnotation",
    {
        **_w3c_resource_fields(),
        "motivation": serializers.CharField(),
        "created": serializers.DateTimeField(),
        "modified": serializers.DateTimeField(),
        "creator": serializers.DictField(),
        "body": serializers.ListField(child=serializers.DictField(), required=False),
        "target": serializers.JSONField(),
        "colour": serializers.CharField(),
        "visibility": serializers.CharField(),
        "anchorStatus": serializers.CharField(),
        "anchorScore": serializers.FloatField(),
        "revision": serializers.IntegerField(),
        "hidden": serializers.BooleanField(),
        "claim": serializers.URLField(required=False),
        "claimStance": serializers.ChoiceField(["supports", "disputes"], required=False),
    },
)
W3CAnnotationPage = inline_serializer(
    "W3CAnnotationPage",
    {
        **_w3c_resource_fields(),
        "partOf": serializers.DictField(),
        "startIndex": serializers.IntegerField(),
        "next": serializers.URLField(required=False),
        "prev": serializers.URLField(required=False),
        "items": serializers.ListField(child=serializers.JSONField()),
    },
)


def absolute(request: Request):
    return request.build_absolute_uri


def annotation_response(
    request: Request,
    annotation: Annotation,
    code=status.HTTP_200_OK,
    *,
    tags: list[str] | None = None,
    **extra,
):
    """The annotation as W3C JSON-LD with its ETag. One just written by this request comes
    with its article, creator, revision and claim in hand and the names of its `tags`; any
    other is read again whole."""
    if tags is None:
        try:
            annotation = (
                Annotation.objects.select_related(
                    "article", "creator", "anchor_revision", "claim", "group"
                )
                .prefetch_related("tags")
                .get(pk=annotation.pk)
            )
        except Annotation.DoesNotExist:  # deleted by another request since this one wrote it
            raise access.NotVisible from None
    data = to_w3c(annotation, absolute(request), tags=tags)
    data.update(extra)
    headers = {"ETag": annotation.etag}
    if code == status.HTTP_201_CREATED:
        headers["Location"] = data["id"]
    return Response(data, status=code, headers=headers)


def claim_or_invalid(user, claim_id: int | None) -> Claim | None:
    """The claim the annotation names, if the user may see it; AnnotationInvalid if not."""
    if claim_id is None:
        return None
    claim = access.claims_visible_to(user).filter(pk=claim_id).first()
    if claim is None:
        raise services.AnnotationInvalid({"claim": ["No such claim."]})
    return claim

"""Applying an annotation's claim to the passages linked to it in other articles (per the
stored comparison links), /api/annotations/<pk>/apply-claim/: preview, then mark them."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, claims, services
from ..w3c import to_w3c
from .annotation_json import W3C_PARSERS, W3C_RENDERERS, absolute
from .throttling import AnnotationWriteThrottle


class AppliedPassage(serializers.Serializer):
    """One linked passage in an apply-claim answer (its schema)."""

    key = serializers.CharField(help_text="Names the passage in `carry` or `dispute`.")
    article = serializers.CharField()
    article_url = serializers.URLField()
    outlet = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    stance = serializers.ChoiceField(["agree", "differ"])
    differs_by = serializers.ListField(child=serializers.CharField())
    readings = serializers.ListField(child=serializers.DictField())
    marked_as = serializers.CharField(required=False)
    annotation = serializers.DictField(required=False, help_text="The one created.")


AppliedClaim = inline_serializer(
    "AppliedClaim",
    {
        "claim": serializers.URLField(),
        "dry_run": serializers.BooleanField(),
        "carrying": AppliedPassage(many=True),
        "disputing": AppliedPassage(many=True),
        "already": AppliedPassage(many=True),
        "created": serializers.ListField(child=serializers.DictField()),
    },
)


def _offer_json(request: Request, offer: claims.Offer, annotation=None) -> dict:
    passage = offer.passage
    data = {
        "key": offer.key,
        "article": passage.article.slug,
        "article_url": request.build_absolute_uri(passage.article.get_absolute_url()),
        "outlet": offer.outlet,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "kind": passage.kind,
        "stance": passage.stance,
        "differs_by": list(passage.differs_by),
        "readings": [{"kind": r.kind, "here": r.here, "there": r.there} for r in offer.readings],
    }
    if passage.marked_as:
        data["marked_as"] = passage.marked_as
    if annotation is not None:
        data["annotation"] = to_w3c(annotation, absolute(request), context=False)
    return data


def _keys(data: dict, name: str) -> list[str] | None:
    keys = data.get(name)
    if keys is None:
        return None
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise services.AnnotationInvalid({name: ["Give a list of passage keys (strings)."]})
    return keys


class AnnotationApplyClaimView(APIView):
    throttle_classes = [AnnotationWriteThrottle]
    renderer_classes = W3C_RENDERERS
    parser_classes = W3C_PARSERS

    def _preview(self, request: Request, annotation) -> Response:
        preview = claims.claim_apply_preview(user=request.user, annotation=annotation)
        return Response(
            {
                "claim": request.build_absolute_uri(
                    reverse("api:claim-detail", args=[annotation.claim_id])
                ),
                "dry_run": True,
                "carrying": [_offer_json(request, offer) for offer in preview.carrying],
                "disputing": [_offer_json(request, offer) for offer in preview.disputing],
                "already": [_offer_json(request, offer) for offer in preview.already],
                "created": [],
            }
        )

    @extend_schema(
        responses={200: AppliedClaim},
        description="Preview applying this annotation's claim to the passages linked to it in "
        "other articles (per the stored comparison links), writing nothing: `carrying` lists "
        "the passages that agree (offered to carry the claim), `disputing` those that differ "
        "(offered to dispute it, with the kinds of difference and both readings), `already` "
        "those where the claim is marked already.",
    )
    def get(self, request: Request, pk: int) -> Response:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
        return self._preview(request, annotation)

    @extend_schema(
        request=inline_serializer(
            "ApplyClaimRequest",
            {
                "dry_run": serializers.BooleanField(required=False),
                "carry": serializers.ListField(child=serializers.CharField(), required=False),
                "dispute": serializers.ListField(child=serializers.CharField(), required=False),
            },
        ),
        responses={200: AppliedClaim, 201: AppliedClaim},
        description="Mark this annotation's claim on the passages linked to it in other "
        "articles: those that agree carry it, those that differ dispute it (never carry it). "
        "`carry` and `dispute` choose passages by the keys the preview (GET, or "
        '`"dry_run": true`) gives; without them every passage offered is marked. Nothing is '
        "written if a chosen passage is no longer offered as that (400). `created` lists the "
        "new annotations; 201 when some were created.",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        if not isinstance(request.data, dict) and request.data:
            raise services.AnnotationInvalid({"non_field_errors": ["Send a JSON object."]})
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
        dry_run = data.get("dry_run", False)
        if not isinstance(dry_run, bool):
            raise services.AnnotationInvalid({"dry_run": ["Must be true or false."]})
        carry, dispute = _keys(data, "carry"), _keys(data, "dispute")
        if dry_run:
            access.require_create(request.user)
            return self._preview(request, annotation)
        result = claims.claim_apply(
            user=request.user, annotation=annotation, carry=carry, dispute=dispute
        )
        to_absolute = absolute(request)
        return Response(
            {
                "claim": request.build_absolute_uri(
                    reverse("api:claim-detail", args=[annotation.claim_id])
                ),
                "dry_run": False,
                "carrying": [_offer_json(request, o, a) for o, a in result.carrying],
                "disputing": [_offer_json(request, o, a) for o, a in result.disputing],
                "already": [_offer_json(request, offer) for offer in result.already],
                "created": [to_w3c(item, to_absolute, context=False) for item in result.created],
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

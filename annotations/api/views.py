"""The JSON API under /api/. Views parse input, call one service or selector, and respond."""

from dataclasses import dataclass
from urllib.parse import urlparse

from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import selectors as article_selectors
from articles.models import Article

from .. import access, claims, import_identity, selectors, services
from ..models import Annotation, Claim
from ..w3c import (
    ParsedAnnotation,
    annotation_iri,
    claim_to_json,
    contexts,
    parse_w3c,
    to_w3c,
)
from . import protocol
from .errors import PreconditionFailed, PreconditionRequired
from .renderers import AnnotationJSONLDRenderer, JSONLDParser
from .throttling import AnnotationWriteThrottle

PAGE_SIZE = 50
W3C_RENDERERS = [AnnotationJSONLDRenderer]
W3C_PARSERS = [JSONLDParser, *APIView.parser_classes]

W3CAnnotation = inline_serializer(
    "W3CAnnotation",
    {
        "@context": serializers.ListField(child=serializers.CharField()),
        "id": serializers.URLField(),
        "type": serializers.CharField(),
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
        "@context": serializers.ListField(child=serializers.CharField()),
        "id": serializers.URLField(),
        "type": serializers.CharField(),
        "partOf": serializers.DictField(),
        "startIndex": serializers.IntegerField(),
        "next": serializers.URLField(required=False),
        "prev": serializers.URLField(required=False),
        "items": serializers.ListField(child=serializers.JSONField()),
    },
)


def _absolute(request: Request):
    return request.build_absolute_uri


def _page(request: Request, items: QuerySet):
    paginator = Paginator(items, PAGE_SIZE)
    number = request.query_params.get("page", "1")
    try:
        wanted = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else 1
        return paginator, paginator.page(max(1, wanted))
    except EmptyPage:
        return paginator, paginator.page(paginator.num_pages)


def _collection_url(request: Request) -> str:
    params = request.query_params.copy()
    params.pop("page", None)
    query = params.urlencode()
    return request.build_absolute_uri(f"{request.path}?{query}" if query else request.path)


def _page_url(request: Request, number: int, *, iris: bool = False) -> str:
    params = request.query_params.copy()
    if iris:  # the pages of a container asked for with PreferContainedIRIs keep to it
        params["iris"] = "1"
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


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


def _annotation_response(
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
        annotation = (
            Annotation.objects.select_related("article", "creator", "anchor_revision", "claim")
            .prefetch_related("tags")
            .get(pk=annotation.pk)
        )
    data = to_w3c(annotation, _absolute(request), tags=tags)
    data.update(extra)
    headers = {"ETag": annotation.etag}
    if code == status.HTTP_201_CREATED:
        headers["Location"] = data["id"]
    return Response(data, status=code, headers=headers)


def _claim_or_invalid(user, claim_id: int | None) -> Claim | None:
    if claim_id is None:
        return None
    claim = access.claims_visible_to(user).filter(pk=claim_id).first()
    if claim is None:
        raise services.AnnotationInvalid({"claim": ["No such claim."]})
    return claim


def _annotation_page(request: Request, paginator: Paginator, page, *, iris: bool) -> dict:
    """One AnnotationPage of the container: its annotations described, or only their IRIs
    (`?iris=1`, the Prefer PreferContainedIRIs of protocol 5.2)."""
    absolute = _absolute(request)
    if iris:
        items: list = [annotation_iri(absolute, a.pk) for a in page.object_list]
    else:
        items = [to_w3c(a, absolute, context=False) for a in page.object_list]
    data = {
        "@context": contexts(absolute),
        "id": _page_url(request, page.number, iris=iris),
        "type": "AnnotationPage",
        "partOf": {
            "id": _collection_url(request),
            "type": "AnnotationCollection",
            "total": paginator.count,
        },
        "startIndex": page.start_index() - 1 if paginator.count else 0,
        "items": items,
    }
    if page.has_next():
        data["next"] = _page_url(request, page.next_page_number(), iris=iris)
    if page.has_previous():
        data["prev"] = _page_url(request, page.previous_page_number(), iris=iris)
    return data


class AnnotationListView(protocol.ContainerHeaders, APIView):
    throttle_classes = [AnnotationWriteThrottle]
    renderer_classes = W3C_RENDERERS
    parser_classes = W3C_PARSERS

    @extend_schema(
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, description=f"Filter by {name}")
            for name in selectors.ANNOTATION_FILTERS
        ]
        + [
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("iris", OpenApiTypes.BOOL, description="Items as IRIs only."),
        ],
        responses={200: W3CAnnotationPage},
        operation_id="annotations_list",
        description="A page of the annotation container (W3C Web Annotation Protocol). With "
        '`Prefer: return=representation; include="..."` (PreferContainedDescriptions, '
        "PreferContainedIRIs or ldp#PreferMinimalContainer) the container itself, with its "
        "first page embedded (not with the minimal one). `If-None-Match` with the ETag "
        "answers 304.",
    )
    def get(self, request: Request) -> Response:
        filters = {
            k: request.query_params[k]
            for k in selectors.ANNOTATION_FILTERS
            if k in request.query_params
        }
        chosen = protocol.preference(request)
        iris = request.query_params.get("iris") in {"1", "true"} or chosen.iris
        paginator, page = _page(
            request, selectors.annotation_list(user=request.user, filters=filters)
        )
        data = _annotation_page(request, paginator, page, iris=iris)
        if chosen.container and "page" not in request.query_params:
            data = protocol.container(
                data,
                absolute=_absolute(request),
                last=_page_url(request, paginator.num_pages, iris=iris),
                minimal=chosen.minimal,
            )
        etag = protocol.body_etag(data)
        if protocol.not_modified(request, etag):
            return protocol.applied(protocol.not_modified_response(etag), chosen)
        return protocol.applied(Response(data, headers={"ETag": etag}), chosen)

    @extend_schema(request=W3CAnnotation, responses={201: W3CAnnotation})
    def post(self, request: Request) -> Response:
        access.require_create(request.user)
        parsed = parse_w3c(request.data, base=request.build_absolute_uri("/"))
        # The client's own IRIs for the annotation: `canonical` is kept unchanged and `id` is
        # copied to `via` (W3C protocol 5.1); one already stored for this user is a 409.
        identity = import_identity.identity_of(request.data)
        local_host = urlparse(request.build_absolute_uri("/")).netloc.lower()
        stored = import_identity.annotation_find_imported(
            creator=request.user, identity=identity, local_host=local_host
        )
        if stored is not None:
            return _already_stored(request, stored)
        try:
            response = self._create(request, parsed, identity=identity.fields())
        except IntegrityError:  # the same IRIs posted twice at once: the other one won
            stored = import_identity.annotation_find_imported(
                creator=request.user, identity=identity, local_host=local_host
            )
            if stored is None:
                raise
            return _already_stored(request, stored)
        return _annotation_response(
            request,
            response.annotation,
            status.HTTP_201_CREATED,
            tags=response.tags,
            **response.extra,
        )

    def _create(
        self, request: Request, parsed: ParsedAnnotation, *, identity: dict[str, str]
    ) -> "_Created":
        """Write the reply or the annotation the request describes."""
        if parsed.reply_to is not None:
            parent = access.annotation_get_for_user(user=request.user, pk=parsed.reply_to)
            reply = services.annotation_reply(
                user=request.user,
                parent=parent,
                note=parsed.note,
                visibility=parsed.visibility or "public",
                identity=identity,
            )
            return _Created(reply, None, {})
        article = access.article_get_for_annotating(user=request.user, slug=parsed.article_slug)
        result = services.annotation_create(
            user=request.user,
            article=article,
            start=parsed.start if parsed.start is not None else -1,
            end=parsed.end if parsed.end is not None else -1,
            exact=parsed.exact,
            prefix=parsed.prefix,
            suffix=parsed.suffix,
            motivation=parsed.motivation,
            note=parsed.note,
            colour=parsed.colour or "yellow",
            visibility=parsed.visibility or "public",
            tags=parsed.tags,
            claim=_claim_or_invalid(request.user, parsed.claim_id),
            claim_stance=parsed.claim_stance or "supports",
            page_note=parsed.page_note,
            identity=identity,
        )
        extra = {}
        if result.corrected:
            extra["warning"] = (
                "The position did not match the quote; it was corrected from the quote."
            )
        return _Created(result.annotation, result.tags, extra)


@dataclass(frozen=True, slots=True)
class _Created:
    annotation: Annotation
    tags: list[str] | None
    extra: dict[str, str]


def _already_stored(request: Request, annotation: Annotation) -> Response:
    """409: the annotation the client posted is stored here already, at Location."""
    iri = annotation_iri(_absolute(request), annotation.pk)
    return Response(
        {
            "detail": "This annotation is stored here already (its id, via or canonical IRI "
            "matches one of yours); change it with PUT at its address.",
            "id": iri,
        },
        status=status.HTTP_409_CONFLICT,
        headers={"Location": iri},
    )


class AnnotationDetailView(protocol.ResourceHeaders, APIView):
    throttle_classes = [AnnotationWriteThrottle]
    renderer_classes = W3C_RENDERERS
    parser_classes = W3C_PARSERS

    @extend_schema(responses={200: W3CAnnotation})
    def get(self, request: Request, pk: int) -> Response:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
        if protocol.not_modified(request, annotation.etag):
            return protocol.not_modified_response(annotation.etag)
        return _annotation_response(request, annotation)

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
        if annotation.parent_id is None:
            fields["motivation"] = parsed.motivation
            fields["claim"] = _claim_or_invalid(request.user, parsed.claim_id)
            if parsed.claim_stance is not None:
                fields["claim_stance"] = parsed.claim_stance
        updated = services.annotation_update(
            user=request.user, annotation=annotation, expected_version=version, **fields
        )
        return _annotation_response(request, updated)

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
        access.require_moderate(request.user)
        hidden = request.data.get("hidden", True) if isinstance(request.data, dict) else None
        if not isinstance(hidden, bool):
            raise services.AnnotationInvalid({"hidden": ["Must be true or false."]})
        updated = services.annotation_set_hidden(
            user=request.user, annotation=annotation, hidden=hidden
        )
        return _annotation_response(request, updated)


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
        data["annotation"] = to_w3c(annotation, _absolute(request), context=False)
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
        absolute = _absolute(request)
        return Response(
            {
                "claim": request.build_absolute_uri(
                    reverse("api:claim-detail", args=[annotation.claim_id])
                ),
                "dry_run": False,
                "carrying": [_offer_json(request, o, a) for o, a in result.carrying],
                "disputing": [_offer_json(request, o, a) for o, a in result.disputing],
                "already": [_offer_json(request, offer) for offer in result.already],
                "created": [to_w3c(item, absolute, context=False) for item in result.created],
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


# --- Articles -------------------------------------------------------------------------------

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
        articles = article_selectors.article_list(sort=request.query_params.get("sort", "title"))
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
        paginator, page = _page(request, articles)
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


# --- Claims and tags -----------------------------------------------------------------------

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
        paginator, page = _page(request, claims)
        absolute = _absolute(request)
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
        data = claim_to_json(claim, _absolute(request))
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["id"]})


class ClaimDetailView(APIView):
    throttle_classes = [AnnotationWriteThrottle]

    def _claim(self, request: Request, pk: int) -> Claim:
        return access.claim_get_for_user(user=request.user, pk=pk)

    @extend_schema(responses={200: ClaimSchema})
    def get(self, request: Request, pk: int) -> Response:
        return Response(claim_to_json(self._claim(request, pk), _absolute(request)))

    @extend_schema(request=ClaimSchema, responses={200: ClaimSchema})
    def put(self, request: Request, pk: int) -> Response:
        claim = services.claim_update(
            user=request.user,
            claim=self._claim(request, pk),
            **_claim_input(request, partial=False),
        )
        return Response(claim_to_json(claim, _absolute(request)))

    @extend_schema(request=ClaimSchema, responses={200: ClaimSchema})
    def patch(self, request: Request, pk: int) -> Response:
        claim = services.claim_update(
            user=request.user, claim=self._claim(request, pk), **_claim_input(request, partial=True)
        )
        return Response(claim_to_json(claim, _absolute(request)))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.claim_delete(user=request.user, claim=self._claim(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


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

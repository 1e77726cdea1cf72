"""The annotation container, /api/annotations/ (W3C Web Annotation Protocol): its pages, or
the container itself with its first page, and POST to add an annotation or a reply."""

from dataclasses import dataclass
from urllib.parse import urlparse

from django.core.paginator import Page, Paginator
from django.db import IntegrityError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, import_identity, selectors, services
from ..models import Annotation
from ..revision_state import target_keywords
from ..w3c import ParsedAnnotation, annotation_iri, contexts, parse_w3c, to_w3c
from . import protocol
from .annotation_json import (
    W3C_PARSERS,
    W3C_RENDERERS,
    W3CAnnotation,
    W3CAnnotationPage,
    absolute,
    annotation_response,
    claim_or_invalid,
)
from .paging import page_of
from .throttling import AnnotationWriteThrottle


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


def _annotation_page(request: Request, paginator: Paginator, page: Page, *, iris: bool) -> dict:
    """One AnnotationPage of the container: its annotations described, or only their IRIs
    (`?iris=1`, the Prefer PreferContainedIRIs of protocol 5.2)."""
    to_absolute = absolute(request)
    if iris:
        items: list = [annotation_iri(to_absolute, a.pk) for a in page.object_list]
    else:
        items = [to_w3c(a, to_absolute, context=False) for a in page.object_list]
    data = {
        "@context": contexts(to_absolute),
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


@dataclass(frozen=True, slots=True)
class _Created:
    annotation: Annotation
    tags: list[str] | None
    extra: dict[str, str]


def _create(request: Request, parsed: ParsedAnnotation, *, identity: dict[str, str]) -> _Created:
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
        **target_keywords(parsed),
        motivation=parsed.motivation,
        note=parsed.note,
        colour=parsed.colour or "yellow",
        visibility=parsed.visibility or ("group" if parsed.group_slug else "public"),
        group=services.group_named(request.user, parsed.group_slug),
        tags=parsed.tags,
        claim=claim_or_invalid(request.user, parsed.claim_id),
        claim_stance=parsed.claim_stance or "supports",
        page_note=parsed.page_note,
        identity=identity,
    )
    extra = {}
    if result.corrected:
        extra["warning"] = "The position did not match the quote; it was corrected from the quote."
    return _Created(result.annotation, result.tags, extra)


def _already_stored(request: Request, annotation: Annotation) -> Response:
    """409: the annotation the client posted is stored here already, at Location."""
    iri = annotation_iri(absolute(request), annotation.pk)
    return Response(
        {
            "detail": "This annotation is stored here already (its id, via or canonical IRI "
            "matches one of yours); change it with PUT at its address.",
            "id": iri,
        },
        status=status.HTTP_409_CONFLICT,
        headers={"Location": iri},
    )


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
        paginator, page = page_of(
            request, selectors.annotation_list(user=request.user, filters=filters)
        )
        data = _annotation_page(request, paginator, page, iris=iris)
        if chosen.container and "page" not in request.query_params:
            data = protocol.container(
                data,
                absolute=absolute(request),
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
            created = _create(request, parsed, identity=identity.fields())
        except IntegrityError:  # the same IRIs posted twice at once: the other one won
            stored = import_identity.annotation_find_imported(
                creator=request.user, identity=identity, local_host=local_host
            )
            if stored is None:
                raise
            return _already_stored(request, stored)
        return annotation_response(
            request,
            created.annotation,
            status.HTTP_201_CREATED,
            tags=created.tags,
            **created.extra,
        )

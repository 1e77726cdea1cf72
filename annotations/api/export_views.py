"""GET /api/export/: the annotations the reader may see, as a file to download."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from .. import access
from ..exchange import EXPORT_FORMATS, export_document


class _FirstRenderer(BaseContentNegotiation):
    """?format= names the file format here, not a DRF renderer: errors are always JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FirstRenderer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=list(EXPORT_FORMATS),
                description="jsonld (W3C AnnotationCollection), csv, or claimreview "
                "(schema.org ClaimReview of the rated claims). Default jsonld.",
            ),
            OpenApiParameter("article", OpenApiTypes.STR, description="An article's slug."),
        ],
        responses={
            # An AnnotationCollection (object), or a list of ClaimReviews (array).
            (200, "application/ld+json"): OpenApiTypes.ANY,
            (200, "text/csv"): OpenApiTypes.STR,
        },
        operation_id="export",
    )
    def get(self, request: Request) -> HttpResponse:
        fmt = request.query_params.get("format", "jsonld")
        article = None
        if slug := request.query_params.get("article"):
            article = access.article_get_for_annotating(user=request.user, slug=slug)
        document = export_document(
            fmt=fmt,
            user=request.user,
            absolute=request.build_absolute_uri,
            article=article,
            collection_id=request.build_absolute_uri(),
        )
        response = HttpResponse(document.content, content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        return response

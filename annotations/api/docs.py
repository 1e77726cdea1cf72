"""Browsable API documentation: Swagger UI over the OpenAPI schema, every asset served from
this site (drf-spectacular-sidecar, through whitenoise) and the page under the site's CSP (the
start-up script is a separate same-origin file; the page's one style block carries the
nonce)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

HTML_TYPES = ("text/html", "application/xhtml+xml")


class ApiDocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"
    template_name = "api/docs.html"
    title = "Astana Reader API"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema; a browser asking for a page (Accept: text/html, as when a reader
    follows a link to it) is sent to the documentation instead of downloading a file."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args, **kwargs) -> Response:
        accept = request.headers.get("Accept", "")
        if any(kind in accept for kind in HTML_TYPES) and "format" not in request.GET:
            return Response(status=303, headers={"Location": reverse("api:docs")})
        return super().get(request, *args, **kwargs)

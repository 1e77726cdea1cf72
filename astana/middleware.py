"""Project-wide middleware: a limit on the size of request bodies, and no NUL in queries."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than ASTANA_MAX_REQUEST_BYTES.

    It runs first, before anything reads the body. A body sent without a Content-Length
    (chunked) is bounded by Django's own DATA_UPLOAD_MAX_MEMORY_SIZE for form and JSON data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # No database stores a NUL in text (PostgreSQL refuses it): a query parameter that
        # holds one can only be a mistake or an attack.
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in value for values in request.GET.lists() for value in values[1]
        ):
            return HttpResponse(
                "Query parameters must not contain NUL characters.\n",
                status=400,
                content_type="text/plain",
            )
        limit = settings.ASTANA_MAX_REQUEST_BYTES
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(declared)
        except ValueError:
            return HttpResponse("Bad Content-Length.\n", status=400, content_type="text/plain")
        if size > limit:
            return HttpResponse(
                f"Request body too large: at most {limit:,} bytes.\n",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)

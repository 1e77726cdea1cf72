"""Errors as JSON: 400 with a message per field, 404 that reveals nothing, 403, 409 (an
ambiguous quote, with its places), 412, 428;
and every other error under /api/ (from middleware, Django's handlers, CSRF) as JSON too."""

import json
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    NotFound,
    ParseError,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..access import AccessDenied, NotVisible
from ..anchor_input import TargetAmbiguous
from ..services import AnnotationInvalid, VersionMismatch


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it; fetch it again (its ETag changed)."
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "Send the record's ETag in an If-Match header to change it."
    default_code = "precondition_required"


def exception_handler(exc, context):
    """Map domain errors onto HTTP ones, then let DRF render them."""
    if isinstance(exc, TargetAmbiguous):
        # 409: the quote fits several places; the client picks one and sends it back.
        return Response(
            {
                "detail": str(exc),
                "count": exc.total,
                "occurrences": [o.as_dict() for o in exc.occurrences],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, AnnotationInvalid):
        exc = ValidationError(exc.errors)
    elif isinstance(exc, NotVisible):
        exc = NotFound("Not found.")
    elif isinstance(exc, AccessDenied):
        exc = PermissionDenied(str(exc))
    elif isinstance(exc, VersionMismatch):
        exc = PreconditionFailed()
    elif isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge(
            f"Request body too large: at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes."
        )
    elif isinstance(exc, SuspiciousOperation):
        exc = ParseError("The request could not be read.")
    return drf_exception_handler(exc, context)


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."
    default_code = "body_too_large"


API_PREFIX = "/api/"
# What an error page says when it was not ours to word (Django's HTML pages).
MESSAGES = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "A server error occurred.",
}


def _is_json(response: HttpResponse) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _message(response: HttpResponse) -> str:
    """Our own plain-text refusals (middleware) keep their words; anything else, and any
    server error, gets a fixed message for its status (never a page's or a trace's text)."""
    status_code = response.status_code
    if (
        status_code < 500
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/plain")
    ):
        text = response.content.decode(response.charset or "utf-8", "replace").strip()
        if text:
            return text
    if status_code in MESSAGES:
        return MESSAGES[status_code]
    try:
        return f"{HTTPStatus(status_code).phrase}."
    except ValueError:
        return "Error."


class JSONErrorsMiddleware:
    """Answer every error under /api/ in JSON ({"detail": message}), whatever made it.

    Views answer in JSON already (exception_handler above); this catches the rest, from any
    layer inside it: middleware refusals (body size, Content-Length, query checks), Django's
    400/403/404/500 pages (an unknown host, a path no route matches, an unhandled exception),
    a CSRF failure and a renderer's own media type. First in MIDDLEWARE, so it sees them all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or _is_json(response)
        ):
            return response
        # Rewritten in place: its other headers and cookies stay, and the server still
        # closes it (closing it here would end the request early: request_finished).
        body = json.dumps({"detail": _message(response)}).encode()
        if response.streaming:
            response.streaming_content = [body]
            del response["Content-Length"]
        else:
            response.content = body
            response["Content-Length"] = str(len(body))
        response["Content-Type"] = "application/json"
        del response["Content-Disposition"]
        return response

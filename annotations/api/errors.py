"""Errors as JSON: 400 with a message per field, 404 that reveals nothing, 403, 412, 428."""

from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from ..access import AccessDenied, NotVisible
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
    if isinstance(exc, AnnotationInvalid):
        exc = ValidationError(exc.errors)
    elif isinstance(exc, NotVisible):
        exc = NotFound("Not found.")
    elif isinstance(exc, AccessDenied):
        exc = PermissionDenied(str(exc))
    elif isinstance(exc, VersionMismatch):
        exc = PreconditionFailed()
    return drf_exception_handler(exc, context)

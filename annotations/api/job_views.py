"""Long API actions answer 202 Accepted with the job that does the work; GET /api/jobs/<id>/
shows its state, progress and result to whoever asked for it, and to curators.

POST /api/imports/ imports a link ({"url": ...}) or a text ({"name": ..., "text": ...}) as an
article (curators only), in a background job (articles/jobs/).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.jobs.models import Job, JobKind
from articles.jobs.selectors import job_json
from articles.jobs.services import job_enqueue

from .. import access


def accepted(job: Job) -> Response:
    """202 Accepted, the job's address in Location, the job in the body."""
    body = job_json(job)
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class JobDetailView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="job_detail")
    def get(self, request: Request, pk: int) -> Response:
        return Response(job_json(access.job_get_for_user(user=request.user, pk=pk)))


class ImportView(APIView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={202: OpenApiTypes.OBJECT},
        operation_id="import_create",
    )
    def post(self, request: Request) -> Response:
        user = access.require_curator(request.user)
        data = request.data if isinstance(request.data, dict) else {}
        url, name, text = (str(data.get(k) or "").strip() for k in ("url", "name", "text"))
        if url:
            if not url.startswith(("http://", "https://")):
                raise ValidationError({"url": "An http or https link is needed."})
            job = job_enqueue(kind=JobKind.IMPORT_LINK, params={"url": url}, user=user)
        elif name and text:
            job = job_enqueue(kind=JobKind.IMPORT_FILES, files=[(name, text.encode())], user=user)
        else:
            raise ValidationError("Send a link (url) or a file name and its text (name, text).")
        return accepted(job)

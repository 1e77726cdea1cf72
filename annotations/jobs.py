"""The annotations app's background job: re-anchoring the annotations a curator selected on
their article's current text (registered with articles/jobs/ in AnnotationsConfig.ready)."""

from articles.jobs.models import JobKind
from articles.jobs.services import JobRefused, JobResult, JobRun, job_handler_set

from .access import AccessDenied
from .models import Annotation
from .services import annotations_reanchor_current


def reanchor(run: JobRun) -> JobResult:
    """Re-anchor the job's annotations as the curator who asked (running it again finds
    them where the first run left them: nothing changes twice)."""
    ids = [int(pk) for pk in run.params.get("annotation_ids", [])]
    annotations = list(Annotation.objects.filter(pk__in=ids).order_by("pk"))
    user = run.job.requested_by
    if user is None:
        raise JobRefused("The curator who asked for it no longer exists.")
    try:
        report = annotations_reanchor_current(user=user, annotations=annotations)
    except AccessDenied as exc:
        raise JobRefused(str(exc)) from exc
    return {"summary": report.summary(), "counts": dict(report.counts)}


def handlers_register() -> None:
    job_handler_set(kind=JobKind.REANCHOR, handler=reanchor)

"""The one task the queue carries: run a job, given its id (articles/jobs/services.py)."""

from django.conf import settings
from django.tasks import task

from .services import job_run


@task(queue_name=settings.ASTANA_JOBS_QUEUE)
def job_execute(job_id: int) -> str:
    """Run job `job_id` once (what came of it: see `job_run`)."""
    return job_run(job_id=job_id)

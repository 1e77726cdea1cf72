"""Reads of jobs: what a job says of itself to people and to API clients."""

from typing import Any

from django.urls import reverse

from .models import Job, JobState


def job_summary(job: Job, what: str) -> str:
    """One line for a message: what came of the job, or that it waits in the queue."""
    if job.state == JobState.SUCCEEDED:
        return f"{what}: {job.result.get('comparison', 'done')}."
    if job.state == JobState.FAILED:
        return f"{what}: failed: {job.error}"
    return f"{what}: queued as job {job.pk}."


def job_json(job: Job) -> dict[str, Any]:
    """A job as the API shows it to its owner or a curator."""
    return {
        "id": job.pk,
        "url": reverse("api:job-detail", args=[job.pk]),
        "kind": job.kind,
        "state": job.state,
        "finished": job.is_finished,
        "progress": {"done": job.progress_done, "total": job.progress_total},
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "result": job.result,  # while it runs: what its finished steps made
        "error": job.error or None,
        "created": job.created_at.isoformat(),
        "started": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }

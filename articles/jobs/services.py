"""Writes to jobs: enqueue one, run one (claim, steps, retry), and recover those whose worker
stopped. Keyword-only and typed, like every service.

A job runs at most once at a time: a run claims it (queued -> running, one more attempt) in
one conditional UPDATE, and every later write of that run names the attempt it claimed, so a
run that lost its job (its lease passed and another worker took the job over) can no longer
write to it and stops at its next step (`JobLost`).
"""

import logging
import os
import socket
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

from ..access import User, signed_in
from .models import Job, JobFile, JobKind, JobState

logger = logging.getLogger(__name__)

JobResult = dict[str, Any]


class JobLost(Exception):
    """This run no longer holds its job: another worker took it over after its lease passed."""


class JobRefused(Exception):
    """The job cannot succeed however often it runs (a page that cannot be imported): it fails
    at once, without retries, with this message as its error."""


@dataclass(slots=True)
class JobRun:
    """One attempt at a job, as its handler sees it: the job (params, files, the result of
    the steps earlier attempts finished) and `step`, which records progress."""

    job: Job
    attempt: int

    @property
    def params(self) -> Mapping[str, Any]:
        return self.job.params

    @property
    def result(self) -> JobResult:
        """What earlier steps recorded (of this attempt or of an earlier one)."""
        return self.job.result

    def step(self, *, done: int, total: int, result: JobResult | None = None) -> None:
        """Record that `done` of `total` steps are finished, with what they made (`result`,
        replacing the job's result), and keep the job for this worker a while longer. Write
        it in the same transaction as the step's own rows, and the step is done exactly once:
        a run after a crash finds either both or neither."""
        fields: dict[str, Any] = {
            "progress_done": min(done, total),
            "progress_total": total,
            "lease_until": timezone.now() + lease(),
        }
        if result is not None:
            fields["result"] = result
        held = Job.objects.filter(pk=self.job.pk, attempts=self.attempt, state=JobState.RUNNING)
        if not held.update(**fields):
            raise JobLost(f"job {self.job.pk}: attempt {self.attempt} was taken over")
        if result is not None:
            self.job.result = result


Handler = Callable[[JobRun], JobResult]
_handlers: dict[str, Handler] = {}
_exclusive: set[str] = set()
BUSY_DELAY = 1.0  # seconds before an exclusive job that found another of its kind running


def job_handler_set(*, kind: str, handler: Handler, exclusive: bool = False) -> None:
    """Register what runs a kind of job (each app registers its own in AppConfig.ready).
    An exclusive kind runs one job at a time across all workers (the comparison refresh
    reads the whole corpus, then replaces what it computed: two at once could each miss
    the other's article); a job that finds another running waits on the queue."""
    _handlers[kind] = handler
    if exclusive:
        _exclusive.add(kind)
    else:
        _exclusive.discard(kind)


def lease() -> timedelta:
    return timedelta(seconds=settings.ASTANA_JOBS_LEASE_SECONDS)


def job_enqueue(
    *,
    kind: JobKind,
    params: Mapping[str, Any] | None = None,
    user: User | None = None,
    files: Sequence[tuple[str, bytes]] = (),
    backend: str | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Record a job and hand it to the task backend once the caller's transaction commits
    (a job never starts on rows that are not there yet, nor for a request that failed).

    On the immediate backend (the tests' default) the job runs here and now, in the caller's
    transaction, as the work did before it was a job: the returned job is finished then."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            params=dict(params or {}),
            requested_by=user if signed_in(user) else None,
            backend=backend or settings.ASTANA_JOBS_BACKEND,
            queue=settings.ASTANA_JOBS_QUEUE,
            max_attempts=max_attempts or settings.ASTANA_JOBS_MAX_ATTEMPTS,
        )
        if files:
            JobFile.objects.bulk_create(
                JobFile(job=job, position=n, name=name, data=data)
                for n, (name, data) in enumerate(files)
            )
    if job_deliver(job=job):
        job.refresh_from_db()
    return job


def _runs_at_once(alias: str) -> bool:
    return isinstance(task_backends[alias], ImmediateBackend)


def job_deliver(*, job: Job, delay: float = 0) -> bool:
    """Put the job on its backend's queue after the current transaction commits (at once
    outside one). True when the job already ran (the immediate backend)."""
    if _runs_at_once(job.backend):
        _send(job.pk, job.backend, job.queue, 0)
        return True
    transaction.on_commit(partial(_send, job.pk, job.backend, job.queue, delay))
    return False


def _send(job_id: int, alias: str, queue: str, delay: float) -> None:
    from .tasks import job_execute  # the task module imports this one

    task = job_execute.using(backend=alias, queue_name=queue)
    if delay > 0 and task_backends[alias].supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    delivery = task.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=delivery.id[:64])


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@contextmanager
def _isolated() -> Iterator[None]:
    """A savepoint around the handler when it runs inside a caller's transaction (the
    immediate backend), so that its failure rolls back its own writes only."""
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    else:
        yield


def job_run(*, job_id: int) -> str:
    """Run the job once, as a worker does: claim it, run its kind's handler, record the
    outcome. Returns what happened: "succeeded", "retrying", "failed", or "skipped" when
    the job was not waiting (another delivery of it ran or runs it: nothing is done twice)."""
    claimed = _claim(job_id)
    if claimed != "claimed":
        return claimed
    job = Job.objects.get(pk=job_id)
    run = JobRun(job=job, attempt=job.attempts)
    try:
        handler = _handlers[job.kind]
        with _isolated():
            result = handler(run)
    except JobLost:
        logger.warning("job %s: attempt %s lost its lease", job.pk, run.attempt)
        return "lost"
    except Exception as exc:  # a job's failure is recorded on it, never raised to the queue
        return _job_failed(run, exc)
    _held(run).update(
        state=JobState.SUCCEEDED,
        result=result,
        progress_done=F("progress_total"),
        finished_at=timezone.now(),
        lease_until=None,
    )
    return "succeeded"


def _claim(job_id: int) -> str:
    """Take the job for this run: "claimed", "skipped" (not waiting) or "busy" (an exclusive
    job while another of its kind runs: delivered again a little later)."""
    now = timezone.now()
    with transaction.atomic():
        waiting, backend = Job.objects.filter(pk=job_id, state=JobState.QUEUED).values_list(
            "kind", "backend"
        ).first() or (None, "")
        if waiting is None:
            return "skipped"
        # (Jobs that run at once, inside their caller, never run beside another.)
        if waiting in _exclusive and not _runs_at_once(backend):
            _kind_lock(waiting)
            running = Job.objects.filter(
                kind=waiting, state=JobState.RUNNING, lease_until__gte=now
            ).exclude(pk=job_id)
            if running.exists():
                job = Job.objects.get(pk=job_id)
                Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(task_id="")
                job_deliver(job=job, delay=BUSY_DELAY)
                return "busy"
        claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            lease_until=now + lease(),
            worker=_worker_name(),
        )
    return "claimed" if claimed else "skipped"


def _kind_lock(kind: str) -> None:
    """Serialise the claims of one kind of job until the transaction ends. SQLite does by
    itself: its transactions here take the write lock when they begin (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"astana-job-{kind}"])


def _held(run: JobRun) -> Any:  # QuerySet[Job]: the job, if this attempt still holds it
    return Job.objects.filter(pk=run.job.pk, attempts=run.attempt, state=JobState.RUNNING)


def _job_failed(run: JobRun, exc: Exception) -> str:
    job = run.job
    if isinstance(exc, JobRefused):
        error = str(exc)
    else:
        logger.exception("job %s (%s) failed on attempt %s", job.pk, job.kind, run.attempt)
        error = "".join(traceback.format_exception(exc, limit=-3)).strip()
    if isinstance(exc, JobRefused) or run.attempt >= job.max_attempts:
        _held(run).update(
            state=JobState.FAILED, error=error, finished_at=timezone.now(), lease_until=None
        )
        return "failed"
    if _held(run).update(state=JobState.QUEUED, error=error, lease_until=None, task_id=""):
        job_deliver(job=job, delay=settings.ASTANA_JOBS_RETRY_DELAY * run.attempt)
    return "retrying"


def jobs_recover(*, backend: str) -> int:
    """Put back on the queue the jobs of this backend whose worker stopped (still running
    after their lease) or that never reached the queue (the enqueue after commit failed);
    a job that has used all its attempts fails instead. Returns how many were put back."""
    now = timezone.now()
    stopped = Q(state=JobState.RUNNING, lease_until__lt=now)
    undelivered = Q(state=JobState.QUEUED, task_id="", created_at__lt=now - lease())
    recovered = 0
    for job in Job.objects.filter(stopped | undelivered, backend=backend):
        same = Job.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts)
        if job.state == JobState.RUNNING and job.attempts >= job.max_attempts:
            same.update(
                state=JobState.FAILED,
                error=f"its worker stopped during attempt {job.attempts} of {job.max_attempts}",
                finished_at=now,
                lease_until=None,
            )
            continue
        if job.state == JobState.RUNNING:
            changed = same.update(
                state=JobState.QUEUED,
                lease_until=None,
                task_id="",
                error=f"its worker stopped during attempt {job.attempts}; queued again",
            )
        else:
            changed = 1
        if changed:
            job_deliver(job=job)
            recovered += 1
    return recovered

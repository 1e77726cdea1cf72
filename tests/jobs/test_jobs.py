"""Jobs in this process: idempotent, retried a bounded number of times, refused without
retries, one comparison at a time, and put back on the queue when their worker stops."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.jobs import handlers
from articles.jobs.models import Job, JobKind, JobState
from articles.jobs.services import job_enqueue, job_run, jobs_recover
from articles.models import Article, ArticleRevision, PassageLink
from tests.conftest import seed_path

pytestmark = pytest.mark.django_db


def test_a_comparison_job_run_again_changes_no_row(seeds):
    """Refreshing a comparison already up to date does nothing: the same link rows remain."""
    links = sorted(PassageLink.objects.values_list("pk", flat=True))
    assert links
    first = job_enqueue(kind=JobKind.COMPARISON_REFRESH)
    second = job_enqueue(kind=JobKind.COMPARISON_REFRESH)
    for job in (first, second):
        assert job.state == JobState.SUCCEEDED
        assert (job.result["compared"], job.result["links"]) == (0, 0)
    assert sorted(PassageLink.objects.values_list("pk", flat=True)) == links


def test_an_import_job_run_again_imports_nothing_twice(db):
    """The same files imported by a second job are found unchanged: no article or revision
    is added."""
    files = [(seed_path(k).name, seed_path(k).read_bytes()) for k in ("000", "001")]
    first = job_enqueue(kind=JobKind.IMPORT_FILES, files=files)
    second = job_enqueue(kind=JobKind.IMPORT_FILES, files=files)
    assert [e["status"] for e in first.result["files"]] == ["created", "created"]
    assert [e["status"] for e in second.result["files"]] == ["unchanged", "unchanged"]
    assert "comparison_job" not in second.result  # nothing changed: nothing to compare
    assert (Article.objects.count(), ArticleRevision.objects.count()) == (2, 2)


def _failing(times: int, monkeypatch) -> list[str]:
    """Make the first `times` imports raise a database error; returns the names tried."""
    real, tried = handlers.article_import, []

    def flaky(**kwargs):
        tried.append(kwargs["name"])
        if len(tried) <= times:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(handlers, "article_import", flaky)
    return tried


def test_a_failed_attempt_is_retried(db, monkeypatch):
    """A job whose step raises runs again, and succeeds on its second attempt."""
    tried = _failing(1, monkeypatch)
    job = job_enqueue(kind=JobKind.IMPORT_FILES, files=[("a.txt", b"Title\n\nSome text.")])
    assert job.state == JobState.SUCCEEDED
    assert job.attempts == 2
    assert tried == ["a.txt", "a.txt"]
    assert "database is locked" in job.error  # what the failed attempt said
    assert Article.objects.count() == 1


def test_retries_are_bounded(db, monkeypatch):
    """A job that always fails stops after its attempts, failed, with the error kept."""
    tried = _failing(100, monkeypatch)
    job = job_enqueue(
        kind=JobKind.IMPORT_FILES, files=[("a.txt", b"Title\n\nText.")], max_attempts=3
    )
    assert (job.state, job.attempts, len(tried)) == (JobState.FAILED, 3, 3)
    assert "OperationalError: database is locked" in job.error
    assert job.finished_at is not None
    assert Article.objects.count() == 0


def test_a_refused_link_fails_at_once(db):
    """A link that cannot be imported is not tried again."""
    job = job_enqueue(kind=JobKind.IMPORT_LINK, params={"url": "http://127.0.0.1:9/page"})
    assert (job.state, job.attempts) == (JobState.FAILED, 1)
    assert job.error


def deliveries(job: Job) -> list[DBTaskResult]:
    """The database queue's tasks carrying the job, oldest first."""
    rows = DBTaskResult.objects.order_by("enqueued_at")
    return [row for row in rows if row.args_kwargs["args"] == [job.pk]]


def _running(kind: JobKind, *, lease_until, attempts: int = 1, max_attempts: int = 3) -> Job:
    return Job.objects.create(
        kind=kind,
        backend="database",
        queue=settings.ASTANA_JOBS_QUEUE,
        state=JobState.RUNNING,
        attempts=attempts,
        max_attempts=max_attempts,
        lease_until=lease_until,
    )


def test_one_comparison_runs_at_a_time(db, django_capture_on_commit_callbacks):
    """A comparison job that finds another running waits on the queue, then runs."""
    other = _running(JobKind.COMPARISON_REFRESH, lease_until=timezone.now() + timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind=JobKind.COMPARISON_REFRESH, backend="database")
    assert len(deliveries(job)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert job_run(job_id=job.pk) == "busy"
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 0)
    assert len(deliveries(job)) == 2
    assert deliveries(job)[-1].run_after > timezone.now()  # a little later

    Job.objects.filter(pk=other.pk).update(state=JobState.SUCCEEDED)
    assert job_run(job_id=job.pk) == "succeeded"
    assert job_run(job_id=job.pk) == "skipped"  # a second delivery finds it done


def test_jobs_whose_worker_stopped_go_back_to_the_queue(db, django_capture_on_commit_callbacks):
    """A running job past its lease is queued again (and delivered), or fails when it has
    used its attempts; a job within its lease is left to its worker."""
    past, future = timezone.now() - timedelta(seconds=1), timezone.now() + timedelta(hours=1)
    lost = _running(JobKind.COMPARISON_REFRESH, lease_until=past)
    spent = _running(JobKind.COMPARISON_REFRESH, lease_until=past, attempts=3)
    alive = _running(JobKind.COMPARISON_REFRESH, lease_until=future)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_recover(backend="database") == 1
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {
        lost.pk: JobState.QUEUED,
        spent.pk: JobState.FAILED,
        alive.pk: JobState.RUNNING,
    }
    assert len(deliveries(lost)) == 1

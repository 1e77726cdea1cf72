"""Real workers in processes of their own: the database queue (the embedded default) and RQ on
the local Redis (the distributed one). A worker killed in the middle of an import loses
nothing and doubles nothing; two RQ workers make what one process makes, whether they share
import jobs or the batches of pairs of one comparison."""

import os
import signal
import time

import pytest
from django.core.management import call_command

from articles.comparison.store import comparison_refresh
from articles.jobs.models import Job, JobKind, JobState
from articles.jobs.services import job_enqueue
from articles.models import Article, ArticleRevision, ComparedRevision, Discrepancy, PassageLink
from articles.services.imports import article_import
from articles.stories.models import StoryArticle
from tests.conftest import SEED_NAMES, seed_path

# Stops the third import of a run in the middle of its transaction, after saying so in the
# file STALL_MARK names: the test kills the worker there.
STALL_THIRD_IMPORT = """
import os, pathlib, time
from articles.jobs import handlers
real = handlers.article_import
calls = []
def stalling(**kwargs):
    calls.append(kwargs["name"])
    if len(calls) == 3:
        pathlib.Path(os.environ["STALL_MARK"]).write_text(kwargs["name"])
        time.sleep(600)
    return real(**kwargs)
handlers.article_import = stalling
"""


def together_and_slow(module: str, handler: str, kind: str, seconds: float) -> str:
    """A hook: the worker says it is ready, waits for the test's go (so that both workers
    start together), and each job of `kind` takes `seconds` longer, so that both get some."""
    return f"""
import os, pathlib, time
pathlib.Path(os.environ["READY_MARK"]).touch()
while not pathlib.Path(os.environ["GO_MARK"]).exists():
    time.sleep(0.02)
from articles.jobs import {module}
from articles.jobs.models import JobKind
from articles.jobs.services import job_handler_set
def slow(run):
    time.sleep({seconds})
    return {module}.{handler}(run)
job_handler_set(kind=JobKind.{kind}, handler=slow)
"""


TOGETHER_AND_SLOW = together_and_slow("handlers", "import_files", "IMPORT_FILES", 0.4)
TOGETHER_AND_SLOW_BATCHES = together_and_slow(
    "comparison", "comparison_pairs_job", "COMPARISON_PAIRS", 0.3
)


def seed_files() -> list[tuple[str, bytes]]:
    return [(seed_path(key).name, seed_path(key).read_bytes()) for key in sorted(SEED_NAMES)]


def corpus() -> dict:
    """What the imports and comparisons made, in terms that do not depend on row ids."""
    name = dict(Article.objects.values_list("pk", "source_name"))
    return {
        "articles": sorted(
            Article.objects.values_list("source_name", "slug", "title", "current_revision__number")
        ),
        "revisions": ArticleRevision.objects.count(),
        "links": sorted(
            (kind, *sorted([(name[a], a0, a1), (name[b], b0, b1)]))
            for kind, a, a0, a1, b, b0, b1 in PassageLink.objects.values_list(
                "kind", "a_article", "a_start", "a_end", "b_article", "b_start", "b_end"
            )
        ),
        "stories": sorted(
            (m.story.title, name[m.article_id], m.status)
            for m in StoryArticle.objects.select_related("story")
        ),
    }


def wait_for(path, process, timeout: float = 60) -> None:
    """Wait until the worker's hook writes `path`."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, f"the worker stopped before it wrote {path.name}"
        assert time.monotonic() < deadline, f"the worker never wrote {path.name}"
        time.sleep(0.05)


def start_together(shared, hook: str, *, burst: bool = True) -> list:
    """Two RQ workers with `hook`, let go at once when both are ready."""
    go = shared.directory / "go"
    workers, ready = [], []
    for n in range(2):
        ready.append(shared.directory / f"ready{n}")
        env = {"READY_MARK": str(ready[n]), "GO_MARK": str(go)}
        workers.append(shared.start("rq", hook=hook, burst=burst, env=env))
    for mark, worker in zip(ready, workers, strict=True):
        wait_for(mark, worker)
    go.touch()
    return workers


def test_a_database_worker_runs_an_import_job_and_its_comparison(shared):
    """The embedded queue: a worker process imports the files, then compares them."""
    job = job_enqueue(kind=JobKind.IMPORT_FILES, files=seed_files(), backend="database")
    assert job.state == JobState.QUEUED  # nothing ran in this process
    shared.push()
    shared.wait(shared.start("database"))
    shared.pull()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert [e["status"] for e in job.result["files"]] == ["created"] * 5
    assert (job.progress_done, job.progress_total) == (6, 6)
    comparison = Job.objects.get(pk=job.result["comparison_job"])
    assert comparison.state == JobState.SUCCEEDED, comparison.error
    assert comparison.result["compared"] == 5
    assert Article.objects.count() == 5
    assert PassageLink.objects.exists()


def test_a_worker_killed_mid_job_loses_nothing_and_doubles_nothing(shared):
    """kill -9 in the middle of the third file: a second worker takes the job over once its
    lease passes, imports the last three files only, and the job succeeds."""
    job = job_enqueue(kind=JobKind.IMPORT_FILES, files=seed_files(), backend="database")
    shared.push()
    mark = shared.directory / "stalled"
    first = shared.start(
        "database", hook=STALL_THIRD_IMPORT, burst=False, env={"STALL_MARK": str(mark)}
    )
    wait_for(mark, first)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    shared.pull()  # what the killed worker left: two files, the job still its
    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress_done) == (JobState.RUNNING, 1, 2)
    assert Article.objects.count() == 2

    shared.wait(shared.start("database"), timeout=90)
    shared.pull()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 2
    names = [name for name, _ in seed_files()]
    assert [e["name"] for e in job.result["files"]] == names
    assert [e["status"] for e in job.result["files"]] == ["created"] * 5
    assert sorted(Article.objects.values_list("source_name", flat=True)) == sorted(names)
    assert ArticleRevision.objects.count() == 5
    assert Job.objects.get(pk=job.result["comparison_job"]).state == JobState.SUCCEEDED


def test_two_rq_workers_make_what_one_process_makes(shared):
    """The distributed queue: five import jobs (each followed by its comparison) shared by two
    RQ workers on the local Redis give the articles, links and stories that running them one
    after another in one process gives."""
    for name, data in seed_files():
        job_enqueue(kind=JobKind.IMPORT_FILES, files=[(name, data)])  # here and now
    expected = corpus()
    assert expected["links"]
    call_command("flush", interactive=False, verbosity=0)

    jobs = [
        job_enqueue(kind=JobKind.IMPORT_FILES, files=[file], backend="rq") for file in seed_files()
    ]
    assert {job.state for job in jobs} == {JobState.QUEUED}
    shared.push()
    workers = start_together(shared, TOGETHER_AND_SLOW)
    for worker in workers:
        shared.wait(worker, timeout=120)
    shared.pull()

    done = Job.objects.filter(kind=JobKind.IMPORT_FILES)
    assert sorted(done.values_list("state", flat=True)) == [JobState.SUCCEEDED] * 5
    assert len(set(done.values_list("worker", flat=True))) == 2  # both took part
    comparisons = Job.objects.filter(kind=JobKind.COMPARISON_REFRESH)
    assert sorted(comparisons.values_list("state", flat=True)) == [JobState.SUCCEEDED] * 5
    assert corpus() == expected


def job_state(shared, pk: int) -> str:
    """The job's state as the workers wrote it (SQLite: read from their copy)."""
    if shared.sqlite_file is None:
        return Job.objects.values_list("state", flat=True).get(pk=pk)
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(shared.sqlite_file, timeout=10)) as db:
        return db.execute("SELECT state FROM articles_job WHERE id = ?", [pk]).fetchone()[0]


def test_two_rq_workers_share_a_comparisons_pair_batches(shared):
    """The comparison split into jobs by pair batch: two RQ workers on the local Redis each
    link some of the batches, and the refresh stores the links one process stores."""
    for name, data in seed_files():
        article_import(name=name, data=data, compare=False)
    ids = sorted(Article.objects.values_list("pk", flat=True))
    comparison_refresh(article_ids=ids)
    expected = corpus()
    assert expected["links"]
    for model in (PassageLink, Discrepancy, ComparedRevision):
        model.objects.all().delete()

    job = job_enqueue(
        kind=JobKind.COMPARISON_REFRESH,
        params={"article_ids": ids, "batch_pairs": 1},
        backend="rq",
    )
    shared.push()
    workers = start_together(shared, TOGETHER_AND_SLOW_BATCHES, burst=False)
    deadline = time.monotonic() + 120
    while job_state(shared, job.pk) not in (JobState.SUCCEEDED, JobState.FAILED):
        assert time.monotonic() < deadline, shared.log(0)[-2000:] + shared.log(1)[-2000:]
        assert all(w.poll() is None for w in workers), shared.log(0)[-3000:] + shared.log(1)[-3000:]
        time.sleep(0.2)
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    shared.pull()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    batches = Job.objects.filter(kind=JobKind.COMPARISON_PAIRS)
    assert batches.count() >= 3
    assert set(batches.values_list("state", flat=True)) == {JobState.SUCCEEDED}
    assert len(set(batches.values_list("worker", flat=True))) == 2  # both took part
    made = corpus()
    assert made["links"] == expected["links"]
    assert made["articles"] == expected["articles"]


@pytest.fixture(autouse=True)
def _redis_queue_empty():
    """Nothing is left on this run's RQ queue for a later run to find."""
    yield
    import django_rq
    from django.conf import settings

    django_rq.get_queue(settings.ASTANA_JOBS_QUEUE).empty()

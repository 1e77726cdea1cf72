"""A comparison refresh that shares its pairs out in batch jobs stores what one that links
them itself stores; with one worker alone it takes the batches itself; a failed batch is
queued again by the refresh's next attempt. (Two worker processes sharing the batches:
test_workers.py.)"""

import pytest

from articles.comparison.pair_batches import comparison_pairs_link
from articles.comparison.store import comparison_refresh
from articles.jobs import comparison as comparison_jobs
from articles.jobs.models import Job, JobKind, JobState
from articles.jobs.services import job_enqueue, job_run
from articles.models import Article, Discrepancy, PassageLink

pytestmark = pytest.mark.django_db


def stored() -> dict:
    """Every stored link and discrepancy, all their values but the row's own id."""
    link_fields = [f.attname for f in PassageLink._meta.concrete_fields if not f.primary_key]
    diff_fields = [f.attname for f in Discrepancy._meta.concrete_fields if not f.primary_key]
    return {
        "links": sorted(map(repr, PassageLink.objects.values_list(*link_fields))),
        "discrepancies": sorted(map(repr, Discrepancy.objects.values_list(*diff_fields))),
    }


def everything() -> list[int]:
    return sorted(Article.objects.values_list("pk", flat=True))


def test_batches_on_the_queue_store_what_one_refresh_stores(seeds):
    """Every seed recompared, its pairs in batches of two: the same rows as linked in one."""
    comparison_refresh(article_ids=everything())
    expected = stored()
    assert expected["links"]
    assert expected["discrepancies"]

    job = job_enqueue(
        kind=JobKind.COMPARISON_REFRESH, params={"article_ids": everything(), "batch_pairs": 2}
    )
    assert job.state == JobState.SUCCEEDED, job.error
    batches = Job.objects.filter(kind=JobKind.COMPARISON_PAIRS)
    assert batches.count() >= 3
    assert set(batches.values_list("state", flat=True)) == {JobState.SUCCEEDED}
    assert sorted(job.result["pair_batches"]["jobs"]) == sorted(
        batches.values_list("pk", flat=True)
    )
    assert all(len(b.params["pairs"]) <= 2 for b in batches)
    assert stored() == expected


def test_a_refresh_with_few_pairs_makes_no_batch(seeds):
    job = job_enqueue(
        kind=JobKind.COMPARISON_REFRESH, params={"article_ids": everything(), "batch_pairs": 1000}
    )
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["links"] > 0
    assert not Job.objects.filter(kind=JobKind.COMPARISON_PAIRS).exists()


def test_one_worker_alone_takes_the_batches_itself(seeds):
    """On the database queue with no worker running, the refresh's own run finishes: it takes
    each queued batch while it waits (a batch is never left for a worker that is not there)."""
    comparison_refresh(article_ids=everything())
    expected = stored()
    job = job_enqueue(
        kind=JobKind.COMPARISON_REFRESH,
        params={"article_ids": everything(), "batch_pairs": 2},
        backend="database",
    )
    assert job.state == JobState.QUEUED
    assert job_run(job_id=job.pk) == "succeeded"
    batches = Job.objects.filter(kind=JobKind.COMPARISON_PAIRS)
    assert batches.count() >= 3
    assert set(batches.values_list("state", flat=True)) == {JobState.SUCCEEDED}
    assert len(set(batches.values_list("worker", flat=True))) == 1
    assert stored() == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_batch_is_queued_again_by_the_refreshs_next_attempt(seeds, settings, monkeypatch):
    """A batch that used its one attempt fails the refresh's attempt; the next attempt finds
    the same batches (the corpus did not move), queues the failed one again, and finishes
    with the rows one refresh stores. (Committing, as a worker does: in a test transaction
    the failed attempt's savepoint would take its batches with it.)"""
    comparison_refresh(article_ids=everything())
    expected = stored()
    settings.ASTANA_JOBS_MAX_ATTEMPTS = 1  # the batches'
    calls = []

    def failing_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the worker's disk is full")
        return comparison_pairs_link(**kwargs)

    monkeypatch.setattr(comparison_jobs, "comparison_pairs_link", failing_once)
    job = job_enqueue(
        kind=JobKind.COMPARISON_REFRESH,
        params={"article_ids": everything(), "batch_pairs": 2},
        backend="database",
        max_attempts=2,
    )
    assert job_run(job_id=job.pk) == "retrying"
    job.refresh_from_db()
    assert "the worker's disk is full" in job.error
    planned = job.result["pair_batches"]["jobs"]
    failed = Job.objects.get(kind=JobKind.COMPARISON_PAIRS, state=JobState.FAILED)

    assert job_run(job_id=job.pk) == "succeeded"
    job.refresh_from_db()
    assert job.result["pair_batches"]["jobs"] == planned  # the same batches, none made again
    assert Job.objects.filter(kind=JobKind.COMPARISON_PAIRS).count() == len(planned)
    failed.refresh_from_db()
    assert failed.state == JobState.SUCCEEDED
    assert stored() == expected


def test_a_batch_naming_a_revision_that_is_gone_is_refused(seeds):
    pairs = [("000000000001", "000000000002")]
    articles = {key: {"revision": 10**9, "repeated": [], "published": None} for key in pairs[0]}
    with pytest.raises(ValueError, match="are gone"):
        comparison_pairs_link(pairs=pairs, articles=articles)
    with pytest.raises(ValueError, match="no description"):
        comparison_pairs_link(pairs=pairs, articles={})

"""The comparison's jobs: the refresh, and the batches of pairs it can share out.

A refresh is one job at a time (it reads the whole corpus, then replaces what it computed).
Linking its candidate pairs is most of its work and needs nothing but the pairs' articles, so
with ASTANA_COMPARE_BATCH_PAIRS (or the job's `batch_pairs` param) above 0 a refresh with more
pairs than that puts them in `COMPARISON_PAIRS` jobs of that many pairs each, which every
worker on the queue takes, on this machine or others (the distributed queue). The refresh
itself takes batches that are still queued while it waits, so one worker alone finishes the
job too, never waiting on work nobody runs; it then writes the results as it always has.

The batches are recorded on the refresh's result with a digest of what they were made from:
an attempt after a crash goes on with the same batches (those that failed are queued again),
or, if the corpus moved meanwhile, makes new ones.
"""

import hashlib
import json
import logging
import time
from functools import partial

from django.conf import settings
from django.db import transaction

from ..comparison.engine.align import PairResult
from ..comparison.pair_batches import (
    Pair,
    PairArticles,
    comparison_pairs_link,
    pair_results_from_json,
    pair_results_json,
)
from ..comparison.store import comparison_refresh
from ..services.stories import stories_suggest
from .models import Job, JobKind, JobState
from .services import JobResult, JobRun, job_deliver, job_enqueue, job_run, jobs_recover

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2  # between looks at the batches while other workers run them


def comparison_refresh_job(run: JobRun) -> JobResult:
    """comparison_refresh as a job: the articles named are recompared (and their stories
    suggested); with none, whatever is stale (a lexicon change recounts the framing)."""
    ids = run.params.get("article_ids")
    article_ids = [int(pk) for pk in ids] if ids else None
    size = int(run.params.get("batch_pairs") or settings.ASTANA_COMPARE_BATCH_PAIRS)
    elsewhere = partial(_pairs_in_batches, run, size) if size > 0 else None
    report = comparison_refresh(article_ids=article_ids, pairs_elsewhere=elsewhere)
    result: JobResult = {
        **({"pair_batches": run.result["pair_batches"]} if "pair_batches" in run.result else {}),
        "comparison": report.summary(),
        "compared": report.compared,
        "reframed": report.reframed,
        "links": report.links,
    }
    if article_ids:
        result["stories"] = stories_suggest(article_ids=article_ids).summary()
    return result


def comparison_pairs_job(run: JobRun) -> JobResult:
    """Link one batch of a refresh's pairs; the result is every pair's links as JSON."""
    pairs = [(str(a), str(b)) for a, b in run.params["pairs"]]
    results = comparison_pairs_link(pairs=pairs, articles=run.params["articles"])
    return {"pairs": pair_results_json(results)}


def _pairs_in_batches(
    run: JobRun, size: int, pairs: list[Pair], articles: PairArticles
) -> dict[Pair, PairResult]:
    """The refresh's `pairs_elsewhere`: up to `size` pairs are linked here; more are shared
    out in batch jobs of `size` pairs, and their results gathered."""
    if len(pairs) <= size:
        return comparison_pairs_link(pairs=pairs, articles=articles)
    plan = hashlib.sha256(json.dumps([size, pairs, articles], sort_keys=True).encode()).hexdigest()
    recorded = run.result.get("pair_batches")
    if recorded is not None and recorded.get("plan") == plan:
        _failed_queued_again(recorded["jobs"])
    else:
        recorded = {"plan": plan, "jobs": _batches_enqueue(run, size, pairs, articles)}
        run.step(done=0, total=len(recorded["jobs"]), result={"pair_batches": recorded})
    return _batches_gathered(run, recorded["jobs"])


def _batches_enqueue(run: JobRun, size: int, pairs: list[Pair], articles: PairArticles) -> list:
    """One job for each `size` consecutive pairs, on the refresh's own queue, all or none."""
    ids = []
    with transaction.atomic():
        for start in range(0, len(pairs), size):
            chunk = pairs[start : start + size]
            keys = sorted({key for pair in chunk for key in pair})
            job = job_enqueue(
                kind=JobKind.COMPARISON_PAIRS,
                params={"pairs": chunk, "articles": {key: articles[key] for key in keys}},
                user=run.job.requested_by,
                backend=run.job.backend,
            )
            ids.append(job.pk)
    return ids


def _failed_queued_again(ids: list[int]) -> None:
    """A batch that used its attempts goes back on the queue for this attempt of the refresh."""
    for job in Job.objects.filter(pk__in=ids, state=JobState.FAILED):
        again = Job.objects.filter(pk=job.pk, state=JobState.FAILED).update(
            state=JobState.QUEUED, attempts=0, task_id="", finished_at=None, lease_until=None
        )
        if again:
            job_deliver(job=job)


def _batches_gathered(run: JobRun, ids: list[int]) -> dict[Pair, PairResult]:
    """Wait for every batch, taking those still queued here, and read their results. A batch
    that failed (after its own retries) fails this attempt of the refresh."""
    total = len(ids)
    while True:
        states = dict(Job.objects.filter(pk__in=ids).values_list("pk", "state"))
        if len(states) < total:
            raise RuntimeError(f"{total - len(states)} pair batch job(s) were deleted")
        failed = sorted(pk for pk, state in states.items() if state == JobState.FAILED)
        if failed:
            error = Job.objects.values_list("error", flat=True).get(pk=failed[0])
            raise RuntimeError(f"pair batch job {failed[0]} failed: {error[-500:]}")
        done = sum(state == JobState.SUCCEEDED for state in states.values())
        run.step(done=done, total=total)  # keeps the refresh this worker's
        if done == total:
            break
        queued = sorted(pk for pk, state in states.items() if state == JobState.QUEUED)
        if queued:
            job_run(job_id=queued[0])  # skipped if another worker claimed it meanwhile
            continue
        jobs_recover(backend=run.job.backend)  # a batch whose worker stopped is queued again
        time.sleep(POLL_SECONDS)
    results: dict[Pair, PairResult] = {}
    for result in Job.objects.filter(pk__in=ids).values_list("result", flat=True):
        results.update(pair_results_from_json(result["pairs"]))
    return results

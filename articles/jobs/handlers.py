"""What the articles app's jobs do: import files or a link; the comparison's jobs are in
comparison.py.

Each handler takes the run (services.JobRun) and returns the job's result. A file's import
and the record that it was imported commit together, so an attempt after a crash starts at
the first file not recorded. The comparison that follows is a job of its own, run one at a
time: it reads the whole corpus, and running it again gives the same links.
"""

from typing import Any

from django.db import transaction

from ..ingest import IngestError
from ..link_import import article_import_fetched, link_fetch
from ..services.imports import ImportResult, article_import, comparison_enqueue
from .comparison import comparison_pairs_job, comparison_refresh_job
from .models import JobFile, JobKind
from .services import JobRefused, JobResult, JobRun, job_handler_set

CHANGED = ("created", "revised")


def _imported(name: str, result: ImportResult) -> dict[str, Any]:
    article = result.article
    entry: dict[str, Any] = {
        "name": name,
        "status": str(result.status),
        "article": article.pk,
        "slug": article.slug,
        "title": article.title,
        "revision": result.revision.number,
        "warnings": list(result.warnings),
    }
    if result.reanchor is not None and result.reanchor.counts:
        entry["reanchored"] = result.reanchor.summary()
    return entry


def _compare(run: JobRun, result: JobResult, article_ids: list[int], *, total: int) -> JobResult:
    """The last step of an import: a comparison job for the changed articles (one at a time
    across workers, see handlers_register), recorded with the step so it is asked once."""
    if not article_ids or "comparison_job" in result:
        return result
    with transaction.atomic():
        follow = comparison_enqueue(article_ids=article_ids, user=run.job.requested_by)
        result = {**result, "comparison_job": follow.pk}
        run.step(done=total, total=total, result=result)
    return result


def import_files(run: JobRun) -> JobResult:
    """Import the job's files in order, one step each, then compare the changed articles."""
    files = list(run.job.files.order_by("position").values_list("pk", "name"))
    outcome: list[dict[str, Any]] = list(run.result.get("files", []))
    total = len(files) + 1
    for pk, name in files[len(outcome) :]:
        data = bytes(JobFile.objects.values_list("data", flat=True).get(pk=pk))
        with transaction.atomic():
            try:
                entry = _imported(name, article_import(name=name, data=data, compare=False))
            except IngestError as exc:
                entry = {"name": name, "error": str(exc)}
            outcome.append(entry)
            run.step(done=len(outcome), total=total, result={"files": outcome})
    changed = [e["article"] for e in outcome if e.get("status") in CHANGED]
    return _compare(run, {**run.result, "files": outcome}, changed, total=total)


def import_link(run: JobRun) -> JobResult:
    """Fetch the link (outside any transaction), import the page, compare it."""
    done = run.result.get("file")
    if done is None:
        url = str(run.params["url"])
        try:
            fetched = link_fetch(url=url)
            with transaction.atomic():
                done = _imported(url, article_import_fetched(fetched=fetched, compare=False))
                run.step(done=1, total=2, result={"file": done})
        except IngestError as exc:  # FetchError is one: the link is refused, not retried
            raise JobRefused(str(exc)) from exc
    changed = [done["article"]] if done["status"] in CHANGED else []
    return _compare(run, {**run.result, "file": done}, changed, total=2)


def handlers_register() -> None:
    """Register this app's kinds of job (ArticlesConfig.ready)."""
    job_handler_set(kind=JobKind.IMPORT_FILES, handler=import_files)
    job_handler_set(kind=JobKind.IMPORT_LINK, handler=import_link)
    job_handler_set(kind=JobKind.COMPARISON_REFRESH, handler=comparison_refresh_job, exclusive=True)
    job_handler_set(kind=JobKind.COMPARISON_PAIRS, handler=comparison_pairs_job)

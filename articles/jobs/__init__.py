"""Background jobs: long work runs in a worker, never inside a request.

- models.py: `Job` (what to do, who asked, progress, result, attempts) and `JobFile` (the
  files an import job reads)
- services.py: `job_enqueue` (after the caller's transaction commits), `job_run` (claim,
  handler, retry) and `jobs_recover` (jobs whose worker stopped go back to the queue)
- tasks.py: the one task Django's tasks framework (`django.tasks`) carries: a job's id
- handlers.py: what the articles app's kinds of job do (imports); comparison.py: the
  comparison refresh and the batches of pairs it can share out; the annotations app
  registers re-anchoring (annotations/jobs.py)

Which queue carries them is a setting (ASTANA_TASKS: the database, or RQ on Redis); the
code here does not depend on it. A handler takes a `JobRun` and returns the job's result
(plain JSON); it records each finished step with `JobRun.step` in the transaction that wrote
the step's rows, and skips the steps an earlier attempt finished, so that running a job again
after a crash neither loses nor repeats any work.
"""

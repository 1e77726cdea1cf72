"""Background jobs: the long work a request hands off (articles/jobs/ explains the design).

A `Job` is this site's record of one piece of long work, whichever queue carries it: what to
do (`kind` and `params`, ids and plain values only), who asked, how far it got (`progress_*`,
and `result`, which a run extends step by step so that a later attempt resumes after the last
finished step), and what became of it. The queue itself (Django's tasks framework, on the
database or on Redis) only carries the job's id to a worker.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


class JobKind(models.TextChoices):
    IMPORT_FILES = "import_files", "Import files"
    IMPORT_LINK = "import_link", "Import a link"
    COMPARISON_REFRESH = "comparison_refresh", "Refresh the comparison"
    COMPARISON_PAIRS = "comparison_pairs", "Link a batch of pairs"
    REANCHOR = "reanchor", "Re-anchor annotations"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED)


class Job(models.Model):
    Kind = JobKind
    State = JobState

    kind = models.CharField(max_length=32, choices=JobKind)
    params = models.JSONField(default=dict, blank=True, help_text="What to do: ids and values.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The task backend (an alias of settings.TASKS) that carries this job, kept so that a
    # retry or a recovery goes back to the same queue.
    backend = models.CharField(max_length=64, default="default")
    queue = models.CharField(max_length=64, default="default")
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The task backend's id of the latest delivery."
    )
    state = models.CharField(max_length=16, choices=JobState, default=JobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A running job belongs to its worker until then; each step moves it on. A job still
    # running past it lost its worker, and goes back to the queue (jobs_recover).
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "lease_until"], name="job_state_lease_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")),
                name="job_progress_within_total",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1), name="job_at_least_one_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind}, {self.state})"

    def get_absolute_url(self) -> str:
        return reverse("api:job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return JobState(self.state).finished


class JobFile(models.Model):
    """A file handed to an import job, kept until the job is deleted."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    data = models.BinaryField()

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="jobfile_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.name} (job {self.job_id})"

"""Background jobs in the admin: every job with its state, progress, result and error, for
curators to follow (read-only: the workers write them)."""

import json

from django.contrib import admin
from django.utils.html import format_html

from ..jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "state", "progress", "attempts", "requested_by", "created_at"]
    list_filter = ["state", "kind", "backend"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "state",
        "progress",
        "attempts",
        "max_attempts",
        "requested_by",
        "params",
        "result_pretty",
        "error",
        "backend",
        "queue",
        "task_id",
        "worker",
        "created_at",
        "started_at",
        "finished_at",
        "lease_until",
    ]
    readonly_fields = fields

    @admin.display(description="Progress")
    def progress(self, job: Job) -> str:
        if not job.progress_total:
            return "–" if not job.is_finished else "done"
        return f"{job.progress_done} of {job.progress_total}"

    @admin.display(description="Result")
    def result_pretty(self, job: Job) -> str:
        return format_html("<pre>{}</pre>", json.dumps(job.result, indent=2, ensure_ascii=False))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

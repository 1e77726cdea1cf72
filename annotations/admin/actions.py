"""The actions of the annotation admin's list: hide, unhide, re-anchor (a background job,
annotations/jobs.py) and re-tag the selected annotations, each through one service."""

from django.contrib import admin, messages

from articles.jobs.models import JobKind, JobState
from articles.jobs.selectors import job_summary
from articles.jobs.services import job_enqueue

from .. import services
from ..access import AccessDenied
from ..models import AnchorStatus
from .base import CONFIRM, CurationAdmin, add_errors
from .forms import RetagForm


class AnnotationActions(CurationAdmin):
    """The actions AnnotationAdmin lists in `actions`."""

    def _set_hidden(self, request, queryset, hidden: bool, verb: str) -> None:
        try:
            changed = services.annotations_set_hidden(
                user=request.user, annotations=list(queryset), hidden=hidden
            )
        except AccessDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, f"{changed} annotation(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Hide from readers", permissions=["change"])
    def hide(self, request, queryset):
        self._set_hidden(request, queryset, True, "hidden")

    @admin.action(description="Unhide", permissions=["change"])
    def unhide(self, request, queryset):
        self._set_hidden(request, queryset, False, "unhidden")

    @admin.action(description="Re-anchor on the current text", permissions=["change"])
    def reanchor(self, request, queryset):
        job = job_enqueue(
            kind=JobKind.REANCHOR,
            params={"annotation_ids": sorted(queryset.values_list("pk", flat=True))},
            user=request.user,
        )
        if job.state == JobState.FAILED:
            self.message_user(request, job.error, messages.ERROR)
            return
        if job.state != JobState.SUCCEEDED:
            self.message_user(request, job_summary(job, "Re-anchoring"), messages.SUCCESS)
            return
        counts = job.result["counts"]
        unattached = AnchorStatus.ORPHANED.value, AnchorStatus.AMBIGUOUS.value
        level = messages.WARNING if any(counts.get(s) for s in unattached) else messages.SUCCESS
        self.message_user(request, job.result["summary"], level)

    @admin.action(description="Add or remove tags…", permissions=["change"])
    def retag(self, request, queryset):
        form = RetagForm(request.POST if CONFIRM in request.POST else None)
        if form.is_valid():
            try:
                changed = services.annotations_retag(
                    user=request.user,
                    annotations=list(queryset),
                    add=form.cleaned_data["add"],
                    remove=form.cleaned_data["remove"],
                )
            except services.AnnotationInvalid as exc:
                add_errors(form, exc)
            except AccessDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            else:
                self.message_user(
                    request, f"Tags changed on {changed} annotation(s).", messages.SUCCESS
                )
                return None
        return self._page(
            request,
            "admin/annotations/annotation/retag.html",
            "Add or remove tags",
            form=form,
            items=queryset.select_related("article"),
        )

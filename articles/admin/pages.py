"""The article admin's own pages: add articles by uploading files or pasting text, add one by a
link to its page (fetched safely), and change the kinds of an article's blocks. Each parses its
form, hands it to the import (a background job, articles/jobs/) or curation code and says
what came of it, or where to follow the job when it runs in a worker; `ArticlePagesMixin`
adds their URLs to `ArticleAdmin` (articles.py) as admin:articles_article_import,
admin:articles_article_import_link and admin:articles_article_blocks."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..forms import ArticleImportForm, ArticleLinkForm, BlockKindsForm
from ..ingest import Kind
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind, JobState


def _queued(job: Job, what: str) -> str:
    return format_html(
        '{} queued as <a href="{}">job {}</a>; it runs in the background.',
        what,
        reverse("admin:articles_job_change", args=[job.pk]),
        job.pk,
    )


class ArticlePagesMixin(SimpleHistoryAdmin):
    """The import, link-import and block-kinds pages, and their URLs. A history admin like
    ArticleAdmin itself, so the admin's methods are known to it."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="articles_article_import"),
            path("import-link/", view(self.import_link_view), name="articles_article_import_link"),
            path("<int:object_id>/blocks/", view(self.blocks_view), name="articles_article_blocks"),
            *super().get_urls(),
        ]

    def blocks_view(self, request, object_id: int):
        """Change the kinds of the current revision's blocks; the body is rebuilt."""
        article = self.get_object(request, str(object_id))
        if article is None or article.current_revision_id is None:
            raise Http404("No article with text here.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        blocks = list(article.current_revision.blocks.order_by("position"))
        form = BlockKindsForm(request.POST or None, blocks=blocks)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.article_reclassify(
                    user=request.user, article=article, kinds=form.kinds()
                )
            except services.CurationInvalid as exc:
                form.add_error(None, str(exc))
            else:
                level = messages.SUCCESS if result.revision else messages.INFO
                self.message_user(request, result.summary(), level)
                return redirect("admin:articles_article_change", article.pk)
        return TemplateResponse(
            request,
            "admin/articles/article/blocks.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Block kinds of “{article.title}”",
                "opts": self.model._meta,
                "original": article,
                "revision": article.current_revision,
                "form": form,
                "kinds": list(Kind),
            },
        )

    def import_view(self, request):
        """Add articles by uploading files or pasting text: one import job for them all."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            if form.cleaned_data["text"].strip():
                text = form.cleaned_data["text"]
                files.append((form.cleaned_data["name"].strip(), text.encode()))
            job = jobs.job_enqueue(kind=JobKind.IMPORT_FILES, files=files, user=request.user)
            if not job.is_finished:
                self.message_user(request, _queued(job, "Import"), messages.SUCCESS)
                return redirect("admin:articles_job_change", job.pk)
            imported = 0
            for entry in job.result.get("files", []):
                name = entry["name"]
                if "error" in entry:
                    self.message_user(
                        request, f"{name}: not imported: {entry['error']}", messages.ERROR
                    )
                    continue
                imported += 1
                for warning in entry["warnings"]:
                    self.message_user(request, f"{name}: {warning}", messages.WARNING)
                self.message_user(
                    request,
                    format_html(
                        '{}: {} as <a href="{}">{}</a> (revision {}).',
                        name,
                        entry["status"],
                        reverse("admin:articles_article_change", args=[entry["article"]]),
                        entry["title"],
                        entry["revision"],
                    ),
                    messages.SUCCESS,
                )
            if imported:
                return redirect("admin:articles_article_changelist")
        return TemplateResponse(
            request,
            "admin/articles/article/import.html",
            {
                **self.admin_site.each_context(request),
                "title": "Add articles",
                "opts": self.model._meta,
                "form": form,
                "max_bytes": settings.ASTANA_IMPORT_MAX_BYTES,
            },
        )

    def import_link_view(self, request):
        """Add an article by a link to its page: fetched safely, then imported as a file."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleLinkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            url = form.cleaned_data["url"]
            job = jobs.job_enqueue(kind=JobKind.IMPORT_LINK, params={"url": url}, user=request.user)
            if not job.is_finished:
                self.message_user(request, _queued(job, f"Import of {url}"), messages.SUCCESS)
                return redirect("admin:articles_job_change", job.pk)
            if job.state == JobState.FAILED:
                form.add_error("url", f"Not imported: {job.error}")
            else:
                entry = job.result["file"]
                for warning in entry["warnings"]:
                    self.message_user(request, f"Warning for {url}: {warning}", messages.WARNING)
                self.message_user(
                    request,
                    format_html(
                        '{} from {}: <a href="{}">{}</a> (revision {}).',
                        entry["status"].capitalize(),
                        url,
                        reverse("admin:articles_article_change", args=[entry["article"]]),
                        entry["title"],
                        entry["revision"],
                    ),
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", entry["article"])
        return TemplateResponse(
            request,
            "admin/articles/article/import_link.html",
            {
                **self.admin_site.each_context(request),
                "title": "Add an article by link",
                "opts": self.model._meta,
                "form": form,
                "max_bytes": settings.ASTANA_IMPORT_MAX_BYTES,
                "timeout": settings.ASTANA_FETCH_TIMEOUT,
            },
        )

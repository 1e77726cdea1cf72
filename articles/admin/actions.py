"""The article admin's actions: publish, unpublish and archive, run extraction again (or let it
decide what a curator set), credit articles to an outlet (made from the suggestion or chosen on
an intermediate page) and recompute comparison links. Each calls one service (or the
comparison refresh) and says what it did; `ArticleActionsMixin` is mixed into `ArticleAdmin`
(articles.py)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..jobs.selectors import job_summary
from ..models import Article, Outlet


class OutletAttachForm(forms.Form):
    outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.order_by("name"),
        label="Credit the articles to this outlet (a suggested name becomes its signature)",
    )


class ArticleActionsMixin(SimpleHistoryAdmin):
    """The actions `ArticleAdmin.actions` names, and the permissions they ask for. A history
    admin like ArticleAdmin itself, so the admin's methods are known to it."""

    def _set_status(self, request, queryset, status: str, verb: str) -> None:
        changed = services.articles_set_status(
            user=request.user, articles=list(queryset), status=status
        )
        self.message_user(request, f"{changed} article(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish (readers can see them)", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, "published")

    @admin.action(description="Unpublish (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, "unpublished")

    @admin.action(description="Archive", permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Article.Status.ARCHIVED, "archived")

    @admin.action(description="Run extraction again", permissions=["change"])
    def reextract(self, request, queryset):
        self._revise_each(request, queryset, services.article_reextract)

    @admin.action(
        description="Let extraction decide the metadata a curator set, and run it again",
        permissions=["change"],
    )
    def release_metadata(self, request, queryset):
        self._revise_each(request, queryset, services.article_metadata_reread)

    def _revise_each(self, request, queryset, service) -> None:
        """Run a curation service on each article, saying what it did or why it could not."""
        for article in queryset.select_related("current_revision"):
            try:
                result = service(user=request.user, article=article)
            except services.CurationInvalid as exc:
                self.message_user(request, f"“{article.title}”: {exc}", messages.ERROR)
            else:
                self.message_user(request, result.summary(), messages.SUCCESS)

    # The outlet actions change outlets too: they need the outlet permission as well as the
    # article one (an action is offered when any one of its permissions is held).
    def has_outlet_create_permission(self, request) -> bool:
        return self.has_change_permission(request) and request.user.has_perm("articles.add_outlet")

    def has_outlet_credit_permission(self, request) -> bool:
        return self.has_change_permission(request) and request.user.has_perm(
            "articles.change_outlet"
        )

    @admin.action(description="Create outlet from suggestion", permissions=["outlet_create"])
    def outlet_from_suggestion(self, request, queryset):
        for article in queryset.order_by("pk"):
            try:
                outlet, created = services.article_outlet_from_suggestion(
                    user=request.user, article=article
                )
            except services.CurationInvalid as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                verb = "made and credited" if created else "credited"
                self.message_user(
                    request, f"“{article.title}”: outlet {outlet.name} {verb}.", messages.SUCCESS
                )

    @admin.action(description="Credit to an existing outlet…", permissions=["outlet_credit"])
    def outlet_attach(self, request, queryset):
        form = OutletAttachForm(request.POST if "outlet" in request.POST else None)
        if form.is_valid():
            outlet = form.cleaned_data["outlet"]
            credited = services.articles_outlet_attach(
                user=request.user, articles=list(queryset), outlet=outlet
            )
            self.message_user(
                request, f"{credited} article(s) credited to {outlet.name}.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/article/outlet_attach.html",
            {
                **self.admin_site.each_context(request),
                "title": "Credit articles to an outlet",
                "opts": self.model._meta,
                "form": form,
                "articles": queryset.order_by("title"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Recompute comparison links", permissions=["change"])
    def recompare(self, request, queryset):
        job = services.comparison_enqueue(
            article_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )
        self.message_user(request, job_summary(job, "Comparison"), messages.SUCCESS)

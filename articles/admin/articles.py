"""The article admin: the list with its filters, the change form with each piece of metadata
beside the rule that decided it (a curator's edit goes through services.article_metadata_edit),
the article's revisions inline, and the raw text read-only. Its actions (actions.py) and its
own pages (pages.py) are mixed in."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .. import metadata, services
from ..models import Article, ArticleRevision
from .actions import ArticleActionsMixin
from .filters import OutletSuggestionFilter
from .pages import ArticlePagesMixin


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "link", "curated_by", "change_note", "source_path", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Blocks")
    def link(self, obj: ArticleRevision) -> str:
        url = reverse("admin:articles_articlerevision_change", args=[obj.pk])
        return format_html('<a href="{}">revision {} and its blocks</a>', url, obj.number)


@admin.register(Article)
class ArticleAdmin(ArticleActionsMixin, ArticlePagesMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "outlet",
        "published",
        "dateline",
        "status",
        "revision_count",
        "word_count",
    ]
    list_filter = [
        "status",
        "outlet",
        OutletSuggestionFilter,
        ("published_date", admin.DateFieldListFilter),
        "language",
    ]
    list_select_related = ["outlet"]
    search_fields = ["title", "source_name", "current_revision__body"]
    change_list_template = "admin/articles/article/change_list.html"
    delete_confirmation_template = "admin/articles/article/delete_confirmation.html"
    actions = [
        "publish",
        "unpublish",
        "archive",
        "reextract",
        "release_metadata",
        "outlet_from_suggestion",
        "outlet_attach",
        "recompare",
    ]

    class Media:
        css = {"all": ["css/admin.css"]}  # the raw text's wrapping (no inline styles: CSP)

    # Each piece of metadata beside the rule that decided it (read-only): a curator's edit sets
    # the rule to "curator: set by <user>", and running extraction again keeps it
    # (services.article_metadata_edit, articles/metadata.py).
    file_fields = [
        "source_name",
        "credits",
        "word_count",
        "current_revision",
        "created",
        "updated",
        "raw_text",
    ]
    readonly_fields = [*file_fields, "view_links", *metadata.GROUPS]
    fieldsets = [
        (
            None,
            {"fields": ["title", "title_derived", "title_rule", "slug", "status", "view_links"]},
        ),
        ("Outlet", {"fields": ["outlet", ("outlet_suggestion", "outlet_suggestion_rule")]}),
        (
            "Publication date",
            {
                "fields": [
                    ("published_date", "published_time", "published_offset"),
                    "published_rule",
                ],
                "description": "The day, the local time as the page prints it, and the zone "
                "as minutes east of UTC (UTC+3: 180) when the page prints one.",
            },
        ),
        ("Byline", {"fields": [("byline", "authors"), "byline_rule"]}),
        ("Dateline", {"fields": [("dateline", "dateline_agency"), "dateline_rule"]}),
        ("Language", {"fields": [("language", "direction"), "language_rule"]}),
        ("File", {"fields": file_fields}),
    ]
    inlines = [RevisionInline]

    def save_model(self, request, obj, form, change) -> None:
        """Metadata a curator edits goes through the service that marks it as theirs."""
        edited = {name: getattr(obj, name) for name in form.changed_data if name in metadata.FIELDS}
        if change and edited:
            services.article_metadata_edit(user=request.user, article=obj, values=edited)
        else:
            super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        revisions = ArticleRevision.objects.filter(article=OuterRef("pk")).values("article")
        return (
            super()
            .get_queryset(request)
            .annotate(
                _revision_count=Subquery(revisions.annotate(n=Count("pk")).values("n")[:1]),
            )
        )

    def get_deleted_objects(self, objs, request):
        """Revisions cannot be deleted one by one, but they go with their article."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(ArticleRevision._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    @admin.display(ordering="published_date", description="Published")
    def published(self, obj: Article) -> str:
        return obj.published_label or "—"

    @admin.display(ordering="_revision_count", description="Revisions")
    def revision_count(self, obj: Article) -> int:
        return obj._revision_count or 0

    @admin.display(description="Raw text (current revision)")
    def raw_text(self, obj: Article) -> str:
        if obj.current_revision is None:
            return "—"
        return format_html('<pre class="raw-text">{}</pre>', obj.current_revision.raw_text)

    @admin.display(description="On the site")
    def view_links(self, obj: Article) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">reading view</a> · <a href="{}">source view</a> · '
            '<a href="{}">fix block kinds</a>',
            reverse("articles:detail", args=[obj.slug]),
            reverse("articles:source", args=[obj.slug]),
            reverse("admin:articles_article_blocks", args=[obj.pk]),
        )

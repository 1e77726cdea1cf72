"""The start of curation: outlets, articles, their revisions and blocks, read-only raw text."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from .comparison import comparison_refresh
from .models import Article, ArticleRevision, Block, FramingFamily, FramingTerm, Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "is_agency", "country", "homepage", "article_count"]
    list_filter = ["is_agency"]
    search_fields = ["name", "notes"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(ordering="_article_count", description="Articles")
    def article_count(self, obj: Outlet) -> int:
        return obj._article_count


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "link", "sha256", "encoding", "source_path", "created"]
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
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "dateline", "status", "revision_count", "word_count"]
    list_filter = ["status", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["title", "source_name", "current_revision__body"]
    readonly_fields = [
        "source_name",
        "title_derived",
        "credits",
        "language",
        "word_count",
        "current_revision",
        "created",
        "updated",
        "raw_text",
        "view_links",
    ]
    fields = [
        "title",
        "slug",
        "outlet",
        "status",
        "dateline",
        "view_links",
        "source_name",
        "title_derived",
        "credits",
        "language",
        "word_count",
        "current_revision",
        "created",
        "updated",
        "raw_text",
    ]
    inlines = [RevisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_revision_count=Count("revisions"))

    def get_deleted_objects(self, objs, request):
        """Revisions cannot be deleted one by one, but they go with their article."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(ArticleRevision._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    @admin.display(ordering="_revision_count", description="Revisions")
    def revision_count(self, obj: Article) -> int:
        return obj._revision_count

    @admin.display(description="Raw text (current revision)")
    def raw_text(self, obj: Article) -> str:
        if obj.current_revision is None:
            return "—"
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>', obj.current_revision.raw_text
        )

    @admin.display(description="On the site")
    def view_links(self, obj: Article) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">reading view</a> · <a href="{}">source view</a>',
            reverse("articles:detail", args=[obj.slug]),
            reverse("articles:source", args=[obj.slug]),
        )


class BlockInline(admin.TabularInline):
    model = Block
    fields = [
        "position",
        "kind",
        "text",
        "author",
        "start",
        "end",
        "body_start",
        "body_end",
        "rule",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "sha256", "encoding", "created"]
    list_select_related = ["article"]
    search_fields = ["article__title", "article__source_name", "sha256"]
    readonly_fields = [
        "article",
        "number",
        "sha256",
        "encoding",
        "source_path",
        "outlet_rule",
        "warnings",
        "created",
        "raw_text",
        "body",
    ]
    exclude = ["raw_bytes"]
    inlines = [BlockInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FramingTermInline(admin.TabularInline):
    model = FramingTerm
    fields = ["phrase", "not_after", "not_before"]
    extra = 1


@admin.register(FramingFamily)
class FramingFamilyAdmin(admin.ModelAdmin):
    """The framing lexicon. Saving recounts every article's framing with the edited terms."""

    list_display = ["name", "position", "term_count"]
    list_editable = ["position"]
    search_fields = ["name", "terms__phrase"]
    inlines = [FramingTermInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_term_count=Count("terms"))

    @admin.display(ordering="_term_count", description="Terms")
    def term_count(self, obj: FramingFamily) -> int:
        return obj._term_count

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        self._recount(request)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self._recount(request)

    def _recount(self, request) -> None:
        report = comparison_refresh()
        self.message_user(request, f"Framing lexicon saved: {report.summary()}.")

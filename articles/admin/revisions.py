"""The revision admin, read-only: each revision of an article with its file's details and the
blocks extraction cut it into. Revisions are made by import and curation only, never added or
deleted here (they go with their article)."""

from django.contrib import admin

from ..models import ArticleRevision, Block
from ..services.blocks import BLOCK_COLUMNS


class BlockInline(admin.TabularInline):
    model = Block
    fields = [column for column in BLOCK_COLUMNS if column != "revision"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "curated_by", "change_note", "encoding", "created"]
    list_select_related = ["article", "curated_by"]
    search_fields = ["article__title", "article__source_name", "sha256"]
    readonly_fields = [
        "article",
        "number",
        "sha256",
        "encoding",
        "source_path",
        "source_format",
        "source_url",
        "outlet_rule",
        "warnings",
        "curated_by",
        "change_note",
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

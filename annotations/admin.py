"""Annotations and claims in the admin (the curation workflow grows in a later issue)."""

from django.contrib import admin

from .models import Annotation, Claim


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "short_quote",
        "article",
        "creator",
        "motivation",
        "anchor_status",
        "visibility",
        "is_hidden",
        "modified",
    ]
    list_filter = ["motivation", "anchor_status", "visibility", "is_hidden"]
    list_select_related = ["article", "creator"]
    search_fields = ["exact", "note", "article__title", "creator__username"]
    raw_id_fields = ["article", "revision", "anchor_revision", "creator", "parent", "claim"]
    readonly_fields = [
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "anchor_status",
        "anchor_score",
        "version",
        "created",
        "modified",
        "hidden_by",
        "hidden_at",
    ]

    @admin.display(description="Quote")
    def short_quote(self, obj: Annotation) -> str:
        return (obj.exact[:60] + "…") if len(obj.exact) > 60 else obj.exact or "(reply)"


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["text", "claimant", "kind", "rating", "reviewed_by", "modified"]
    list_filter = ["kind", "rating"]
    list_select_related = ["reviewed_by"]
    search_fields = ["text", "claimant", "reviewer_notes"]
    readonly_fields = ["created", "modified", "created_by"]
    raw_id_fields = ["reviewed_by"]

"""The list filters of the curation admins."""

from django.contrib import admin
from django.db.models import F, Q
from taggit.models import Tag

from ..models import AnchorStatus


class NeedsReattachingFilter(admin.SimpleListFilter):
    title = "needs re-attaching"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Orphaned, ambiguous or on an older text"),
            ("no", "On the current text"),
        ]

    def queryset(self, request, queryset):
        stale = Q(anchor_status__in=AnchorStatus.unattached()) | ~Q(
            anchor_revision=F("article__current_revision")
        )
        if self.value() == "yes":
            return queryset.filter(stale, parent__isnull=True)
        if self.value() == "no":
            return queryset.exclude(stale)
        return queryset


class TagFilter(admin.SimpleListFilter):
    """Filter by one of the tags used on this admin's records."""

    title = "tag"
    parameter_name = "tag"
    used_on = "annotations_taggedannotation_items"

    def lookups(self, request, model_admin):
        return list(
            Tag.objects.filter(**{f"{self.used_on}__isnull": False})
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class ClaimTagFilter(TagFilter):
    used_on = "annotations_taggedclaim_items"

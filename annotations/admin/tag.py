"""The tag admin (in place of taggit's own): tags with how often they are used, renamed,
deleted and merged through the services."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from taggit.models import Tag

from .. import selectors, services
from .base import CurationAdmin
from .forms import TagAdminForm

if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)  # taggit's own admin


@admin.register(Tag)
class TagAdmin(CurationAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "annotations", "claims", "page"]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["slug", "annotations", "claims", "page"]
    fields = [*TagAdminForm.Meta.fields, *readonly_fields]
    actions = ["merge"]
    merge_noun = "tag"
    merge_intro = (
        "Every annotation and claim tagged with one of the other tags gets the tag you "
        "keep instead (once), and the other tags are deleted."
    )

    def get_queryset(self, request):
        return selectors.tags_with_usage(super().get_queryset(request))

    @admin.display(description="Annotations", ordering="annotation_count")
    def annotations(self, obj: Tag) -> int:
        return getattr(obj, "annotation_count", 0)

    @admin.display(description="Claims", ordering="claim_count")
    def claims(self, obj: Tag) -> int:
        return getattr(obj, "claim_count", 0)

    @admin.display(description="On the site")
    def page(self, obj: Tag) -> str:
        if not obj.pk:
            return "—"
        try:
            url = reverse("annotations:tag-detail", args=[obj.slug])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">passages with this tag</a>', url)

    def save_model(self, request, obj, form, change) -> None:
        name = form.cleaned_data["name"]
        if change:
            tag = services.tag_rename(user=request.user, tag=obj, name=name)
        else:
            tag = services.tag_create(user=request.user, name=name)
        obj.pk, obj.name, obj.slug = tag.pk, tag.name, tag.slug
        obj._state.adding = False

    def delete_model(self, request, obj) -> None:
        services.tags_delete(user=request.user, tags=[obj])

    def delete_queryset(self, request, queryset) -> None:
        services.tags_delete(user=request.user, tags=list(queryset))

    def merge_choice(self, obj: Tag) -> str:
        return f"{obj.name}: {obj.annotation_count} annotation(s), {obj.claim_count} claim(s)"

    @admin.action(description="Merge the selected tags into one…", permissions=["change", "delete"])
    def merge(self, request, queryset):
        return self._merge(request, queryset.order_by("name"), services.tags_merge)

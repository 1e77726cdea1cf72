"""The claim admin: claims with the passages that carry them across outlets, saved through the
services (a new rating records the reviewer and the time), and merged into one."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .. import access, selectors, services
from ..models import Annotation, Claim
from .base import CurationAdmin, tags_text
from .filters import ClaimTagFilter
from .forms import ClaimAdminForm


class ClaimPassageInline(admin.TabularInline):
    """The passages that carry the claim, across outlets (read-only)."""

    model = Annotation
    fk_name = "claim"
    verbose_name = "passage carrying this claim"
    verbose_name_plural = "passages carrying this claim, across outlets"
    fields = ["outlet", "article", "quote", "creator", "visibility", "is_hidden", "reading_page"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return (
            (super().get_queryset(request) & access.annotations_curated_by(request.user))
            .select_related("article__outlet", "creator")
            .order_by("article__outlet__name", "article__title", "start", "pk")
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Outlet")
    def outlet(self, obj: Annotation) -> str:
        return obj.article.outlet.name if obj.article.outlet else "Outlet unknown"

    @admin.display(description="Quote")
    def quote(self, obj: Annotation) -> str:
        return obj.exact

    @admin.display(description="Reading page")
    def reading_page(self, obj: Annotation) -> str:
        url = reverse("articles:detail", args=[obj.article.slug]) + f"#hl-{obj.pk}"
        return format_html('<a href="{}">read it in place</a>', url)


@admin.register(Claim)
class ClaimAdmin(CurationAdmin, SimpleHistoryAdmin):
    form = ClaimAdminForm
    list_display = [
        "short_text",
        "claimant",
        "kind",
        "rating",
        "passages",
        "tag_list",
        "reviewed_by",
        "reviewed_at",
        "modified",
    ]
    list_filter = ["kind", "rating", ClaimTagFilter]
    list_select_related = ["reviewed_by"]
    search_fields = ["text", "claimant", "reviewer_notes"]
    readonly_fields = [
        "reviewed_by",
        "reviewed_at",
        "created_by",
        "created",
        "modified",
        "public_page",
    ]
    fields = [*ClaimAdminForm.Meta.fields, *readonly_fields]
    inlines = [ClaimPassageInline]
    actions = ["merge"]
    merge_noun = "claim"
    merge_intro = (
        "The passages of the other claims move to the one you keep, their tags are added "
        "to its tags and their reviewer notes to its notes; the other claims are deleted "
        "(their history keeps what they were). The kept claim’s text and rating stay."
    )

    def get_queryset(self, request):
        claims = super().get_queryset(request) & access.claims_curated_by(request.user)
        claims = claims.prefetch_related("tags")
        return selectors.claims_with_usage(claims)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    @admin.display(description="Claim", ordering="text")
    def short_text(self, obj: Claim) -> str:
        return (obj.text[:80] + "…") if len(obj.text) > 80 else obj.text

    @admin.display(description="Passages", ordering="passage_count")
    def passages(self, obj: Claim) -> int:
        return obj.passage_count

    @admin.display(description="Tags")
    def tag_list(self, obj: Claim) -> str:
        return tags_text(obj)

    @admin.display(description="On the site")
    def public_page(self, obj: Claim) -> str:
        if not obj.pk:
            return "—"
        url = reverse("annotations:claim-detail", args=[obj.pk])
        return format_html('<a href="{}">the claim’s page</a>', url)

    def save_model(self, request, obj, form, change) -> None:
        """Through claim_create / claim_update: a new rating records the reviewer and time."""
        names = ["text", "claimant", "kind", "rating", "reviewer_notes", "tags"]
        if change:
            claim = services.claim_update(
                user=request.user,
                claim=Claim.objects.get(pk=obj.pk),
                **{name: form.cleaned_data[name] for name in names if name in form.changed_data},
            )
        else:
            claim = services.claim_create(
                user=request.user, **{name: form.cleaned_data[name] for name in names}
            )
        obj.pk = claim.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        """The tags were saved by the service in save_model; the inline is read-only."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def merge_choice(self, obj: Claim) -> str:
        claimant = f" ({obj.claimant})" if obj.claimant else ""
        return f"“{obj.text}”{claimant}: {obj.get_rating_display()}, {obj.passage_count} passage(s)"

    @admin.action(
        description="Merge the selected claims into one…", permissions=["change", "delete"]
    )
    def merge(self, request, queryset):
        return self._merge(request, queryset.order_by("pk"), services.claims_merge)

"""The outlet admin: outlets with their article counts, and the action that merges several
outlets into one (services.outlets_merge), asking on an intermediate page which one to keep."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..forms import OutletMergeForm
from ..models import Outlet


@admin.register(Outlet)
class OutletAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_agency", "country", "ownership", "homepage", "article_count"]
    list_filter = ["is_agency", "country"]
    search_fields = ["name", "notes", "ownership"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "is_agency",
        "homepage",
        "country",
        "ownership",
        "signatures",
        "notes",
    ]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(ordering="_article_count", description="Articles")
    def article_count(self, obj: Outlet) -> int:
        return obj._article_count

    @admin.action(description="Merge the selected outlets into one", permissions=["change"])
    def merge(self, request, queryset):
        outlets = queryset.order_by("name")
        if outlets.count() < 2:
            self.message_user(request, "Select two or more outlets to merge.", messages.WARNING)
            return None
        form = OutletMergeForm(request.POST if "keep" in request.POST else None, outlets=outlets)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                moved = services.outlets_merge(
                    user=request.user, keep=keep, others=[o for o in outlets if o.pk != keep.pk]
                )
            except services.CurationInvalid as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request, f"Merged into {keep.name}; {moved} article(s) moved.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/outlet/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge outlets",
                "opts": self.model._meta,
                "form": form,
                "outlets": outlets,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

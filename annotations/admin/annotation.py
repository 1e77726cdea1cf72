"""The annotation admin: the list and the page of one annotation (read-only but for its tags
and hiding, saved through the services), its history, and re-attaching a passage by hand."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .. import access, selectors, services
from ..models import Annotation
from .actions import AnnotationActions
from .base import add_errors, tags_text
from .filters import NeedsReattachingFilter, TagFilter
from .forms import AnnotationAdminForm, ReattachForm


@admin.register(Annotation)
class AnnotationAdmin(AnnotationActions, SimpleHistoryAdmin):
    form = AnnotationAdminForm
    list_display = [
        "pk",
        "short_quote",
        "article",
        "outlet",
        "creator",
        "motivation",
        "tag_list",
        "anchor",
        "visibility",
        "is_hidden",
        "replies",
    ]
    list_filter = [
        "motivation",
        "anchor_status",
        NeedsReattachingFilter,
        "visibility",
        "is_hidden",
        ("article__outlet", admin.RelatedFieldListFilter),
        TagFilter,
    ]
    list_select_related = ["article__outlet", "creator"]
    search_fields = ["exact", "note", "article__title", "creator__username"]
    actions = ["hide", "unhide", "reanchor", "retag"]
    fieldsets = [
        (
            "Passage",
            {
                "fields": [
                    "article",
                    "quote_in_context",
                    "start",
                    "end",
                    "anchor_status",
                    "anchor_score",
                    "anchor_revision",
                    "revision",
                    "links",
                ]
            },
        ),
        (
            "What was said",
            {
                "fields": [
                    "creator",
                    "motivation",
                    "claim",
                    "note",
                    "colour",
                    "visibility",
                    "parent",
                ]
            },
        ),
        ("Curation", {"fields": ["tags", "is_hidden", "hidden_by", "hidden_at"]}),
        ("Record", {"fields": ["version", "created", "modified"]}),
    ]
    # Everything shown is read-only except what the form edits.
    readonly_fields = [
        name for name in flatten_fieldsets(fieldsets) if name not in AnnotationAdminForm.Meta.fields
    ]

    def get_queryset(self, request):
        curated = super().get_queryset(request) & access.annotations_curated_by(request.user)
        return selectors.annotations_with_usage(curated)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/reattach/",
                view(self.reattach_view),
                name="annotations_annotation_reattach",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request) -> bool:
        return False  # annotations are made on the reading page

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    # --- Columns and read-only fields -----------------------------------------------------

    @admin.display(description="Quote", ordering="exact")
    def short_quote(self, obj: Annotation) -> str:
        if not obj.exact:
            return "(reply)" if obj.parent_id else "(page note)"
        return (obj.exact[:60] + "…") if len(obj.exact) > 60 else obj.exact

    @admin.display(description="Outlet", ordering="article__outlet__name")
    def outlet(self, obj: Annotation) -> str:
        return obj.article.outlet.name if obj.article.outlet else "—"

    @admin.display(description="Tags")
    def tag_list(self, obj: Annotation) -> str:
        return tags_text(obj)

    @admin.display(description="Anchor", ordering="anchor_status")
    def anchor(self, obj: Annotation) -> str:
        status = obj.get_anchor_status_display()
        if obj.parent_id is None and obj.anchor_revision_id != obj.article.current_revision_id:
            return f"{status} (older text)"
        return status

    @admin.display(description="Replies", ordering="reply_count")
    def replies(self, obj: Annotation) -> int:
        return obj.reply_count

    @admin.display(description="Quote in its context")
    def quote_in_context(self, obj: Annotation) -> str:
        if obj.parent_id is not None:
            return "(a reply: it follows its thread)"
        return format_html("…{}<mark>{}</mark>{}…", obj.prefix, obj.exact, obj.suffix)

    @admin.display(description="Links")
    def links(self, obj: Annotation) -> str:
        reading = reverse("articles:detail", args=[obj.article.slug]) + f"#hl-{obj.pk}"
        if obj.parent_id is not None:
            return format_html('<a href="{}">reading page</a>', reading)
        return format_html(
            '<a href="{}">reading page</a> · <a href="{}">re-attach to other words</a>',
            reading,
            reverse("admin:annotations_annotation_reattach", args=[obj.pk]),
        )

    # --- Saving through the services --------------------------------------------------------

    def save_model(self, request, obj, form, change) -> None:
        if "is_hidden" in form.changed_data:
            services.annotation_set_hidden(
                user=request.user, annotation=obj, hidden=form.cleaned_data["is_hidden"]
            )
        if "tags" in form.changed_data:
            new = form.cleaned_data["tags"]
            kept = {name.casefold() for name in new}
            old = [tag.name for tag in form.initial.get("tags") or []]
            services.annotations_retag(
                user=request.user,
                annotations=[obj],
                add=new,
                remove=[name for name in old if name.casefold() not in kept],
            )

    def save_related(self, request, form, formsets, change) -> None:
        """The tags were saved by the service in save_model."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # --- Re-attaching -----------------------------------------------------------------------

    def reattach_view(self, request, object_id: str):
        """Attach a passage annotation by hand to words of its article's current text."""
        annotation = self.get_object(request, unquote(object_id))
        if annotation is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, annotation):
            raise PermissionDenied
        change_url = reverse("admin:annotations_annotation_change", args=[annotation.pk])
        revision = annotation.article.current_revision
        if annotation.parent_id is not None or revision is None:
            self.message_user(
                request,
                "Only a passage annotation on an article with text can be re-attached "
                "(a reply follows its thread).",
                messages.ERROR,
            )
            return redirect(change_url)
        on_current = annotation.anchor_revision_id == revision.pk
        form = ReattachForm(
            request.POST if request.method == "POST" else None,
            initial={"start": annotation.start, "end": annotation.end} if on_current else {},
        )
        if form.is_valid():
            try:
                services.annotation_reattach(
                    user=request.user,
                    annotation=annotation,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
            except services.AnnotationInvalid as exc:
                add_errors(form, exc)
            else:
                self.message_user(
                    request,
                    f"Re-attached to characters {form.cleaned_data['start']}–"
                    f"{form.cleaned_data['end']} of revision {revision.number}.",
                    messages.SUCCESS,
                )
                return redirect(change_url)
        find = request.GET.get("find", "")[:1_000]
        return self._page(
            request,
            "admin/annotations/annotation/reattach.html",
            f"Re-attach annotation {annotation.pk}",
            original=annotation,
            revision=revision,
            body=revision.body,
            body_length=len(revision.body),
            on_current=on_current,
            form=form,
            find=find,
            occurrences=selectors.body_occurrences(body=revision.body, words=find),
        )

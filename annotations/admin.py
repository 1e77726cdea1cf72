"""Curation of annotations, claims and tags in the admin.

Thin: each action and page parses a form and calls one service (`services.py`); lists read
annotated querysets (`selectors.py`), so their query count does not grow with their rows.
Annotations and claims keep their history (django-simple-history); it is read-only here,
because reverting would bypass the services.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag

from . import forms as account_forms
from . import selectors, services
from .access import AccessDenied
from .models import AnchorStatus, Annotation, Claim

CONFIRM = "confirm"  # the hidden field that says an intermediate page's form was sent


def _error_text(exc: Exception) -> str:
    if isinstance(exc, services.AnnotationInvalid):
        return " ".join(message for messages_ in exc.errors.values() for message in messages_)
    return str(exc)


def _add_errors(form: forms.Form, exc: services.AnnotationInvalid) -> None:
    for name, errors in exc.errors.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def _split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def _tag_list(obj) -> str:
    return ", ".join(sorted((tag.name for tag in obj.tags.all()), key=str.casefold))


# --- Forms ----------------------------------------------------------------------------------


class CommaTagWidget(forms.TextInput):
    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = ", ".join(sorted((getattr(t, "name", t) for t in value), key=str.casefold))
        return super().format_value(value)


class CommaTagField(forms.CharField):
    """Tags separated by commas only ("peace talks" is one tag), checked as the services
    check them, so a bad tag is a form error rather than a failed save."""

    widget = CommaTagWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Separate tags with commas.")
        super().__init__(required=False, **kwargs)

    def clean(self, value) -> list[str]:
        try:
            return services.tag_names_check(_split_tags(super().clean(value)))
        except services.AnnotationInvalid as exc:
            raise forms.ValidationError(exc.errors["tags"]) from None

    def has_changed(self, initial, data) -> bool:
        try:
            new = self.clean(data)
        except forms.ValidationError:
            return True
        return sorted(getattr(t, "name", t) for t in initial or []) != sorted(new)


class AnnotationAdminForm(forms.ModelForm):
    tags = CommaTagField()

    class Meta:
        model = Annotation
        fields = ["tags", "is_hidden"]


class ClaimAdminForm(forms.ModelForm):
    tags = CommaTagField()
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000)
    reviewer_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_NOTE_LENGTH,
        required=False,
        help_text="Why the claim has its rating; changing the rating records you and the time.",
    )

    class Meta:
        model = Claim
        fields = ["text", "claimant", "kind", "rating", "reviewer_notes", "tags"]


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]
        help_texts = {
            "name": "Renaming changes the tag on every annotation and claim; its address follows."
        }

    def clean_name(self):
        try:
            return services.tag_name_check(name=self.cleaned_data["name"], tag=self.instance)
        except services.AnnotationInvalid as exc:
            raise forms.ValidationError(exc.errors["name"]) from None


class RetagForm(forms.Form):
    add = forms.CharField(
        required=False,
        max_length=5_000,
        label="Tags to add",
        help_text="Separate tags with commas.",
    )
    remove = forms.CharField(
        required=False,
        max_length=5_000,
        label="Tags to remove",
        help_text="Separate tags with commas; case does not matter.",
    )

    def clean(self):
        data = super().clean()
        data["add"] = _split_tags(data.get("add", ""))
        data["remove"] = _split_tags(data.get("remove", ""))
        if not self.errors and not data["add"] and not data["remove"]:
            raise forms.ValidationError("Give tags to add or tags to remove.")
        return data


class ReattachForm(forms.Form):
    start = forms.IntegerField(
        label="Start", help_text="Offset of the first character (the body starts at 0)."
    )
    end = forms.IntegerField(label="End", help_text="Offset just after the last character.")


class KeepForm(forms.Form):
    """Which of the selected records survives a merge."""

    keep = forms.ModelChoiceField(queryset=Tag.objects.none(), widget=forms.RadioSelect)

    def __init__(self, *args, choices, label: str, label_for, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        field.queryset = choices
        field.label = label
        field.label_from_instance = label_for


class CurationAdmin(admin.ModelAdmin):
    """What the three curation admins share: intermediate pages for actions, and merges."""

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "confirm": CONFIRM,
                **context,
            },
        )

    def _merge(self, request, queryset, *, action: str, noun: str, label_for, intro: str, merge):
        items = list(queryset)
        if len(items) < 2:
            self.message_user(request, f"Select two or more {noun}s to merge.", messages.WARNING)
            return None
        form = KeepForm(
            request.POST if CONFIRM in request.POST else None,
            choices=queryset,
            label=f"Keep this {noun}; the others are merged into it",
            label_for=label_for,
        )
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                report = merge(
                    user=request.user, keep=keep, others=[i for i in items if i.pk != keep.pk]
                )
            except (services.AnnotationInvalid, AccessDenied) as exc:
                self.message_user(request, _error_text(exc), messages.ERROR)
                return None
            self.message_user(request, report.summary(), messages.SUCCESS)
            return None
        return self._page(
            request,
            "admin/annotations/merge.html",
            f"Merge {noun}s",
            form=form,
            items=items,
            action=action,
            intro=intro,
        )


# --- Annotations ----------------------------------------------------------------------------


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


@admin.register(Annotation)
class AnnotationAdmin(CurationAdmin, SimpleHistoryAdmin):
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
        return selectors.annotations_with_usage(super().get_queryset(request))

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
        return _tag_list(obj)

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

    # --- Actions ----------------------------------------------------------------------------

    def _set_hidden(self, request, queryset, hidden: bool, verb: str) -> None:
        try:
            changed = services.annotations_set_hidden(
                user=request.user, annotations=list(queryset), hidden=hidden
            )
        except AccessDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, f"{changed} annotation(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Hide from readers", permissions=["change"])
    def hide(self, request, queryset):
        self._set_hidden(request, queryset, True, "hidden")

    @admin.action(description="Unhide", permissions=["change"])
    def unhide(self, request, queryset):
        self._set_hidden(request, queryset, False, "unhidden")

    @admin.action(description="Re-anchor on the current text", permissions=["change"])
    def reanchor(self, request, queryset):
        try:
            report = services.annotations_reanchor_current(
                user=request.user, annotations=list(queryset)
            )
        except AccessDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        unattached = AnchorStatus.ORPHANED.value, AnchorStatus.AMBIGUOUS.value
        level = messages.WARNING if any(report.counts[s] for s in unattached) else messages.SUCCESS
        self.message_user(request, report.summary(), level)

    @admin.action(description="Add or remove tags…", permissions=["change"])
    def retag(self, request, queryset):
        form = RetagForm(request.POST if CONFIRM in request.POST else None)
        if form.is_valid():
            try:
                changed = services.annotations_retag(
                    user=request.user,
                    annotations=list(queryset),
                    add=form.cleaned_data["add"],
                    remove=form.cleaned_data["remove"],
                )
            except services.AnnotationInvalid as exc:
                _add_errors(form, exc)
            except AccessDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            else:
                self.message_user(
                    request, f"Tags changed on {changed} annotation(s).", messages.SUCCESS
                )
                return None
        return self._page(
            request,
            "admin/annotations/annotation/retag.html",
            "Add or remove tags",
            form=form,
            items=queryset.select_related("article"),
        )

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
                _add_errors(form, exc)
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


# --- Claims ---------------------------------------------------------------------------------


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
            super()
            .get_queryset(request)
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

    def get_queryset(self, request):
        claims = super().get_queryset(request).prefetch_related("tags")
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
        return _tag_list(obj)

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

    @admin.action(
        description="Merge the selected claims into one…", permissions=["change", "delete"]
    )
    def merge(self, request, queryset):
        return self._merge(
            request,
            queryset.order_by("pk"),
            action="merge",
            noun="claim",
            label_for=lambda c: (
                f"“{c.text}”{f' ({c.claimant})' if c.claimant else ''}: {c.get_rating_display()}, "
                f"{c.passage_count} passage(s)"
            ),
            intro=(
                "The passages of the other claims move to the one you keep, their tags are added "
                "to its tags and their reviewer notes to its notes; the other claims are deleted "
                "(their history keeps what they were). The kept claim’s text and rating stay."
            ),
            merge=services.claims_merge,
        )


# --- Tags -----------------------------------------------------------------------------------

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

    @admin.action(description="Merge the selected tags into one…", permissions=["change", "delete"])
    def merge(self, request, queryset):
        return self._merge(
            request,
            queryset.order_by("name"),
            action="merge",
            noun="tag",
            label_for=lambda t: (
                f"{t.name}: {t.annotation_count} annotation(s), {t.claim_count} claim(s)"
            ),
            intro=(
                "Every annotation and claim tagged with one of the other tags gets the tag you "
                "keep instead (once), and the other tags are deleted."
            ),
            merge=services.tags_merge,
        )


# --- Users: the stock admin, refusing usernames that read like another ---------------------


class UserAdmin(auth_admin.UserAdmin):
    form = account_forms.UserChangeForm
    add_form = account_forms.AdminUserCreationForm


if admin.site.is_registered(get_user_model()):
    admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)

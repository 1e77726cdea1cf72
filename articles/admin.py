"""The start of curation: outlets, articles, their revisions and blocks, read-only raw text."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag

from annotations.models import Annotation

from . import link_import, metadata, services
from .comparison.store import comparison_refresh
from .forms import ArticleImportForm, ArticleLinkForm, BlockKindsForm, OutletMergeForm
from .ingest import IngestError, Kind
from .models import Article, ArticleRevision, Block, FramingFamily, FramingTerm, Outlet


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
                    keep=keep, others=[o for o in outlets if o.pk != keep.pk]
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


class YesNoFilter(admin.SimpleListFilter):
    """A filter with two choices: the rows that meet `condition()`, or those that don't."""

    yes_label = no_label = ""

    def lookups(self, request, model_admin):
        return [("yes", self.yes_label), ("no", self.no_label)]

    def condition(self) -> Q:
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


class HasOrphansFilter(YesNoFilter):
    title = "orphaned annotations"
    parameter_name = "orphans"
    yes_label, no_label = "Has orphans", "No orphans"

    def condition(self) -> Q:
        orphaned = Q(anchor_status__in=("orphaned", "ambiguous")) | ~Q(
            anchor_revision=F("article__current_revision")
        )
        return Q(pk__in=Annotation.objects.filter(orphaned).values("article_id"))


class AnnotationTagFilter(admin.SimpleListFilter):
    title = "annotation tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return list(
            Tag.objects.filter(annotations_taggedannotation_items__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                pk__in=Annotation.objects.filter(tags__slug=self.value()).values("article_id")
            )
        return queryset


class OutletSuggestionFilter(YesNoFilter):
    title = "suggested outlet"
    parameter_name = "suggestion"
    yes_label, no_label = "Has a suggested outlet", "No suggestion"

    def condition(self) -> Q:
        return ~Q(outlet_suggestion="")


class OutletAttachForm(forms.Form):
    outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.order_by("name"),
        label="Credit the articles to this outlet (a suggested name becomes its signature)",
    )


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "outlet",
        "published",
        "dateline",
        "status",
        "revision_count",
        "annotation_count",
        "claim_count",
        "word_count",
    ]
    list_filter = [
        "status",
        "outlet",
        OutletSuggestionFilter,
        ("published_date", admin.DateFieldListFilter),
        "language",
        HasOrphansFilter,
        AnnotationTagFilter,
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
        annotations = Annotation.objects.filter(article=OuterRef("pk")).values("article")
        return (
            super()
            .get_queryset(request)
            .annotate(
                _revision_count=Subquery(revisions.annotate(n=Count("pk")).values("n")[:1]),
                _annotation_count=Subquery(annotations.annotate(n=Count("pk")).values("n")[:1]),
                _claim_count=Subquery(
                    annotations.annotate(n=Count("claim", distinct=True)).values("n")[:1]
                ),
            )
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="articles_article_import"),
            path("import-link/", view(self.import_link_view), name="articles_article_import_link"),
            path("<int:object_id>/blocks/", view(self.blocks_view), name="articles_article_blocks"),
            *super().get_urls(),
        ]

    def get_deleted_objects(self, objs, request):
        """Revisions cannot be deleted one by one, but they go with their article."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(ArticleRevision._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        """The confirmation page offers the article's annotations for export first."""
        total = (
            Annotation.objects.filter(article_id=object_id).count()
            if object_id.isascii() and object_id.isdigit()
            else 0
        )
        return super().delete_view(
            request, object_id, {**(extra_context or {}), "annotation_total": total}
        )

    @admin.display(ordering="published_date", description="Published")
    def published(self, obj: Article) -> str:
        return obj.published_label or "—"

    @admin.display(ordering="_revision_count", description="Revisions")
    def revision_count(self, obj: Article) -> int:
        return obj._revision_count or 0

    @admin.display(ordering="_annotation_count", description="Annotations")
    def annotation_count(self, obj: Article) -> int:
        return obj._annotation_count or 0

    @admin.display(ordering="_claim_count", description="Claims")
    def claim_count(self, obj: Article) -> int:
        return obj._claim_count or 0

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

    # --- Actions -------------------------------------------------------------------------

    def _set_status(self, request, queryset, status: str, verb: str) -> None:
        changed = services.articles_set_status(articles=list(queryset), status=status)
        self.message_user(request, f"{changed} article(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish (readers can see them)", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, "published")

    @admin.action(description="Unpublish (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, "unpublished")

    @admin.action(description="Archive", permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Article.Status.ARCHIVED, "archived")

    @admin.action(description="Run extraction again", permissions=["change"])
    def reextract(self, request, queryset):
        self._revise_each(request, queryset, services.article_reextract)

    @admin.action(
        description="Let extraction decide the metadata a curator set, and run it again",
        permissions=["change"],
    )
    def release_metadata(self, request, queryset):
        self._revise_each(request, queryset, services.article_metadata_reread)

    def _revise_each(self, request, queryset, service) -> None:
        """Run a curation service on each article, saying what it did or why it could not."""
        for article in queryset.select_related("current_revision"):
            try:
                result = service(user=request.user, article=article)
            except services.CurationInvalid as exc:
                self.message_user(request, f"“{article.title}”: {exc}", messages.ERROR)
            else:
                self.message_user(request, result.summary(), messages.SUCCESS)

    # The outlet actions change outlets too: they need the outlet permission as well as the
    # article one (an action is offered when any one of its permissions is held).
    def has_outlet_create_permission(self, request) -> bool:
        return self.has_change_permission(request) and request.user.has_perm("articles.add_outlet")

    def has_outlet_credit_permission(self, request) -> bool:
        return self.has_change_permission(request) and request.user.has_perm(
            "articles.change_outlet"
        )

    @admin.action(description="Create outlet from suggestion", permissions=["outlet_create"])
    def outlet_from_suggestion(self, request, queryset):
        for article in queryset.order_by("pk"):
            try:
                outlet, created = services.article_outlet_from_suggestion(
                    user=request.user, article=article
                )
            except services.CurationInvalid as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                verb = "made and credited" if created else "credited"
                self.message_user(
                    request, f"“{article.title}”: outlet {outlet.name} {verb}.", messages.SUCCESS
                )

    @admin.action(description="Credit to an existing outlet…", permissions=["outlet_credit"])
    def outlet_attach(self, request, queryset):
        form = OutletAttachForm(request.POST if "outlet" in request.POST else None)
        if form.is_valid():
            outlet = form.cleaned_data["outlet"]
            credited = services.articles_outlet_attach(
                user=request.user, articles=list(queryset), outlet=outlet
            )
            self.message_user(
                request, f"{credited} article(s) credited to {outlet.name}.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/article/outlet_attach.html",
            {
                **self.admin_site.each_context(request),
                "title": "Credit articles to an outlet",
                "opts": self.model._meta,
                "form": form,
                "articles": queryset.order_by("title"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Recompute comparison links", permissions=["change"])
    def recompare(self, request, queryset):
        report = comparison_refresh(article_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Comparison: {report.summary()}.", messages.SUCCESS)

    # --- Pages ---------------------------------------------------------------------------

    def blocks_view(self, request, object_id: int):
        """Change the kinds of the current revision's blocks; the body is rebuilt."""
        article = self.get_object(request, str(object_id))
        if article is None or article.current_revision_id is None:
            raise Http404("No article with text here.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        blocks = list(article.current_revision.blocks.order_by("position"))
        form = BlockKindsForm(request.POST or None, blocks=blocks)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.article_reclassify(
                    user=request.user, article=article, kinds=form.kinds()
                )
            except services.CurationInvalid as exc:
                form.add_error(None, str(exc))
            else:
                level = messages.SUCCESS if result.revision else messages.INFO
                self.message_user(request, result.summary(), level)
                return redirect("admin:articles_article_change", article.pk)
        return TemplateResponse(
            request,
            "admin/articles/article/blocks.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Block kinds of “{article.title}”",
                "opts": self.model._meta,
                "original": article,
                "revision": article.current_revision,
                "form": form,
                "kinds": list(Kind),
            },
        )

    def import_view(self, request):
        """Add articles by uploading files or pasting text (the import command's path)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            jobs = [(f.name, f.read) for f in form.cleaned_data["files"]]
            if form.cleaned_data["text"].strip():
                text = form.cleaned_data["text"]
                jobs.append((form.cleaned_data["name"].strip(), lambda t=text: t.encode()))
            imported = 0
            for name, read in jobs:
                try:
                    result = services.article_import(name=name, data=read())
                except IngestError as exc:
                    self.message_user(request, f"{name}: not imported: {exc}", messages.ERROR)
                    continue
                imported += 1
                for warning in result.warnings:
                    self.message_user(request, f"{name}: {warning}", messages.WARNING)
                self.message_user(
                    request,
                    format_html(
                        '{}: {} as <a href="{}">{}</a> (revision {}).',
                        name,
                        result.status,
                        reverse("admin:articles_article_change", args=[result.article.pk]),
                        result.article.title,
                        result.revision.number,
                    ),
                    messages.SUCCESS,
                )
            if imported:
                return redirect("admin:articles_article_changelist")
        return TemplateResponse(
            request,
            "admin/articles/article/import.html",
            {
                **self.admin_site.each_context(request),
                "title": "Add articles",
                "opts": self.model._meta,
                "form": form,
                "max_bytes": settings.ASTANA_IMPORT_MAX_BYTES,
            },
        )

    def import_link_view(self, request):
        """Add an article by a link to its page: fetched safely, then imported as a file."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleLinkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            url = form.cleaned_data["url"]
            try:
                result = link_import.article_import_link(url=url, user=request.user)
            except IngestError as exc:  # FetchError is one
                form.add_error("url", f"Not imported: {exc}")
            else:
                for warning in result.warnings:
                    self.message_user(request, f"Warning for {url}: {warning}", messages.WARNING)
                self.message_user(
                    request,
                    format_html(
                        '{} from {}: <a href="{}">{}</a> (revision {}).',
                        result.status.capitalize(),
                        url,
                        reverse("admin:articles_article_change", args=[result.article.pk]),
                        result.article.title,
                        result.revision.number,
                    ),
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", result.article.pk)
        return TemplateResponse(
            request,
            "admin/articles/article/import_link.html",
            {
                **self.admin_site.each_context(request),
                "title": "Add an article by link",
                "opts": self.model._meta,
                "form": form,
                "max_bytes": settings.ASTANA_IMPORT_MAX_BYTES,
                "timeout": settings.ASTANA_FETCH_TIMEOUT,
            },
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
        "language",
        "direction",
        "rule",
    ]
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


# How the engine reads a term (articles/comparison/engine/framing.py), shown beside the fields.
FRAMING_TERM_HELP = {
    "phrase": "A word or phrase; its plural and possessive count in the same row (rebel: "
    "rebels, rebel's). Write common words in lower case: a capitalised word is a name and "
    "keeps its s (Hamas).",
    "not_after": 'Words or phrases that cancel the term right before it, e.g. ["ceasefire", '
    '"cease fire"]; "*" stands for any one word.',
    "not_before": "Words or phrases that cancel the term right after it, in the same "
    'sentence, e.g. ["news", "* website"] ("opposition news", "opposition-run website").',
}


class FramingTermInline(admin.TabularInline):
    model = FramingTerm
    fields = ["phrase", "not_after", "not_before"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in FRAMING_TERM_HELP:
            field.help_text = FRAMING_TERM_HELP[db_field.name]
        return field


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

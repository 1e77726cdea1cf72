"""The article admin as curators use it, with what the annotations app knows of each article:
how many annotations and claims it carries, filters by orphaned annotations and by tag, and
the count shown before a delete. The articles app's own admin (articles/admin/) knows
nothing of annotations; this one extends it and takes its place."""

from django.contrib import admin
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse

from articles.admin import ArticleAdmin, YesNoFilter
from articles.models import Article

from ..models import AnchorStatus, Annotation
from .filters import TagFilter


class HasOrphansFilter(YesNoFilter):
    title = "orphaned annotations"
    parameter_name = "orphans"
    yes_label, no_label = "Has orphans", "No orphans"

    def condition(self) -> Q:
        orphaned = Q(anchor_status__in=AnchorStatus.unattached()) | ~Q(
            anchor_revision=F("article__current_revision")
        )
        return Q(pk__in=Annotation.objects.filter(orphaned).values("article_id"))


class AnnotationTagFilter(TagFilter):
    """Articles with a passage carrying the tag (the tags offered are those on annotations)."""

    title = "annotation tag"

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                pk__in=Annotation.objects.filter(tags__slug=self.value()).values("article_id")
            )
        return queryset


def _before(items: list, item: str, *added) -> list:
    """The list with `added` inserted just before `item`."""
    at = items.index(item)
    return [*items[:at], *added, *items[at:]]


class ArticleWithAnnotationsAdmin(ArticleAdmin):
    list_display = _before(
        ArticleAdmin.list_display, "word_count", "annotation_count", "claim_count"
    )
    list_filter = [*ArticleAdmin.list_filter, HasOrphansFilter, AnnotationTagFilter]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        annotations = Annotation.objects.filter(article=OuterRef("pk")).values("article")
        return (
            super()
            .get_queryset(request)
            .annotate(
                _annotation_count=Subquery(annotations.annotate(n=Count("pk")).values("n")[:1]),
                _claim_count=Subquery(
                    annotations.annotate(n=Count("claim", distinct=True)).values("n")[:1]
                ),
            )
        )

    @admin.display(ordering="_annotation_count", description="Annotations")
    def annotation_count(self, obj: Article) -> int:
        return obj._annotation_count or 0

    @admin.display(ordering="_claim_count", description="Claims")
    def claim_count(self, obj: Article) -> int:
        return obj._claim_count or 0

    def delete_view(self, request, object_id, extra_context=None) -> HttpResponse:
        """The confirmation page offers the article's annotations for export first."""
        total = (
            Annotation.objects.filter(article_id=object_id).count()
            if object_id.isascii() and object_id.isdigit()
            else 0
        )
        return super().delete_view(
            request, object_id, {**(extra_context or {}), "annotation_total": total}
        )


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithAnnotationsAdmin)

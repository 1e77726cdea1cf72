"""The framing lexicon's admin: families of terms, each term with the words that cancel it
before or after, explained beside the fields as the engine reads them. Saving or deleting a
family recounts every article's framing (a comparison job, articles/jobs/)."""

from django.contrib import admin
from django.db.models import Count

from ..jobs.models import JobKind
from ..jobs.selectors import job_summary
from ..jobs.services import job_enqueue
from ..models import FramingFamily, FramingTerm

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
        job = job_enqueue(kind=JobKind.COMPARISON_REFRESH, user=request.user)
        self.message_user(request, job_summary(job, "Framing lexicon saved"))

"""Curating stories: confirm what the clustering proposed, move articles between stories,
split a story, merge stories. Every change goes through articles.services (which checks that
the user curates); the evidence of each suggestion is shown beside it."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from .. import access, services
from ..models import Story, StoryArticle


def evidence_summary(membership: StoryArticle) -> str:
    """The closest articles of the story, with the terms they share, as the admin shows them."""
    closest = membership.evidence.get("closest", []) if membership.evidence else []
    if not closest:
        return "placed by a curator" if membership.decided_by_id else "—"
    return format_html_join(
        "; ",
        "article {} ({}): {}{}{}",
        (
            (
                item.get("article"),
                f"{item.get('score', 0):.2f}",
                ", ".join(item.get("terms", [])) or "no shared terms",
                f", {item['linked_chars']} characters linked" if item.get("linked_chars") else "",
                f", {item['days']} days apart" if item.get("days") else "",
            )
            for item in closest
        ),
    )


class StoryArticleInline(admin.TabularInline):
    model = StoryArticle
    extra = 0
    raw_id_fields = ["article"]
    fields = ["article", "status", "score", "evidence_shown", "decided_by", "decided_at"]
    readonly_fields = ["score", "evidence_shown", "decided_by", "decided_at"]

    @admin.display(description="Why")
    def evidence_shown(self, obj: StoryArticle) -> str:
        return evidence_summary(obj)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "article_count",
        "suggested_count",
        "first_published",
        "last_published",
    ]
    list_filter = ["status"]
    search_fields = ["title", "summary"]
    fields = ["title", "slug", "summary", "status", "first_published", "last_published"]
    readonly_fields = ["status", "first_published", "last_published"]
    inlines = [StoryArticleInline]
    actions = ["confirm", "merge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _articles=Count("memberships"),
                _suggested=Count("memberships", filter=access.story_suggested_q("memberships__")),
            )
        )

    @admin.display(ordering="_articles", description="Articles")
    def article_count(self, obj: Story) -> int:
        return obj._articles

    @admin.display(ordering="_suggested", description="Suggested")
    def suggested_count(self, obj: Story) -> int:
        return obj._suggested

    @admin.action(description="Confirm the selected stories and their suggested articles")
    def confirm(self, request, queryset):
        n = services.stories_confirm(user=request.user, stories=queryset)
        self.message_user(request, f"{n} stor{'y' if n == 1 else 'ies'} confirmed.")

    @admin.action(description="Merge the selected stories into the one with the most articles")
    def merge(self, request, queryset):
        stories = list(queryset.order_by("-_articles", "created", "pk"))
        if len(stories) < 2:
            self.message_user(request, "Select two or more stories to merge.", messages.WARNING)
            return
        moved = services.stories_merge(user=request.user, stories=stories, into=stories[0])
        self.message_user(
            request, f"Merged into “{stories[0].title}”: {moved} article(s) moved there."
        )


class MembershipActionForm(ActionForm):
    target = forms.ModelChoiceField(
        Story.objects.order_by("title"),
        required=False,
        label="Story",
        help_text="For “move”: the story to move the selected articles into.",
    )
    title = forms.CharField(
        required=False, max_length=300, label="New title", help_text="For “split”."
    )


@admin.register(StoryArticle)
class StoryArticleAdmin(admin.ModelAdmin):
    """The articles' places in stories: the clustering's suggestions to confirm or reject."""

    list_display = ["article", "story", "status", "score_shown", "evidence_shown"]
    list_filter = ["status", "story__status"]
    search_fields = ["article__title", "story__title"]
    list_select_related = ["article", "story"]
    raw_id_fields = ["article", "story"]
    readonly_fields = ["score", "evidence_shown", "decided_by", "decided_at"]
    fields = ["story", "article", "status", "score", "evidence_shown", "decided_by", "decided_at"]
    action_form = MembershipActionForm
    actions = ["confirm", "reject", "move", "split"]

    @admin.display(ordering="score", description="Score")
    def score_shown(self, obj: StoryArticle) -> str:
        return f"{obj.score:.2f}"

    @admin.display(description="Why")
    def evidence_shown(self, obj: StoryArticle) -> str:
        return format_html("{}", evidence_summary(obj))

    @admin.action(description="Confirm the selected articles in their stories")
    def confirm(self, request, queryset):
        n = services.story_memberships_confirm(user=request.user, memberships=queryset)
        self.message_user(request, f"{n} place(s) confirmed.")

    @admin.action(description="Take the selected articles out of their stories")
    def reject(self, request, queryset):
        n = services.story_memberships_reject(user=request.user, memberships=queryset)
        self.message_user(request, f"{n} place(s) removed.")

    @admin.action(description="Move the selected articles to the story chosen below")
    def move(self, request, queryset):
        target = request.POST.get("target", "")
        story = Story.objects.filter(pk=target).first() if target.isdigit() else None
        if story is None:
            self.message_user(request, "Choose the story to move them into.", messages.WARNING)
            return
        n = services.story_memberships_move(user=request.user, memberships=queryset, target=story)
        self.message_user(request, f"{n} article(s) moved to “{story.title}”.")

    @admin.action(description="Split the selected articles into a new story titled below")
    def split(self, request, queryset):
        title = (request.POST.get("title") or "").strip()
        if not title:
            self.message_user(request, "Give the new story a title.", messages.WARNING)
            return
        chosen = list(queryset)
        story = services.story_split(user=request.user, memberships=chosen, title=title)
        self.message_user(request, f"New story “{story.title}” with {len(chosen)} article(s).")

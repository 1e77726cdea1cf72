"""Stories: the articles that report one event or one developing situation.

A story is proposed by the clustering (`articles.services.stories`) or made by a curator, and
readers see it once a curator confirms it; an article's place in a story is suggested with
its evidence and shown to readers once confirmed (articles/access.py decides). An article may
belong to several stories. What clustering keeps of each article (its term counts, its unit
vector, its key terms for finding candidates) and how many articles hold each term live here
too, rewritten whenever the article's current revision or the engine's term extraction
(`TERMS_VERSION`) changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


class StoryStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed (curators only)"
    CONFIRMED = "confirmed", "Confirmed"


class MembershipStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested (curators only)"
    CONFIRMED = "confirmed", "Confirmed"


class Story(models.Model):
    Status = StoryStatus

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=StoryStatus, default=StoryStatus.PROPOSED)
    # The publication days of its articles (kept by the services; the home page sorts by the
    # newest coverage). Null until an article with a known date joins.
    first_published = models.DateField(null=True, blank=True)
    last_published = models.DateField(null=True, blank=True, db_index=True)
    # The mean of its articles' vectors, for "outlets that usually cover such stories".
    vector = models.JSONField(default=dict, blank=True, editable=False)
    articles = models.ManyToManyField(
        "articles.Article", through="StoryArticle", related_name="stories"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [F("last_published").desc(nulls_last=True), "title", "pk"]
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="story_title_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=StoryStatus.values), name="story_status_known"
            ),
            models.CheckConstraint(
                condition=Q(first_published__isnull=True)
                | Q(last_published__isnull=True)
                | Q(first_published__lte=F("last_published")),
                name="story_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", kwargs={"slug": self.slug})


class StoryArticle(models.Model):
    """An article's place in a story, with why the clustering put it there."""

    Status = MembershipStatus

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="memberships")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="story_memberships"
    )
    status = models.CharField(
        max_length=16, choices=MembershipStatus, default=MembershipStatus.SUGGESTED
    )
    score = models.FloatField(default=0.0, help_text="The clustering's score (0 when by hand).")
    evidence = models.JSONField(
        default=dict,
        blank=True,
        help_text="The closest articles of the story: score, shared terms, linked words, days.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["story", "article"]
        constraints = [
            models.UniqueConstraint(fields=["story", "article"], name="story_article_once"),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values), name="story_article_status_known"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="story_article_score_positive"),
        ]
        indexes = [models.Index(fields=["article", "status"], name="story_article_by_article")]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.story_id} ({self.status})"


class ArticleProfile(models.Model):
    """What clustering knows of an article's current revision."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(null=True, blank=True)
    counts = models.JSONField(default=dict, help_text="Informative term -> occurrences.")
    vector = models.JSONField(default=dict, help_text="Key term -> weight (a unit vector).")
    entities = models.JSONField(
        default=dict, help_text="Key name or number -> weight (a unit vector)."
    )
    # The engine's TERMS_VERSION the counts were made with; another one means the profile is
    # stale even for the same revision (0: made before versions were kept).
    version = models.PositiveIntegerField(
        default=0, help_text="The term extraction's version these counts were made with."
    )
    computed = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.article_id}"


class StoryTerm(models.Model):
    """How many profiled articles hold a term (its document frequency)."""

    term = models.CharField(max_length=70, primary_key=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term}: {self.df}"


class ArticleKeyTerm(models.Model):
    """One of an article's key terms: the postings that find an article's candidates."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="key_terms"
    )
    term = models.CharField(max_length=70)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "article"], name="article_key_term_once")
        ]

    def __str__(self) -> str:
        return f"{self.term} in {self.article_id}"

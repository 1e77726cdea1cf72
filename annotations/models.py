"""Annotation records (W3C Web Annotation model) on article bodies."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Motivation(models.TextChoices):
    HIGHLIGHTING = "highlighting", "Highlighting"
    COMMENTING = "commenting", "Commenting"
    TAGGING = "tagging", "Tagging"
    ASSESSING = "assessing", "Assessing"
    QUESTIONING = "questioning", "Questioning"
    REPLYING = "replying", "Replying"


class Annotation(models.Model):
    """A passage of one revision of an article's body, and what a reader said of it."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="annotations"
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.RESTRICT, related_name="annotations"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    motivation = models.CharField(
        max_length=16, choices=Motivation, default=Motivation.HIGHLIGHTING
    )
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(help_text="Body offset, Unicode code points.")
    end = models.PositiveIntegerField(help_text="Body offset, Unicode code points, exclusive.")
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article", "start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="annotation_span_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_motivation_display()} on {self.article_id} [{self.start}:{self.end}]"

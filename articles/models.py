"""Outlets, articles, their revisions and the typed blocks each revision was split into."""

from django.db import models
from django.db.models import F, Q

from .ingest import Kind

KIND_CHOICES = [(kind.value, kind.label) for kind in Kind]


class Outlet(models.Model):
    """A news outlet or agency, and the phrases that recognise it in a file."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    homepage = models.URLField(blank=True)
    country = models.CharField(max_length=100, blank=True)
    is_agency = models.BooleanField(
        default=False,
        help_text="A wire agency that stories credit (Reuters, AFP). Agencies are recognised as "
        "credits, never as the outlet that published a file.",
    )
    signatures = models.JSONField(
        default=list,
        blank=True,
        help_text="Phrases that identify this outlet in a page's own lines (footer, promotion, "
        "dateline), e.g. its name or web address. Matched whole-word, ignoring case.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)


class Article(models.Model):
    """One story, identified by the name of its source file across re-imports."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    slug = models.SlugField(max_length=80, unique=True)
    source_name = models.CharField(
        max_length=255, unique=True, help_text="The file name the article is imported from."
    )
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(max_length=500)
    title_derived = models.BooleanField(
        default=False,
        help_text="The file has no headline; the title comes from its first sentence.",
    )
    dateline = models.CharField(max_length=200, blank=True)
    credits = models.JSONField(default=list, blank=True, help_text="Agencies the story credits.")
    language = models.CharField(max_length=8, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status, default=Status.PUBLISHED)
    current_revision = models.OneToOneField(
        "ArticleRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="current_for",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "title"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("articles:detail", kwargs={"slug": self.slug})


class ArticleRevision(models.Model):
    """One imported version of a file: its bytes kept verbatim, and the body read from them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    raw_bytes = models.BinaryField(help_text="The file exactly as imported.")
    sha256 = models.CharField(max_length=64)
    encoding = models.CharField(max_length=20)
    raw_text = models.TextField(help_text="The file decoded; block offsets count its code points.")
    body = models.TextField(help_text="Title, headings and paragraphs: what is read and annotated.")
    source_path = models.CharField(max_length=1024, blank=True)
    outlet_rule = models.CharField(max_length=300, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="revision_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.source_name} r{self.number}"


class BlockQuerySet(models.QuerySet):
    def readable(self) -> "BlockQuerySet":
        return self.filter(body_start__isnull=False)


class Block(models.Model):
    """A span of a revision's raw text, the kind it was judged to be, and the rule that decided."""

    revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    rule = models.CharField(max_length=300)
    text = models.TextField()
    author = models.CharField(max_length=200, blank=True, help_text="For reader comments.")
    start = models.PositiveIntegerField(help_text="Start in the raw text (code points).")
    end = models.PositiveIntegerField(help_text="End in the raw text (code points, exclusive).")
    body_start = models.PositiveIntegerField(null=True, blank=True)
    body_end = models.PositiveIntegerField(null=True, blank=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "position"], name="block_position_unique"),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="block_raw_span_valid"
            ),
            models.CheckConstraint(
                condition=(Q(body_start__isnull=True) & Q(body_end__isnull=True))
                | (Q(body_start__gte=0) & Q(body_start__lt=F("body_end"))),
                name="block_body_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(body_start__isnull=True)
                | Q(kind__in=["title", "heading", "paragraph"]),
                name="block_body_only_readable_kinds",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in Kind]), name="block_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end}"

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

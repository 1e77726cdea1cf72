"""Outlets, articles, their revisions and the typed blocks each revision was split into."""

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from astana.history import history_records

from .ingest import Kind
from .metadata import language_label, publication_iso, publication_label

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
    ownership = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who owns or funds it (state, private, reader-funded).",
    )
    notes = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    history = history_records(excluded_fields=["updated"])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)


class Direction(models.TextChoices):
    LTR = "ltr", "Left to right"
    RTL = "rtl", "Right to left"


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
    title_rule = models.CharField(max_length=300, blank=True)
    dateline = models.CharField(max_length=200, blank=True, help_text="The dateline's place.")
    dateline_agency = models.CharField(
        max_length=100, blank=True, help_text="The agency in the dateline (“MOSCOW (Reuters) -”)."
    )
    dateline_rule = models.CharField(max_length=300, blank=True)
    credits = models.JSONField(default=list, blank=True, help_text="Agencies the story credits.")
    language = models.CharField(max_length=8, blank=True)
    language_rule = models.CharField(max_length=300, blank=True)
    direction = models.CharField(max_length=3, choices=Direction, default=Direction.LTR)
    # When the page says it was published: the day, the local time as printed (if any), and
    # the zone as minutes east of UTC (only when the page prints one).
    published_date = models.DateField(null=True, blank=True, db_index=True)
    published_time = models.TimeField(
        null=True, blank=True, help_text="The local time as the page prints it."
    )
    published_offset = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Minutes east of UTC, when the page prints a zone (UTC+3: 180).",
    )
    published_rule = models.CharField(max_length=300, blank=True)
    byline = models.CharField(max_length=500, blank=True, help_text="As the page prints it.")
    authors = models.JSONField(default=list, blank=True, help_text='["Jane Doe", "Tom Roe"]')
    byline_rule = models.CharField(max_length=300, blank=True)
    outlet_suggestion = models.CharField(
        max_length=200,
        blank=True,
        help_text="A name the page gives itself when no known outlet matched, to confirm.",
    )
    outlet_suggestion_rule = models.CharField(max_length=300, blank=True)
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
    history = history_records(excluded_fields=["updated"])

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "title"]),
            models.Index(fields=["updated"], name="articles_article_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="article_direction_known"
            ),
            models.CheckConstraint(
                condition=Q(published_date__isnull=False)
                | (Q(published_time__isnull=True) & Q(published_offset__isnull=True)),
                name="article_published_time_needs_date",
            ),
            models.CheckConstraint(
                condition=Q(published_offset__isnull=True)
                | (Q(published_offset__gte=-18 * 60) & Q(published_offset__lte=18 * 60)),
                name="article_published_offset_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def published_label(self) -> str:
        """ "24 January 2017, 15:30 UTC+3" (as much as the page gave), or ""."""
        return publication_label(self.published_date, self.published_time, self.published_offset)

    @property
    def language_label(self) -> str:
        """ "Ukrainian (uk)", or the bare code when it is not one Django names."""
        return language_label(self.language)

    @property
    def published_iso(self) -> str:
        """The publication date for `<time datetime="…">`, or ""."""
        return publication_iso(self.published_date, self.published_time, self.published_offset)


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

    class SourceFormat(models.TextChoices):
        TEXT = "text", "Plain text"
        HTML = "html", "HTML"

    source_format = models.CharField(
        max_length=8,
        choices=SourceFormat,
        default=SourceFormat.TEXT,
        help_text="What the file is: a plain-text copy of a page or a saved HTML page.",
    )
    source_url = models.URLField(
        max_length=2048, blank=True, help_text="The link the page was fetched from, if any."
    )
    warnings = models.JSONField(default=list, blank=True)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The curator who made this revision by fixing block kinds (none: an import).",
    )
    change_note = models.CharField(max_length=1000, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="revision_sha256_hex"
            ),
            models.CheckConstraint(
                condition=Q(source_format__in=["text", "html"]),
                name="revision_source_format_known",
            ),
        ]

    def __str__(self) -> str:
        # From its own fields only: lists of revisions (admin inlines, history diffs) must
        # not read the article once per row.
        name = PurePosixPath(self.source_path).name if self.source_path else ""
        return f"{name or f'article {self.article_id}'} r{self.number}"


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
    language = models.CharField(
        max_length=16, blank=True, help_text="Only where it differs from the article's."
    )
    direction = models.CharField(
        max_length=3, blank=True, help_text="Only where it differs from the article's."
    )
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
            models.CheckConstraint(
                condition=Q(direction__in=["", *Direction.values]), name="block_direction_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end}"

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)


# --- Comparison across outlets ---------------------------------------------------------------
# What the comparison engine (articles/comparison/engine/) found, stored per article revision so the
# compare view reads it instead of recomputing. Rows are rewritten by
# articles.comparison.store.comparison_refresh whenever an article's current revision changes.


class LinkKind(models.TextChoices):
    VERBATIM = "verbatim", "Same words"
    NEAR = "near", "Nearly the same words"
    PARAPHRASE = "paraphrase", "Same fact, other words"


class Stance(models.TextChoices):
    AGREE = "agree", "Agree"
    DIFFER = "differ", "Differ"


class DifferenceKind(models.TextChoices):
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    NAME = "name", "Name"
    PLACE = "place", "Place"
    POLARITY = "polarity", "Opposite statement"
    PREDICATE = "predicate", "Opposing action"
    RELATIVE_DATE = "relative-date", "Relative date"


class PassageLink(models.Model):
    """A passage of one article linked to a passage of another (a_article < b_article)."""

    kind = models.CharField(max_length=16, choices=LinkKind)
    a_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    a_revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="+")
    a_start = models.PositiveIntegerField()
    a_end = models.PositiveIntegerField()
    b_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    b_revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="+")
    b_start = models.PositiveIntegerField()
    b_end = models.PositiveIntegerField()
    score = models.FloatField()
    word_diff = models.JSONField(
        default=list,
        blank=True,
        help_text="Word-level differences: [op, a_start, a_end, b_start, b_end, a_text, b_text].",
    )
    stance = models.CharField(max_length=8, choices=Stance, default=Stance.AGREE)
    differs_by = models.JSONField(
        default=list, blank=True, help_text="How the passages differ: difference kinds."
    )
    shared = models.JSONField(
        default=list,
        blank=True,
        help_text="What the passages share, shown on hover: [category, text] pairs.",
    )

    class Meta:
        ordering = ["a_article", "a_start", "b_article", "b_start"]
        indexes = [
            models.Index(fields=["a_article", "b_article"]),
            models.Index(fields=["b_article", "a_article"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(a_article__lt=F("b_article")), name="passage_link_ordered"
            ),
            models.CheckConstraint(
                condition=Q(a_start__lt=F("a_end")) & Q(b_start__lt=F("b_end")),
                name="passage_link_spans_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LinkKind.values), name="passage_link_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="passage_link_score_range"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="passage_link_stance_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.a_article_id}:{self.a_start}-{self.a_end} ↔ {self.b_article_id}"


class Discrepancy(models.Model):
    """A reading two linked passages give differently: number, date, name, place, polarity..."""

    Kind = DifferenceKind

    kind = models.CharField(max_length=16, choices=DifferenceKind)
    link_kind = models.CharField(max_length=16, choices=LinkKind)
    a_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    a_revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="+")
    a_start = models.PositiveIntegerField()
    a_end = models.PositiveIntegerField()
    a_text = models.CharField(max_length=500)
    b_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    b_revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="+")
    b_start = models.PositiveIntegerField()
    b_end = models.PositiveIntegerField()
    b_text = models.CharField(max_length=500)

    class Meta:
        ordering = ["a_article", "a_start", "b_article", "b_start"]
        verbose_name_plural = "discrepancies"
        indexes = [models.Index(fields=["a_article", "b_article"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(a_article__lt=F("b_article")), name="discrepancy_ordered"
            ),
            models.CheckConstraint(
                condition=Q(a_start__lt=F("a_end")) & Q(b_start__lt=F("b_end")),
                name="discrepancy_spans_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DifferenceKind.values), name="discrepancy_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.a_text} / {self.b_text}"


class FramingFamily(models.Model):
    """A family of words for one actor ("armed groups", "government"), curated in the admin."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the framing table.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "framing families"

    def __str__(self) -> str:
        return self.name


class FramingTerm(models.Model):
    """A word or phrase of a framing family, with the neighbouring words that cancel it."""

    family = models.ForeignKey(FramingFamily, on_delete=models.CASCADE, related_name="terms")
    phrase = models.CharField(max_length=100)
    not_after = models.JSONField(
        default=list,
        blank=True,
        help_text='Words that cancel the term when they come right before it ("ceasefire" '
        'before "regime").',
    )
    not_before = models.JSONField(
        default=list, blank=True, help_text="Words that cancel the term when they follow it."
    )

    class Meta:
        ordering = ["family", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["family", "phrase"], name="framing_term_unique"),
            models.CheckConstraint(condition=~Q(phrase=""), name="framing_term_not_empty"),
        ]

    def __str__(self) -> str:
        return self.phrase

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if not any(ch.isalnum() for ch in self.phrase):
            errors["phrase"] = "A term needs at least one letter or digit."
        for name in ("not_after", "not_before"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(
                isinstance(w, str) and w.strip() and len(w) <= 50 for w in value
            ):
                errors[name] = 'A list of words, e.g. ["ceasefire", "truce"].'
        if errors:
            raise ValidationError(errors)


class FramingHit(models.Model):
    """One use of a framing term in a revision's body."""

    revision = models.ForeignKey(
        ArticleRevision, on_delete=models.CASCADE, related_name="framing_hits"
    )
    family = models.CharField(max_length=100)
    term = models.CharField(max_length=100)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    snippet_start = models.PositiveIntegerField()
    snippet_end = models.PositiveIntegerField()

    class Meta:
        ordering = ["revision", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end"))
                & Q(snippet_start__lte=F("start"))
                & Q(snippet_end__gte=F("end")),
                name="framing_hit_spans_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} at {self.start}"


class Attribution(models.Model):
    """Who is quoted, and through whom: "X said", "told AFP", "Reuters quoted X"."""

    revision = models.ForeignKey(
        ArticleRevision, on_delete=models.CASCADE, related_name="attributions"
    )
    verb = models.CharField(max_length=50)
    source = models.CharField(max_length=300, blank=True)
    resolved_source = models.CharField(
        max_length=300, blank=True, help_text="The named source a pronoun stands for."
    )
    via = models.CharField(max_length=300, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence_start = models.PositiveIntegerField()
    sentence_end = models.PositiveIntegerField()

    class Meta:
        ordering = ["revision", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end"))
                & Q(sentence_start__lte=F("start"))
                & Q(sentence_end__gte=F("end")),
                name="attribution_spans_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resolved_source or self.source or '?'} {self.verb} {self.via}".strip()


class ComparedRevision(models.Model):
    """A revision whose links, framing and attributions are stored and up to date."""

    revision = models.OneToOneField(
        ArticleRevision, on_delete=models.CASCADE, primary_key=True, related_name="compared"
    )
    lexicon_digest = models.CharField(
        max_length=64,
        help_text="A digest of the framing lexicon its framing hits were counted with.",
    )
    engine_version = models.PositiveIntegerField(
        default=0,
        help_text="The comparison engine version its links were computed with "
        "(articles.comparison.engine.ENGINE_VERSION); another version is recomputed.",
    )
    boilerplate_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="A digest of its lines masked as its outlet's own boilerplate when it was "
        "compared; when the outlet's boilerplate changes it, the article is recomputed.",
    )
    compared = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["compared"], name="articles_compared_at")]

    def __str__(self) -> str:
        return f"compared r{self.revision_id}"


class WirePassage(models.Model):
    """One article's copy of a wire sentence: a sentence of 8+ words, the same once folded,
    that more articles carry than the engine links pair by pair (its `WireCluster`).

    Every copy of one sentence has the same `sentence` digest (of its folded words), so "how
    many articles carry this passage" is one grouped count. Rows are kept for every holder
    the engine sees (drafts too, as they count towards what is too common); readers count
    only published articles whose current revision is the row's (see
    `annotations.pages.compare.comparison_view`). Rows are rewritten by
    `articles.comparison.store.comparison_refresh`.
    """

    sentence = models.CharField(
        max_length=64, help_text="SHA-256 of the sentence's folded words (engine.match_key)."
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["sentence", "article"]
        constraints = [
            models.UniqueConstraint(fields=["sentence", "article"], name="wire_passage_unique"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="wire_passage_span_valid"),
            models.CheckConstraint(
                condition=Q(sentence__regex=r"^[0-9a-f]{64}$"), name="wire_passage_sentence_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"wire {self.sentence[:8]} in {self.article_id}:{self.start}-{self.end}"


class CatalogueVersion(models.Model):
    """One row whose `version` moves whenever anything pages show of the catalogue changes:
    articles, outlets, stories and places in them, stored comparison results, the framing
    lexicon. Cached pages key on it (annotations/pages/cache.py): one index read however
    large the corpus.

    Kept by database triggers on every write path, never by code
    (articles/migrations/0020_catalogue_version.py). It starts from the time its row was made
    in microseconds, so a rebuilt database never reuses a version an older cache holds.
    """

    # What a transaction wrote of the catalogue so far, as PostgreSQL's triggers count it
    # (0020_catalogue_version.STATEMENTS): the row itself moves only when the writer commits.
    STATEMENTS_SETTING = "articles.catalogue_statements"

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="catalogue_version_one_row"),
        ]

    def __str__(self) -> str:
        return f"catalogue version {self.version}"

    @classmethod
    def sql(cls, vendor: str) -> str:
        """SQL columns (for a SELECT list) that together change exactly when the catalogue
        does, as this connection sees it: the row, and on PostgreSQL how many statements of
        this connection's open transaction wrote the catalogue (its own writes, not yet
        counted in the row; 0 for every other reader)."""
        row = f"(SELECT version FROM {cls._meta.db_table} WHERE id = 1)"
        if vendor != "postgresql":
            return row
        written = f"current_setting('{cls.STATEMENTS_SETTING}', true)"
        return f"{row}, COALESCE(NULLIF({written}, ''), '0')"


# Stories (articles/stories/models.py), imported so Django registers them with this app.
# Background jobs (articles/jobs/models.py), likewise.
from .jobs.models import Job, JobFile, JobKind, JobState  # noqa: E402, F401
from .stories.models import (  # noqa: E402, F401
    ArticleKeyTerm,
    ArticleProfile,
    MembershipStatus,
    Story,
    StoryArticle,
    StoryStatus,
    StoryTerm,
)

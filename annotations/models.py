"""Annotation records (W3C Web Annotation model) and the claims they assess."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from astana.history import history_records

from . import anchoring


class Motivation(models.TextChoices):
    HIGHLIGHTING = "highlighting", "Highlighting"
    COMMENTING = "commenting", "Commenting"
    TAGGING = "tagging", "Tagging"
    ASSESSING = "assessing", "Assessing"
    QUESTIONING = "questioning", "Questioning"
    REPLYING = "replying", "Replying"


# What a page note (an annotation of the whole article, no passage selected) may be.
PAGE_NOTE_MOTIVATIONS = (Motivation.COMMENTING, Motivation.TAGGING, Motivation.QUESTIONING)


class Colour(models.TextChoices):
    """The highlight palette; each colour carries a meaning shown in the legend."""

    YELLOW = "yellow", "Yellow: key passage"
    GREEN = "green", "Green: supported by other sources"
    RED = "red", "Red: disputed or doubtful"
    BLUE = "blue", "Blue: background and context"
    PURPLE = "purple", "Purple: framing and wording"

    @property
    def meaning(self) -> str:
        return self.label.split(": ", 1)[1]


class Visibility(models.TextChoices):
    """Who an annotation is published to: everyone, its creator only, or one group's members
    (`Annotation.group`)."""

    PRIVATE = "private", "Private (only you)"
    PUBLIC = "public", "Public"
    GROUP = "group", "A group"


class _AnchorStatusMethods:
    """Behaviour of AnchorStatus (a mixin: the members come from the engine's enum)."""

    @classmethod
    def unattached(cls) -> tuple[str, ...]:
        """Statuses of annotations on no words of the text (kept for a curator to re-attach)."""
        return (cls.ORPHANED.value, cls.AMBIGUOUS.value)  # type: ignore[attr-defined]


# Where the last re-anchoring left the annotation: the members of the engine's
# anchoring.AnchorStatus (same names and values), labelled by name ("Anchored", ...).
AnchorStatus = models.TextChoices(
    "AnchorStatus",
    [(status.name, status.value) for status in anchoring.AnchorStatus],
    module=__name__,
    type=_AnchorStatusMethods,
)


class ClaimStance(models.TextChoices):
    """How a passage marked with a claim stands to it: it says the same (carries it) or it
    says otherwise (disputes it: a linked passage giving another date, number, name...)."""

    SUPPORTS = "supports", "Carries the claim"
    DISPUTES = "disputes", "Disputes the claim"


class TaggedAnnotation(TaggedItemBase):
    content_object = models.ForeignKey("Annotation", on_delete=models.CASCADE)


class TaggedClaim(TaggedItemBase):
    content_object = models.ForeignKey("Claim", on_delete=models.CASCADE)


class ClaimKind(models.TextChoices):
    FACTUAL = "factual", "Factual"
    QUOTE = "quote", "Quote"
    NUMBER = "number", "Number or date"
    OPINION = "opinion", "Opinion"
    PREDICTION = "prediction", "Prediction"


class ClaimRating(models.TextChoices):
    UNRATED = "unrated", "Unrated"
    SUPPORTED = "supported", "Supported"
    DISPUTED = "disputed", "Disputed"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


class Claim(models.Model):
    """A statement found in the articles, followed across outlets and rated."""

    Kind = ClaimKind
    Rating = ClaimRating

    text = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=ClaimKind, default=ClaimKind.FACTUAL)
    rating = models.CharField(max_length=16, choices=ClaimRating, default=ClaimRating.UNRATED)
    reviewer_notes = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_claims",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )
    group = models.ForeignKey(
        "annotations.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
        help_text="A group's claim is seen by its members only.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedClaim, blank=True)
    history = history_records(excluded_fields=["modified"])

    class Meta:
        ordering = ["-modified", "pk"]
        indexes = [models.Index(fields=["modified"], name="annotations_claim_modified")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(
                condition=Q(rating__in=ClaimRating.values), name="claim_rating_known"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class AnnotationQuerySet(models.QuerySet):
    def top_level(self) -> "AnnotationQuerySet":
        return self.filter(parent__isnull=True)

    def page_notes(self) -> "AnnotationQuerySet":
        """Notes on a whole article: top level, with no passage."""
        return self.filter(parent__isnull=True, start__isnull=True)

    def passages(self) -> "AnnotationQuerySet":
        """Annotations of a passage (top level, with a span)."""
        return self.filter(parent__isnull=True, start__isnull=False)


class Annotation(models.Model):
    """A passage of an article's body, and what a reader said of it; or a reply to one."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="annotations"
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision",
        on_delete=models.RESTRICT,
        related_name="annotations_made",
        help_text="The revision the annotation was made on.",
    )
    anchor_revision = models.ForeignKey(
        "articles.ArticleRevision",
        on_delete=models.RESTRICT,
        related_name="annotations",
        help_text="The revision whose body the selector counts in (the latest re-anchoring).",
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    motivation = models.CharField(
        max_length=16, choices=Motivation, default=Motivation.HIGHLIGHTING
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="annotations"
    )
    claim_stance = models.CharField(
        max_length=8,
        choices=ClaimStance,
        default=ClaimStance.SUPPORTS,
        help_text="Whether the passage carries its claim or disputes it (only with a claim).",
    )
    # TextQuoteSelector and TextPositionSelector (code points of the body); empty for replies.
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Markdown.")
    note_html = models.TextField(
        blank=True, editable=False, help_text="The note rendered and sanitised when written."
    )
    colour = models.CharField(max_length=8, choices=Colour, default=Colour.YELLOW)
    visibility = models.CharField(max_length=8, choices=Visibility, default=Visibility.PUBLIC)
    group = models.ForeignKey(
        "annotations.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="annotations",
        help_text="With visibility “group”: the group whose members alone see it.",
    )
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus, default=AnchorStatus.ANCHORED
    )
    anchor_score = models.FloatField(default=1.0)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hidden_annotations",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change (ETag).")
    # Where an imported annotation came from (annotations/import_identity.py): its id on the
    # other server (e.g. a Hypothesis IRI), so a re-import updates it, and its creator there
    # ("acct:alice@hypothes.is") when no user here matched.
    foreign_id = models.CharField(max_length=1000, blank=True)
    foreign_creator = models.CharField(max_length=300, blank=True)
    # The `canonical` IRI a client or a file gave the annotation: the W3C protocol requires it
    # kept without change, so it is written back out as it came in.
    canonical = models.CharField(max_length=1000, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedAnnotation, blank=True)
    objects = AnnotationQuerySet.as_manager()
    history = history_records(excluded_fields=["modified"])

    class Meta:
        ordering = ["article", "start", "end", "pk"]
        indexes = [
            models.Index(fields=["article", "visibility", "is_hidden"]),
            models.Index(fields=["creator", "article"]),
            models.Index(fields=["anchor_status"]),
            models.Index(fields=["modified"], name="annotations_modified"),
        ]
        constraints = [
            # A passage (0 <= start < end), a page note (top level, no span, no quote: on the
            # whole article, commenting, tagging or questioning), or a reply (no span).
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True)
                    & Q(start__isnull=False)
                    & Q(end__isnull=False)
                    & Q(start__gte=0)
                    & Q(start__lt=F("end"))
                )
                | (
                    Q(parent__isnull=True)
                    & Q(start__isnull=True)
                    & Q(end__isnull=True)
                    & Q(exact="")
                    & Q(motivation__in=PAGE_NOTE_MOTIVATIONS)
                )
                | (Q(parent__isnull=False) & Q(start__isnull=True) & Q(end__isnull=True)),
                name="annotation_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(motivation="replying"),
                name="annotation_reply_motivation",
            ),
            models.CheckConstraint(
                condition=(Q(motivation="assessing") & Q(claim__isnull=False))
                | (~Q(motivation="assessing") & Q(claim__isnull=True)),
                name="annotation_claim_iff_assessing",
            ),
            models.CheckConstraint(
                condition=Q(claim_stance=ClaimStance.SUPPORTS)
                | (Q(claim_stance=ClaimStance.DISPUTES) & Q(claim__isnull=False)),
                name="annotation_claim_stance_valid",
            ),
            models.CheckConstraint(
                condition=Q(anchor_score__gte=0) & Q(anchor_score__lte=1),
                name="annotation_anchor_score_range",
            ),
            models.CheckConstraint(
                condition=Q(colour__in=Colour.values), name="annotation_colour_known"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="annotation_visibility_known",
            ),
            # A group exactly when published to a group.
            models.CheckConstraint(
                condition=(Q(visibility="group") & Q(group__isnull=False))
                | (~Q(visibility="group") & Q(group__isnull=True)),
                name="annotation_group_iff_group_visibility",
            ),
            # One copy of a foreign annotation per owner: re-importing updates it.
            models.UniqueConstraint(
                fields=["creator", "foreign_id"],
                condition=~Q(foreign_id=""),
                name="annotation_foreign_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_motivation_display()} on {self.article_id} [{self.start}:{self.end}]"

    @property
    def is_page_note(self) -> bool:
        """A note on the whole article rather than on a passage."""
        return self.parent_id is None and self.start is None

    @property
    def etag(self) -> str:
        return f'"a{self.pk}v{self.version}"'


# Counters of what readers may see change, kept by database triggers (migration 0008) on every
# write to annotations, their tags and claims, and to an article's status, whatever code path
# writes. Cached pages key on them (annotations/pages/cache.py), so a version is an index read and a
# write no viewer may see (a private note, a hidden note's edit) moves nothing.


class ArticleActivity(models.Model):
    """How often what is readable on an article has changed: for anonymous readers (public,
    unhidden, in a readable thread) and for staff (public, hidden ones too). No row: never.
    Triggers write rows only for existing published articles and delete an article's row with
    it (no foreign key: Django's cascade could delete the row before the annotations whose
    deletion writes it again)."""

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    public_version = models.BigIntegerField(default=0)
    staff_version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "article activity"

    def __str__(self) -> str:
        return f"article {self.article_id}: {self.public_version}/{self.staff_version}"


class SiteActivity(models.Model):
    """How often what anonymous readers may read anywhere has changed: one row, id 1."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "site activity"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="site_activity_one_row")]

    def __str__(self) -> str:
        return f"site: {self.version}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", "Reply to your annotation"
    CLAIM_PASSAGE = "claim_passage", "Passage added to your claim"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something another reader did that concerns the recipient: a reply to their annotation,
    or a passage marked with a claim they created. Goes with the annotation it is about."""

    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind)
    annotation = models.ForeignKey(
        Annotation,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="The reply, or the passage marked with the claim.",
    )
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created"], name="notification_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(recipient=F("actor")), name="notification_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["recipient", "annotation", "kind"], name="notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} about annotation {self.annotation_id}"


class NotificationSettings(models.Model):
    """Which notifications a reader also wants by e-mail (none unless they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email_replies = models.BooleanField(default=False)
    email_claims = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"

    def wants_email(self, kind: str) -> bool:
        return {
            NotificationKind.REPLY: self.email_replies,
            NotificationKind.CLAIM_PASSAGE: self.email_claims,
        }.get(kind, False)


# Groups (annotations/groups/models.py), imported so Django registers them with this app.
from .groups.models import Group, Membership, Role  # noqa: E402, F401

"""Readers annotating the generated articles: highlights, comments, questions, tags, claims
followed across the copies of a story, and replies; public and private.

Rows are made by the app's own builders (`annotation_row`, the claim services' field checks,
`selector_for`, `render_note`) and written with bulk_create, one transaction per batch;
simple-history records are not written for them.
"""

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag

from annotations.anchoring import Selector, selector_for
from annotations.models import (
    Annotation,
    Claim,
    ClaimKind,
    ClaimRating,
    Colour,
    Motivation,
    TaggedAnnotation,
    Visibility,
)
from annotations.notes import render_note
from annotations.rows import annotation_row
from annotations.services.claims import claim_fields
from articles.ingest import Kind, sentence_spans
from articles.models import Article, ArticleRevision

from .words import FIRST_NAMES, LAST_NAMES, NOTES, QUESTIONS, REPLIES, TAGS

ANNOTATION_BATCH = 5_000
MOTIVATIONS = (
    (Motivation.HIGHLIGHTING, 40),
    (Motivation.COMMENTING, 25),
    (Motivation.TAGGING, 13),
    (Motivation.ASSESSING, 9),
    (Motivation.QUESTIONING, 5),
    (Motivation.REPLYING, 8),
)
# What a passage annotation says, by motivation (the others say nothing).
NOTE_POOLS = {Motivation.COMMENTING: NOTES, Motivation.QUESTIONING: QUESTIONS}
NO_COUNTS = {"annotations": 0, "replies": 0, "private": 0, "claims": 0, "tags": 0}


@dataclass(slots=True)
class Target:
    """An article as the annotation step needs it: its ids, its story, its body and the body
    spans of its paragraphs."""

    article_id: int
    revision_id: int
    story: int  # the copies of one story share it (claims are followed across them)
    body: str
    paragraphs: list[tuple[int, int]]
    block_count: int = 0
    sentences: list[tuple[int, int]] | None = None


@dataclass(slots=True)
class AnnotationPlan:
    """Who annotates, with which tags, and where claims are followed across a story."""

    rng: random.Random
    users: list[int]
    tags: dict[str, int]
    claims_by_story: dict[int, list[Claim]] = field(default_factory=dict)
    # (pk, article, revision, colour) of public top-level annotations: what replies answer.
    public_roots: list[tuple[int, int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class AnnotationBatch:
    """Unsaved rows of one batch: passages with their tag names, new claims, replies to make."""

    passages: list[Annotation] = field(default_factory=list)
    tag_names: list[list[str]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    replies: int = 0


def _sentences(target: Target) -> list[tuple[int, int]]:
    if target.sentences is None:
        target.sentences = [
            span
            for start, end in target.paragraphs
            for span in sentence_spans(target.body, start, end)
        ]
    return target.sentences


def _span(rng: random.Random, target: Target) -> tuple[int, int]:
    """A sentence of the body, or a run of a few words inside one."""
    start, end = rng.choice(_sentences(target))
    if rng.random() < 0.45:
        return start, end
    text = target.body[start:end]
    spaces = [i for i, char in enumerate(text) if char == " "]
    if len(spaces) < 3:
        return start, end
    first = rng.randrange(len(spaces) - 2)
    last = min(len(spaces) - 1, first + rng.randint(2, 8))
    return start + spaces[first] + 1, start + spaces[last]


def _claim(
    plan: AnnotationPlan, batch: AnnotationBatch, target: Target, selector: Selector, creator: int
) -> Claim:
    """The claim an assessing annotation points at: often one already made for a copy of the
    same story, else a new one on the passage."""
    rng = plan.rng
    known = plan.claims_by_story.setdefault(target.story, [])
    if known and rng.random() < 0.6:
        return rng.choice(known)
    claimant = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    kind, rating = rng.choice(ClaimKind.values), rng.choice(ClaimRating.values)
    claim = Claim(
        created_by_id=creator,
        **claim_fields(selector.exact[:5000], claimant, kind, rating, ""),
    )
    batch.claims.append(claim)
    known.append(claim)
    return claim


def _tags(rng: random.Random, motivation: str) -> list[str]:
    if motivation == Motivation.TAGGING:
        return rng.sample(TAGS, rng.randint(1, 3))
    if rng.random() < 0.15:
        return [rng.choice(TAGS)]
    return []


def annotation_batch(
    plan: AnnotationPlan,
    targets: Sequence[Target],
    *,
    private_share: float = 0.15,
    replies: bool = True,
) -> AnnotationBatch:
    """One annotation per target, in order: a passage annotation, or (without `replies`,
    never) a reply left to `annotations_write`, which answers a public annotation."""
    rng = plan.rng
    motivations = [m for m, _ in MOTIVATIONS]
    weights = [w for _, w in MOTIVATIONS]
    batch = AnnotationBatch()
    for target in targets:
        motivation = rng.choices(motivations, weights)[0]
        if motivation == Motivation.REPLYING:
            if replies:
                batch.replies += 1
                continue
            motivation = Motivation.HIGHLIGHTING
        creator = rng.choice(plan.users)
        visibility = Visibility.PRIVATE if rng.random() < private_share else Visibility.PUBLIC
        selector = selector_for(target.body, *_span(rng, target))
        claim = None
        if motivation == Motivation.ASSESSING:
            claim = _claim(plan, batch, target, selector, creator)
        pool = NOTE_POOLS.get(motivation)
        note = rng.choice(pool) if pool else ""
        batch.tag_names.append(_tags(rng, motivation))
        batch.passages.append(
            annotation_row(
                article=target.article_id,
                revision=target.revision_id,
                creator=creator,
                motivation=motivation,
                selector=selector,
                claim=claim,
                note=note,
                note_html=_rendered(note),
                colour=rng.choice(Colour.values),
                visibility=visibility,
            )
        )
    return batch


@functools.cache
def _rendered(note: str) -> str:
    """The stored HTML of one of the generator's few fixed notes, rendered once."""
    return render_note(note)


def annotations_write(plan: AnnotationPlan, batch: AnnotationBatch) -> dict[str, int]:
    """Insert one batch: its claims, passage annotations and their tags, then the replies
    (to public annotations of this batch or earlier ones). Call inside a transaction."""
    Claim.objects.bulk_create(batch.claims)
    for annotation in batch.passages:
        if annotation.claim is not None:
            annotation.claim_id = annotation.claim.pk
    Annotation.objects.bulk_create(batch.passages)
    links = [
        TaggedAnnotation(content_object_id=annotation.pk, tag_id=plan.tags[name])
        for annotation, names in zip(batch.passages, batch.tag_names, strict=True)
        for name in names
    ]
    TaggedAnnotation.objects.bulk_create(links)
    plan.public_roots.extend(
        (annotation.pk, annotation.article_id, annotation.revision_id, annotation.colour)
        for annotation in batch.passages
        if annotation.visibility == Visibility.PUBLIC
    )
    rng = plan.rng
    replies = []
    for _ in range(batch.replies if plan.public_roots else 0):
        parent, article, revision, colour = rng.choice(plan.public_roots)
        creator = rng.choice(plan.users)
        note = rng.choice(REPLIES)
        replies.append(
            annotation_row(
                article=article,
                revision=revision,
                creator=creator,
                motivation=Motivation.REPLYING,
                parent=parent,
                note=note,
                note_html=_rendered(note),
                colour=colour,
                visibility=Visibility.PUBLIC,
            )
        )
    Annotation.objects.bulk_create(replies)
    return {
        "annotations": len(batch.passages) + len(replies),
        "replies": len(replies),
        "private": sum(1 for a in batch.passages if a.visibility == Visibility.PRIVATE),
        "claims": len(batch.claims),
        "tags": len(links),
    }


def tags_ensure() -> dict[str, int]:
    """The generator's tags by name, created when missing."""
    existing = set(Tag.objects.filter(name__in=TAGS).values_list("name", flat=True))
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slugify(name)) for name in TAGS if name not in existing],
        ignore_conflicts=True,
    )
    return dict(Tag.objects.filter(name__in=TAGS).values_list("name", "pk"))


def annotate_generated(
    targets: Sequence[Target], count: int, *, users: Sequence[int], seed: int, start: int
) -> dict[str, int]:
    """`count` annotations on articles just generated (numbered from `start`), some drawing
    far more readers than others (a Zipf-like share)."""
    if not count:
        return dict(NO_COUNTS)
    rng = random.Random(f"astana-annotations:{seed}:{start}")
    plan = AnnotationPlan(rng=rng, users=list(users), tags=tags_ensure())
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(targets))]
    order = list(targets)
    rng.shuffle(order)
    return _annotate(plan, rng.choices(order, weights, k=count), 0.15, True)


def annotate_articles(
    articles: Sequence[Article],
    count: int,
    *,
    users: Sequence[int],
    seed: int = 1,
    private_share: float = 0.15,
    replies: bool = True,
) -> dict[str, int]:
    """Add `count` generated annotations to existing articles (spread evenly over them), in
    batches of one transaction each. With private_share=0 and replies=False every one is a
    public passage annotation."""
    revisions = ArticleRevision.objects.in_bulk([a.current_revision_id for a in articles])
    targets = []
    for article in articles:
        revision = revisions[article.current_revision_id]
        paragraphs = [
            (b.body_start, b.body_end)
            for b in revision.blocks.filter(kind=Kind.PARAGRAPH, body_start__isnull=False)
        ]
        targets.append(Target(article.pk, revision.pk, -article.pk, revision.body, paragraphs))
    rng = random.Random(f"astana-annotate:{seed}")
    plan = AnnotationPlan(rng=rng, users=list(users), tags=tags_ensure())
    return _annotate(
        plan, [targets[i % len(targets)] for i in range(count)], private_share, replies
    )


def _annotate(
    plan: AnnotationPlan, targets: list[Target], private_share: float, replies: bool
) -> dict[str, int]:
    counts = dict(NO_COUNTS)
    for first in range(0, len(targets), ANNOTATION_BATCH):
        batch = annotation_batch(
            plan,
            targets[first : first + ANNOTATION_BATCH],
            private_share=private_share,
            replies=replies,
        )
        with transaction.atomic():
            for key, value in annotations_write(plan, batch).items():
                counts[key] += value
    return counts

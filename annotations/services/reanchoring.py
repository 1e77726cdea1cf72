"""Re-anchoring an article's annotations on its new current revision."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from articles.models import Article, ArticleRevision

from ..anchoring import Anchor, Selector, reanchor_many, selector_for
from ..anchoring import AnchorStatus as Status
from ..models import (
    AnchorStatus,
    Annotation,
)
from . import pagenotes


@dataclass(slots=True)
class ReanchorReport:
    revision: ArticleRevision
    counts: Counter[str] = field(default_factory=Counter)
    orphaned: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.counts[s]} {s}" for s in AnchorStatus.values if self.counts[s]]
        return ", ".join(parts) or "no annotations"


ANCHOR_FIELDS = [
    "anchor_status",
    "anchor_score",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "anchor_revision",
]


def selector_of(annotation: Annotation) -> Selector:
    """A passage annotation's selector (callers leave page notes out: they have no offsets)."""
    start, end = annotation.start, annotation.end
    if start is None or end is None:
        raise ValueError(f"annotation {annotation.pk} is a page note: it has no selector")
    return Selector(
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=start,
        end=end,
    )


def anchor_apply(annotation: Annotation, anchor: Anchor, revision: ArticleRevision) -> bool:
    """Record where the anchoring engine put an annotation on the revision's body.

    Returns False when it was orphaned: it then keeps its old selector and revision.
    """
    annotation.anchor_status = anchor.status.value
    annotation.anchor_score = max(0.0, min(1.0, float(anchor.score)))
    if anchor.status is Status.ORPHANED or anchor.start is None or anchor.end is None:
        return False
    new = selector_for(revision.body, anchor.start, anchor.end)
    annotation.start, annotation.end = anchor.start, anchor.end
    annotation.exact, annotation.prefix, annotation.suffix = new.exact, new.prefix, new.suffix
    annotation.anchor_revision = revision
    return True


@transaction.atomic
def annotations_reanchor(*, article: Article, revision: ArticleRevision) -> ReanchorReport:
    """Re-attach every passage annotation of the article to the given revision's body."""
    report = ReanchorReport(revision=revision)
    pagenotes.page_notes_follow(article=article, revision=revision)  # as they are, never orphaned
    annotations = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(article=article, parent__isnull=True, start__isnull=False)
        .exclude(anchor_revision=revision)
        .select_related("anchor_revision")
    )
    by_revision: dict[int, list[Annotation]] = {}
    for annotation in annotations:
        by_revision.setdefault(annotation.anchor_revision_id, []).append(annotation)
    changed: list[Annotation] = []
    for group in by_revision.values():
        old_body = group[0].anchor_revision.body
        selectors = [selector_of(a) for a in group]  # (start__isnull=False above)
        for annotation, anchor in zip(
            group, reanchor_many(old_body, revision.body, selectors), strict=True
        ):
            report.counts[anchor.status.value] += 1
            if not anchor_apply(annotation, anchor, revision):
                report.orphaned.append(annotation.pk)
            elif anchor.status is not Status.ANCHORED:
                report.moved.append(annotation.pk)
            annotation.version += 1
            changed.append(annotation)
    Annotation.objects.bulk_update(
        changed,
        [*ANCHOR_FIELDS, "version"],
        batch_size=500,
    )
    # Replies follow their thread's passage.
    for annotation in changed:
        if annotation.anchor_revision_id == revision.pk:
            Annotation.objects.filter(parent=annotation).update(anchor_revision=revision)
    return report

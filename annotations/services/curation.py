"""Curators' writes (the admin): hide many, re-anchor, re-attach, re-tag, merge claims."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from .. import access
from ..anchoring import locate, reanchor_many, selector_for
from ..models import (
    AnchorStatus,
    Annotation,
    Claim,
)
from .annotations import annotation_set_hidden
from .common import MAX_TAGS, AnnotationInvalid, clean_tags
from .reanchoring import ANCHOR_FIELDS, anchor_apply, selector_of

# --- Curation (the admin) -----------------------------------------------------------------


@transaction.atomic
def annotations_set_hidden(
    *, user: access.User, annotations: Sequence[Annotation], hidden: bool
) -> int:
    """Hide or unhide several annotations (see annotation_set_hidden); returns how many
    changed. Those already in the wanted state are left alone."""
    access.require_moderate(user)
    changed = 0
    for annotation in Annotation.objects.select_for_update().filter(
        pk__in=[a.pk for a in annotations], is_hidden=not hidden
    ):
        if not access.can_moderate(user, annotation):
            continue  # a group's annotations are its moderators' to hide
        annotation_set_hidden(user=user, annotation=annotation, hidden=hidden)
        changed += 1
    return changed


@dataclass(slots=True)
class CurationReanchorReport:
    """What re-anchoring selected annotations on their article's current text did."""

    counts: Counter[str] = field(default_factory=Counter)  # AnchorStatus value -> annotations
    changed: list[int] = field(default_factory=list)  # annotations whose record changed
    skipped: int = 0  # replies (they follow their thread) and articles without text

    LABELS = {
        AnchorStatus.ANCHORED: "stayed",
        AnchorStatus.MOVED: "moved",
        AnchorStatus.FUZZY: "went fuzzy",
        AnchorStatus.ORPHANED: "orphaned",
    }

    def summary(self) -> str:
        parts = [f"{self.counts[status.value]} {label}" for status, label in self.LABELS.items()]
        if self.counts[AnchorStatus.AMBIGUOUS.value]:  # undecidable between copies
            parts.append(f"{self.counts[AnchorStatus.AMBIGUOUS.value]} ambiguous")
        text = f"Re-anchored {self.counts.total()} annotation(s): {', '.join(parts)}"
        if self.skipped:
            text += f"; {self.skipped} skipped (replies follow their thread)"
        return text + "."


@transaction.atomic
def annotations_reanchor_current(
    *, user: access.User, annotations: Sequence[Annotation]
) -> CurationReanchorReport:
    """Anchor the given passage annotations again on their article's current revision.

    An annotation made on an older revision is carried over with the diff (`reanchor_many`);
    one already on the current revision is checked where it stands (`locate`). Orphans keep
    their old selector and revision. Versions are bumped only where the record changed.
    """
    access.require_curator(user)
    report = CurationReanchorReport()
    locked = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(pk__in=[a.pk for a in annotations])
        .select_related("article__current_revision", "anchor_revision")
        .order_by("pk")
    )
    groups: dict[tuple[int, int], list[Annotation]] = {}
    for annotation in locked:
        current = annotation.article.current_revision
        if annotation.parent_id is not None or annotation.is_page_note or current is None:
            report.skipped += 1
            continue
        groups.setdefault((annotation.anchor_revision_id, current.pk), []).append(annotation)
    for (old_id, current_id), group in groups.items():
        current = group[0].article.current_revision
        if current is None:  # (never: only annotations with a current revision are grouped)
            continue
        selectors = [selector_of(a) for a in group]
        if old_id == current_id:
            anchors = [locate(current.body, selector) for selector in selectors]
        else:
            anchors = reanchor_many(group[0].anchor_revision.body, current.body, selectors)
        for annotation, anchor in zip(group, anchors, strict=True):
            before = [getattr(annotation, name) for name in ANCHOR_FIELDS]
            placed = anchor_apply(annotation, anchor, current)
            report.counts[anchor.status.value] += 1
            if [getattr(annotation, name) for name in ANCHOR_FIELDS] == before:
                continue
            annotation.version += 1
            annotation.save(update_fields=[*ANCHOR_FIELDS, "version", "modified"])
            report.changed.append(annotation.pk)
            if placed:
                Annotation.objects.filter(parent=annotation).update(anchor_revision=current)
    return report


@transaction.atomic
def annotation_reattach(
    *, user: access.User, annotation: Annotation, start: int, end: int
) -> Annotation:
    """Attach a passage annotation by hand to body[start:end] of its article's current text.

    For orphans and annotations left on an older revision (or anchored wrongly): the quote
    and its context are taken from the current body, and the anchoring is marked certain.
    """
    access.require_curator(user)
    locked = (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("article__current_revision")
        .get(pk=annotation.pk)
    )
    if locked.parent_id is not None:
        raise AnnotationInvalid(
            {"target": ["A reply follows its thread; re-attach the thread's first annotation."]}
        )
    revision = locked.article.current_revision
    if revision is None:
        raise AnnotationInvalid({"target": ["The article has no text to attach to."]})
    length = len(revision.body)
    errors: dict[str, list[str]] = {}
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = ["Give a whole number."]
    if not errors:
        if not 0 <= start < length:
            errors["start"] = [
                f"The start must be between 0 and {length - 1} (the body has {length} characters)."
            ]
        if end > length:
            errors["end"] = [f"The end must be at most {length} (the end of the body)."]
        elif end <= start:
            errors["end"] = ["The end must come after the start."]
    if errors:
        raise AnnotationInvalid(errors)
    selector = selector_for(revision.body, start, end)
    locked.start, locked.end = start, end
    locked.exact, locked.prefix, locked.suffix = selector.exact, selector.prefix, selector.suffix
    locked.anchor_revision = revision
    locked.anchor_status = AnchorStatus.ANCHORED
    locked.anchor_score = 1.0
    locked.version += 1
    locked.save(update_fields=[*ANCHOR_FIELDS, "version", "modified"])
    Annotation.objects.filter(parent=locked).update(anchor_revision=revision)
    return locked


@transaction.atomic
def annotations_retag(
    *,
    user: access.User,
    annotations: Sequence[Annotation],
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> int:
    """Add tags to and remove tags from every given annotation (case-insensitively).

    Returns how many annotations changed; their versions are bumped.
    """
    access.require_curator(user)
    add, remove = clean_tags(list(add)), clean_tags(list(remove))
    if not add and not remove:
        raise AnnotationInvalid({"add": ["Give tags to add or tags to remove."]})
    both = sorted({t.casefold() for t in add} & {t.casefold() for t in remove})
    if both:
        raise AnnotationInvalid(
            {"remove": [f"A tag cannot be added and removed at once: {', '.join(both)}."]}
        )
    changed = 0
    for annotation in (
        Annotation.objects.select_for_update()
        .filter(pk__in=[a.pk for a in annotations])
        .prefetch_related("tags")  # type: ignore[misc]  # taggit prefetches; the plugin can't tell
        .order_by("pk")
    ):
        current = {tag.name.casefold(): tag for tag in annotation.tags.all()}
        dropped = [current[name.casefold()] for name in remove if name.casefold() in current]
        added = [name for name in add if name.casefold() not in current]
        if not dropped and not added:
            continue
        if len(current) - len(dropped) + len(added) > MAX_TAGS:
            raise AnnotationInvalid(
                {"add": [f"Annotation {annotation.pk} would have more than {MAX_TAGS} tags."]}
            )
        if dropped:
            annotation.tags.remove(*dropped)
        if added:
            annotation.tags.add(*added)
        annotation.version += 1
        annotation.save(update_fields=["version", "modified"])
        changed += 1
    return changed


@dataclass(frozen=True, slots=True)
class ClaimMergeReport:
    keep: Claim
    moved: int  # annotations that now carry the kept claim
    deleted: int  # claims merged into it and deleted

    def summary(self) -> str:
        return (
            f"Merged {self.deleted} claim(s) into “{self.keep}”; "
            f"{self.moved} passage(s) moved to it."
        )


@transaction.atomic
def claims_merge(*, user: access.User, keep: Claim, others: Sequence[Claim]) -> ClaimMergeReport:
    """Fold duplicate claims into one: their passages move to it (versions bumped), their
    tags are added to its tags, their reviewer notes appended to its notes; then they are
    deleted (their history keeps what they were)."""
    access.require_curator(user)
    other_ids = sorted({c.pk for c in others} - {keep.pk})
    if not other_ids:
        raise AnnotationInvalid({"keep": ["Choose at least one other claim to merge."]})
    keep = Claim.objects.select_for_update().get(pk=keep.pk)
    merged = list(
        Claim.objects.select_for_update()
        .filter(pk__in=other_ids)
        .prefetch_related("tags")  # type: ignore[misc]  # taggit prefetches; the plugin can't tell
        .order_by("pk")
    )
    if len(merged) != len(other_ids):
        raise AnnotationInvalid({"keep": ["Some of the claims to merge no longer exist."]})
    moved = 0
    for annotation in Annotation.objects.select_for_update().filter(claim__in=other_ids):
        annotation.claim = keep
        annotation.version += 1
        annotation.save(update_fields=["claim", "version", "modified"])
        moved += 1
    tags = {tag.pk: tag for claim in merged for tag in claim.tags.all()}
    if tags:
        keep.tags.add(*tags.values())
    notes = [keep.reviewer_notes.strip()] if keep.reviewer_notes.strip() else []
    for claim in merged:
        if claim.reviewer_notes.strip() and claim.reviewer_notes.strip() not in notes:
            notes.append(claim.reviewer_notes.strip())
    keep.reviewer_notes = "\n\n".join(notes)
    keep.save(update_fields=["reviewer_notes", "modified"])
    for claim in merged:
        claim.delete()
    return ClaimMergeReport(keep=keep, moved=moved, deleted=len(merged))

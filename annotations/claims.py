"""Applying a claim to the passages linked to the one marked with it, in other articles.

First the preview (`claim_apply_preview`): of the linked passages the reader may see, those
that agree with the marked passage are offered to carry the claim; those that differ from it
(another date, number, name or place; an opposite statement: the link's stance is "differ")
are offered to dispute it, with both readings; those where the reader already sees the claim
marked say so. Then `claim_apply` writes the chosen ones in one transaction. A passage that
differs is never marked as carrying the claim, whatever is asked.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from articles.models import DifferenceKind, Discrepancy

from . import access
from .models import AnchorStatus, Annotation, ClaimStance, Colour, Motivation
from .selectors import LinkedPassage, linked_passages
from .services import AnnotationInvalid, annotation_create

KIND_LABELS = dict(DifferenceKind.choices)


@dataclass(frozen=True, slots=True)
class Reading:
    """One thing the two passages give differently: the marked passage's reading, theirs."""

    kind: str
    here: str
    there: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class Offer:
    """A linked passage offered to carry the claim (it agrees) or to dispute it (it differs)."""

    passage: LinkedPassage
    readings: tuple[Reading, ...] = ()

    @property
    def key(self) -> str:
        """What a confirmation names it by; another span (the links changed) is another key."""
        return f"{self.passage.article.pk}:{self.passage.start}-{self.passage.end}"

    @property
    def stance(self) -> str:
        """How the claim would be marked there: disputed where the passages differ."""
        return ClaimStance.DISPUTES if self.passage.differs else ClaimStance.SUPPORTS

    @property
    def outlet(self) -> str:
        article = self.passage.article
        return article.outlet.name if article.outlet else "Outlet unknown"

    @property
    def differences(self) -> list[str]:
        return [KIND_LABELS.get(kind, kind) for kind in self.passage.differs_by]


@dataclass(slots=True)
class ClaimApplyPreview:
    annotation: Annotation
    carrying: list[Offer] = field(default_factory=list)  # agree: offered to carry the claim
    disputing: list[Offer] = field(default_factory=list)  # differ: offered to dispute it
    already: list[Offer] = field(default_factory=list)  # the claim is marked there already

    @property
    def offers(self) -> list[Offer]:
        return self.carrying + self.disputing


@dataclass(slots=True)
class ClaimApplyResult:
    carrying: list[tuple[Offer, Annotation]] = field(default_factory=list)
    disputing: list[tuple[Offer, Annotation]] = field(default_factory=list)
    already: list[Offer] = field(default_factory=list)  # chosen, or offered, but marked already

    @property
    def created(self) -> list[Annotation]:
        return [annotation for _, annotation in self.carrying + self.disputing]


def _require_claim(annotation: Annotation) -> None:
    if annotation.motivation != Motivation.ASSESSING or annotation.claim_id is None:
        raise AnnotationInvalid({"claim": ["Only a passage marked with a claim can be applied."]})


def _readings(annotation: Annotation, passages: list[LinkedPassage]) -> dict[int, list[Reading]]:
    """Per differing article, the readings the stored differences give for the two passages
    (one query, none when nothing differs)."""
    differing = [p for p in passages if p.differs]
    if not differing:
        return {}
    here = (annotation.article_id, annotation.anchor_revision_id, annotation.start, annotation.end)
    condition = Q()
    for passage in differing:
        there = (
            passage.article.pk,
            passage.article.current_revision_id,
            passage.start,
            passage.end,
        )
        for (a, a_rev, a_start, a_end), (b, b_rev, b_start, b_end) in (
            (here, there),
            (there, here),
        ):
            condition |= Q(
                a_article=a,
                a_revision=a_rev,
                a_start__lt=a_end,
                a_end__gt=a_start,
                b_article=b,
                b_revision=b_rev,
                b_start__lt=b_end,
                b_end__gt=b_start,
            )
    found: dict[int, list[Reading]] = {}
    for row in Discrepancy.objects.filter(condition).order_by("a_start", "b_start", "pk"):
        mine = row.a_article_id == annotation.article_id
        other = row.b_article_id if mine else row.a_article_id
        reading = (
            Reading(row.kind, row.a_text, row.b_text)
            if mine
            else Reading(row.kind, row.b_text, row.a_text)
        )
        if reading not in found.setdefault(other, []):
            found[other].append(reading)
    return found


def claim_apply_preview(*, user, annotation: Annotation) -> ClaimApplyPreview:
    """What applying the annotation's claim would do: the linked passages in other published
    articles the user may see, as offers to carry it, to dispute it, or already marked."""
    _require_claim(annotation)
    passages = linked_passages(user=user, annotations=[annotation])[annotation.pk]
    if not passages and (
        annotation.anchor_status in AnchorStatus.unattached()
        or annotation.anchor_revision_id != annotation.article.current_revision_id
    ):
        raise AnnotationInvalid(
            {"target": ["This passage is not on the article's current text any more."]}
        )
    readings = _readings(annotation, passages)
    preview = ClaimApplyPreview(annotation=annotation)
    for passage in passages:
        offer = Offer(passage, tuple(readings.get(passage.article.pk, ())))
        if passage.marked_as:
            preview.already.append(offer)
        elif passage.differs:
            preview.disputing.append(offer)
        else:
            preview.carrying.append(offer)
    return preview


def _chosen(offers: list[Offer], keys: Collection[str] | None, already: set[str], what: str):
    if keys is None:
        return list(offers)
    by_key = {offer.key: offer for offer in offers}
    stale = sorted(set(keys) - set(by_key) - already)
    if stale:
        raise AnnotationInvalid(
            {
                what: [
                    "The linked passages changed since the preview (or were never offered "
                    f"to {what} this claim): {', '.join(stale)}. Review them again."
                ]
            }
        )
    return [offer for offer in offers if offer.key in keys]


def claim_apply(
    *,
    user,
    annotation: Annotation,
    carry: Collection[str] | None = None,
    dispute: Collection[str] | None = None,
) -> ClaimApplyResult:
    """Mark the annotation's claim on the chosen linked passages: `carry` names (by Offer.key)
    agreeing passages to carry it, `dispute` differing ones to dispute it; None takes every
    one offered. Nothing is written unless every choice is still on offer as that; passages
    already marked are reported, not marked twice. The new assessments copy the annotation's
    visibility and tags, and its colour (red, "disputed", for disputing ones)."""
    access.require_create(user)
    with transaction.atomic():
        # One apply of a passage at a time, so that a double submission marks nothing twice.
        if not Annotation.objects.select_for_update().filter(pk=annotation.pk).exists():
            raise access.NotVisible
        preview = claim_apply_preview(user=user, annotation=annotation)
        already = {offer.key for offer in preview.already}
        carrying = _chosen(preview.carrying, carry, already, "carry")
        disputing = _chosen(preview.disputing, dispute, already, "dispute")
        chosen = set(carry or ()) | set(dispute or ())
        result = ClaimApplyResult(
            already=[
                offer
                for offer in preview.already
                if (carry is None and dispute is None) or offer.key in chosen
            ]
        )
        tags = [tag.name for tag in annotation.tags.all()]
        for offers, stance, into in (
            (carrying, ClaimStance.SUPPORTS, result.carrying),
            (disputing, ClaimStance.DISPUTES, result.disputing),
        ):
            for offer in offers:
                created = annotation_create(
                    user=user,
                    article=offer.passage.article,
                    start=offer.passage.start,
                    end=offer.passage.end,
                    motivation=Motivation.ASSESSING,
                    colour=annotation.colour if stance == ClaimStance.SUPPORTS else Colour.RED,
                    visibility=annotation.visibility,
                    tags=tags,
                    claim=annotation.claim,
                    claim_stance=stance,
                )
                into.append((offer, created.annotation))
    return result

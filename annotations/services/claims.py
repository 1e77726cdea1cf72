"""Writes to claims: create, update, delete."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import access
from ..models import (
    Claim,
    Group,
)
from .common import (
    MAX_NOTE_LENGTH,
    UNSET,
    AnnotationInvalid,
    Unset,
    check_choice,
    check_text,
    clean_tags,
)

# --- Claims -------------------------------------------------------------------------------


def claim_fields(
    text: str | Unset,
    claimant: str | Unset,
    kind: str | Unset,
    rating: str | Unset,
    reviewer_notes: str | Unset,
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if text is not UNSET:
        text = check_text("text", text, 5_000).strip()
        if not text:
            raise AnnotationInvalid({"text": ["A claim needs its statement."]})
        fields["text"] = text
    if claimant is not UNSET:
        fields["claimant"] = check_text("claimant", claimant, 300).strip()
    if kind is not UNSET:
        fields["kind"] = check_choice("kind", kind, Claim.Kind)
    if rating is not UNSET:
        fields["rating"] = check_choice("rating", rating, Claim.Rating)
    if reviewer_notes is not UNSET:
        fields["reviewer_notes"] = check_text("reviewer_notes", reviewer_notes, MAX_NOTE_LENGTH)
    return fields


@transaction.atomic
def claim_create(
    *,
    user: access.User,
    text: str,
    claimant: str = "",
    kind: str = Claim.Kind.FACTUAL,
    rating: str = Claim.Rating.UNRATED,
    reviewer_notes: str = "",
    tags: Sequence[str] | None = None,
    group: Group | None = None,
) -> Claim:
    """A claim, public or (with `group`) seen by that group's members only."""
    user = access.require_create(user)
    if not access.can_publish_to(user, group):
        raise AnnotationInvalid({"group": ["You are not a member of this group."]})
    fields = claim_fields(text, claimant, kind, rating, reviewer_notes)
    tags = clean_tags(tags)
    claim = Claim(created_by=user, group=group, **fields)
    if claim.rating != Claim.Rating.UNRATED:
        claim.reviewed_by, claim.reviewed_at = user, timezone.now()
    claim.save()
    if tags:
        claim.tags.set(tags)
    return claim


@transaction.atomic
def claim_update(
    *,
    user: access.User,
    claim: Claim,
    text: str | Unset = UNSET,
    claimant: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    rating: str | Unset = UNSET,
    reviewer_notes: str | Unset = UNSET,
    tags: Sequence[str] | Unset | None = UNSET,
) -> Claim:
    user = access.require_change_claim(user, claim)
    fields = claim_fields(text, claimant, kind, rating, reviewer_notes)
    new_tags = None if tags is UNSET else clean_tags(tags)
    if "rating" in fields and fields["rating"] != claim.rating:
        fields["reviewed_by"], fields["reviewed_at"] = user, timezone.now()
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save(update_fields=[*fields, "modified"])
    if new_tags is not None:
        claim.tags.set(new_tags)
    return claim


@transaction.atomic
def claim_delete(*, user: access.User, claim: Claim) -> None:
    access.require_delete_claim(user, claim)
    if claim.annotations.exists():
        raise AnnotationInvalid(
            {"claim": ["Passages still carry this claim; remove their assessments first."]}
        )
    claim.delete()

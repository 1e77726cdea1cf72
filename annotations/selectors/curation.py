"""Reads for curators (the admin): usage counts of tags, claims and annotations, and where
words occur in a body."""

import re
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from taggit.models import Tag

from ..models import (
    Annotation,
    Claim,
    TaggedAnnotation,
    TaggedClaim,
)


def _count_of(
    model: type[Annotation] | type[TaggedAnnotation] | type[TaggedClaim], column: str = "tag"
) -> Coalesce:
    """How many rows of model point at the outer row through column (0 when none)."""
    # (ignore: django-stubs resolves `filter` on one model's manager, not on a union of them)
    rows = model.objects.filter(**{column: OuterRef("pk")}).values(column)  # type: ignore[misc]
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def tags_with_usage(tags: QuerySet[Tag] | None = None) -> QuerySet[Tag]:
    """Tags with how many annotations (annotation_count) and claims (claim_count) carry each,
    whoever may see them; for curators."""
    tags = Tag.objects.all() if tags is None else tags
    counted: QuerySet[Tag] = tags.annotate(
        annotation_count=_count_of(TaggedAnnotation), claim_count=_count_of(TaggedClaim)
    )
    return counted


def claims_with_usage(claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with how many passages carry each (passage_count); for curators."""
    claims = Claim.objects.all() if claims is None else claims
    return claims.annotate(passage_count=_count_of(Annotation, "claim"))


def annotations_with_usage(annotations: QuerySet[Annotation]) -> QuerySet[Annotation]:
    """Annotations with their tags prefetched and how many replies each has (reply_count)."""
    return annotations.prefetch_related("tags").annotate(  # type: ignore[misc]  # taggit prefetches
        reply_count=_count_of(Annotation, "parent")
    )


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where some words occur in a body: offsets in code points and the text around them."""

    start: int
    end: int
    before: str
    text: str
    after: str


def body_occurrences(
    *, body: str, words: str, limit: int = 20, context: int = 40
) -> list[Occurrence]:
    """Where the words occur in the body, ignoring case and runs of spaces; at most limit."""
    words = " ".join(words.split())
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words.split(" ")), re.IGNORECASE)
    found = []
    for match in pattern.finditer(body):
        start, end = match.span()
        found.append(
            Occurrence(
                start=start,
                end=end,
                before=body[max(0, start - context) : start],
                text=match.group(),
                after=body[end : end + context],
            )
        )
        if len(found) == limit:
            break
    return found

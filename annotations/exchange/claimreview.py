"""Export of the rated claims as schema.org ClaimReview JSON-LD (see RATING_SCALE)."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from .. import access
from ..models import Annotation, Claim, ClaimRating
from ..w3c import article_iri
from .records import Absolute

SCHEMA_CONTEXT = "https://schema.org"
PUBLISHER = "Astana Reader"

RATING_SCALE: dict[str, int | None] = {
    ClaimRating.SUPPORTED: 5,
    ClaimRating.DISPUTED: 3,
    ClaimRating.MISLEADING: 2,
    ClaimRating.FALSE: 1,
    ClaimRating.UNVERIFIABLE: None,
}
"""Our ratings on a 1-5 ClaimReview scale (5 = supported, 1 = false). "Disputed" (sources
disagree) sits in the middle, above "misleading" (true in part, wrong in effect). An
unverifiable claim has no place on a true-false scale: its Rating carries only the
alternateName "Unverifiable", with no ratingValue, bestRating or worstRating."""
BEST_RATING, WORST_RATING = 5, 1


def _rating(claim: Claim) -> dict:
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.get_rating_display()}
    value = RATING_SCALE.get(claim.rating)
    if value is not None:
        rating.update(ratingValue=value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    return rating


def claim_reviews(
    *,
    claims: QuerySet[Claim],
    absolute: Absolute,
    annotations: QuerySet[Annotation] | None = None,
) -> list[dict]:
    """schema.org ClaimReview JSON-LD for each rated claim.

    The claim's appearances are the articles whose passages carry it, counting only the given
    annotations (default: the public ones), so a private assessment reveals nothing.
    """
    if annotations is None:
        annotations = access.annotations_visible_to(None)
    rated = (
        claims.exclude(rating=ClaimRating.UNRATED)
        .select_related("reviewed_by")
        .order_by("pk")
        .distinct()
    )
    carriers = (
        annotations.filter(claim__in=rated, parent__isnull=True, claim_stance="supports")
        .select_related("article", "article__outlet")
        .order_by("article__title", "article_id", "pk")
    )
    appearances: dict[int, dict[int, dict]] = {}
    for a in carriers:
        work: dict[str, Any] = {
            "@type": "CreativeWork",
            "url": article_iri(absolute, a.article.slug),
            "headline": a.article.title,
        }
        if a.article.outlet:
            work["publisher"] = {"@type": "Organization", "name": a.article.outlet.name}
        appearances.setdefault(a.claim_id, {}).setdefault(a.article_id, work)
    reviews = []
    for claim in rated:
        item: dict[str, Any] = {"@type": "Claim"}
        if claim.claimant:
            item["author"] = {"@type": "Person", "name": claim.claimant}
        item["appearance"] = list(appearances.get(claim.pk, {}).values())
        if claim.reviewed_by_id:
            author = {"@type": "Person", "name": claim.reviewed_by.get_username()}
        else:
            author = {"@type": "Organization", "name": PUBLISHER}
        review: dict[str, Any] = {
            "@context": SCHEMA_CONTEXT,
            "@type": "ClaimReview",
            "url": absolute(reverse("api:claim-detail", args=[claim.pk])),
            "claimReviewed": claim.text,
            "itemReviewed": item,
            "author": author,
            "datePublished": (claim.reviewed_at or claim.modified).date().isoformat(),
            "reviewRating": _rating(claim),
        }
        if claim.reviewer_notes:
            review["reviewBody"] = claim.reviewer_notes
        reviews.append(review)
    return reviews

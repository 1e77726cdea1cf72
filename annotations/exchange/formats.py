"""The export formats, and what a reader may see written as a file in one of them."""

import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from articles.models import Article

from .. import access, services
from ..models import Claim
from .claimreview import claim_reviews
from .jsonld import annotation_collection
from .records import Absolute
from .spreadsheet import annotations_csv

EXPORT_FORMATS = {
    "jsonld": ("application/ld+json", "jsonld"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "claimreview": ("application/ld+json", "json"),
}


@dataclass(frozen=True, slots=True)
class ExportDocument:
    content: str
    content_type: str
    filename: str


def export_document(
    *,
    fmt: str,
    user,
    absolute: Absolute,
    article: Article | None = None,
    collection_id: str | None = None,
) -> ExportDocument:
    """What `user` may see (anonymous: the public), as a file in the given format."""
    if fmt not in EXPORT_FORMATS:
        raise services.AnnotationInvalid(
            {"format": [f"Choose one of: {', '.join(EXPORT_FORMATS)}."]}
        )
    annotations = access.annotations_visible_to(user)
    if article is not None:
        annotations = annotations.filter(article=article)
    stem = "astana-annotations" if fmt != "claimreview" else "astana-claimreviews"
    if article is not None:
        stem += f"-{article.slug}"
    stem += f"-{timezone.now():%Y%m%d}"
    content_type, extension = EXPORT_FORMATS[fmt]
    if fmt == "jsonld":
        label = "Annotations" + (f" on “{article.title}”" if article else "")
        data: Any = annotation_collection(
            annotations=annotations, absolute=absolute, label=label, collection_id=collection_id
        )
        content = json.dumps(data, ensure_ascii=False, indent=2)
    elif fmt == "csv":
        content = annotations_csv(annotations=annotations)
    else:
        claims = Claim.objects.filter(pk__in=annotations.values("claim_id"))
        data = claim_reviews(claims=claims, absolute=absolute, annotations=annotations)
        content = json.dumps(data, ensure_ascii=False, indent=2)
    return ExportDocument(content, content_type, f"{stem}.{extension}")

"""Export as a W3C AnnotationCollection (JSON-LD).

Every annotation is embedded in one AnnotationPage (`to_w3c` for each item, each with its own
"@context" so it stands alone), and the claims those annotations assess are listed under the
extension key "astana:claims" (the items point at them by IRI: the "claim" key and the
"assessing" body's "source"). Export writes an imported annotation's foreign id back as `via`,
and an orphan's target carries the revision its offsets count in (revision_state.py).
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from ..models import Annotation, Claim
from ..w3c import claim_to_json, contexts, to_w3c
from .records import Absolute, export_records

CLAIMS_KEY = "astana:claims"


def annotation_collection(
    *,
    annotations: QuerySet[Annotation],
    absolute: Absolute,
    label: str,
    collection_id: str | None = None,
) -> dict:
    """A W3C AnnotationCollection of the annotations (one embedded page) and their claims."""
    records = export_records(annotations)
    collection_id = collection_id or absolute(reverse("api:export"))
    page_id = f"{collection_id}#page1"
    data: dict[str, Any] = {
        "@context": contexts(absolute),
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(records),
    }
    if records:
        data["first"] = {
            "id": page_id,
            "type": "AnnotationPage",
            # partOf as an object: the suite's page assertions (total, label...) require it.
            "partOf": {
                "id": collection_id,
                "type": "AnnotationCollection",
                "label": label,
                "total": len(records),
            },
            "startIndex": 0,
            "items": [to_w3c(a, absolute) for a in records],
        }
        data["last"] = page_id
    claim_ids = sorted({a.claim_id for a in records if a.claim_id})
    claims = Claim.objects.filter(pk__in=claim_ids).select_related("reviewed_by")
    data[CLAIMS_KEY] = [
        {**claim_to_json(c, absolute), "created_by": _username(c.created_by)}
        for c in claims.select_related("created_by").prefetch_related("tags").order_by("pk")
    ]
    return data


def _username(user) -> str | None:
    return user.get_username() if user is not None else None

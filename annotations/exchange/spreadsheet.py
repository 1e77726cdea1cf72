"""Export as CSV: one row per annotation, for spreadsheets (cells that a spreadsheet would run
as a formula are prefixed with an apostrophe)."""

import csv
import io
from typing import Any

from django.db.models import QuerySet

from ..models import Annotation
from .records import export_records

CSV_COLUMNS = (
    "id",
    "article",
    "title",
    "outlet",
    "quote",
    "start",
    "end",
    "note",
    "tags",
    "motivation",
    "colour",
    "claim",
    "rating",
    "reply_to",
    "creator",
    "visibility",
    "created",
    "modified",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: text that would run as a formula gets a '."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def annotations_csv(*, annotations: QuerySet[Annotation]) -> str:
    """One row per annotation (columns CSV_COLUMNS); tags joined with ", "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in export_records(annotations):
        row = {
            "id": a.pk,
            "article": a.article.slug,
            "title": a.article.title,
            "outlet": a.article.outlet.name if a.article.outlet else "",
            "quote": a.exact,
            "start": a.start,
            "end": a.end,
            "note": a.note,
            "tags": ", ".join(sorted(t.name for t in a.tags.all())),
            "motivation": a.motivation,
            "colour": a.colour,
            "claim": a.claim.text if a.claim_id else "",
            "rating": a.claim.rating if a.claim_id else "",
            "reply_to": a.parent_id,
            "creator": a.creator.get_username(),
            "visibility": a.visibility,
            "created": a.created.isoformat(),
            "modified": a.modified.isoformat(),
        }
        writer.writerow([csv_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()

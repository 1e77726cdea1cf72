"""Export and import of annotations: W3C JSON-LD, CSV and schema.org ClaimReview.

Export (pure functions over querysets; the caller decides what the reader may see):

- `annotation_collection` (jsonld.py): a W3C AnnotationCollection, with the claims the
  annotations assess under the extension key "astana:claims".
- `annotations_csv` (spreadsheet.py): one row per annotation, for spreadsheets.
- `claim_reviews` (claimreview.py): schema.org ClaimReview JSON-LD for the rated claims.
- `export_document` (formats.py): what a reader may see, as a file in one of EXPORT_FORMATS.

Import (`import_collection`, importer.py): an AnnotationCollection, an AnnotationPage, a list of
annotations or one annotation, as parsed JSON or as text (reading.py). Each annotation is
checked against every MUST assertion of the W3C Web Annotation test suite (validation.py),
then its target is resolved: a reply to another annotation of the file, an article of this site
by the path of its IRI, or the one published article whose current body holds the quote
(passages.py); its creator (creators.py) and claim (claims.py) are found. Records are written
only through the services, and the report (report.py) says what became of each annotation.
"""

from .claimreview import RATING_SCALE, claim_reviews
from .formats import EXPORT_FORMATS, ExportDocument, export_document
from .importer import import_collection
from .jsonld import CLAIMS_KEY, annotation_collection
from .report import ImportedAnnotation, ImportReport, Refusal
from .spreadsheet import CSV_COLUMNS, annotations_csv, csv_cell
from .validation import load_assertions, validation_errors

__all__ = [
    "CLAIMS_KEY",
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "RATING_SCALE",
    "ExportDocument",
    "ImportReport",
    "ImportedAnnotation",
    "Refusal",
    "annotation_collection",
    "annotations_csv",
    "claim_reviews",
    "csv_cell",
    "export_document",
    "import_collection",
    "load_assertions",
    "validation_errors",
]

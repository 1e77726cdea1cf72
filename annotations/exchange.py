"""Export and import of annotations: W3C JSON-LD, CSV and schema.org ClaimReview.

Export (pure functions over querysets; the caller decides what the reader may see):

- `annotation_collection`: a W3C AnnotationCollection with every annotation embedded in one
  AnnotationPage (`to_w3c` for each item, each with its own "@context" so it stands alone), and
  the claims those annotations assess under the extension key "astana:claims" (the items point
  at them by IRI: the "claim" key and the "assessing" body's "source").
- `annotations_csv`: one row per annotation, for spreadsheets (cells that a spreadsheet would
  run as a formula are prefixed with an apostrophe).
- `claim_reviews`: schema.org ClaimReview JSON-LD for the rated claims (see RATING_SCALE).

Import (`import_collection`): an AnnotationCollection, an AnnotationPage, a list of annotations
or one annotation, as parsed JSON or as text. Each annotation is checked against every MUST
assertion of the W3C Web Annotation test suite (annotations/w3c_schemas/), then its target is
resolved: a reply to another annotation of the file (imported after its parent), an article of
this site by the path of its IRI (any host), or, for other tools' annotations whose source is
the original web page, the one published article whose current body holds the quote
(anchoring.locate: one confident match, else refused as ambiguous). Records are written only
through the services. Nothing is dropped silently: every annotation ends in the report as
imported, invalid (fails the W3C model, or what this site can hold, with the reason) or not
anchorable (with the reason).

Transactions: by default each annotation is written in its own transaction (with the claim
it creates, if any), so a refused one leaves nothing behind and the others are kept. With
`atomic=True` the whole file is one transaction, rolled back if anything was refused.

Creators: the importing user, unless `keep_creators=True` and the annotation's creator
nickname is the username of an active user here. Claims are de-duplicated by text and claimant.
Kept from the file: quote and position, note, tags, motivation, colour, visibility, claim,
thread, created/modified timestamps. Not kept: moderation (hidden) and anchoring state, which
are this site's own judgements.

Identity (import_identity.py): each imported annotation keeps its id on the other server and
its creator there (an `acct:` IRI) when no user here matched; importing the same file again
updates the earlier import (note, tags, colour, visibility) instead of adding a copy, and our
own export imported back updates the records it came from. The report counts each annotation
as created, updated or unchanged. Export writes the foreign id back as `via`.

Orphans (revision_state.py): an orphan's target carries the revision its offsets count in (a
W3C TimeState); imported, it is an orphan of that revision again when the revision is here.
"""

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

from articles.models import Article
from astana.text import unencodable_at

from . import access, import_identity, revision_state, services
from .anchor_input import Target, TargetAmbiguous, TargetInvalid, anchor_target
from .anchoring import AnchorStatus
from .import_identity import Outcome
from .models import Annotation, Claim, ClaimRating, Motivation
from .w3c import (
    ParsedAnnotation,
    annotation_iri,
    article_iri,
    claim_to_json,
    contexts,
    parse_w3c,
    resolve_iri,
    to_w3c,
)

Absolute = Callable[[str], str]

SCHEMA_DIR = Path(__file__).resolve().parent / "w3c_schemas"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
CLAIMS_KEY = "astana:claims"
SCHEMA_CONTEXT = "https://schema.org"
PUBLISHER = "Astana Reader"

# --- Validation against the W3C test suite ---------------------------------------------------


def _is_uri(value: object) -> bool:
    """An absolute IRI: RFC 3986 syntax once non-ASCII characters are percent-encoded."""
    if not isinstance(value, str):
        return True
    ascii_form = "".join(c if ord(c) < 128 else quote(c, safe="") for c in value)
    return validate_rfc3986(ascii_form, rule="URI") is not None


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return validate_rfc3339(value.upper())


def format_checker() -> FormatChecker:
    """The formats the suite's schemas use: "uri" (absolute IRI) and "date-time" (RFC 3339)."""
    checker = FormatChecker(formats=())
    checker.checks("uri")(_is_uri)
    checker.checks("date-time")(_is_datetime)
    return checker


@dataclass(frozen=True, slots=True)
class Assertion:
    """One assertion schema of the suite, ready to check documents."""

    name: str
    message: str
    validator: Draft4Validator

    def holds(self, document: Any) -> bool:
        return self.validator.is_valid(document)


@functools.cache
def load_assertions(root: Path = SCHEMA_DIR, test: str = ANNOTATION_MUSTS) -> tuple[Assertion, ...]:
    """The assertion schemas a suite `.test` file lists, with the suite's definitions loaded.

    The schemas `$ref` each other by bare file name ("id.json#/definitions/..."), so every file
    of `definitions/` is registered under its bare name.
    """
    registry = Registry().with_resources(
        (path.name, DRAFT4.create_resource(json.loads(path.read_text(encoding="utf-8"))))
        for path in sorted((root / "definitions").glob("*.json"))
    )
    checker = format_checker()
    names = json.loads((root / test).read_text(encoding="utf-8"))["assertions"]
    assertions = []
    for name in names:
        schema = json.loads((root / name).read_text(encoding="utf-8"))
        message = str(schema.get("errorMessage") or schema.get("title") or name)
        assertions.append(
            Assertion(
                name=name.rsplit("/", 1)[-1].removesuffix(".json"),
                message=message.removeprefix("ERROR:").strip(),
                validator=Draft4Validator(schema, registry=registry, format_checker=checker),
            )
        )
    return tuple(assertions)


def validation_errors(document: Any) -> list[str]:
    """Why the annotation fails the W3C MUST assertions: one line per failed assertion."""
    return [f"{a.name}: {a.message}" for a in load_assertions() if not a.holds(document)]


# --- Export ----------------------------------------------------------------------------------


def _prepared(annotations: QuerySet[Annotation]) -> QuerySet[Annotation]:
    return annotations.select_related(
        "article", "article__outlet", "creator", "anchor_revision", "claim"
    ).prefetch_related("tags")


def _in_thread_order(annotations: Iterable[Annotation]) -> list[Annotation]:
    """Passages in text order per article, each followed by its replies (oldest first)."""
    records = sorted(annotations, key=lambda a: a.pk)
    by_pk = {a.pk: a for a in records}
    replies: dict[int, list[Annotation]] = {}
    roots: list[Annotation] = []
    for a in records:
        if a.parent_id is not None and a.parent_id in by_pk:
            replies.setdefault(a.parent_id, []).append(a)
        else:
            roots.append(a)  # a passage, or a reply whose parent is not exported
    roots.sort(
        key=lambda a: (
            a.article.title,
            a.article_id,
            a.start is None,
            a.start or 0,
            a.end or 0,
            a.pk,
        )
    )
    ordered: list[Annotation] = []

    def visit(a: Annotation) -> None:
        ordered.append(a)
        for reply in replies.get(a.pk, []):
            visit(reply)

    for root in roots:
        visit(root)
    return ordered


def annotation_collection(
    *,
    annotations: QuerySet[Annotation],
    absolute: Absolute,
    label: str,
    collection_id: str | None = None,
) -> dict:
    """A W3C AnnotationCollection of the annotations (one embedded page) and their claims."""
    records = _in_thread_order(_prepared(annotations))
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
    for a in _in_thread_order(_prepared(annotations)):
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


# --- Import ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    """An annotation (its id in the file, or its place) that was not imported, and why."""

    ref: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportedAnnotation:
    ref: str
    pk: int
    how: str
    outcome: str = Outcome.CREATED  # or updated, unchanged (an earlier import of it)


@dataclass(slots=True)
class ImportReport:
    imported: list[ImportedAnnotation] = field(default_factory=list)
    invalid: list[Refusal] = field(default_factory=list)
    unanchored: list[Refusal] = field(default_factory=list)
    claims_created: int = 0
    claims_reused: int = 0
    rolled_back: bool = False

    @property
    def refused(self) -> list[Refusal]:
        return [*self.invalid, *self.unanchored]

    @property
    def ok(self) -> bool:
        return not self.refused

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.imported if i.outcome == outcome)

    def lines(self) -> list[str]:
        kept = "rolled back, nothing kept" if self.rolled_back else "kept"
        lines = [
            f"Imported: {len(self.imported)} ({kept}): updated {self.count(Outcome.UPDATED)},"
            f" created {self.count(Outcome.CREATED)}, unchanged {self.count(Outcome.UNCHANGED)};"
            f" claims created: {self.claims_created}, reused: {self.claims_reused}",
        ]
        lines += [f"  {i.ref} -> annotation {i.pk}: {i.outcome}, {i.how}" for i in self.imported]
        lines.append(f"Invalid: {len(self.invalid)}")
        lines += [f"  {r.ref}: {r.reason}" for r in self.invalid]
        lines.append(f"Not anchorable: {len(self.unanchored)}")
        lines += [f"  {r.ref}: {r.reason}" for r in self.unanchored]
        return lines


class _Invalid(Exception):
    """The annotation is not valid (W3C model, or what this site can hold)."""


class _Unanchorable(Exception):
    """Valid, but its target is nothing here."""


class _RollBack(Exception):
    pass


def _classified(error: Exception) -> Exception:
    """A service's or parser's refusal as invalid, or as not anchorable when about the target."""
    if isinstance(error, _Invalid | _Unanchorable):
        return error
    if isinstance(error, services.AnnotationInvalid) and "target" in error.errors:
        return _Unanchorable(str(error))
    return _Invalid(str(error))


def _path_only(path: str) -> str:
    return path


@dataclass(slots=True)
class _NewClaims:
    """Claims one annotation brought: created (undone if the annotation is) and reused."""

    created: list[str] = field(default_factory=list)
    reused: int = 0


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(data: dict) -> list:
    return _as_list(data.get("type"))


@dataclass(slots=True)
class _Item:
    ref: str
    data: dict
    iri: str | None


class _Importer:
    def __init__(self, *, user, keep_creators: bool, absolute_base: str | None) -> None:
        self.user = user
        self.keep_creators = keep_creators
        self.local_host = urlparse(absolute_base).netloc.lower() if absolute_base else None
        self.report = ImportReport()
        self.items: list[_Item] = []
        self.file_claims: dict[str, dict] = {}
        self.claims: dict[str, int] = {}  # claim IRI in the file -> Claim pk here
        self.done: dict[str, Annotation] = {}  # annotation IRI in the file -> new record
        self._users: dict[str, Any] = {}
        self._bodies: list[tuple[Article, str]] | None = None
        self._count = 0

    # Reading the file -----------------------------------------------------------------------

    def read(self, data: Any) -> None:
        if isinstance(data, bytes | str):
            try:
                data = json.loads(data)
            except ValueError as error:
                self.report.invalid.append(Refusal("file", f"Not JSON: {error}."))
                return
        where = unencodable_at(data)
        if where is not None:  # no database can store it: refuse the file before reading it
            self.report.invalid.append(Refusal("file", f"Text is not valid Unicode: {where}."))
            return
        if isinstance(data, list):
            for element in data:
                self._add(element, None)
            return
        if not isinstance(data, dict):
            self.report.invalid.append(Refusal("file", "Not an annotation, page or collection."))
            return
        self._add_claims(data)
        types = _types(data)
        if "AnnotationCollection" in types:
            self._read_collection(data)
        elif "AnnotationPage" in types:
            self._read_page(data, data.get("@context"))
        else:
            self._add(data, None)

    def _read_collection(self, collection: dict) -> None:
        context = collection.get("@context")
        page = collection.get("first")
        ref = str(collection.get("id") or "collection")
        seen: set[int] = set()
        while page is not None:
            if not isinstance(page, dict):
                self.report.invalid.append(
                    Refusal(
                        str(page),
                        "This page of the collection is a link, not embedded; only embedded "
                        "pages are imported (nothing is fetched).",
                    )
                )
                return
            if id(page) in seen:
                return
            seen.add(id(page))
            self._add_claims(page)
            self._read_page(page, context)
            page = page.get("next")
        if not self.items and collection.get("total"):
            self.report.invalid.append(Refusal(ref, "The collection has no embedded page."))

    def _read_page(self, page: dict, context: Any) -> None:
        items = page.get("items")
        if not isinstance(items, list):
            ref = str(page.get("id") or "page")
            self.report.invalid.append(Refusal(ref, "The page has no list of items."))
            return
        for element in items:
            self._add(element, page.get("@context", context))

    def _add(self, element: Any, context: Any) -> None:
        self._count += 1
        position = f"item {self._count}"
        if not isinstance(element, dict):
            self.report.invalid.append(Refusal(position, "Not a JSON object."))
            return
        if context is not None and "@context" not in element:
            element = {"@context": context, **element}  # embedded items inherit the context
        iri = element.get("id") if isinstance(element.get("id"), str) else None
        self.items.append(_Item(ref=iri or position, data=element, iri=iri))

    def _add_claims(self, container: dict) -> None:
        for claim in _as_list(container.get(CLAIMS_KEY)):
            if isinstance(claim, dict) and isinstance(claim.get("id"), str):
                self.file_claims[claim["id"]] = claim

    # Running ---------------------------------------------------------------------------------

    def run(self) -> None:
        valid: list[_Item] = []
        seen: set[str] = set()
        for item in self.items:
            errors = validation_errors(item.data)
            if item.iri is not None and item.iri in seen:
                errors.append("Another annotation of the file has the same id.")
            if errors:
                self.report.invalid.append(Refusal(item.ref, "; ".join(errors)))
            else:
                valid.append(item)
            if item.iri is not None:
                seen.add(item.iri)
        file_iris = {item.iri for item in valid if item.iri}
        failed: set[str] = {item.iri for item in self.items if item.iri} - file_iris
        pending = valid
        while pending:
            waiting = []
            for item in pending:
                parent = self._parent_iri(item.data)
                if parent is not None and parent in failed:
                    self._refuse(
                        item, _Unanchorable(f"It replies to {parent}, which was not imported.")
                    )
                    if item.iri:
                        failed.add(item.iri)
                    continue
                if parent in file_iris and parent not in self.done:
                    waiting.append(item)
                    continue
                if not self._import_one(item) and item.iri:
                    failed.add(item.iri)
            if len(waiting) == len(pending):
                for item in waiting:
                    self._refuse(item, _Unanchorable("Its replies form a cycle."))
                break
            pending = waiting

    def _refuse(self, item: _Item, error: Exception) -> None:
        target = self.report.invalid if isinstance(error, _Invalid) else self.report.unanchored
        target.append(Refusal(item.ref, str(error)))

    def _import_one(self, item: _Item) -> bool:
        """Write one annotation (and the claim it brings) in its own transaction."""
        claims = _NewClaims()
        try:
            with transaction.atomic():
                record, how, outcome = self._create(item, claims)
        except IntegrityError:  # another import of the same annotation, at the same moment
            self._refuse(item, _Invalid("It is being imported by another import right now."))
            return False
        except (_Invalid, _Unanchorable, services.AnnotationInvalid, access.AccessDenied) as error:
            for iri in claims.created:  # rolled back with the annotation
                self.claims.pop(iri, None)
            self._refuse(item, _classified(error))
            return False
        if item.iri:
            self.done[item.iri] = record
        self.report.imported.append(ImportedAnnotation(item.ref, record.pk, how, outcome))
        self.report.claims_created += len(claims.created)
        self.report.claims_reused += claims.reused
        return True

    # One annotation --------------------------------------------------------------------------

    def _create(self, item: _Item, claims: "_NewClaims") -> tuple[Annotation, str, str]:
        data = item.data
        known = self._file_creator(data)
        creator = self._creator(data)
        foreign_creator = "" if known is not None else import_identity.foreign_creator_of(data)
        identity = import_identity.identity_of(data)
        earlier = import_identity.annotation_find_imported(
            creator=creator, identity=identity, local_host=self.local_host
        )
        parent_iri = self._parent_iri(data)
        # References are resolved here, not by parse_w3c: a parent of the file is its new
        # record, and claims are matched by IRI against the file's claims.
        view = {k: v for k, v in data.items() if k != "claim"}
        if parent_iri is not None and parent_iri in self.done:
            view["target"] = annotation_iri(_path_only, self.done[parent_iri].pk)
        try:
            parsed = parse_w3c(view, require_our_source=False)
        except services.AnnotationInvalid as error:
            raise _classified(error) from None
        if parent_iri is not None and parent_iri in self.done:
            parent = self.done[parent_iri]
        elif parsed.reply_to is not None:
            parent = self._local_parent(parent_iri, parsed.reply_to, creator)
        else:
            parent = None
        if earlier is not None:
            record, outcome = import_identity.annotation_update_imported(
                user=creator,
                annotation=earlier,
                parsed=parsed,
                data=data,
                foreign_creator=foreign_creator,
            )
            return record, f"an earlier import, annotation {earlier.pk}", outcome
        if parent is not None:
            record = self._create_reply(parsed, parent=parent, creator=creator)
            how = f"reply to annotation {parent.pk}"
        else:
            record, how = self._create_passage(data, parsed, creator=creator, claims=claims)
        self._keep_timestamps(record, data)
        import_identity.annotation_keep_identity(
            annotation=record, identity=identity, foreign_creator=foreign_creator
        )
        return record, how, Outcome.CREATED

    def _create_reply(self, parsed: ParsedAnnotation, *, parent: Annotation, creator):
        reply = services.annotation_reply(
            user=creator, parent=parent, note=parsed.note, visibility=parsed.visibility or "public"
        )
        changes: dict[str, Any] = {}
        if parsed.tags:
            changes["tags"] = parsed.tags
        if parsed.colour and parsed.colour != reply.colour:
            changes["colour"] = parsed.colour
        if changes:
            reply = services.annotation_update(
                user=creator, annotation=reply, expected_version=None, **changes
            )
        return reply

    def _create_passage(
        self, data: dict, parsed: ParsedAnnotation, *, creator, claims: "_NewClaims"
    ) -> tuple[Annotation, str]:
        motivation = parsed.motivation
        if "motivation" not in data and parsed.note:
            motivation = Motivation.COMMENTING  # e.g. Hypothesis: no motivation, a note
        claim = None
        if motivation == Motivation.ASSESSING:
            claim = self._claim(data, creator, claims)
        try:
            article, start, end, exact, how = self._passage(parsed, creator)
        except _Unanchorable:
            orphan = self._orphan(data, parsed, creator=creator, motivation=motivation, claim=claim)
            if orphan is None:
                raise
            return orphan
        result = services.annotation_create(
            user=creator,
            article=article,
            start=start,
            end=end,
            exact=exact,
            motivation=motivation,
            page_note=parsed.page_note,
            **parsed.said(claim=claim),
        )
        return result.annotation, how

    def _orphan(
        self, data: dict, parsed: ParsedAnnotation, *, creator, motivation: str, claim
    ) -> tuple[Annotation, str] | None:
        """A passage gone from the current text, stored as an orphan of the earlier revision
        its target's state names, when that revision is here and holds it; else None."""
        if parsed.article_slug is None or parsed.page_note:
            return None
        try:
            article = access.article_get_for_annotating(user=creator, slug=parsed.article_slug)
        except access.NotVisible:
            return None
        revision = revision_state.stated_revision(data, article)
        if revision is None or revision.pk == article.current_revision_id:
            return None
        try:
            record = revision_state.annotation_create_orphan(
                user=creator,
                article=article,
                revision=revision,
                parsed=parsed,
                motivation=motivation,
                claim=claim,
            )
        except services.AnnotationInvalid:
            return None
        return record, (
            f"on {article.slug}, orphaned: its passage is in revision {revision.number}, "
            "not in the current text"
        )

    # References ------------------------------------------------------------------------------

    @staticmethod
    def _parent_iri(data: dict) -> str | None:
        """The IRI of the annotation this one replies to, if its target is a whole resource."""
        targets = _as_list(data.get("target"))
        if not targets:
            return None
        target = targets[0]
        if isinstance(target, str):
            return target
        if isinstance(target, dict) and "selector" not in target:
            iri = target.get("source", target.get("id"))
            return iri if isinstance(iri, str) else None
        return None

    def _is_local(self, iri: Any) -> bool:
        return (
            self.local_host is not None
            and isinstance(iri, str)
            and urlparse(iri).netloc.lower() == self.local_host
        )

    def _local_parent(self, iri: str | None, pk: int, creator) -> Annotation:
        if not self._is_local(iri):
            raise _Unanchorable(
                f"It replies to {iri}, which is neither in the file nor an annotation here."
            )
        try:
            return access.annotation_get_for_user(user=creator, pk=pk)
        except access.NotVisible:
            raise _Unanchorable(f"It replies to {iri}, which is not here.") from None

    def _claim(self, data: dict, creator, claims: "_NewClaims") -> Claim:
        iris = [data.get("claim")] + [
            body.get("source")
            for body in _as_list(data.get("body"))
            if isinstance(body, dict) and body.get("purpose") == "assessing"
        ]
        iris = [iri for iri in iris if isinstance(iri, str)]
        for iri in iris:
            if iri in self.claims:
                claim = Claim.objects.filter(pk=self.claims[iri]).first()
                if claim is not None:
                    return claim
            if iri in self.file_claims:
                return self._claim_from_file(iri, creator, claims)
        for iri in iris:
            if self._is_local(iri):
                kwargs = resolve_iri(iri, "api:claim-detail")
                claim = Claim.objects.filter(pk=kwargs["pk"]).first() if kwargs else None
                if claim is not None:
                    return claim
        shown = iris[0] if iris else "none given"
        raise _Invalid(
            f"An assessing annotation needs its claim; the claim ({shown}) is neither in the "
            f'file\'s "{CLAIMS_KEY}" nor here.'
        )

    def _claim_from_file(self, iri: str, creator, claims: "_NewClaims") -> Claim:
        data = self.file_claims[iri]
        text = data.get("text")
        claimant = data.get("claimant") or ""
        if not isinstance(text, str) or not isinstance(claimant, str):
            raise _Invalid(f"The claim {iri} needs its text (and claimant) as strings.")
        existing = (
            Claim.objects.filter(text=text.strip(), claimant=claimant.strip())
            .order_by("pk")
            .first()
        )
        if existing is not None:
            self.claims[iri] = existing.pk
            claims.reused += 1
            return existing
        owner = creator
        if self.keep_creators:  # whoever made the claim, else whoever rated it, is known here
            for name in (data.get("created_by"), data.get("reviewed_by")):
                if isinstance(name, str) and (known := self._user_named(name)):
                    owner = known
                    break
        fields = {
            name: data[name]
            for name in ("kind", "rating", "reviewer_notes", "tags")
            if data.get(name) is not None
        }
        try:
            claim = services.claim_create(user=owner, text=text, claimant=claimant, **fields)
        except services.AnnotationInvalid as error:
            raise _Invalid(f"The claim {iri} is not valid: {error}") from None
        self.claims[iri] = claim.pk
        claims.created.append(iri)
        return claim

    def _user_named(self, name: str):
        if name not in self._users:
            user_model = get_user_model()
            user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: name}).first()
            self._users[name] = user if user is not None and access.can_create(user) else None
        return self._users[name]

    def _file_creator(self, data: dict):
        """The user here the file names as the creator (with keep_creators): by nickname, or
        by an acct: IRI on this site's host; None when there is none."""
        if not self.keep_creators:
            return None
        for creator in _as_list(data.get("creator")):
            nickname = creator.get("nickname") if isinstance(creator, dict) else None
            if isinstance(nickname, str) and (user := self._user_named(nickname)):
                return user
            iri = creator.get("id") if isinstance(creator, dict) else creator
            name = (
                import_identity.acct_username(iri, self.local_host)
                if isinstance(iri, str)
                else None
            )
            if name and (user := self._user_named(name)):
                return user
        return None

    def _creator(self, data: dict):
        if (user := self._file_creator(data)) is not None:
            return user
        if self.user is None:
            raise _Invalid("Its creator is not a user here, and no importing user was given.")
        return self.user

    # Anchoring -------------------------------------------------------------------------------

    def _passage(
        self, parsed: ParsedAnnotation, creator
    ) -> tuple[Article, int, int, str | None, str]:
        """The article and span of the target: by the article's IRI, else by the quote."""
        if parsed.article_slug is not None:
            try:
                article = access.article_get_for_annotating(user=creator, slug=parsed.article_slug)
            except access.NotVisible:
                article = None
            if article is not None:
                return self._in_article(parsed, article)
            if parsed.exact is None:
                raise _Unanchorable(f"There is no article {parsed.article_slug!r} here.")
        return self._by_quote(parsed)

    def _in_article(self, parsed: ParsedAnnotation, article: Article):
        where = f"on {article.slug}"
        if article.current_revision is None:
            raise _Unanchorable(f"The article {article.slug} has no text yet.")
        if parsed.exact is None:  # positions only: the services check them
            return article, parsed.start, parsed.end, None, where
        # The API's path (anchor_input), so that POST and import anchor alike.
        body = article.current_revision.body
        try:
            target = self._target(parsed, body)
        except TargetAmbiguous as error:
            raise _Unanchorable(f"On {article.slug}: {error}") from None
        except TargetInvalid:
            raise _Unanchorable(
                f"The quote is not in the current text of {article.slug}."
            ) from None
        if target.status is not AnchorStatus.ANCHORED:
            where += f" ({target.status}, score {target.score:.2f})"
        return article, target.start, target.end, body[target.start : target.end], where

    @staticmethod
    def _target(parsed: ParsedAnnotation, body: str) -> Target:
        return anchor_target(
            body,
            start=parsed.start,
            end=parsed.end,
            exact=parsed.exact,
            prefix=parsed.prefix,
            suffix=parsed.suffix,
        )

    def _published_bodies(self) -> list[tuple[Article, str]]:
        if self._bodies is None:
            articles = (
                Article.objects.published()
                .filter(current_revision__isnull=False)
                .select_related("current_revision", "outlet")
                .order_by("pk")
            )
            self._bodies = [(a, a.current_revision.body) for a in articles]
        return self._bodies

    def _by_quote(self, parsed: ParsedAnnotation):
        if parsed.exact is None:
            raise _Unanchorable(
                "Its target is not an article here, and it has no TextQuoteSelector to find "
                "the passage by."
            )
        exact, fuzzy, ambiguous = [], [], []
        for article, body in self._published_bodies():
            try:
                target = self._target(parsed, body)
            except TargetAmbiguous as error:
                ambiguous.append((article, error))
                continue
            except TargetInvalid:
                continue
            found = exact if target.status is not AnchorStatus.FUZZY else fuzzy
            found.append((article, target, body[target.start : target.end]))
        matches = exact or fuzzy
        if not matches and not ambiguous:
            raise _Unanchorable("Its quote is in no published article here.")
        if len(matches) + len(ambiguous) > 1:
            slugs = ", ".join([a.slug for a, *_ in matches][:5] + [a.slug for a, _ in ambiguous])
            raise _Unanchorable(
                f"Its quote is in {len(matches) + len(ambiguous)} articles ({slugs}); which "
                "one is meant is not clear."
            )
        if ambiguous:
            article, error = ambiguous[0]
            raise _Unanchorable(f"On {article.slug}: {error}")
        article, target, text = matches[0]
        how = f"on {article.slug}, found by its quote"
        if target.status is AnchorStatus.FUZZY:
            how += f" (fuzzy, score {target.score:.2f})"
        return article, target.start, target.end, text, how

    # Timestamps ------------------------------------------------------------------------------

    @staticmethod
    def _keep_timestamps(record: Annotation, data: dict) -> None:
        stamps: dict[str, datetime] = {}
        for name in ("created", "modified"):
            value = _as_list(data.get(name))
            moment = parse_datetime(value[0]) if value and isinstance(value[0], str) else None
            if moment is not None and timezone.is_aware(moment):
                stamps[name] = moment
        if stamps:
            Annotation.objects.filter(pk=record.pk).update(**stamps)


def import_collection(
    *,
    data: Any,
    user=None,
    keep_creators: bool = False,
    absolute_base: str | None = None,
    atomic: bool = False,
) -> ImportReport:
    """Import W3C annotations (see the module's docstring); the report says what became of each.

    `data`: parsed JSON or its text. `user`: who the annotations belong to (see keep_creators);
    may be None only with keep_creators, and then annotations of unknown creators are refused.
    `absolute_base`: this site's base URL; IRIs on its host that the file does not define
    (a parent annotation, a claim) are taken as records that already exist here.
    `atomic`: all or nothing.
    """
    importer = _Importer(user=user, keep_creators=keep_creators, absolute_base=absolute_base)
    importer.read(data)
    if not atomic:
        importer.run()
        return importer.report
    try:
        with transaction.atomic():
            importer.run()
            if not importer.report.ok:
                raise _RollBack
    except _RollBack:
        importer.report.rolled_back = True
    return importer.report

"""Writes to articles: importing a file as a new article or a new revision of one."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from annotations.services import ReanchorReport, annotations_reanchor

from . import selectors
from .comparison import comparison_refresh
from .ingest import Block as IngestBlock
from .ingest import (
    Decoded,
    Extraction,
    IngestError,
    Kind,
    OutletSignature,
    decode,
    extract,
    reassemble,
)
from .ingest.text import word_count
from .models import Article, ArticleRevision, Block, Outlet

SLUG_MAX = 80


class ImportStatus(StrEnum):
    CREATED = "created"
    REVISED = "revised"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ImportResult:
    status: ImportStatus
    article: Article
    revision: ArticleRevision
    warnings: list[str] = field(default_factory=list)
    reanchor: "ReanchorReport | None" = None


def _unique_slug(title: str, source_name: str) -> str:
    base = slugify(title)[:SLUG_MAX].rstrip("-")
    if len(slugify(title)) > SLUG_MAX and "-" in base:
        base = base.rsplit("-", 1)[0]
    base = base or slugify(source_name)[:SLUG_MAX] or "article"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: SLUG_MAX - len(suffix)] + suffix
        n += 1
    return slug


def _validate_name(name: str) -> str:
    name = name.strip()
    if not name or "/" in name or "\\" in name or name in {".", ".."} or "\x00" in name:
        raise IngestError(f"invalid file name {name!r}")
    if len(name) > 255:
        raise IngestError("file name is longer than 255 characters")
    return name


@cache
def _article_history():
    """Article's history manager (simple-history builds a new manager class on each access)."""
    return Article.history


def article_import(
    *,
    name: str,
    data: bytes,
    source_path: str = "",
    max_bytes: int | None = None,
    compare: bool = True,
    outlets: Sequence[OutletSignature] | None = None,
    prepared: tuple[Decoded, Extraction] | None = None,
) -> ImportResult:
    """Import one file's bytes under its file name, atomically.

    A name never seen creates an article; the same bytes as the current revision change
    nothing; different bytes add a revision (older ones are kept). Raises IngestError, with
    nothing written, when the bytes cannot be imported. With compare (the default), the
    stored comparison links of a new or revised article are brought up to date afterwards;
    a batch import passes compare=False and calls `comparison_refresh` once at the end.

    A batch import also passes the outlets' signatures it read once (`outlets`, as
    `selectors.outlet_signatures()` gives them), and may pass what the pure engine made of
    these very bytes, `prepared=(decode(data, ...), extract(text, outlets=outlets))`, when it
    ran the engine elsewhere (in worker processes).
    """
    name = _validate_name(name)
    if prepared is None:
        decoded = decode(data, max_bytes=max_bytes or settings.ASTANA_IMPORT_MAX_BYTES)
        if outlets is None:
            outlets = selectors.outlet_signatures()
        extraction = extract(decoded.text, outlets=outlets)
    else:
        decoded, extraction = prepared
    sha256 = hashlib.sha256(data).hexdigest()
    warnings = [*decoded.warnings, *extraction.warnings]

    with transaction.atomic():
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("current_revision")
            # Only the digest is compared; the text is loaded if a caller reads it.
            .defer(*(f"current_revision__{f}" for f in ("raw_bytes", "raw_text", "body")))
            .filter(source_name=name)
            .first()
        )
        if article is not None and article.current_revision is not None:
            current = article.current_revision
            if current.sha256 == sha256:
                return ImportResult(ImportStatus.UNCHANGED, article, current, warnings)
        outlet_id = int(extraction.outlet_key) if extraction.outlet_key else None
        revision_fields = {
            "raw_bytes": data,
            "sha256": sha256,
            "encoding": decoded.encoding,
            "raw_text": decoded.text,
            "body": extraction.body,
            "blocks": extraction.blocks,
            "source_path": source_path[:1024],
            "outlet_rule": extraction.outlet_rule[:300],
            "warnings": warnings,
        }
        report = None
        if article is None:
            status = ImportStatus.CREATED
            article = Article(
                source_name=name,
                slug=_unique_slug(extraction.title, name),
                status=Article.Status.PUBLISHED,
            )
            _apply_extraction(article, extraction)
            article.outlet_id = outlet_id
            # The row must exist before its revision; its history is recorded once below,
            # with the current revision set.
            article.save_without_historical_record()
            revision = _add_revision(article, number=1, **revision_fields)
            article.current_revision = revision
            Article.objects.filter(pk=article.pk).update(current_revision=revision)
            _article_history().bulk_history_create([article])
        else:
            status = ImportStatus.REVISED
            number = (
                article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
            ) + 1
            revision = _add_revision(article, number=number, **revision_fields)
            _apply_extraction(article, extraction)
            # A curator may have set the outlet by hand; a file that names none keeps it.
            article.outlet_id = outlet_id or article.outlet_id
            article.current_revision = revision
            article.save()
            report = annotations_reanchor(article=article, revision=revision)
    if compare:
        comparison_refresh(article_ids=[article.pk])
    return ImportResult(status, article, revision, warnings, report)


def _add_revision(article: Article, *, blocks: Sequence[IngestBlock], **fields) -> ArticleRevision:
    """A new revision of the article with its blocks (the caller makes it current)."""
    revision = ArticleRevision.objects.create(article=article, **fields)
    Block.objects.bulk_create(
        Block(
            revision_id=revision.pk,
            position=position,
            kind=block.kind.value,
            rule=block.rule[:300],
            text=block.text,
            author=block.author[:200],
            start=block.start,
            end=block.end,
            body_start=block.body_start,
            body_end=block.body_end,
        )
        for position, block in enumerate(blocks)
    )
    return revision


def _apply_extraction(article: Article, extraction: Extraction) -> None:
    """The metadata read off the page, except the outlet."""
    article.title = extraction.title[:500]
    article.title_derived = extraction.title_derived
    article.dateline = extraction.dateline[:200]
    article.credits = extraction.credits
    article.language = extraction.language
    article.word_count = extraction.word_count


def _apply_metadata(article: Article, extraction: Extraction, outlet: Outlet | None) -> None:
    _apply_extraction(article, extraction)
    article.outlet = outlet


# --- Curation -------------------------------------------------------------------------------


class CurationInvalid(ValueError):
    """A curator's request that cannot be carried out; the message says why."""


@dataclass(frozen=True, slots=True)
class RevisionResult:
    """A revision made by a curator (or None when nothing changed), and what moved."""

    article: Article
    revision: ArticleRevision | None
    reanchor: ReanchorReport | None
    changes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.revision is None:
            return f"“{self.article.title}”: nothing changed."
        text = f"“{self.article.title}”: revision {self.revision.number} made"
        if self.changes:
            text += " (" + "; ".join(self.changes) + ")"
        if self.reanchor is not None and self.reanchor.counts:
            text += f"; annotations: {self.reanchor.summary()}"
        return text + "."


def _ingest_blocks(revision: ArticleRevision) -> list[IngestBlock]:
    return [
        IngestBlock(
            kind=Kind(block.kind),
            start=block.start,
            end=block.end,
            rule=block.rule,
            text=block.text,
            author=block.author,
            in_body=block.body_start is not None,
            body_start=block.body_start,
            body_end=block.body_end,
        )
        for block in revision.blocks.order_by("position")
    ]


def _curated_revision(
    *, user, article: Article, blocks: Sequence[IngestBlock], body: str, note: str, **fields
) -> tuple[ArticleRevision, ReanchorReport]:
    """Add a revision built from the current one's file, make it current and re-anchor."""
    current = article.current_revision
    number = (article.revisions.order_by("-number").values_list("number", flat=True).first()) + 1
    revision = _add_revision(
        article,
        number=number,
        raw_bytes=current.raw_bytes,
        sha256=current.sha256,
        encoding=current.encoding,
        raw_text=current.raw_text,
        body=body,
        blocks=blocks,
        source_path=current.source_path,
        curated_by=user,
        change_note=note[:1000],
        **{"outlet_rule": current.outlet_rule, "warnings": current.warnings, **fields},
    )
    article.current_revision = revision
    article.word_count = word_count(body)
    article.save(
        update_fields=["current_revision", "word_count", "title", "title_derived", "updated"]
    )
    return revision, annotations_reanchor(article=article, revision=revision)


def _locked(article: Article) -> Article:
    locked = (
        Article.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=article.pk)
    )
    if locked.current_revision is None:
        raise CurationInvalid("This article has no text to change.")
    return locked


def article_reclassify(*, user, article: Article, kinds: Mapping[int, str]) -> RevisionResult:
    """Give some blocks of the current revision another kind (by position); the body is
    rebuilt as a new revision, the annotations re-anchored and the comparison refreshed."""
    with transaction.atomic():
        article = _locked(article)
        current = list(_ingest_blocks(article.current_revision))
        wanted: dict[int, Kind] = {}
        for position, value in kinds.items():
            if not isinstance(position, int) or not 0 <= position < len(current):
                raise CurationInvalid(f"There is no block {position} in the current revision.")
            try:
                kind = Kind(value)
            except ValueError:
                raise CurationInvalid(f"“{value}” is not a block kind.") from None
            if kind != current[position].kind:
                wanted[position] = kind
        if not wanted:
            return RevisionResult(article, None, None)
        blocks, body = reassemble(current, wanted)
        if not body.strip():
            raise CurationInvalid("With these kinds the article would have no readable text.")
        changes = [
            f"block {p}: {current[p].kind.label} → {k.label}" for p, k in sorted(wanted.items())
        ]
        title = next((b.text for b in blocks if b.kind is Kind.TITLE and b.in_body), None)
        if title is not None and any(
            current[p].kind is Kind.TITLE or k is Kind.TITLE for p, k in wanted.items()
        ):
            article.title = title[:500]
            article.title_derived = False
        revision, report = _curated_revision(
            user=user, article=article, blocks=blocks, body=body, note="; ".join(changes)
        )
    comparison_refresh(article_ids=[article.pk])
    return RevisionResult(article, revision, report, changes)


def article_reextract(*, user, article: Article) -> RevisionResult:
    """Run extraction again on the current revision's file (the rules or outlets may have
    changed); a new revision only when the blocks come out different."""
    with transaction.atomic():
        article = _locked(article)
        current = article.current_revision
        extraction = extract(current.raw_text, outlets=selectors.outlet_signatures())
        old = [(b.kind, b.start, b.end, b.body_start) for b in _ingest_blocks(current)]
        new = [(b.kind, b.start, b.end, b.body_start) for b in extraction.blocks]
        if old == new and extraction.body == current.body:
            return RevisionResult(article, None, None)
        outlet = (
            Outlet.objects.get(pk=int(extraction.outlet_key)) if extraction.outlet_key else None
        )
        _apply_metadata(article, extraction, outlet or article.outlet)
        article.save()
        revision, report = _curated_revision(
            user=user,
            article=article,
            blocks=extraction.blocks,
            body=extraction.body,
            note="extraction run again",
            outlet_rule=extraction.outlet_rule[:300],
        )
    comparison_refresh(article_ids=[article.pk])
    return RevisionResult(article, revision, report, ["extraction run again"])


def articles_set_status(*, articles: Sequence[Article], status: str) -> int:
    """Publish, unpublish (draft) or archive articles; returns how many changed."""
    if status not in Article.Status.values:
        raise CurationInvalid(f"“{status}” is not an article status.")
    changed = 0
    with transaction.atomic():
        for article in articles:
            if article.status != status:
                article.status = status
                article.save(update_fields=["status", "updated"])  # recorded in the history
                changed += 1
    return changed


def outlets_merge(*, keep: Outlet, others: Sequence[Outlet]) -> int:
    """Fold other outlets into one: their articles, signatures and notes move to it.

    Returns how many articles moved. Agencies and outlets can't be merged into each other.
    """
    others = [o for o in others if o.pk != keep.pk]
    if not others:
        raise CurationInvalid("Choose at least one other outlet to merge into the one kept.")
    if any(o.is_agency != keep.is_agency for o in others):
        raise CurationInvalid("An agency and an outlet can’t be merged.")
    with transaction.atomic():
        keep = Outlet.objects.select_for_update().get(pk=keep.pk)
        moved = 0
        for other in others:
            for article in Article.objects.filter(outlet=other):
                article.outlet = keep
                article.save(update_fields=["outlet", "updated"])
                moved += 1
            keep.signatures = list(dict.fromkeys([*keep.signatures, other.name, *other.signatures]))
            for name in ("homepage", "country", "ownership"):
                if not getattr(keep, name) and getattr(other, name):
                    setattr(keep, name, getattr(other, name))
            if other.notes:
                keep.notes = f"{keep.notes}\n\n{other.notes}".strip()
            other.delete()
        keep.save()
    return moved

"""Writes to articles: importing a file as a new article or a new revision of one."""

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from annotations.services import ReanchorReport, annotations_reanchor

from . import selectors
from .comparison import comparison_refresh
from .ingest import Extraction, IngestError, decode, extract
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


def article_import(
    *,
    name: str,
    data: bytes,
    source_path: str = "",
    max_bytes: int | None = None,
    compare: bool = True,
) -> ImportResult:
    """Import one file's bytes under its file name, atomically.

    A name never seen creates an article; the same bytes as the current revision change
    nothing; different bytes add a revision (older ones are kept). Raises IngestError, with
    nothing written, when the bytes cannot be imported. With compare (the default), the
    stored comparison links of a new or revised article are brought up to date afterwards;
    a batch import passes compare=False and calls `comparison_refresh` once at the end.
    """
    name = _validate_name(name)
    decoded = decode(data, max_bytes=max_bytes or settings.ASTANA_IMPORT_MAX_BYTES)
    sha256 = hashlib.sha256(data).hexdigest()
    signatures = selectors.outlet_signatures()
    extraction = extract(decoded.text, outlets=signatures)
    warnings = [*decoded.warnings, *extraction.warnings]

    with transaction.atomic():
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("current_revision")
            .filter(source_name=name)
            .first()
        )
        if article is not None and article.current_revision is not None:
            current = article.current_revision
            if current.sha256 == sha256:
                return ImportResult(ImportStatus.UNCHANGED, article, current, warnings)
        outlet = (
            Outlet.objects.get(pk=int(extraction.outlet_key)) if extraction.outlet_key else None
        )
        if article is None:
            article = Article(
                source_name=name,
                slug=_unique_slug(extraction.title, name),
                status=Article.Status.PUBLISHED,
            )
            status, number = ImportStatus.CREATED, 1
        else:
            status = ImportStatus.REVISED
            number = (
                article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
            ) + 1
            # A curator may have set the outlet by hand; a file that names none keeps it.
            outlet = outlet or article.outlet
        _apply_metadata(article, extraction, outlet)
        article.save()
        revision = ArticleRevision.objects.create(
            article=article,
            number=number,
            raw_bytes=data,
            sha256=sha256,
            encoding=decoded.encoding,
            raw_text=decoded.text,
            body=extraction.body,
            source_path=source_path[:1024],
            outlet_rule=extraction.outlet_rule[:300],
            warnings=warnings,
        )
        Block.objects.bulk_create(
            Block(
                revision=revision,
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
            for position, block in enumerate(extraction.blocks)
        )
        article.current_revision = revision
        article.save(update_fields=["current_revision", "updated"])
        report = None
        if status is ImportStatus.REVISED:
            report = annotations_reanchor(article=article, revision=revision)
    if compare:
        comparison_refresh(article_ids=[article.pk])
    return ImportResult(status, article, revision, warnings, report)


def _apply_metadata(article: Article, extraction: Extraction, outlet: Outlet | None) -> None:
    article.title = extraction.title[:500]
    article.title_derived = extraction.title_derived
    article.dateline = extraction.dateline[:200]
    article.credits = extraction.credits
    article.language = extraction.language
    article.word_count = extraction.word_count
    article.outlet = outlet

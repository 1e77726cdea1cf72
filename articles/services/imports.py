"""Importing files as new articles, or as new revisions of the articles they were before."""

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.text import slugify

from astana.text import is_encodable

from .. import selectors
from ..access import User
from ..ingest import (
    Decoded,
    Extraction,
    IngestError,
    OutletSignature,
    decode,
    extract,
)
from ..ingest.html import HtmlExtraction, extract_html, looks_like_html, page_url
from ..ingest.slugs import slug_text
from ..jobs.models import Job, JobKind
from ..jobs.services import job_enqueue
from ..models import Article, ArticleRevision
from ..revisions import FollowReport, revision_follow
from . import blocks as revision_blocks

SLUG_MAX = 80
IMPORT_BATCH = 100  # files written per transaction by `articles_import`
SLUG_PROBE = 8  # numbered slugs looked up at once when a title's slug is taken


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
    reanchor: FollowReport | None = None  # what followed a new revision (re-anchoring)


@dataclass(frozen=True, slots=True)
class ImportFile:
    """A file to import: its name, bytes and path, and, when the pure engine already ran on
    these very bytes elsewhere (in worker processes), what it made of them or the error it
    raised: `(decode(data, ...), extract(text, outlets=...))`, or `extract_html(data, ...)`
    for a saved HTML page, or an IngestError."""

    name: str
    data: bytes
    source_path: str = ""
    prepared: tuple[Decoded, Extraction] | HtmlExtraction | IngestError | None = None


@dataclass(frozen=True, slots=True)
class _Read:
    """A file the engine has read: everything its import writes, known before any query."""

    name: str
    data: bytes
    sha256: str
    source_path: str
    decoded: Decoded  # for an HTML page, its page text (what the source view shows)
    extraction: Extraction
    warnings: list[str]
    source_format: str = "text"  # "text" or "html" (ArticleRevision.SourceFormat)
    source_url: str = ""  # the link it came from, else (a saved HTML page) its canonical one

    def revision_fields(self) -> dict[str, Any]:
        return {
            "raw_bytes": self.data,
            "sha256": self.sha256,
            "encoding": self.decoded.encoding,
            "raw_text": self.decoded.text,
            "body": self.extraction.body,
            "source_path": self.source_path[:1024],
            "outlet_rule": self.extraction.outlet_rule[:300],
            "warnings": self.warnings,
            "source_format": self.source_format,
            "source_url": self.source_url[:2048],
        }

    @property
    def outlet_id(self) -> int | None:
        key = self.extraction.outlet_key
        return int(key) if key else None


def _slug_base(title: str, source_name: str) -> str:
    """The title's slug, transliterated first so non-Latin titles give readable slugs."""
    full = slugify(slug_text(title))
    base = full[:SLUG_MAX].rstrip("-")
    if len(full) > SLUG_MAX and "-" in base:
        base = base.rsplit("-", 1)[0]
    return base or slugify(slug_text(source_name))[:SLUG_MAX] or "article"


def _slug_candidate(base: str, n: int) -> str:
    """The slug itself (n = 1), then slug-2, slug-3, ... cut to fit."""
    if n == 1:
        return base
    suffix = f"-{n}"
    return base[: SLUG_MAX - len(suffix)] + suffix


def _unique_slugs(wanted: Sequence[tuple[str, str]]) -> list[str]:
    """A free slug for each (title, file name), as if the articles were made one after
    another: the title's slug, or the first of slug-2, slug-3, ... that is not taken (by an
    article in the database or an earlier one of these). One query for all the titles, and
    one for each run of SLUG_PROBE numbered slugs a title has to try."""
    bases = [_slug_base(title, name) for title, name in wanted]
    found = set(Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    taken = {base: base in found for base in bases}  # every slug looked up, and whether taken
    slugs = []
    for base in bases:
        n = 1
        while True:
            slug = _slug_candidate(base, n)
            if slug not in taken:
                probe = [_slug_candidate(base, m) for m in range(n, n + SLUG_PROBE)]
                found = set(Article.objects.filter(slug__in=probe).values_list("slug", flat=True))
                for candidate in probe:
                    taken.setdefault(candidate, candidate in found)
            if not taken[slug]:
                break
            n += 1
        taken[slug] = True
        slugs.append(slug)
    return slugs


def _validate_name(name: str) -> str:
    name = name.strip()
    if not name or "/" in name or "\\" in name or name in {".", ".."} or "\x00" in name:
        raise IngestError(f"invalid file name {name!r}")
    if not is_encodable(name):  # e.g. undecodable bytes of a file system name
        raise IngestError(f"file name {name!r} is not valid Unicode (a lone surrogate)")
    if len(name) > 255:
        raise IngestError("file name is longer than 255 characters")
    return name


@cache
def _article_history() -> Any:  # (simple-history ships no types)
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
    stored comparison links of a new or revised article are brought up to date afterwards,
    and its stories suggested, in a background job once the caller's transaction commits.

    The caller may pass the outlets' signatures it read once (`outlets`, as
    `selectors.outlet_signatures()` gives them), and what the pure engine made of these very
    bytes (`prepared`, see ImportFile). Many files are imported faster with `articles_import`.
    """
    file = ImportFile(name=name, data=data, source_path=source_path, prepared=prepared)
    ((_, result),) = articles_import(files=[file], max_bytes=max_bytes, outlets=outlets)
    if isinstance(result, IngestError):
        raise result
    if compare:
        comparison_enqueue(article_ids=[result.article.pk])
    return result


def comparison_enqueue(*, article_ids: Sequence[int], user: User | None = None) -> Job:
    """Recompare the articles and suggest their stories in a background job (a comparison
    job, articles/jobs/handlers.py), once the caller's transaction commits."""
    return job_enqueue(
        kind=JobKind.COMPARISON_REFRESH, params={"article_ids": list(article_ids)}, user=user
    )


def articles_import(
    *,
    files: Iterable[ImportFile],
    max_bytes: int | None = None,
    outlets: Sequence[OutletSignature] | None = None,
    batch: int = IMPORT_BATCH,
) -> Iterator[tuple[ImportFile, ImportResult | IngestError]]:
    """Import files in the order given, each as `article_import` would (without comparing);
    yields each file with its result, or with the IngestError that refused it.

    The files are written `batch` at a time, one transaction for each batch, and each file's
    result is yielded once its batch has committed. A refused file writes nothing and the
    others still import. When writing a batch fails (a database error, never a refusal), the
    batch is rolled back and written again one file per transaction: the files before the
    failing one are kept and yielded, and its error propagates with nothing of it written,
    exactly as if every file had had its own transaction.
    """
    limit = max_bytes or settings.ASTANA_IMPORT_MAX_BYTES
    signatures = outlets

    def outlet_signatures() -> Sequence[OutletSignature]:
        nonlocal signatures
        if signatures is None:
            signatures = selectors.outlet_signatures()
        return signatures

    for chunk in _batches(files, batch=batch, max_bytes=limit, outlets=outlet_signatures):
        try:
            with transaction.atomic():
                results = _import_batch([read for _, read in chunk])
        except Exception:
            if len(chunk) == 1:
                raise
            for file, read in chunk:
                with transaction.atomic():
                    (result,) = _import_batch([read])
                yield file, result
        else:
            yield from zip((file for file, _ in chunk), results, strict=True)


def _read(
    file: ImportFile, *, max_bytes: int, outlets: Callable[[], Sequence[OutletSignature]]
) -> _Read:
    """What the engine makes of a file (run here unless it ran elsewhere), or IngestError."""
    name = _validate_name(file.name)
    if isinstance(file.prepared, IngestError):
        raise file.prepared
    page = file.prepared if isinstance(file.prepared, HtmlExtraction) else None
    if file.prepared is None and looks_like_html(name, file.data):
        page = extract_html(
            file.data,
            url=page_url(file.source_path),
            outlets=outlets(),
            max_bytes=max_bytes,
        )
    if page is not None:
        decoded, extraction = page.decoded, page.extraction
    elif isinstance(file.prepared, tuple):  # what the engine made of it elsewhere
        decoded, extraction = file.prepared
    else:
        decoded = decode(file.data, max_bytes=max_bytes)
        extraction = extract(decoded.text, outlets=outlets())
    return _Read(
        name=name,
        data=file.data,
        sha256=hashlib.sha256(file.data).hexdigest(),
        source_path=file.source_path,
        decoded=decoded,
        extraction=extraction,
        warnings=[*decoded.warnings, *extraction.warnings],
        source_format="html" if page is not None else "text",
        # Every link import records its link, text or HTML; a saved page its canonical address.
        source_url=page_url(file.source_path) or (page.url if page is not None else ""),
    )


def _batches(
    files: Iterable[ImportFile],
    *,
    batch: int,
    max_bytes: int,
    outlets: Callable[[], Sequence[OutletSignature]],
) -> Iterator[list[tuple[ImportFile, _Read | IngestError]]]:
    """The files read by the engine, in lists of at most `batch`; a name seen twice starts a
    new list, so that the second file finds the article the first one made."""
    chunk: list[tuple[ImportFile, _Read | IngestError]] = []
    names: set[str] = set()
    for file in files:
        try:
            read: _Read | IngestError = _read(file, max_bytes=max_bytes, outlets=outlets)
        except IngestError as exc:
            read = exc
        if isinstance(read, _Read):
            if read.name in names:
                yield chunk
                chunk, names = [], set()
            names.add(read.name)
        chunk.append((file, read))
        if len(chunk) >= batch:
            yield chunk
            chunk, names = [], set()
    if chunk:
        yield chunk


def _import_batch(reads: Sequence[_Read | IngestError]) -> list[ImportResult | IngestError]:
    """Write a batch of files (names all different) in the caller's transaction. The
    articles new files make are written together, in order, between the files that revise
    an article, so that every row gets the id it would get with one file at a time."""
    names = [read.name for read in reads if isinstance(read, _Read)]
    existing = {
        article.source_name: article
        for article in (
            Article.objects.select_for_update(of=("self",))
            .select_related("current_revision")
            # Only the digest is compared; the text is loaded if a caller reads it.
            .defer(*(f"current_revision__{f}" for f in ("raw_bytes", "raw_text", "body")))
            .filter(source_name__in=names)
        )
    }
    results: list[ImportResult | IngestError | None] = []
    new: list[tuple[int, _Read]] = []  # (place in results, file) of the files new articles

    def create_new() -> None:
        for (place, _), result in zip(new, _articles_create([r for _, r in new]), strict=True):
            results[place] = result
        new.clear()

    for read in reads:
        if isinstance(read, IngestError):
            results.append(read)
            continue
        article = existing.get(read.name)
        if article is None:
            new.append((len(results), read))
            results.append(None)
            continue
        current = article.current_revision
        if current is not None and current.sha256 == read.sha256:
            results.append(ImportResult(ImportStatus.UNCHANGED, article, current, read.warnings))
            continue
        create_new()
        results.append(_article_revise(article, read))
    create_new()
    return results  # type: ignore[return-value]  # every None was replaced


def _articles_create(reads: Sequence[_Read]) -> list[ImportResult]:
    """New articles, each with its first revision (current) and its blocks, in a few
    statements whatever their number: the articles, their revisions, the blocks, the
    current revisions, the history."""
    if not reads:
        return []
    articles = []
    for read, slug in zip(
        reads, _unique_slugs([(r.extraction.title, r.name) for r in reads]), strict=True
    ):
        article = Article(source_name=read.name, slug=slug, status=Article.Status.PUBLISHED)
        revision_blocks.extraction_apply(article, read.extraction)
        article.outlet_id = read.outlet_id
        articles.append(article)
    # The rows must exist before their revisions; their history is recorded once below,
    # with the current revision set.
    Article.objects.bulk_create(articles)
    revisions = ArticleRevision.objects.bulk_create(
        ArticleRevision(article=article, number=1, **read.revision_fields())
        for article, read in zip(articles, reads, strict=True)
    )
    revision_blocks.blocks_insert(
        row
        for revision, read in zip(revisions, reads, strict=True)
        for row in revision_blocks.block_rows(revision, read.extraction.blocks)
    )
    for article, revision in zip(articles, revisions, strict=True):
        article.current_revision = revision
    _current_revisions_set(articles)
    _article_history().bulk_history_create(articles)
    return [
        ImportResult(ImportStatus.CREATED, article, revision, read.warnings)
        for article, revision, read in zip(articles, revisions, reads, strict=True)
    ]


def _article_revise(article: Article, read: _Read) -> ImportResult:
    """A new revision of an article from changed bytes; its annotations are re-anchored."""
    revision = ArticleRevision.objects.create(
        article=article,
        number=revision_blocks.revision_number_next(article),
        **read.revision_fields(),
    )
    revision_blocks.blocks_insert(revision_blocks.block_rows(revision, read.extraction.blocks))
    revision_blocks.extraction_apply(article, read.extraction)
    # A curator may have set the outlet by hand; a file that names none keeps it.
    article.outlet_id = read.outlet_id or article.outlet_id
    article.current_revision = revision
    article.save()
    report = revision_follow(article=article, revision=revision)
    return ImportResult(ImportStatus.REVISED, article, revision, read.warnings, report)


def _current_revisions_set(articles: Sequence[Article]) -> None:
    """Store each article's current revision, as `.filter(pk=...).update(...)` would for each
    (`updated` is left alone), in one statement: `bulk_update` would build a CASE expression
    with a branch for every article, which costs more than the update itself."""
    quote = connection.ops.quote_name
    # (ignore: a field's column is optional in the stubs; the primary key always has one)
    table, pk = quote(Article._meta.db_table), quote(Article._meta.pk.column)  # type: ignore[arg-type]
    column = quote(Article._meta.get_field("current_revision").column)
    values = ", ".join(["(%s, %s)"] * len(articles))
    with connection.cursor() as cursor:
        cursor.execute(
            # VALUES names its columns column1, column2 on SQLite and PostgreSQL alike.
            f"UPDATE {table} SET {column} = new.column2 FROM (VALUES {values}) AS new "
            f"WHERE {table}.{pk} = new.column1",
            [value for a in articles for value in (a.pk, a.current_revision_id)],
        )

"""Writes to articles: importing a file as a new article or a new revision of one."""

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from itertools import count

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.utils.text import slugify

from annotations.services import ReanchorReport, annotations_reanchor
from astana.text import is_encodable

from . import metadata, selectors
from .comparison.store import comparison_refresh
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
from .ingest.html import HtmlExtraction, extract_html, looks_like_html, page_url
from .ingest.slugs import slug_text
from .ingest.text import word_count
from .models import Article, ArticleRevision, Block, Outlet

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
    reanchor: "ReanchorReport | None" = None


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

    def revision_fields(self) -> dict:
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
    stored comparison links of a new or revised article are brought up to date afterwards.

    The caller may pass the outlets' signatures it read once (`outlets`, as
    `selectors.outlet_signatures()` gives them), and what the pure engine made of these very
    bytes (`prepared`, see ImportFile). Many files are imported faster with `articles_import`.
    """
    file = ImportFile(name=name, data=data, source_path=source_path, prepared=prepared)
    ((_, result),) = articles_import(files=[file], max_bytes=max_bytes, outlets=outlets)
    if isinstance(result, IngestError):
        raise result
    if compare:
        comparison_refresh(article_ids=[result.article.pk])
    return result


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


def _read(file: ImportFile, *, max_bytes: int, outlets) -> _Read:
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
    elif file.prepared is None:
        decoded = decode(file.data, max_bytes=max_bytes)
        extraction = extract(decoded.text, outlets=outlets())
    else:
        decoded, extraction = file.prepared
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
    files: Iterable[ImportFile], *, batch: int, max_bytes: int, outlets
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
        _apply_extraction(article, read.extraction)
        article.outlet_id = read.outlet_id
        articles.append(article)
    # The rows must exist before their revisions; their history is recorded once below,
    # with the current revision set.
    Article.objects.bulk_create(articles)
    revisions = ArticleRevision.objects.bulk_create(
        ArticleRevision(article=article, number=1, **read.revision_fields())
        for article, read in zip(articles, reads, strict=True)
    )
    _blocks_insert(
        row
        for revision, read in zip(revisions, reads, strict=True)
        for row in _block_rows(revision, read.extraction.blocks)
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
        article=article, number=_next_revision_number(article), **read.revision_fields()
    )
    _blocks_insert(_block_rows(revision, read.extraction.blocks))
    _apply_extraction(article, read.extraction)
    # A curator may have set the outlet by hand; a file that names none keeps it.
    article.outlet_id = read.outlet_id or article.outlet_id
    article.current_revision = revision
    article.save()
    report = annotations_reanchor(article=article, revision=revision)
    return ImportResult(ImportStatus.REVISED, article, revision, read.warnings, report)


def _current_revisions_set(articles: Sequence[Article]) -> None:
    """Store each article's current revision, as `.filter(pk=...).update(...)` would for each
    (`updated` is left alone), in one statement: `bulk_update` would build a CASE expression
    with a branch for every article, which costs more than the update itself."""
    quote = connection.ops.quote_name
    table, pk = quote(Article._meta.db_table), quote(Article._meta.pk.column)
    column = quote(Article._meta.get_field("current_revision").column)
    values = ", ".join(["(%s, %s)"] * len(articles))
    with connection.cursor() as cursor:
        cursor.execute(
            # VALUES names its columns column1, column2 on SQLite and PostgreSQL alike.
            f"UPDATE {table} SET {column} = new.column2 FROM (VALUES {values}) AS new "
            f"WHERE {table}.{pk} = new.column1",
            [value for a in articles for value in (a.pk, a.current_revision_id)],
        )


_BLOCK_COLUMNS = (
    "revision",
    "position",
    "kind",
    "rule",
    "text",
    "author",
    "start",
    "end",
    "body_start",
    "body_end",
    "language",
    "direction",
)


def _block_rows(revision: ArticleRevision, blocks: Sequence[IngestBlock]) -> Iterator[tuple]:
    """The values of a revision's Block rows, in the order of _BLOCK_COLUMNS."""
    for position, block in enumerate(blocks):
        yield (
            revision.pk,
            position,
            block.kind.value,
            block.rule[:300],
            block.text,
            block.author[:200],
            block.start,
            block.end,
            block.body_start,
            block.body_end,
            block.language[:16],
            block.direction[:3],
        )


def _blocks_insert(rows: Iterable[tuple]) -> None:
    """Insert Block rows given as tuples of values (see _block_rows).

    One prepared INSERT run for every row (COPY on PostgreSQL): a revision has about 27
    blocks, and making a model instance for each and the SQL of a many-row insert
    (`bulk_create`) cost more than all the rest of an import. The rows are exactly those
    `Block.objects.bulk_create` would write (no field of Block has a default or a pre_save
    hook that fills it in).
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Block._meta.get_field(name).column) for name in _BLOCK_COLUMNS)
    table = quote(Block._meta.db_table)
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows; an INSERT for each would be a round of parsing each.
            statement = f"COPY {table} ({columns}) FROM STDIN"
            with connection.wrap_database_errors, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_BLOCK_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _add_revision(article: Article, *, blocks: Sequence[IngestBlock], **fields) -> ArticleRevision:
    """A new revision of the article with its blocks (the caller makes it current)."""
    revision = ArticleRevision.objects.create(article=article, **fields)
    _blocks_insert(_block_rows(revision, blocks))
    return revision


def _next_revision_number(article: Article) -> int:
    """The number the article's next revision takes (1 for its first)."""
    last = article.revisions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _apply_extraction(article: Article, extraction: Extraction) -> list[str]:
    """The metadata read off the page, except the outlet and what a curator set (see
    articles/metadata.py); returns the names of the fields that changed."""
    changed = metadata.metadata_apply(article, extraction)
    for name, value in (("credits", extraction.credits), ("word_count", extraction.word_count)):
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed.append(name)
    return changed


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
            done = "; ".join(self.changes) if self.changes else "nothing changed"
            return f"“{self.article.title}”: {done}."
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
            language=block.language,
            direction=block.direction,
        )
        for block in revision.blocks.order_by("position")
    ]


def _curated_revision(
    *, user, article: Article, blocks: Sequence[IngestBlock], body: str, note: str, **fields
) -> tuple[ArticleRevision, ReanchorReport]:
    """Add a revision built from the current one's file, make it current and re-anchor."""
    current = article.current_revision
    revision = _add_revision(
        article,
        number=_next_revision_number(article),
        raw_bytes=current.raw_bytes,
        sha256=current.sha256,
        encoding=current.encoding,
        raw_text=current.raw_text,
        body=body,
        blocks=blocks,
        source_path=current.source_path,
        curated_by=user,
        change_note=note[:1000],
        **{
            "outlet_rule": current.outlet_rule,
            "warnings": current.warnings,
            # The same file: an HTML page stays one (re-extraction reads its markup again).
            "source_format": current.source_format,
            "source_url": current.source_url,
            **fields,
        },
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
        if current.source_format == "html":  # the markup's hints come from the saved bytes
            extraction = extract_html(
                bytes(current.raw_bytes),
                url=current.source_url or None,
                outlets=selectors.outlet_signatures(),
            ).extraction
        else:
            extraction = extract(current.raw_text, outlets=selectors.outlet_signatures())
        old = [
            (b.kind, b.start, b.end, b.body_start, b.language, b.direction)
            for b in _ingest_blocks(current)
        ]
        new = [
            (b.kind, b.start, b.end, b.body_start, b.language, b.direction)
            for b in extraction.blocks
        ]
        if old == new and extraction.body == current.body:
            # The same blocks, but the date, byline or language may be read better now.
            changed = _apply_extraction(article, extraction)
            if changed:
                article.save(update_fields=[*changed, "updated"])
            return RevisionResult(
                article, None, None, [f"read again: {', '.join(changed)}"] if changed else []
            )
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


# --- Metadata and outlets a curator sets ----------------------------------------------------


def _check_metadata(article: Article) -> None:
    if article.published_date is None and (
        article.published_time is not None or article.published_offset is not None
    ):
        raise CurationInvalid("A publication time or zone needs a publication date.")
    if article.published_offset is not None and abs(article.published_offset) > metadata.MAX_OFFSET:
        raise CurationInvalid("A zone is at most 18 hours (1080 minutes) from UTC.")
    if article.direction not in metadata.DIRECTIONS:
        raise CurationInvalid("The direction is “ltr” or “rtl”.")
    if not isinstance(article.authors, list) or not all(
        isinstance(name, str) for name in article.authors
    ):
        raise CurationInvalid('Authors are a list of names, e.g. ["Jane Doe", "Tom Roe"].')


def article_metadata_edit(
    *, user: AbstractBaseUser, article: Article, values: Mapping[str, object]
) -> list[str]:
    """Set an article's metadata as a curator: each piece whose value changes gets the rule
    "curator: set by <user>", so that running extraction again keeps it. The instance is
    saved whole (the admin's form may carry other changes). Returns the fields that changed.

    Raises CurationInvalid for a field that is not metadata or a value the article can't take.
    """
    unknown = sorted(set(values) - metadata.FIELDS)
    if unknown:
        raise CurationInvalid(f"Not metadata: {', '.join(unknown)}.")
    if "authors" in values and values["authors"] is None:  # an emptied field in a form
        values = {**values, "authors": []}
    with transaction.atomic():
        stored = Article.objects.select_for_update().get(pk=article.pk)
        changed = [name for name, value in values.items() if getattr(stored, name) != value]
        for name, value in values.items():
            setattr(article, name, value)
        _check_metadata(article)
        for rule in dict.fromkeys(metadata.RULE_OF[name] for name in changed):
            setattr(article, rule, metadata.curator_rule(user.get_username()))
        article.save()
    return changed


def article_metadata_release(*, article: Article) -> list[str]:
    """Let extraction decide again the pieces of metadata a curator set (their rules are
    cleared; the next extraction run or import reads them off the page). Returns the rules."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        released = [rule for rule in metadata.GROUPS if metadata.is_curated(getattr(article, rule))]
        for rule in released:
            setattr(article, rule, "")
        if released:
            article.save(update_fields=[*released, "updated"])
    return released


def article_metadata_reread(*, user: AbstractBaseUser, article: Article) -> RevisionResult:
    """Let extraction decide again the metadata a curator set, and run it again at once, in
    one transaction: when extraction cannot run (no text), the curator's values stay theirs."""
    with transaction.atomic():
        released = article_metadata_release(article=article)
        result = article_reextract(user=user, article=article)
    if not released:
        return result
    return replace(result, changes=[f"released {', '.join(released)}", *result.changes])


def article_outlet_attach(*, user: AbstractBaseUser, article: Article, outlet: Outlet) -> None:
    """Credit an article to an outlet a curator chose; its suggested outlet name, if any,
    becomes one of the outlet's signatures (so its next pages are recognised) and is cleared."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        outlet = Outlet.objects.select_for_update().get(pk=outlet.pk)
        name = article.outlet_suggestion.strip()
        known = {s.casefold() for s in outlet.signatures if isinstance(s, str)}
        if name and name.casefold() not in known:  # outlets are recognised by signatures
            outlet.signatures = [*outlet.signatures, name]
            outlet.save(update_fields=["signatures", "updated"])
        article.outlet = outlet
        article.outlet_suggestion = ""
        article.outlet_suggestion_rule = (
            f"{metadata.CURATOR_PREFIX} credited to {outlet.name} by {user.get_username()}"[:300]
        )
        article.save(
            update_fields=["outlet", "outlet_suggestion", "outlet_suggestion_rule", "updated"]
        )


def articles_outlet_attach(
    *, user: AbstractBaseUser, articles: Sequence[Article], outlet: Outlet
) -> int:
    """Credit several articles to one outlet, all of them or (on an error) none; returns how
    many were credited."""
    with transaction.atomic():
        for article in articles:
            article_outlet_attach(user=user, article=article, outlet=outlet)
    return len(articles)


def article_outlet_from_suggestion(
    *, user: AbstractBaseUser, article: Article
) -> tuple[Outlet, bool]:
    """Credit an article to the outlet its page names itself by: the outlet of that name
    (ignoring case), or a new one made from the suggestion, with a readable slug in any script
    ("ТАСС" → "tass"). Returns it and whether it is new. Raises CurationInvalid, with nothing
    written, when the article has no suggestion."""
    with transaction.atomic():
        article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
        name = " ".join(article.outlet_suggestion.split())[:200]
        if not name:
            raise CurationInvalid(f"“{article.title}” has no suggested outlet.")
        outlet = Outlet.objects.filter(name__iexact=name).first()
        created = outlet is None
        if outlet is None:
            base = slugify(slug_text(name))[:90].rstrip("-") or "outlet"
            taken = set(Outlet.objects.filter(slug__startswith=base).values_list("slug", flat=True))
            slug = next(s for n in count(1) if (s := _slug_numbered(base, n)) not in taken)
            outlet = Outlet.objects.create(
                name=name,
                slug=slug,
                notes=f"Suggested by the page of “{article.title}” "
                f"({article.outlet_suggestion_rule or 'no rule'}); "
                f"confirmed by {user.get_username()}.",
            )
        article_outlet_attach(user=user, article=article, outlet=outlet)
    return outlet, created


def _slug_numbered(base: str, n: int) -> str:
    return base if n == 1 else f"{base}-{n}"

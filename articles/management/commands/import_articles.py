"""python manage.py import_articles [PATH|LINK ...]: import news files, saved pages and links.

The pure engine (decoding and extraction, `articles.ingest`) is the larger part of the work,
so with many files it runs in worker processes while this process writes the files to the
database in the order they are listed, a batch of them to each transaction
(`articles.services.articles_import`): a file that cannot be imported writes nothing and the
others still import; a database error while writing one file leaves the files before it
imported and nothing of it written. Workers only ever run the pure engine; where they are
started by a fork server or spawned, they import this module without Django set up, so it
imports no models at import time (the services are imported where they are used).
"""

from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.ingest import Decoded, Extraction, IngestError, OutletSignature, decode, extract
from articles.ingest.html import HTML_SUFFIXES, HtmlExtraction, extract_html, looks_like_html
from articles.parallel import DEFAULT_WORKERS, WorkerPool, worker_count, worker_pool

if TYPE_CHECKING:  # the services import models: never at import time (see above)
    from articles.models import Article
    from articles.services import ImportFile, ImportResult

TEXT_SUFFIXES = {".txt", ".text", ""}
PAGE_SUFFIXES = TEXT_SUFFIXES | set(HTML_SUFFIXES)  # saved HTML pages beside the text files
# Below this many files the workers cost more to start than they save.
POOL_MIN_FILES = 64
CHUNK = 16  # files per task sent to a worker
PROGRESS_MIN_FILES = 10  # fewer files than this show no progress bar

# What the engine made of a file's bytes, or the error that refused them.
Prepared = tuple[Decoded, Extraction] | HtmlExtraction | IngestError
# A file's bytes and what the engine made of them, or the error that kept it from being read.
Read = tuple[bytes, Prepared] | OSError


def _is_link(argument: str) -> bool:
    """An argument that starts with http:// or https:// is a link to fetch, not a path."""
    return argument[:8].lower().startswith(("http://", "https://"))


def _files_under(path: Path) -> list[Path]:
    """The plain-text files and saved HTML pages in a directory tree, sorted, skipping hidden
    ones."""
    found = [
        candidate
        for candidate in path.rglob("*")
        if candidate.is_file()
        and candidate.suffix.lower() in PAGE_SUFFIXES
        and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
    ]
    return sorted(found)


def _files_of(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The files to import, in the order the paths were given (a directory's sorted), and
    what is wrong with each path that is neither a file nor a directory."""
    files: list[Path] = []
    failures: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(_files_under(path))
        elif path.is_file():
            files.append(path)
        elif path.exists():
            failures.append(f"{path}: not a regular file or directory")
        else:
            failures.append(f"{path}: no such file or directory")
    return files, failures


# --- The pure part, run in worker processes ------------------------------------------------

_engine_outlets: Sequence[OutletSignature] = ()
_engine_max_bytes = 0


def _engine_start(outlets: Sequence[OutletSignature], max_bytes: int) -> None:
    global _engine_outlets, _engine_max_bytes
    _engine_outlets, _engine_max_bytes = outlets, max_bytes


def _engine(name: str, data: bytes, outlets: Sequence[OutletSignature], max_bytes: int) -> Prepared:
    try:
        if looks_like_html(name, data):
            return extract_html(data, outlets=outlets, max_bytes=max_bytes)
        decoded = decode(data, max_bytes=max_bytes)
    except IngestError as exc:
        return exc
    return decoded, extract(decoded.text, outlets=outlets)


def _engine_chunk(chunk: list[tuple[str, bytes] | None]) -> list[Prepared | None]:
    return [
        None if item is None else _engine(*item, _engine_outlets, _engine_max_bytes)
        for item in chunk
    ]


def _read(path: Path) -> bytes | OSError:
    try:
        return path.read_bytes()
    except OSError as exc:
        return exc


@contextmanager
def _engine_pool(
    files: int, *, workers: int, outlets: Sequence[OutletSignature], max_bytes: int
) -> Iterator[WorkerPool | None]:
    """Worker processes for the engine, or None when there are too few files to be worth it.
    Made before the progress bar, so that no thread of its own stands in the way of a fork."""
    if worker_count(workers, items=files, least=POOL_MIN_FILES) == 1:
        yield None
        return
    with worker_pool(workers, initializer=_engine_start, initargs=(outlets, max_bytes)) as pool:
        yield pool


def _prepared(
    paths: list[Path],
    *,
    outlets: Sequence[OutletSignature],
    max_bytes: int,
    pool: WorkerPool | None,
) -> Iterator[tuple[Path, Read]]:
    """Each path in order with its bytes and what the engine made of them (or the error)."""
    if pool is not None:
        yield from _prepared_in_workers(paths, pool)
        return
    for path in paths:
        data = _read(path)
        if isinstance(data, OSError):
            yield path, data
        else:
            yield path, (data, _engine(path.name, data, outlets, max_bytes))


def _prepared_in_workers(paths: list[Path], pool: WorkerPool) -> Iterator[tuple[Path, Read]]:
    """`_prepared` with the engine in the workers, CHUNK files a task: the files are read
    here, only as far ahead of the results as the pool takes tasks."""
    sent: deque[tuple[list[Path], list[bytes | OSError]]] = deque()

    def tasks() -> Iterator[list[tuple[str, bytes] | None]]:
        for start in range(0, len(paths), CHUNK):
            chunk = paths[start : start + CHUNK]
            datas = [_read(path) for path in chunk]
            sent.append((chunk, datas))
            yield [
                None if isinstance(data, OSError) else (path.name, data)
                for path, data in zip(chunk, datas, strict=True)
            ]

    for made in pool.map(_engine_chunk, tasks()):
        chunk, datas = sent.popleft()
        for path, data, prepared in zip(chunk, datas, made, strict=True):
            if isinstance(data, OSError):
                yield path, data
            else:
                assert prepared is not None  # the workers pass over only the files not read
                yield path, (data, prepared)


# --- Reporting -----------------------------------------------------------------------------


def _result_lines(result: "ImportResult", *, source: str, outlet: str) -> list[str]:
    """What the command prints for an imported file or link: where it went, and the
    annotations re-anchored when the article was revised."""
    lines = [
        f"{result.status}: {source} -> /articles/{result.article.slug}/ "
        f"(revision {result.revision.number}, {outlet})"
    ]
    if result.reanchor is not None and result.reanchor.counts:
        lines.append(f"  annotations re-anchored: {result.reanchor.summary()}")
    return lines


def _summary(tally: Counter[str]) -> str:
    """How many files and links were created, revised and left unchanged."""
    from articles.services import ImportStatus

    counts = [f"{tally[status]} {status}" for status in ImportStatus if tally[status]]
    return ", ".join(counts) or "nothing imported"


class _FileReport:
    """What the command prints and counts while the files are written, in the order they
    were listed: the results come a batch after the files are read, and a file that could
    not be read is reported in its place among them."""

    def __init__(
        self,
        command: BaseCommand,
        *,
        files: int,
        outlets: Sequence[OutletSignature],
        tally: Counter[str],
        failures: list[str],
        show_progress: bool,
        verbosity: int,
    ) -> None:
        self.command = command
        # The command's own streams: tqdm writes the line ends itself.
        self.out = cast(TextIO, command.stdout._out)
        self.err = cast(TextIO, command.stderr._out)
        self.tally = tally
        self.failures = failures
        self.verbosity = verbosity
        self.outlet_names = {int(o.key): o.name for o in outlets}
        # Every file in order, with the error that kept it from being read (None when read).
        self.order: deque[tuple[Path, OSError | None]] = deque()
        self.progress = tqdm(
            total=files,
            desc="Importing",
            unit="file",
            file=self.err,
            disable=True if not show_progress or files < PROGRESS_MIN_FILES else None,
            leave=True,
        )

    def importable(self, prepared: Iterator[tuple[Path, Read]]) -> Iterator["ImportFile"]:
        """The files that could be read, to write; each file goes into `order` as it passes."""
        from articles.services import ImportFile

        for path, read in prepared:
            if isinstance(read, OSError):
                self.order.append((path, read))
                continue
            self.order.append((path, None))
            data, made = read
            yield ImportFile(name=path.name, data=data, source_path=str(path), prepared=made)

    def unreadable(self) -> None:
        """Report the files at the head of `order` that could not be read."""
        while self.order and (error := self.order[0][1]) is not None:
            path, _ = self.order.popleft()
            reason = error.strerror or str(error)
            self._error(path, reason)
            self.progress.update()

    def written(self, result: "ImportResult | IngestError") -> None:
        """Report the next file in `order` (after those before it that could not be read):
        where it went, or why the engine refused it."""
        from articles.services import ImportStatus

        self.unreadable()
        path, _ = self.order.popleft()
        self.progress.update()
        if isinstance(result, IngestError):
            self._error(path, result)
            return
        self.tally[result.status] += 1
        lines = _result_lines(result, source=path.name, outlet=self._outlet_name(result.article))
        if result.status is ImportStatus.UNCHANGED and self.verbosity <= 1:
            lines = lines[1:]
        for line in lines:
            self.progress.write(line, file=self.out)
        for warning in result.warnings:
            self.progress.write(
                self.command.style.WARNING(f"warning: {path}: {warning}"),
                file=self.err,
            )

    def _outlet_name(self, article: "Article") -> str:
        """The name of the article's outlet, read from the database only when it is new."""
        if not article.outlet_id:
            return "outlet unknown"
        known = self.outlet_names.get(article.outlet_id)
        if known:
            return known
        assert article.outlet is not None
        return article.outlet.name

    def _error(self, path: Path, reason: object) -> None:
        self.failures.append(f"{path}: {reason}")
        self.progress.write(self.command.style.ERROR(f"error: {path}: {reason}"), file=self.err)


class Command(BaseCommand):
    help = (
        "Import plain-text news files and saved HTML pages (.html, .htm), directories of "
        "them, and links to pages (http:// or https://), as articles. A file or link seen "
        "before becomes a new revision when its bytes changed, and is left alone when they did "
        "not. A file or link that cannot be imported is reported and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            help="Files, directories, or links to pages (http:// or https://; fetched with a "
            "timeout and a size cap, never from private networks) (default: the project's "
            "seeds/).",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help=f"Refuse files larger than this (default {settings.ASTANA_IMPORT_MAX_BYTES:,}).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar.")
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help="Processes that read the files while this one writes them (default: up to 2; "
            f"used for {POOL_MIN_FILES} files or more; 1 reads them here).",
        )
        parser.add_argument(
            "--no-compare",
            action="store_true",
            help="Leave the comparison links and the story suggestions for a later import to "
            "bring up to date.",
        )

    def handle(self, *args, **options):
        # Imported here so that worker processes can import this module without Django set up.
        from articles.comparison.store import comparison_refresh
        from articles.services import stories_suggest_stale

        links = [p for p in options["paths"] if _is_link(p)]
        paths = [Path(p) for p in options["paths"] if not _is_link(p)]
        if not paths and not links:
            paths = [Path(settings.SEEDS_DIR)]
        max_bytes = options["max_bytes"]
        if max_bytes is not None and max_bytes <= 0:
            raise CommandError("--max-bytes must be a positive number of bytes")
        limit = max_bytes or settings.ASTANA_IMPORT_MAX_BYTES

        files, failures = _files_of(paths)
        for failure in failures:
            self.stderr.write(self.style.ERROR(f"error: {failure}"))
        tally: Counter[str] = Counter()
        self._import_files(
            files,
            tally=tally,
            failures=failures,
            max_bytes=limit,
            workers=options["workers"],
            show_progress=not options["no_progress"],
            verbosity=options["verbosity"],
        )
        self._import_links(links, tally=tally, failures=failures)

        self.stdout.write(f"{_summary(tally)}; {len(failures)} failed.")
        if not options["no_compare"]:
            self.stdout.write(f"Comparison: {comparison_refresh().summary()}.")
            self.stdout.write(f"Stories: {stories_suggest_stale().summary()}.")
        if failures:
            raise CommandError(f"{len(failures)} path(s) failed to import; see the errors above")

    def _import_files(
        self,
        files: list[Path],
        *,
        tally: Counter[str],
        failures: list[str],
        max_bytes: int,
        workers: int,
        show_progress: bool,
        verbosity: int,
    ) -> None:
        """Import the files in order, the engine in worker processes when there are enough
        of them, reporting each file once its batch is written."""
        from articles.selectors import outlet_signatures
        from articles.services import articles_import

        outlets = outlet_signatures()
        with _engine_pool(
            len(files), workers=workers, outlets=outlets, max_bytes=max_bytes
        ) as pool:
            prepared = _prepared(files, outlets=outlets, max_bytes=max_bytes, pool=pool)
            report = _FileReport(
                self,
                files=len(files),
                outlets=outlets,
                tally=tally,
                failures=failures,
                show_progress=show_progress,
                verbosity=verbosity,
            )
            with report.progress:
                importable = report.importable(prepared)
                for _file, result in articles_import(
                    files=importable, max_bytes=max_bytes, outlets=outlets
                ):
                    report.written(result)
                report.unreadable()

    def _import_links(self, links: list[str], *, tally: Counter, failures: list[str]) -> None:
        """Fetch and import each link (one at a time: each is a network round trip), adding
        to the tally and failures; comparison is brought up to date with the files'."""
        from articles.link_import import article_import_link

        for link in links:
            try:
                result = article_import_link(url=link, compare=False)
            except IngestError as exc:  # FetchError is one
                failures.append(f"{link}: {exc}")
                self.stderr.write(self.style.ERROR(f"error: {link}: {exc}"))
                continue
            tally[result.status] += 1
            article = result.article
            outlet = article.outlet.name if article.outlet else "outlet unknown"
            for line in _result_lines(result, source=link, outlet=outlet):
                self.stdout.write(line)
            for warning in result.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {link}: {warning}"))

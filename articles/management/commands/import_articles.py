"""python manage.py import_articles [PATH|LINK ...]: import news files, saved pages and links.

The pure engine (decoding and extraction, `articles.ingest`) is the larger part of the work,
so with many files it runs in worker processes while this process writes the files to the
database in the order they are listed, a batch of them to each transaction
(`articles.services.articles_import`): a file that cannot be imported writes nothing and the
others still import; a database error while writing one file leaves the files before it
imported and nothing of it written. Workers only ever run the pure engine; where they are
started by a fork server or spawned, they import this module without Django set up, so it
imports no models at import time (the services are imported inside `handle`).
"""

import multiprocessing
import os
import threading
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.pool import Pool
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.ingest import Decoded, Extraction, IngestError, OutletSignature, decode, extract
from articles.ingest.html import HTML_SUFFIXES, HtmlExtraction, extract_html, looks_like_html

if TYPE_CHECKING:  # the services import models: never at import time (see above)
    from articles.services import ImportResult

TEXT_SUFFIXES = {".txt", ".text", ""}
PAGE_SUFFIXES = TEXT_SUFFIXES | set(HTML_SUFFIXES)  # saved HTML pages beside the text files
# Below this many files the workers cost more to start than they save.
POOL_MIN_FILES = 64
CHUNK = 16  # files per task sent to a worker
CHUNKS_AHEAD = 4  # tasks in flight per worker (bounds the memory held by finished results)

Prepared = tuple[Decoded, Extraction] | HtmlExtraction | IngestError | OSError


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
) -> Iterator[Pool | None]:
    """Worker processes for the engine, or None when there are too few files to be worth it.
    Made before anything else starts a thread (the progress bar does), so that it can fork."""
    if workers <= 1 or files < POOL_MIN_FILES:
        yield None
        return
    context = multiprocessing.get_context(_start_method())
    with context.Pool(workers, initializer=_engine_start, initargs=(outlets, max_bytes)) as pool:
        yield pool


def _prepared(
    paths: list[Path],
    *,
    outlets: Sequence[OutletSignature],
    max_bytes: int,
    pool: Pool | None,
    workers: int,
) -> Iterator[tuple[Path, bytes | None, Prepared]]:
    """Each path in order with its bytes and what the engine made of them (or the error)."""
    if pool is None:
        for path in paths:
            data = _read(path)
            if isinstance(data, OSError):
                yield path, None, data
            else:
                yield path, data, _engine(path.name, data, outlets, max_bytes)
        return
    pending: deque = deque()
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        datas = [_read(path) for path in chunk]
        sent = [
            None if isinstance(d, OSError) else (path.name, d)
            for path, d in zip(chunk, datas, strict=True)
        ]
        pending.append((chunk, datas, pool.apply_async(_engine_chunk, (sent,))))
        if len(pending) >= workers * CHUNKS_AHEAD:
            yield from _finished(pending.popleft())
    while pending:
        yield from _finished(pending.popleft())


def _start_method() -> str:
    """Fork when nothing but this thread runs (quickest to start); otherwise (a database
    connection pool's threads) a fork server, which never copies other threads' state but
    imports the main module again, as every multiprocessing start method but fork does:
    a script that calls this command must guard its body with `if __name__ == "__main__"`."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _finished(task) -> Iterator[tuple[Path, bytes | None, Prepared]]:
    chunk, datas, result = task
    for path, data, prepared in zip(chunk, datas, result.get(), strict=True):
        if isinstance(data, OSError):
            yield path, None, data
        else:
            yield path, data, prepared


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


def _is_link(argument: str) -> bool:
    """An argument that starts with http:// or https:// is a link to fetch, not a path."""
    return argument[:8].lower().startswith(("http://", "https://"))


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
            default=min(2, os.cpu_count() or 1),
            help="Processes that read the files while this one writes them (default: up to 2; "
            f"used for {POOL_MIN_FILES} files or more; 1 reads them here).",
        )
        parser.add_argument(
            "--no-compare",
            action="store_true",
            help="Leave the comparison links for a later import to bring up to date.",
        )

    def handle(self, *args, **options):
        # Imported here so that worker processes can import this module without Django set up.
        from articles.comparison.store import comparison_refresh
        from articles.selectors import outlet_signatures
        from articles.services import ImportFile, ImportStatus, articles_import

        links = [p for p in options["paths"] if _is_link(p)]
        paths = [Path(p) for p in options["paths"] if not _is_link(p)]
        if not paths and not links:
            paths = [Path(settings.SEEDS_DIR)]
        max_bytes = options["max_bytes"]
        if max_bytes is not None and max_bytes <= 0:
            raise CommandError("--max-bytes must be a positive number of bytes")
        limit = max_bytes or settings.ASTANA_IMPORT_MAX_BYTES

        jobs: list[Path] = []
        failures: list[str] = []
        for path in paths:
            if path.is_dir():
                jobs.extend(_files_under(path))
            elif path.is_file():
                jobs.append(path)
            elif path.exists():
                failures.append(f"{path}: not a regular file or directory")
            else:
                failures.append(f"{path}: no such file or directory")
        for failure in failures:
            self.stderr.write(self.style.ERROR(f"error: {failure}"))

        outlets = outlet_signatures()
        outlet_names = {int(o.key): o.name for o in outlets}
        tally: Counter[str] = Counter()
        workers = options["workers"]
        engine = _engine_pool(len(jobs), workers=workers, outlets=outlets, max_bytes=limit)
        with engine as pool:
            prepared = _prepared(jobs, outlets=outlets, max_bytes=limit, pool=pool, workers=workers)
            # Every file in order, with the error that kept it from being read (None when read):
            # the results come a batch later, and the errors are reported in their place.
            order: deque[tuple[Path, OSError | None]] = deque()

            def importable() -> Iterator[ImportFile]:
                for path, data, made in prepared:
                    if isinstance(made, OSError):
                        order.append((path, made))
                        continue
                    order.append((path, None))
                    yield ImportFile(
                        name=path.name, data=data, source_path=str(path), prepared=made
                    )

            progress = tqdm(
                total=len(jobs),
                desc="Importing",
                unit="file",
                file=self.stderr._out,
                disable=True if options["no_progress"] or len(jobs) < 10 else None,
                leave=True,
            )

            def report_unreadable() -> None:
                """Report the files at the head of `order` that could not be read."""
                while order and order[0][1] is not None:
                    path, error = order.popleft()
                    reason = error.strerror or str(error)
                    failures.append(f"{path}: {reason}")
                    progress.write(
                        self.style.ERROR(f"error: {path}: {reason}"), file=self.stderr._out
                    )
                    progress.update()

            with progress:
                results = articles_import(files=importable(), max_bytes=limit, outlets=outlets)
                for _file, result in results:
                    report_unreadable()
                    path, _ = order.popleft()
                    progress.update()
                    if isinstance(result, IngestError):
                        failures.append(f"{path}: {result}")
                        progress.write(
                            self.style.ERROR(f"error: {path}: {result}"), file=self.stderr._out
                        )
                        continue
                    tally[result.status] += 1
                    article = result.article
                    outlet = (
                        outlet_names.get(article.outlet_id) or article.outlet.name
                        if article.outlet_id
                        else "outlet unknown"
                    )
                    lines = _result_lines(result, source=path.name, outlet=outlet)
                    if result.status is ImportStatus.UNCHANGED and options["verbosity"] <= 1:
                        lines = lines[1:]
                    for line in lines:
                        progress.write(line, file=self.stdout._out)
                    for warning in result.warnings:
                        progress.write(
                            self.style.WARNING(f"warning: {path}: {warning}"),
                            file=self.stderr._out,
                        )
                report_unreadable()
        self._import_links(links, tally=tally, failures=failures)

        summary = (
            ", ".join(f"{tally[status]} {status}" for status in ImportStatus if tally[status])
            or "nothing imported"
        )
        self.stdout.write(f"{summary}; {len(failures)} failed.")
        if not options["no_compare"]:
            self.stdout.write(f"Comparison: {comparison_refresh().summary()}.")
        if failures:
            raise CommandError(f"{len(failures)} path(s) failed to import; see the errors above")

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
            outlet = article.outlet.name if article.outlet_id else "outlet unknown"
            for line in _result_lines(result, source=link, outlet=outlet):
                self.stdout.write(line)
            for warning in result.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {link}: {warning}"))

"""python manage.py import_articles [PATH ...]: import plain-text news files."""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.comparison import comparison_refresh
from articles.ingest import IngestError
from articles.services import ImportStatus, article_import

TEXT_SUFFIXES = {".txt", ".text", ""}


def _files_under(path: Path) -> list[Path]:
    """The plain-text files in a directory tree, sorted, skipping hidden ones."""
    found = [
        candidate
        for candidate in path.rglob("*")
        if candidate.is_file()
        and candidate.suffix.lower() in TEXT_SUFFIXES
        and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
    ]
    return sorted(found)


class Command(BaseCommand):
    help = (
        "Import plain-text news files (or directories of them) as articles. A file seen before "
        "under the same name becomes a new revision when its bytes changed, and is left alone "
        "when they did not. Each file is imported in its own transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="Files or directories (default: the project's seeds/)."
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help=f"Refuse files larger than this (default {settings.ASTANA_IMPORT_MAX_BYTES:,}).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar.")

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["paths"]] or [Path(settings.SEEDS_DIR)]
        max_bytes = options["max_bytes"]
        if max_bytes is not None and max_bytes <= 0:
            raise CommandError("--max-bytes must be a positive number of bytes")

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

        tally: Counter[str] = Counter()
        progress = tqdm(
            jobs,
            desc="Importing",
            unit="file",
            file=self.stderr._out,
            disable=True if options["no_progress"] or len(jobs) < 10 else None,
            leave=True,
        )
        for path in progress:
            try:
                result = article_import(
                    name=path.name,
                    data=path.read_bytes(),
                    source_path=str(path),
                    max_bytes=max_bytes,
                    compare=False,
                )
            except IngestError as exc:
                failures.append(f"{path}: {exc}")
                progress.write(self.style.ERROR(f"error: {path}: {exc}"), file=self.stderr._out)
                continue
            except OSError as exc:
                reason = exc.strerror or str(exc)
                failures.append(f"{path}: {reason}")
                progress.write(self.style.ERROR(f"error: {path}: {reason}"), file=self.stderr._out)
                continue
            tally[result.status] += 1
            article = result.article
            outlet = article.outlet.name if article.outlet else "outlet unknown"
            if result.status is not ImportStatus.UNCHANGED or options["verbosity"] > 1:
                progress.write(
                    f"{result.status}: {path.name} -> /articles/{article.slug}/ "
                    f"(revision {result.revision.number}, {outlet})",
                    file=self.stdout._out,
                )
            if result.reanchor is not None and result.reanchor.counts:
                progress.write(
                    f"  annotations re-anchored: {result.reanchor.summary()}",
                    file=self.stdout._out,
                )
            for warning in result.warnings:
                progress.write(
                    self.style.WARNING(f"warning: {path}: {warning}"), file=self.stderr._out
                )

        summary = (
            ", ".join(f"{tally[status]} {status}" for status in ImportStatus if tally[status])
            or "nothing imported"
        )
        self.stdout.write(f"{summary}; {len(failures)} failed.")
        self.stdout.write(f"Comparison: {comparison_refresh().summary()}.")
        if failures:
            raise CommandError(f"{len(failures)} path(s) failed to import; see the errors above")

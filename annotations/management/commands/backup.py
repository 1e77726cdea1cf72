"""python manage.py backup FILE: every record of the site, in one portable file.

The file is Django's JSON serialisation with times to the microsecond (astana/serializers.py;
gzip-compressed when the name ends in .gz). Every record keeps its primary key (users too, so
a restore never hands one reader's id to another); references to content types and
permissions are natural keys, so it restores onto a freshly migrated database of either
backend (SQLite or PostgreSQL). It is written to a temporary file beside the target and
renamed only when complete: an interrupted backup never leaves a truncated file under the
name.

The whole file is ONE snapshot of the database, however many writers run meanwhile:
PostgreSQL dumps inside one REPEATABLE READ, READ ONLY transaction; SQLite first copies the
database with its online backup API (one step, so one read transaction; in WAL mode writers
carry on beside it and the writer lock of astana/sqlite is never taken) into a private file
beside the target, and dumps that copy.
"""

import gzip
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend

# Rebuilt by migrate, or not worth keeping (sessions expire, sign-in attempt logs), or derived
# (the activity counters cached pages key on: a restore empties them and every cache).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "annotations.articleactivity",
    "annotations.siteactivity",
    # The catalogue's version: kept by triggers, moved by the restore's own writes.
    "articles.catalogueversion",
    # The background jobs' queue: deliveries in flight, not records (the jobs are kept).
    "django_tasks_database",
]


def excluded() -> list[str]:
    """EXCLUDED, and django-rq when the RQ queue is configured: its one model is its admin
    page, with no table."""
    return [*EXCLUDED, *(["django_rq"] if apps.is_installed("django_rq") else [])]


SNAPSHOT = "backup-snapshot"  # the alias of SQLite's copy while it is dumped


def open_for(path: Path, mode: str):
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


class Command(BaseCommand):
    help = "Write every record (articles, revisions, annotations, claims, users…) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write, e.g. backups/astana-2017-01-23.json.gz")
        parser.add_argument("--force", action="store_true", help="Replace an existing file.")

    def handle(self, *args, file: str, force: bool, **options):
        target = Path(file)
        if target.exists() and not force:
            raise CommandError(f"{target} exists; pass --force to replace it")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a directory")
        handle, temporary = tempfile.mkstemp(
            prefix=".backup-", suffix=target.suffix, dir=target.parent
        )
        os.close(handle)
        partial = Path(temporary)
        try:
            with snapshot(DEFAULT_DB_ALIAS, beside=target) as using, open_for(partial, "w") as out:
                call_command(
                    "dumpdata",
                    format="backup-json",
                    database=using,
                    exclude=excluded(),
                    natural_foreign=True,
                    indent=None,
                    stdout=out,
                )
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backed up to {target} ({target.stat().st_size:,} bytes).")


@contextmanager
def snapshot(alias: str, *, beside: Path) -> Iterator[str]:
    """The alias of a database that holds one moment of `alias` while the block runs."""
    connection = connections[alias]
    if connection.in_atomic_block:
        raise CommandError("A backup takes its own snapshot: run it outside a transaction.")
    if connection.vendor == "postgresql":
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:  # before any read: it fixes the snapshot
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield alias
    elif connection.vendor == "sqlite":
        with _sqlite_copy(alias, beside=beside) as copy:
            yield copy
    else:
        raise CommandError(f"Cannot take a consistent backup of {connection.vendor}.")


@contextmanager
def _sqlite_copy(alias: str, *, beside: Path) -> Iterator[str]:
    """A copy of the SQLite database `alias` (its online backup API, in one step) in a
    private file, reachable under SNAPSHOT while the block runs, deleted after."""
    with tempfile.TemporaryDirectory(prefix=".backup-snapshot-", dir=beside.parent) as folder:
        path = Path(folder) / "snapshot.sqlite3"
        source = connections[alias]
        source.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            source.connection.backup(copy)  # every page at once: one read transaction
        finally:
            copy.close()
        # Django's plain SQLite backend (no writer lock to take), known to this thread only.
        plain = load_backend("django.db.backends.sqlite3")
        settings = {**source.settings_dict, "NAME": str(path), "OPTIONS": {}, "CONN_MAX_AGE": 0}
        connections[SNAPSHOT] = plain.DatabaseWrapper(settings, SNAPSHOT)
        try:
            yield SNAPSHOT
        finally:
            connections[SNAPSHOT].close()
            del connections[SNAPSHOT]
            ContentType.objects.clear_cache()  # it keeps the copy's rows under its alias

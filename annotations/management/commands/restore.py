"""python manage.py restore FILE: load a backup made by `manage.py backup`.

Restoring needs a migrated database. Onto one that already holds articles or users it refuses
unless --replace is given. Everything is emptied and loaded in ONE transaction, so a failed
restore (a damaged file, a backup from an incompatible version) leaves the database exactly
as it was. Every record keeps the primary key it had (users included), and the id sequences
are moved past the restored rows, so a new row never takes a restored one's id. Backups made
before users kept their keys (records without "pk") still load: such rows take new ids.

Once the restore has committed, every cache in settings.CACHES is cleared: cached pages and
fragments (and throttle counts) are keyed by row ids and versions the restore may have given
to other rows. Caches private to other processes (running gunicorn workers) cannot be
reached from here: restore with the site stopped, or restart it after.

A note's stored HTML is rendered again from its Markdown in the same transaction: HTML in a
backup file is input like any other (a crafted file must not put markup on pages), and files
made before notes were stored rendered have none.
"""

import gzip
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction

from annotations.services import annotations_render_notes
from articles.models import Article

KEPT = {"contenttypes", "auth.permission"}  # recreated by migrate, referenced by natural key
# Derived rows, kept by triggers: emptied with the rest and never loaded (backup leaves them
# out; an older file holding them loads without them).
DERIVED = {"annotations.articleactivity", "annotations.siteactivity"}


def read(path: Path) -> str:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                return handle.read()
        return path.read_text(encoding="utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read it: {exc}") from exc


class Command(BaseCommand):
    help = "Load a backup written by `manage.py backup`, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the database first (in the same transaction as the load).",
        )

    def handle(self, *args, file: str, replace: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        text = read(path)
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: not a backup (invalid JSON: {exc})") from exc
        if not isinstance(records, list):
            raise CommandError(f"{path}: not a backup (expected a list of records)")
        if not replace and (Article.objects.exists() or get_user_model().objects.exists()):
            raise CommandError(
                "The database already holds articles or users; restore onto a freshly "
                "migrated database or pass --replace to replace everything in it."
            )
        connection = connections[DEFAULT_DB_ALIAS]
        uncleared: list[str] = []
        try:
            with transaction.atomic():
                # Migrations seed some rows (outlets, the lexicon, the Editors group); the
                # backup holds them as they were, so they go too.
                self._empty(connection)
                if connection.vendor == "postgresql":
                    # The activity counters' triggers (annotations/migrations/0008) stand
                    # aside for this transaction: one bump per loaded row would update the
                    # same rows once per row, and every cache is cleared after anyway.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL annotations.activity = 'off'")
                # Saved one by one as they are read, like loaddata: a natural key can only be
                # resolved once the row it names (a user, a tag) is in.
                objects = []
                with connection.constraint_checks_disabled():
                    for item in serializers.deserialize(
                        "backup-json", text, handle_forward_references=True
                    ):
                        if item.object._meta.label_lower in DERIVED:
                            continue
                        item.save()
                        objects.append(item)
                    for item in objects:
                        if item.deferred_fields:
                            item.save_deferred_fields()
                connection.check_constraints()
                annotations_render_notes()
                self._reset_sequences(connection, {type(o.object) for o in objects})
                # Only once the new rows are in for good; a failed restore clears nothing.
                transaction.on_commit(lambda: uncleared.extend(clear_caches()))
        except (DeserializationError, IntegrityError, LookupError, ValueError) as exc:
            raise CommandError(f"{path}: restore failed, nothing was changed: {exc}") from exc
        if uncleared:
            raise CommandError(
                f"Restored {len(objects):,} records from {path}, but could not clear the "
                f"cache {', '.join(uncleared)}: clear it by hand before serving pages."
            )
        cleared = "when the enclosing transaction commits" if connection.in_atomic_block else "now"
        self.stdout.write(
            f"Restored {len(objects):,} records from {path}; caches cleared {cleared}."
        )

    def _empty(self, connection) -> None:
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower not in KEPT
            and model._meta.app_label not in {"contenttypes"}
            and not model._meta.proxy
            and model._meta.managed
        ]
        tables = [model._meta.db_table for model in models]
        existing = set(connection.introspection.table_names())
        statements = connection.ops.sql_flush(
            no_style(), [t for t in tables if t in existing], reset_sequences=False
        )
        connection.ops.execute_sql_flush(statements)

    def _reset_sequences(self, connection, models) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def clear_caches() -> list[str]:
    """Empty every configured cache (and the content types one of this process); the aliases
    of those that could not be emptied, with why."""
    ContentType.objects.clear_cache()
    failed = []
    for alias in settings.CACHES:
        try:
            caches[alias].clear()
        except Exception as exc:  # reported: the restore itself has committed
            failed.append(f"{alias!r} ({exc})")
    return failed


def no_style():
    from django.core.management.color import no_style as plain

    return plain()

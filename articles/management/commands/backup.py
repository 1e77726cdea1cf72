"""python manage.py backup FILE: every record of the site, in one portable file.

The file is Django's JSON serialisation with times to the microsecond (astana/serializers.py;
gzip-compressed when the name ends in .gz), with
natural keys for content types and permissions, so it restores onto a freshly migrated
database of either backend (SQLite or PostgreSQL). It is written to a temporary file beside
the target and renamed only when complete: an interrupted backup never leaves a truncated
file under the name.
"""

import gzip
import os
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Rebuilt by migrate, or not worth keeping (sessions expire, sign-in attempt logs).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


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
            with open_for(partial, "w") as out:
                call_command(
                    "dumpdata",
                    format="backup-json",
                    exclude=EXCLUDED,
                    natural_foreign=True,
                    natural_primary=True,
                    indent=None,
                    stdout=out,
                )
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backed up to {target} ({target.stat().st_size:,} bytes).")

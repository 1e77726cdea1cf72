"""python manage.py import_annotations FILE: W3C annotations (ours or other tools') in."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations import access
from annotations.exchange import import_collection
from annotations.management.users import user_named


class Command(BaseCommand):
    help = (
        "Import W3C Web Annotations (JSON-LD: an AnnotationCollection, an AnnotationPage, a "
        "list or one annotation), e.g. a file of export_annotations or another tool's. Each "
        "annotation is checked against the W3C test suite's MUST assertions and attached to "
        "the article its target names, or found by its quote. Each is written in its own "
        "transaction (all or nothing with --atomic). Prints what was imported and what was "
        "refused, with reasons; exits with status 1 when anything was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON-LD file ('-' for stdin).")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Who the annotations belong to (required unless --keep-creators).",
        )
        parser.add_argument(
            "--keep-creators",
            action="store_true",
            help="Give each annotation to the user whose username is its creator's nickname, "
            "when there is one (else to --user).",
        )
        parser.add_argument(
            "--atomic",
            action="store_true",
            help="All or nothing: keep nothing if any annotation is refused.",
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "ASTANA_BASE_URL", None),
            help="This site's address: IRIs on its host that the file does not define "
            "(a parent annotation, a claim) are taken as records already here.",
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = user_named(options["user"])
            if not access.can_create(user):
                raise CommandError(f"The user {options['user']!r} cannot annotate (inactive?).")
        elif not options["keep_creators"]:
            raise CommandError("Say who the annotations belong to: --user USERNAME.")
        if options["file"] == "-":
            data = sys.stdin.read()
        else:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            data = path.read_bytes()
        report = import_collection(
            data=data,
            user=user,
            keep_creators=options["keep_creators"],
            absolute_base=options["base_url"],
            atomic=options["atomic"],
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                f"{len(report.refused)} annotation(s) refused"
                + (", nothing kept (--atomic)." if report.rolled_back else ".")
            )

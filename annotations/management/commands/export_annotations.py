"""python manage.py export_annotations: annotations as W3C JSON-LD, CSV or ClaimReview."""

from pathlib import Path
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from annotations.exchange import EXPORT_FORMATS, export_document
from annotations.management.users import user_named
from articles.models import Article

DEFAULT_BASE_URL = "http://localhost:8000"


class Command(BaseCommand):
    help = (
        "Export the annotations a user may see (by default: what anyone may see, i.e. the "
        "public ones) as a W3C AnnotationCollection (jsonld), a spreadsheet (csv) or "
        "schema.org ClaimReview for the rated claims (claimreview)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(EXPORT_FORMATS), default="jsonld")
        parser.add_argument("--article", metavar="SLUG", help="Only this article's annotations.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Export what this user may see (their private annotations too).",
        )
        parser.add_argument("--output", metavar="FILE", help="Write here (default: stdout).")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "ASTANA_BASE_URL", DEFAULT_BASE_URL),
            help="Where the site is served, for the IRIs in the file "
            f"(default: settings.ASTANA_BASE_URL or {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args, **options):
        user = AnonymousUser()
        if options["user"]:
            user = user_named(options["user"])
        article = None
        if options["article"]:
            article = Article.objects.filter(slug=options["article"]).first()
            if article is None:
                raise CommandError(f"No article with the slug {options['article']!r}.")
        base = options["base_url"].rstrip("/") + "/"

        def absolute(path: str) -> str:
            return urljoin(base, path.lstrip("/"))

        query = {"format": options["format"]}
        if article is not None:
            query["article"] = article.slug
        document = export_document(
            fmt=options["format"],
            user=user,
            absolute=absolute,
            article=article,
            collection_id=absolute(f"{reverse('api:export')}?{urlencode(query)}"),
        )
        if options["output"]:
            Path(options["output"]).write_text(document.content, encoding="utf-8", newline="")
            self.stderr.write(f"Wrote {options['output']} ({options['format']}).")
        else:
            self.stdout.write(
                document.content, ending="" if document.content.endswith("\n") else "\n"
            )

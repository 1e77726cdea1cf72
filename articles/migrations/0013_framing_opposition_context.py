"""Existing lexicons get the context rules that keep "an opposition news website" or "an
opposition party" out of the armed-group terms (new databases get them from migration 0004).

Only an "opposition" term a curator has left without context rules is changed; the rules are
written out here, not imported, so this migration means the same whatever the engine becomes.
Plural rows ("rebels" beside "rebel") need no change: the engine folds them into one row.
"""

from django.db import migrations

MEDIA = [
    "news", "website", "site", "web", "newspaper", "paper", "outlet", "channel", "tv",
    "television", "media", "daily", "weekly", "radio", "agency", "magazine", "broadcaster",
    "press", "journal", "journalist", "blog", "portal",
]  # fmt: skip
POLITICAL = ["party", "politician", "lawmaker", "legislator", "mp", "parliamentarian"]
NOT_BEFORE = [*MEDIA, *POLITICAL, *(f"* {noun}" for noun in (*MEDIA, *POLITICAL))]
NOT_AFTER = ["political", "parliamentary"]


def add_rules(apps, schema_editor):
    FramingTerm = apps.get_model("articles", "FramingTerm")
    terms = FramingTerm.objects.filter(family__name="armed groups", phrase__iexact="opposition")
    for term in terms:
        if term.not_after or term.not_before:
            continue  # a curator's own rules stay as they are
        term.not_after, term.not_before = NOT_AFTER, NOT_BEFORE
        term.save(update_fields=["not_after", "not_before"])


def remove_rules(apps, schema_editor):
    FramingTerm = apps.get_model("articles", "FramingTerm")
    terms = FramingTerm.objects.filter(
        family__name="armed groups",
        phrase__iexact="opposition",
        not_after=NOT_AFTER,
        not_before=NOT_BEFORE,
    )
    for term in terms:
        term.not_after, term.not_before = [], []
        term.save(update_fields=["not_after", "not_before"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_compared_engine_version")]

    operations = [migrations.RunPython(add_rules, remove_rules)]

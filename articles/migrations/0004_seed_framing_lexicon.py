"""Seed the framing lexicon with the engine's default families; curators edit it in the admin."""

from django.db import migrations

from articles.comparison.engine import DEFAULT_LEXICON, Term


def seed(apps, schema_editor):
    Family = apps.get_model("articles", "FramingFamily")
    FramingTerm = apps.get_model("articles", "FramingTerm")
    descriptions = {
        "armed groups": "How an article names the armed opposition: rebels, militants, "
        "terrorists, factions, or the scare quotes of “so-called”.",
        "government": "How an article names the Syrian state: government, regime, Assad "
        "regime, Damascus (not “ceasefire regime”, not Damascus the place).",
    }
    for position, (name, terms) in enumerate(DEFAULT_LEXICON.items()):
        family, _ = Family.objects.get_or_create(
            name=name, defaults={"position": position, "description": descriptions.get(name, "")}
        )
        for term in terms:
            term = term if isinstance(term, Term) else Term(term)
            FramingTerm.objects.get_or_create(
                family=family,
                phrase=term.phrase,
                defaults={"not_after": list(term.not_after), "not_before": list(term.not_before)},
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_comparison")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

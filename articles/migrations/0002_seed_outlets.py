"""Seed the outlets and agencies the ingest engine recognises.

Outlets are matched in a file's own lines (footer, promotion, dateline); agencies are only
recognised as credits. Curators edit both in the admin.
"""

from django.db import migrations

OUTLETS = [
    # name, slug, homepage, country, is_agency, signatures, notes
    (
        "Mehr News Agency",
        "mehr-news-agency",
        "https://en.mehrnews.com/",
        "Iran",
        False,
        ["Mehr News Agency", "Mehr News", "mehrnews.com"],
        "Iranian news agency.",
    ),
    (
        "SouthFront",
        "southfront",
        "https://southfront.org/",
        "",
        False,
        ["SouthFront", "South Front", "southfront.org"],
        "Military-analysis site funded by reader donations.",
    ),
    (
        "GPA",
        "gpa",
        "",
        "",
        False,
        ["(GPA)", "Geopolitics Alert", "geopoliticsalert.com"],
        "Signs its dispatches “(GPA) Place –”.",
    ),
    (
        "Press TV",
        "press-tv",
        "https://www.presstv.ir/",
        "Iran",
        False,
        ["Press TV", "PressTV", "presstv.ir", "presstv.com", "presstv.co.uk"],
        "Iranian state broadcaster's English-language channel.",
    ),
    ("Reuters", "reuters", "https://www.reuters.com/", "United Kingdom", True, ["Reuters"], ""),
    ("AFP", "afp", "https://www.afp.com/", "France", True, ["AFP", "Agence France-Presse"], ""),
    (
        "Associated Press",
        "associated-press",
        "https://apnews.com/",
        "United States",
        True,
        ["Associated Press", "AP"],
        "",
    ),
    (
        "Sputnik",
        "sputnik",
        "https://sputnikglobe.com/",
        "Russia",
        True,
        ["Sputnik", "sputniknews.com"],
        "",
    ),
    ("TASS", "tass", "https://tass.com/", "Russia", True, ["TASS", "ITAR-TASS"], ""),
    (
        "Fars News Agency",
        "fars-news-agency",
        "https://www.farsnews.ir/",
        "Iran",
        True,
        ["Farsnews", "Fars News", "FNA"],
        "",
    ),
    ("SANA", "sana", "https://sana.sy/", "Syria", True, ["SANA", "Syrian Arab News Agency"], ""),
    (
        "IRNA",
        "irna",
        "https://www.irna.ir/",
        "Iran",
        True,
        ["IRNA", "Islamic Republic News Agency"],
        "",
    ),
    (
        "Anadolu Agency",
        "anadolu-agency",
        "https://www.aa.com.tr/",
        "Turkey",
        True,
        ["Anadolu Agency", "Anadolu"],
        "",
    ),
    ("Xinhua", "xinhua", "https://english.news.cn/", "China", True, ["Xinhua"], ""),
]


def seed(apps, schema_editor):
    Outlet = apps.get_model("articles", "Outlet")
    for name, slug, homepage, country, is_agency, signatures, notes in OUTLETS:
        Outlet.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "homepage": homepage,
                "country": country,
                "is_agency": is_agency,
                "signatures": signatures,
                "notes": notes,
            },
        )


def unseed(apps, schema_editor):
    Outlet = apps.get_model("articles", "Outlet")
    Outlet.objects.filter(slug__in=[row[1] for row in OUTLETS], articles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

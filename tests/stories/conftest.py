"""Articles of a few made-up events, imported through the real import service (which runs the
comparison and suggests stories), to test stories on."""

import itertools

import pytest

from articles import services
from articles.models import Article

# Each event: names and numbers its articles share, and words that vary between articles.
EVENTS = {
    "quake": {
        "place": "Lombok",
        "names": ["Sutopo Purwo Nugroho", "Mataram", "Gili Trawangan", "Sembalun"],
        "numbers": ["6.4", "14", "162"],
        "words": ["earthquake", "tremor", "aftershocks", "rubble", "evacuated", "collapsed"],
        "day": "2018-07-29",
    },
    "crash": {
        "place": "Karawang",
        "names": ["Lion Air", "Soekarno-Hatta", "Budi Karya Sumadi", "Tanjung Priok"],
        "numbers": ["189", "610", "737"],
        "words": ["wreckage", "divers", "plane", "flight", "debris", "pilot"],
        "day": "2018-10-29",
    },
    "vote": {
        "place": "Barcelona",
        "names": ["Carles Puigdemont", "Mariano Rajoy", "Generalitat", "Guardia Civil"],
        "numbers": ["90", "844", "2.26"],
        "words": ["referendum", "ballot", "polling", "independence", "police", "voters"],
        "day": "2017-10-01",
    },
}

_counter = itertools.count()


def article_text(event: str, variant: int) -> str:
    """A headline and three paragraphs about the event; variants reorder and reword them."""
    e = EVENTS[event]
    names, numbers, words = e["names"], e["numbers"], e["words"]
    shift = variant % len(words)
    w = words[shift:] + words[:shift]
    return (
        f"{w[0].capitalize()} news from {e['place']}: {names[variant % 4]} speaks\n\n"
        f"Officials in {e['place']} said on Sunday that the {w[0]} left {numbers[1]} people dead "
        f"and {numbers[2]} hurt, according to {names[0]}, who spoke in {names[1]}.\n\n"
        f"Witnesses near {names[2]} described the {w[1]} and the {w[2]}, while teams from "
        f"{names[3]} reached {e['place']} with {numbers[0]} trucks of supplies for the {w[3]}.\n\n"
        f"Report number {variant} added that the {w[4]} in {e['place']} and {names[1]} would be "
        f"examined again on Monday, and that the {w[5]} near {names[3]} was being checked.\n"
    )


def import_article(event: str, variant: int, *, day: str | None = None) -> Article:
    n = next(_counter)
    result = services.article_import(
        name=f"{event}-{variant}-{n}.txt", data=article_text(event, variant).encode()
    )
    article = result.article
    article.published_date = day or EVENTS[event]["day"]
    article.save(update_fields=["published_date"])
    # The day matters for the story's dates: profile again now it is set.
    services.stories_suggest(article_ids=[article.pk])
    article.refresh_from_db()
    return article


@pytest.fixture
def make_article(db):
    return import_article

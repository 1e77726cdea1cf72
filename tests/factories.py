"""A small factory for tests that need many articles without going through files."""

from articles.services import article_import

ARTICLE_TEMPLATE = (
    "Report number {n} on the talks\n\n"
    "ASTANA - Delegations met for round {n} of the talks on Monday, officials said.\n\n"
    "Observers said the ceasefire was holding in most areas after round {n}.\n\n"
    "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 "
    "International License.\n"
)


def make_articles(count: int, *, start: int = 0) -> None:
    for n in range(start, start + count):
        article_import(name=f"generated-{n:04}.txt", data=ARTICLE_TEMPLATE.format(n=n).encode())

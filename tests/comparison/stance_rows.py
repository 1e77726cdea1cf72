"""Stored links and differences made by hand on the seeds, for the compare page's tests.

Until the engine fills `stance`, `differs_by` and `shared`, these give the page the rows it will
get: the attend/refuse disagreement (004 and 002) and the 29/30 December ceasefire date (001 and
004), each a link that differs, with the discrepancy rows that explain it.
"""

from articles.models import Article, Discrepancy, PassageLink

ATTENDS = ("004", "Foreign-sponsored militant groups have decided to attend")
ALSO_ATTENDS = ("001", "Some armed Syrian opposition groups have decided to attend")
BOYCOTT = ("000", "Several Syrian opposition groups have signed a statement declaring boycott")
REFUSES = ("002", "Majority of so-called Syrian opposition groups have refused to attend")
DEC_29 = (
    "001",
    "The truce, which is the third announced this year, came into effect on 29 December",
)
DEC_30 = ("004", "The deal came into force at midnight (2200 GMT) on December 30")


def _span(article: Article, text: str) -> tuple[int, int]:
    start = article.current_revision.body.index(text)
    return start, start + len(text)


def _ordered(first: Article, first_text: str, second: Article, second_text: str) -> dict:
    """Both ends of a link or discrepancy, as the store keeps them (a_article < b_article)."""
    ends = sorted([(first, first_text), (second, second_text)], key=lambda end: end[0].pk)
    fields = {}
    for side, (article, text) in zip("ab", ends, strict=True):
        start, end = _span(article, text)
        fields |= {
            f"{side}_article": article,
            f"{side}_revision_id": article.current_revision_id,
            f"{side}_start": start,
            f"{side}_end": end,
        }
    return fields


def make_link(
    seeds: dict,
    one: tuple[str, str],
    other: tuple[str, str],
    *,
    stance: str = "agree",
    kind: str = "paraphrase",
    score: float = 0.8,
    differs_by: tuple[str, ...] = (),
    shared: tuple[tuple[str, str], ...] = (),
) -> PassageLink:
    """A stored link between the passages `one` and `other`: (seed key, exact text) each."""
    return PassageLink.objects.create(
        kind=kind,
        score=score,
        stance=stance,
        differs_by=list(differs_by),
        shared=[list(item) for item in shared],
        **_ordered(seeds[one[0]], one[1], seeds[other[0]], other[1]),
    )


def make_discrepancy(
    seeds: dict,
    kind: str,
    one: tuple[str, str],
    other: tuple[str, str],
    *,
    link_kind: str = "paraphrase",
) -> Discrepancy:
    """A stored discrepancy between the readings `one` and `other`: (seed key, exact text)."""
    fields = _ordered(seeds[one[0]], one[1], seeds[other[0]], other[1])
    a_article, b_article = fields["a_article"], fields["b_article"]
    a_body, b_body = a_article.current_revision.body, b_article.current_revision.body
    return Discrepancy.objects.create(
        kind=kind,
        link_kind=link_kind,
        a_text=a_body[fields["a_start"] : fields["a_end"]],
        b_text=b_body[fields["b_start"] : fields["b_end"]],
        **fields,
    )


def mark_differ(
    seeds: dict, one: tuple[str, str], other: tuple[str, str], kinds: tuple[str, ...]
) -> None:
    """The stored links between the two passages now differ (one is made if there is none)."""
    fields = _ordered(seeds[one[0]], one[1], seeds[other[0]], other[1])
    found = PassageLink.objects.filter(
        a_article=fields["a_article"],
        b_article=fields["b_article"],
        a_start__lt=fields["a_end"],
        a_end__gt=fields["a_start"],
        b_start__lt=fields["b_end"],
        b_end__gt=fields["b_start"],
    )
    if not found.update(stance="differ", differs_by=list(kinds)):
        make_link(seeds, one, other, stance="differ", differs_by=kinds, score=0.7)


def disagreements(seeds: dict) -> None:
    """The seeds' disagreements, stored as the stance-aware engine will store them: SouthFront's
    "refused to attend" against "decided to attend" (Press TV, 001), and the ceasefire's start
    (29 December in 001, December 30 in Press TV)."""
    for attends in (ATTENDS, ALSO_ATTENDS):
        mark_differ(seeds, attends, REFUSES, ("predicate",))
        make_discrepancy(
            seeds, "predicate", (attends[0], "decided to attend"), ("002", "refused to attend")
        )
    mark_differ(seeds, DEC_29, DEC_30, ("date",))

"""`build_page`: the compare page from the stored comparison rows of the articles shown
(read by `annotations.pages.compare.comparison_view`), arranged, never recomputed: passage
groups (groups.py), disagreements and differences (differences.py), each column cut into
pieces under the marks they make (columns.py), and the framing and quotation tables
(`..tables`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ...models import Article, Attribution, Block, Discrepancy, FramingHit, PassageLink
from ..tables import framing_rows, quote_rows
from .columns import Mark, _fill
from .differences import _differences, page_disagreements
from .groups import WireCopy, page_groups
from .parts import Column, ComparePage, Side, article_label


def build_page(
    *,
    articles: Sequence[Article],
    blocks: dict[int, list[Block]],
    links: Sequence[PassageLink],
    discrepancies: Sequence[Discrepancy],
    hits: Sequence[FramingHit],
    attributions: Sequence[Attribution],
    families: Sequence[tuple[str, Sequence[str]]],
    notes: dict[int, list],
    wire: Sequence[WireCopy] = (),
    carried: Mapping[str, int] | None = None,
) -> ComparePage:
    """Arrange stored rows for the compare template (articles in column order).

    wire: the shown articles' copies of wire sentences; carried: how many published
    articles carry each wire sentence (by its key)."""
    order = [a.pk for a in articles]
    bodies = {a.pk: a.current_revision.body for a in articles}
    labels = {a.pk: article_label(a) for a in articles}
    agree = [link for link in links if link.stance != "differ"]
    differ = [link for link in links if link.stance == "differ"]
    groups, members = page_groups(
        agree,
        differ,
        order=order,
        bodies=bodies,
        labels=labels,
        wire=wire,
        carried=carried or {},
    )

    marks: dict[int, list[Mark]] = defaultdict(list)
    serial = 0

    def add(article_id: int, start: int, end: int, kind: str, value: object) -> None:
        nonlocal serial
        if start < end:
            serial += 1
            marks[article_id].append(Mark(serial, start, end, "", kind, value))

    for member in members.all():
        add(member.article_id, member.start, member.end, "passage", member)
    for link in agree:
        for op in link.word_diff:
            _, a_start, a_end, b_start, b_end, _, _ = op
            add(link.a_article_id, a_start, a_end, "diff", None)
            add(link.b_article_id, b_start, b_end, "diff", None)

    quotes = quote_rows(articles, attributions)
    # Columns are made before their pieces, so disagreements can name them.
    columns = [Column(index, article, []) for index, article in enumerate(articles)]
    by_id = {column.article.pk: column for column in columns}
    disagreements = page_disagreements(differ, discrepancies, by_id=by_id, bodies=bodies)
    for link, disagreement in zip(differ, disagreements, strict=True):
        add(link.a_article_id, link.a_start, link.a_end, "differ", Side(disagreement, True))
        add(link.b_article_id, link.b_start, link.b_end, "differ", Side(disagreement, False))
    for number, d in enumerate(discrepancies, start=1):
        add(d.a_article_id, d.a_start, d.a_end, "fact", number)
        add(d.b_article_id, d.b_start, d.b_end, "fact", number)
    for article_id, found in notes.items():
        for annotation in found:
            add(article_id, annotation.start, annotation.end, "note", annotation)

    for column in columns:
        _fill(column, blocks[column.article.pk], marks[column.article.pk])
    differences = _differences(discrepancies, disagreements, by_id)
    return ComparePage(
        columns=columns,
        groups=groups,
        facts=[fact for section in differences for fact in section.facts],
        framing=framing_rows(articles, hits, families),
        quotes=[row for row in quotes if row.columns > 1],
        more_quotes=[
            (row.source, columns[i].label, phrase)
            for row in quotes
            if row.columns == 1
            for i, phrase in enumerate(row.phrases)
            if phrase
        ],
        link_count=len(links),
        disagreements=disagreements,
        differences=differences,
        has_notes=any(notes.values()),
    )

"""Where the shown articles differ. A link whose stance is "differ" never joins a group: its two
passages are shown as a `Disagreement` (outlined, with both readings, and the stored
discrepancies that fall inside it as its readings). "Where they differ" lists every stored
discrepancy (both readings, anchored to both places) and every disagreement no discrepancy
explains, in sections by kind (DIFFERENCE_LABELS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ...models import Discrepancy, PassageLink
from .parts import (
    DIFFERENCE_LABELS,
    Column,
    DifferenceSection,
    Disagreement,
    Fact,
    Reading,
    _short,
)


def page_disagreements(
    differ: Sequence[PassageLink],
    discrepancies: Sequence[Discrepancy],
    *,
    by_id: dict[int, Column],
    bodies: Mapping[int, str],
) -> list[Disagreement]:
    """One disagreement per differing link, numbered from 1, with the discrepancies inside it."""
    disagreements = []
    for number, link in enumerate(differ, start=1):
        inside = [
            Reading(d.kind, d.a_text, d.b_text)
            for d in discrepancies
            if (d.a_article_id, d.b_article_id) == (link.a_article_id, link.b_article_id)
            and link.a_start <= d.a_start < link.a_end
            and link.b_start <= d.b_start < link.b_end
        ]
        disagreement = Disagreement(
            number,
            tuple(link.differs_by or ()) or tuple(dict.fromkeys(r.kind for r in inside)),
            link.kind,
            link.score,
            by_id[link.a_article_id],
            link.a_start,
            link.a_end,
            bodies[link.a_article_id][link.a_start : link.a_end],
            by_id[link.b_article_id],
            link.b_start,
            link.b_end,
            bodies[link.b_article_id][link.b_start : link.b_end],
            inside,
        )
        disagreements.append(disagreement)
    return disagreements


def _differences(
    discrepancies: Sequence[Discrepancy],
    disagreements: Sequence[Disagreement],
    by_id: dict[int, Column],
) -> list[DifferenceSection]:
    """ "Where they differ": every stored discrepancy (both readings, anchored to both places),
    and every differing link that no discrepancy explains (its two passages as the readings),
    in sections by kind."""
    found: dict[str, list[Fact]] = defaultdict(list)
    for number, d in enumerate(discrepancies, start=1):
        a, b = by_id[d.a_article_id], by_id[d.b_article_id]
        found[d.kind if d.kind in DIFFERENCE_LABELS else ""].append(
            Fact(
                number,
                d.kind,
                a,
                d.a_text,
                b,
                d.b_text,
                d.link_kind,
                a.anchors.get(f"f{number}", ""),
                b.anchors.get(f"f{number}", ""),
            )
        )
    for item in disagreements:
        if item.readings:
            continue
        kind = item.kinds[0] if item.kinds and item.kinds[0] in DIFFERENCE_LABELS else ""
        found[kind].append(
            Fact(
                len(discrepancies) + item.number,
                kind,
                item.a,
                _short(item.a_text, 160),
                item.b,
                _short(item.b_text, 160),
                item.link_kind,
                item.a.anchors.get(f"d{item.number}", ""),
                item.b.anchors.get(f"d{item.number}", ""),
            )
        )
    return [
        DifferenceSection(kind, label, found[kind])
        for kind, label in DIFFERENCE_LABELS.items()
        if found.get(kind)
    ]

"""Where an annotated passage is carried by other articles, from the stored comparison links,
and whether they agree or differ: what claims follow across outlets."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Q

from articles.models import Article, PassageLink

from .. import access
from ..anchoring import Selector, locate
from ..models import (
    AnchorStatus,
    Annotation,
    ClaimStance,
)


@dataclass(frozen=True, slots=True)
class LinkedPassage:
    """Where a passage of one article is carried by another, per the stored comparison links,
    and whether the two agree or differ (a link's stance: then how, in differs_by)."""

    article: Article
    start: int
    end: int
    kind: str
    has_claim: bool  # the claim is already marked there (on an overlapping passage)
    stance: str = "agree"  # "differ" when any link between the two passages differs
    differs_by: tuple[str, ...] = ()  # difference kinds (date, number, polarity...)
    marked_as: str = ""  # how the claim is marked there already: "supports" or "disputes"

    @property
    def differs(self) -> bool:
        return self.stance == "differ"

    @property
    def text(self) -> str:
        revision = self.article.current_revision  # (linked only on a current revision)
        return revision.body[self.start : self.end] if revision is not None else ""


def _overlap(s0: int, e0: int, s1: int, e1: int) -> int:
    return min(e0, e1) - max(s0, s1)


def _span(annotation: Annotation) -> tuple[int, int]:
    """A passage annotation's offsets (what carries a claim is always a passage)."""
    if annotation.start is None or annotation.end is None:
        raise ValueError(f"annotation {annotation.pk} is not on a passage")
    return annotation.start, annotation.end


def _counterpart(annotation: Annotation, link: PassageLink, side: str) -> tuple[int, int] | None:
    """The span in the other article that corresponds to the annotated passage, if any.

    The annotation must cover at least half of the link's side, or the link half of it. When it
    covers part of a verbatim or near passage, its quote is looked for inside the other side.
    """
    other = "b" if side == "a" else "a"
    start, end = _span(annotation)
    s, e = getattr(link, f"{side}_start"), getattr(link, f"{side}_end")
    overlap = _overlap(start, end, s, e)
    if overlap * 2 < min(end - start, e - s):
        return None
    o_start, o_end = getattr(link, f"{other}_start"), getattr(link, f"{other}_end")
    if (start <= s and end >= e) or link.kind == "paraphrase":
        return o_start, o_end
    body = getattr(link, f"{other}_article").current_revision.body
    window = body[o_start:o_end]
    found = locate(
        window, Selector(annotation.exact, annotation.prefix, annotation.suffix, 0, len(window))
    )
    if not found.attached or found.start is None or found.end is None:
        return o_start, o_end
    return o_start + found.start, o_start + found.end


def linked_passages(
    *, user: access.User | None, annotations: Sequence[Annotation]
) -> dict[int, list[LinkedPassage]]:
    """For each annotation on a current revision, the passages linked to it in other published
    articles (the best one per article), and whether its claim is already marked there."""
    live = [
        a
        for a in annotations
        if a.anchor_status not in AnchorStatus.unattached()
        and a.anchor_revision_id == a.article.current_revision_id
    ]
    if not live:
        return {a.pk: [] for a in annotations}
    condition = Q()
    for side, other in (("a", "b"), ("b", "a")):
        for a in live:
            condition |= Q(
                **{
                    f"{side}_article": a.article_id,
                    f"{side}_revision": a.anchor_revision_id,
                    f"{side}_start__lt": a.end,
                    f"{side}_end__gt": a.start,
                }
            ) & Q(
                **{
                    f"{other}_revision": F(f"{other}_article__current_revision"),
                    f"{other}_article__status": Article.Status.PUBLISHED,
                }
            )
    links = list(
        PassageLink.objects.filter(condition).select_related(
            "a_article__current_revision",
            "a_article__outlet",
            "b_article__current_revision",
            "b_article__outlet",
        )
    )
    best: dict[int, dict[int, tuple[int, Article, int, int, str]]] = {}
    # Every qualifying link per (annotation, article), so that one link that differs marks the
    # passage as differing even when another, agreeing, link overlaps more.
    found: dict[tuple[int, int], list[tuple[PassageLink, tuple[int, int]]]] = {}
    for annotation in live:
        per_article = best.setdefault(annotation.pk, {})
        for link in links:
            for side, other in (("a", "b"), ("b", "a")):
                if getattr(link, f"{side}_article_id") != annotation.article_id:
                    continue
                if getattr(link, f"{side}_revision_id") != annotation.anchor_revision_id:
                    continue
                span = _counterpart(annotation, link, side)
                if span is None:
                    continue
                target = getattr(link, f"{other}_article")
                found.setdefault((annotation.pk, target.pk), []).append((link, span))
                weight = _overlap(
                    *_span(annotation),
                    getattr(link, f"{side}_start"),
                    getattr(link, f"{side}_end"),
                )
                kept = per_article.get(target.pk)
                if kept is None or weight > kept[0]:
                    per_article[target.pk] = (weight, target, span[0], span[1], link.kind)
    claims = {a.claim_id for a in live if a.claim_id}
    marked: dict[tuple[int | None, int], list[tuple[int, int, str]]] = {}
    if claims:
        targets = {pk for found in best.values() for pk in found}
        for row in (
            access.annotations_visible_to(user)
            .filter(claim__in=claims, article__in=targets)
            .values("claim_id", "article_id", "start", "end", "claim_stance")
        ):
            start, end = row["start"], row["end"]
            if start is not None and end is not None:  # (always: claims are on passages)
                marked.setdefault((row["claim_id"], row["article_id"]), []).append(
                    (start, end, row["claim_stance"])
                )
    out: dict[int, list[LinkedPassage]] = {a.pk: [] for a in annotations}
    for annotation in live:
        for _, target, start, end, kind in sorted(
            best[annotation.pk].values(), key=lambda t: (t[1].title, t[1].pk)
        ):
            spans = marked.get((annotation.claim_id, target.pk), [])
            stances = {stance for s, e, stance in spans if _overlap(start, end, s, e) > 0}
            marked_as = min(stances, key=lambda stance: stance != ClaimStance.SUPPORTS, default="")
            differing = [
                link
                for link, span in found[annotation.pk, target.pk]
                if link.stance == "differ" and _overlap(start, end, *span) > 0
            ]
            kinds = sorted({how for link in differing for how in (link.differs_by or [])})
            out[annotation.pk].append(
                LinkedPassage(
                    target,
                    start,
                    end,
                    kind,
                    bool(stances),
                    stance="differ" if differing else "agree",
                    differs_by=tuple(kinds),
                    marked_as=marked_as,
                )
            )
    return out

"""The annotations an export lists, read in one go and put in reading order."""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from ..models import Annotation

Absolute = Callable[[str], str]


def export_records(annotations: QuerySet[Annotation]) -> list[Annotation]:
    """The annotations with what every format shows of them, in thread order."""
    return in_thread_order(
        annotations.select_related(
            "article", "article__outlet", "creator", "anchor_revision", "claim", "group"
        ).prefetch_related("tags")
    )


def in_thread_order(annotations: Iterable[Annotation]) -> list[Annotation]:
    """Passages in text order per article, each followed by its replies (oldest first)."""
    records = sorted(annotations, key=lambda a: a.pk)
    by_pk = {a.pk: a for a in records}
    replies: dict[int, list[Annotation]] = {}
    roots: list[Annotation] = []
    for a in records:
        if a.parent_id is not None and a.parent_id in by_pk:
            replies.setdefault(a.parent_id, []).append(a)
        else:
            roots.append(a)  # a passage, or a reply whose parent is not exported
    roots.sort(
        key=lambda a: (
            a.article.title,
            a.article_id,
            a.start is None,
            a.start or 0,
            a.end or 0,
            a.pk,
        )
    )
    ordered: list[Annotation] = []

    def visit(a: Annotation) -> None:
        ordered.append(a)
        for reply in replies.get(a.pk, []):
            visit(reply)

    for root in roots:
        visit(root)
    return ordered

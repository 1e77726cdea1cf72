"""The compare page's selector: two to five articles side by side, from stored comparison
results, with the annotations and claims the reader may see."""

from collections.abc import Sequence

from django.db.models import Q

from articles.comparison.page import ComparePage, build_page
from articles.models import (
    Article,
    Attribution,
    Discrepancy,
    FramingFamily,
    FramingHit,
    PassageLink,
    WirePassage,
)
from articles.reading import reading_layout
from articles.selectors import wire_carried_by

from .. import access
from ..selectors import linked_passages


def _between(ids: Sequence[int], revisions: Sequence[int]) -> Q:
    return Q(
        a_article__in=ids, b_article__in=ids, a_revision__in=revisions, b_revision__in=revisions
    )


def comparison_view(*, articles: Sequence[Article], user: access.User | None) -> ComparePage:
    """The compare page of these articles (in column order), from stored results."""
    ids = [a.pk for a in articles]
    revisions = [a.current_revision_id for a in articles]
    links = list(PassageLink.objects.filter(_between(ids, revisions)).order_by("pk"))
    discrepancies = list(
        Discrepancy.objects.filter(_between(ids, revisions)).order_by("a_article", "a_start", "pk")
    )
    hits = list(FramingHit.objects.filter(revision__in=revisions).order_by("revision", "start"))
    attributions = list(
        Attribution.objects.filter(revision__in=revisions).order_by("revision", "start")
    )
    families = [
        (family.name, [term.phrase for term in family.terms.all()])
        for family in FramingFamily.objects.prefetch_related("terms")
    ]
    notes: dict[int, list] = {pk: [] for pk in ids}
    for annotation in (
        access.annotations_visible_to(user)
        .filter(
            article__in=ids,
            anchor_revision__in=revisions,
            parent__isnull=True,
            start__isnull=False,  # page notes have no passage to draw
        )
        .exclude(anchor_status__in=("orphaned", "ambiguous"))  # on no words of this text
        .select_related("creator", "claim", "article__current_revision", "article__outlet")
        .order_by("start", "pk")
    ):
        notes[annotation.article_id].append(annotation)
    claims = [a for found in notes.values() for a in found if a.claim_id]
    wire = list(
        WirePassage.objects.filter(revision__in=revisions).values_list(
            "sentence", "article", "start", "end"
        )
    )
    page = build_page(
        articles=articles,
        blocks={a.pk: reading_layout(a.current_revision.ordered_blocks).story for a in articles},
        links=links,
        discrepancies=discrepancies,
        hits=hits,
        attributions=attributions,
        families=families,
        notes=notes,
        wire=wire,
        carried=wire_carried_by(sentences={row[0] for row in wire}),
    )
    targets = linked_passages(user=user, annotations=claims)
    page.claims = [(annotation, targets[annotation.pk]) for annotation in claims]
    return page

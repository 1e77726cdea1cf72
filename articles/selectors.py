"""Reads of articles and outlets. Views and services call these; they never write. Which
articles a reader may see is asked of access.py, never decided here."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, F, Prefetch, QuerySet, Sum, When

from . import access
from .comparison.page import MAX_ARTICLES, MIN_ARTICLES
from .ingest import OutletSignature
from .metadata import chronological
from .models import Article, Block, LinkKind, Outlet, PassageLink, WirePassage


def outlet_signatures() -> list[OutletSignature]:
    """Every outlet as the ingest engine wants it."""
    return [
        OutletSignature(
            key=str(outlet.pk),
            name=outlet.name,
            signatures=tuple(s for s in outlet.signatures if isinstance(s, str) and s.strip()),
            is_agency=outlet.is_agency,
        )
        for outlet in Outlet.objects.only("pk", "name", "signatures", "is_agency")
    ]


def outlets_with_published_articles() -> QuerySet[Outlet]:
    """Outlets that have something to read, with how many articles, for the list filter."""
    return (
        Outlet.objects.annotate(
            article_count=Count("articles", filter=access.article_listed_q("articles__"))
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )


def _with_blocks(articles: QuerySet[Article]) -> QuerySet[Article]:
    """With each article's outlet, current revision and its blocks in order (ordered_blocks)."""
    return articles.select_related("outlet", "current_revision").prefetch_related(
        Prefetch(
            "current_revision__blocks",
            queryset=Block.objects.order_by("position"),
            to_attr="ordered_blocks",
        )
    )


def article_get_for_reading(*, user: access.User | None, slug: str) -> Article:
    """An article the user may open, with its current revision and that revision's blocks in
    order.

    Raises Article.DoesNotExist when there is no such article the user may open.
    """
    return _with_blocks(access.articles_visible_to(user)).get(slug=slug)


class CompareSelectionError(ValueError):
    """The articles asked for cannot be compared; the message says why."""


def compare_choices() -> QuerySet[Article]:
    """Published articles a reader can put side by side, for the picker."""
    return (
        access.articles_listed()
        .filter(current_revision__isnull=False)
        .select_related("outlet")
        .only("slug", "title", "language", "direction", "dateline", "outlet__name")
        .order_by("title", "pk")
    )


def wanted_slugs(slugs: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in slugs if s.strip()))


def articles_for_comparison(*, user: access.User | None, slugs: Sequence[str]) -> list[Article]:
    """The articles named by slug that the user may open, each once: in order of publication
    where it is known (earliest first), then the others in the order given.

    Raises CompareSelectionError when fewer than two or more than five are named, or when a
    slug names no published article.
    """
    wanted = wanted_slugs(slugs)
    if len(wanted) < MIN_ARTICLES:
        raise CompareSelectionError(f"Choose at least {MIN_ARTICLES} articles to compare.")
    if len(wanted) > MAX_ARTICLES:
        raise CompareSelectionError(
            f"At most {MAX_ARTICLES} articles can be compared at once; {len(wanted)} were chosen."
        )
    found = {
        a.slug: a
        for a in _with_blocks(
            access.articles_visible_to(user).filter(slug__in=wanted, current_revision__isnull=False)
        )
    }
    missing = [s for s in wanted if s not in found]
    if missing:
        raise CompareSelectionError(
            "No published article with the address " + ", ".join(f"“{s}”" for s in missing) + "."
        )
    # Coverage in time: the columns in order of publication where known, then the others.
    return chronological(found[s] for s in wanted)


def wire_carried_by(*, sentences: Collection[str]) -> dict[str, int]:
    """How many published articles carry each wire sentence (by key) in their current
    revision, as any reader may see them: one query, none when there are no sentences."""
    if not sentences:
        return {}
    return dict(
        WirePassage.objects.filter(
            access.article_listed_q("article__"),
            sentence__in=sentences,
            revision=F("article__current_revision"),
        )
        .order_by()
        .values("sentence")
        .annotate(n=Count("pk"))
        .values_list("sentence", "n")
    )


@dataclass(frozen=True, slots=True)
class SharingArticle:
    article: Article
    links: int
    shared_chars: int


def articles_sharing_with(*, article: Article, limit: int = 6) -> list[SharingArticle]:
    """Published articles that share the most with this one (words, then facts), most first."""
    revision = article.current_revision_id
    totals: dict[int, list[int]] = {}
    for side, other in (("a", "b"), ("b", "a")):
        rows = (
            PassageLink.objects.filter(
                **{f"{side}_article": article.pk, f"{side}_revision": revision}
            )
            .filter(**{f"{other}_revision": F(f"{other}_article__current_revision")})
            .filter(access.article_listed_q(f"{other}_article__"))
            .values(f"{other}_article")
            .annotate(
                n=Count("pk"),
                # Text shared in the same words counts in full; the same facts in other words
                # (paraphrase) count half, so the outlets that carry the same copy come first.
                chars=Sum(
                    Case(
                        When(
                            kind=LinkKind.PARAPHRASE,
                            then=(F(f"{side}_end") - F(f"{side}_start")) / 2,
                        ),
                        default=F(f"{side}_end") - F(f"{side}_start"),
                    )
                ),
            )
        )
        for row in rows:
            total = totals.setdefault(row[f"{other}_article"], [0, 0])
            total[0] += row["n"]
            total[1] += row["chars"]
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1][1], kv[0]))[:limit]
    found = Article.objects.select_related("outlet").in_bulk([pk for pk, _ in ranked])
    return [SharingArticle(found[pk], n, chars) for pk, (n, chars) in ranked if pk in found]

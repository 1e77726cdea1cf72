"""Reads of articles and outlets. Views and services call these; they never write."""

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, When

from annotations.access import annotation_visibility_q, annotations_visible_to
from annotations.models import Annotation, ArticleActivity, Claim, SiteActivity, Visibility
from annotations.selectors import linked_passages

from .comparison.page import MAX_ARTICLES, MIN_ARTICLES, ComparePage, build_page
from .ingest import OutletSignature
from .metadata import chronological
from .models import (
    Article,
    ArticleRevision,
    Attribution,
    Block,
    ComparedRevision,
    Discrepancy,
    FramingFamily,
    FramingHit,
    LinkKind,
    Outlet,
    PassageLink,
    WirePassage,
)
from .pagecache import reader_part
from .reading import reading_layout

ARTICLE_SORTS = {
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "outlet": ("outlet__name", "title"),
    "-outlet": ("-outlet__name", "title"),
    "dateline": ("dateline", "title"),
    "-dateline": ("-dateline", "title"),
    "words": ("word_count", "title"),
    "-words": ("-word_count", "title"),
    "annotations": ("annotation_count", "title"),
    "-annotations": ("-annotation_count", "title"),
    "claims": ("claim_count", "title"),
    "-claims": ("-claim_count", "title"),
    # By publication date and local time (a day with no time counts as its start, as in
    # metadata.publication_instant); articles with no date come last either way.
    "published": (
        F("published_date").asc(nulls_last=True),
        F("published_time").asc(nulls_first=True),
        "title",
        "pk",
    ),
    "-published": (
        F("published_date").desc(nulls_last=True),
        F("published_time").desc(nulls_last=True),
        "title",
        "pk",
    ),
}
DEFAULT_ARTICLE_SORT = "title"
# The list counts what every visitor can see (replies included), by the access module's rule:
# a public reply under a private or hidden annotation is not counted.
PUBLIC_ANNOTATION = annotation_visibility_q(None, prefix="annotations__")


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


def article_list(*, outlet_slug: str = "", sort: str = DEFAULT_ARTICLE_SORT) -> QuerySet[Article]:
    """Published articles with their outlet and annotation count, filtered and sorted."""
    order = ARTICLE_SORTS.get(sort, ARTICLE_SORTS[DEFAULT_ARTICLE_SORT])
    articles = (
        Article.objects.published()
        .select_related("outlet")
        .only(
            "slug",
            "title",
            "title_derived",
            "language",
            "direction",
            "dateline",
            "published_date",
            "published_time",
            "published_offset",
            "word_count",
            "outlet__name",
            "outlet__slug",
        )
        .annotate(
            annotation_count=Count("annotations", filter=PUBLIC_ANNOTATION, distinct=True),
            claim_count=Count("annotations__claim", filter=PUBLIC_ANNOTATION, distinct=True),
        )
        .order_by(*order)
    )
    if outlet_slug:
        articles = articles.filter(outlet__slug=outlet_slug)
    return articles


def outlets_with_published_articles() -> QuerySet[Outlet]:
    """Outlets that have something to read, with how many articles, for the list filter."""
    return (
        Outlet.objects.annotate(
            article_count=Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED))
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )


def article_get_for_reading(*, slug: str) -> Article:
    """A published article with its current revision and that revision's blocks, in order.

    Raises Article.DoesNotExist when there is no such published article.
    """
    return (
        Article.objects.published()
        .select_related("outlet", "current_revision")
        .prefetch_related(
            Prefetch(
                "current_revision__blocks",
                queryset=Block.objects.order_by("position"),
                to_attr="ordered_blocks",
            )
        )
        .get(slug=slug)
    )


class CompareSelectionError(ValueError):
    """The articles asked for cannot be compared; the message says why."""


def compare_choices() -> QuerySet[Article]:
    """Published articles a reader can put side by side, for the picker."""
    return (
        Article.objects.published()
        .filter(current_revision__isnull=False)
        .select_related("outlet")
        .only("slug", "title", "language", "direction", "dateline", "outlet__name")
        .order_by("title", "pk")
    )


def _wanted(slugs: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in slugs if s.strip()))


def articles_for_comparison(*, slugs: Sequence[str]) -> list[Article]:
    """The published articles named by slug, each once: in order of publication where it is
    known (earliest first), then the others in the order given.

    Raises CompareSelectionError when fewer than two or more than five are named, or when a
    slug names no published article.
    """
    wanted = _wanted(slugs)
    if len(wanted) < MIN_ARTICLES:
        raise CompareSelectionError(f"Choose at least {MIN_ARTICLES} articles to compare.")
    if len(wanted) > MAX_ARTICLES:
        raise CompareSelectionError(
            f"At most {MAX_ARTICLES} articles can be compared at once; {len(wanted)} were chosen."
        )
    found = {
        a.slug: a
        for a in Article.objects.published()
        .filter(slug__in=wanted, current_revision__isnull=False)
        .select_related("outlet", "current_revision")
        .prefetch_related(
            Prefetch(
                "current_revision__blocks",
                queryset=Block.objects.order_by("position"),
                to_attr="ordered_blocks",
            )
        )
    }
    missing = [s for s in wanted if s not in found]
    if missing:
        raise CompareSelectionError(
            "No published article with the address " + ", ".join(f"“{s}”" for s in missing) + "."
        )
    # Coverage in time: the columns in order of publication where known, then the others.
    return chronological(found[s] for s in wanted)


def _between(ids: Sequence[int], revisions: Sequence[int]) -> Q:
    return Q(
        a_article__in=ids, b_article__in=ids, a_revision__in=revisions, b_revision__in=revisions
    )


def comparison_view(*, articles: Sequence[Article], user) -> ComparePage:
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
        annotations_visible_to(user)
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


def wire_carried_by(*, sentences: Collection[str]) -> dict[str, int]:
    """How many published articles carry each wire sentence (by key) in their current
    revision, as any reader may see them: one query, none when there are no sentences."""
    if not sentences:
        return {}
    return dict(
        WirePassage.objects.filter(
            sentence__in=sentences,
            article__status=Article.Status.PUBLISHED,
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
            .filter(**{f"{other}_article__status": Article.Status.PUBLISHED})
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


def _digest(parts: tuple) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# Versions and keys of cached pages, each one query of index reads. What anonymous readers and
# staff may read of an article is followed by counters the database keeps itself (triggers of
# annotations/migrations/0007_public_activity.py, on every write path): they move only when
# what such a reader may read changes. A signed-in reader's own annotations, and replies to
# them, are read by article and creator. So another reader's private note, a hidden note (for
# all but staff) or a claim carried only by those never moves a version, and no one can time a
# page to learn of them. Written as SQL because these run on every page view, where the ORM's
# query building would cost more than the queries.
ANNOTATIONS, CLAIMS = Annotation._meta.db_table, Claim._meta.db_table
ARTICLES, ACTIVITY = Article._meta.db_table, ArticleActivity._meta.db_table
SITE_ACTIVITY = f"(SELECT version FROM {SiteActivity._meta.db_table} WHERE id = 1)"


def _newest_columns(tables: Sequence[tuple[type, str]]) -> str:
    """For each (model, timestamp column): its row count and newest timestamp. Together they
    move whenever a row is added, changed (the timestamp is auto_now) or deleted."""
    return ", ".join(
        f"(SELECT COUNT(*) FROM {model._meta.db_table}), "
        f"(SELECT MAX({column}) FROM {model._meta.db_table})"
        for model, column in tables
    )


# Pages that show other articles (titles, outlets, shared passages) key on these.
CATALOGUE = [(Article, "updated"), (Outlet, "updated"), (ComparedRevision, "compared")]


def _article_rows(
    columns: str, where: str, params: Sequence, *, joined: str = "", joined_params=()
) -> list[tuple]:
    """`columns` of each article `a` matching `where`, joined to its current revision r (its
    id and creation time tell a rebuilt database's rows from old entries), outlet o, activity
    counters c and whatever `joined` adds."""
    sql = (
        f"SELECT {columns} FROM {ARTICLES} a "
        f"JOIN {ArticleRevision._meta.db_table} r ON r.id = a.current_revision_id "
        f"LEFT JOIN {Outlet._meta.db_table} o ON o.id = a.outlet_id "
        f"LEFT JOIN {ACTIVITY} c ON c.article_id = a.id {joined} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*joined_params, *params])
        return cursor.fetchall()


def _state(x: str) -> str:
    """How many annotations x there are, their summed versions (an edit, a retag, a tag rename
    or merge all bump one), newest change and the newest change of the claims (k) they carry."""
    return f"COUNT(*), SUM({x}.version), MAX({x}.modified), MAX(k.modified)"


def _own_state(article: Article, user) -> tuple[str, list]:
    """Joins (m, y) of the reader's own annotations on the article, and of the replies to
    them by others that the reader may read (public, unhidden unless staff, on a published
    article: no other reader's private or hidden writes are counted; what everyone may read
    moves the article's counter). Index reads: (creator, article), then parent."""
    hidden = "" if user.is_staff else " AND NOT y.is_hidden"
    sql = (
        f"CROSS JOIN (SELECT {_state('x')} FROM {ANNOTATIONS} x "
        f"LEFT JOIN {CLAIMS} k ON k.id = x.claim_id "
        "WHERE x.article_id = %s AND x.creator_id = %s) m "
        f"CROSS JOIN (SELECT {_state('y')} FROM {ANNOTATIONS} x "
        f"JOIN {ANNOTATIONS} y ON y.parent_id = x.id LEFT JOIN {CLAIMS} k ON k.id = y.claim_id "
        "WHERE x.article_id = %s AND x.creator_id = %s AND y.creator_id <> x.creator_id "
        f"AND y.visibility = %s{hidden} "
        f"AND EXISTS (SELECT 1 FROM {ARTICLES} WHERE id = %s AND status = %s)) y"
    )
    pk, me = article.pk, user.pk
    return sql, [pk, me, pk, me, Visibility.PUBLIC, pk, Article.Status.PUBLISHED]


def reader_cache_key(*, article: Article, user) -> str:
    """A key that changes exactly when what this reader sees of the article's body and
    sidebar changes: its status and current revision, the annotations they may read and their
    claims (the article's counter for all readers, or for staff; their own annotations and
    the replies to them), and who is reading (pagecache.reader_part: the account, never its
    bare id, and its role)."""
    columns = "a.status, r.id, r.created, c.public_version"
    joined, joined_params = "", []
    if user is not None and user.is_authenticated:
        columns += ", c.staff_version, m.*, y.*" if user.is_staff else ", m.*, y.*"
        joined, joined_params = _own_state(article, user)
    rows = _article_rows(
        columns, "a.id = %s", [article.pk], joined=joined, joined_params=joined_params
    )
    return _digest((rows, reader_part(user)))


def article_page_version(*, slug: str) -> str | None:
    """The version of an article's whole page as an anonymous reader sees it, or None when
    no published article has this slug (one query). It moves exactly when the page would
    change: the article or its outlet, its current revision, its public annotations and their
    claims (its counter), or any article, outlet or comparison shown beside it."""
    rows = _article_rows(
        f"a.id, a.updated, o.updated, r.id, r.created, c.public_version, "
        f"{_newest_columns(CATALOGUE)}",
        "a.slug = %s AND a.status = %s",
        [slug, Article.Status.PUBLISHED],
    )
    return _digest(rows[0]) if rows else None


def site_version(*, outlet: str = "", page: int = 1, per_page: int = 1) -> str | None:
    """The version of the article list as an anonymous reader sees it (one query): it moves
    with every article, outlet and comparison change and with the annotations they may read
    (the site's counter). None when the page should not be kept: an unknown outlet, or a page
    past the last."""
    # The checks cost more than the version itself, so each is asked only when it can fail:
    # the outlet's existence when one is named, the number of pages past the first.
    columns, params = [f"{_newest_columns(CATALOGUE)}, {SITE_ACTIVITY}"], []
    if outlet:
        columns.append(f"(SELECT COUNT(*) FROM {Outlet._meta.db_table} WHERE slug = %s)")
        params.append(outlet)
    if page > 1:
        columns.append(
            f"(SELECT COUNT(*) FROM {ARTICLES} a LEFT JOIN {Outlet._meta.db_table} o "
            "ON o.id = a.outlet_id WHERE a.status = %s AND (%s = '' OR o.slug = %s))"
        )
        params += [Article.Status.PUBLISHED, outlet, outlet]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = list(cursor.fetchone())
    articles = row.pop() if page > 1 else 0
    if outlet and not row.pop():
        return None
    if page > 1 and page > -(-articles // per_page):
        return None
    return _digest(tuple(row))


def compare_page_version(*, slugs: Sequence[str]) -> str | None:
    """The version of the compare page of these articles as an anonymous reader sees it, or
    None when the selection is not one the page can show (one query). Besides the articles
    it follows every article, outlet and comparison (the picker lists them all) and the
    site's counter: the page shows the articles' public annotations and follows their claims
    into other articles."""
    wanted = _wanted(slugs)
    if not MIN_ARTICLES <= len(wanted) <= MAX_ARTICLES:
        return None
    rows = _article_rows(
        "a.slug, a.id, a.updated, o.updated, r.id, r.created, "
        f"{_newest_columns(CATALOGUE)}, {SITE_ACTIVITY}",
        f"a.slug IN ({', '.join(['%s'] * len(wanted))}) AND a.status = %s",
        [*wanted, Article.Status.PUBLISHED],
    )
    return _digest(tuple(sorted(rows))) if len(rows) == len(wanted) else None

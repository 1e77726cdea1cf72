"""Reads of stories: the lists, and the article-side parts of a story page (its articles and
timeline, who covered it and who did not, the passages most carried, where outlets differ and
their framing). The annotations app's story page adds the claims (annotations/pages/story.py).

Every visibility question goes to articles/access.py. Each part is a fixed number of queries
whatever the story's size (a test counts them for 5 and 60 articles).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time

from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse

from .. import access
from ..metadata import chronological, publication_instant
from ..models import (
    Article,
    ArticleRevision,
    Discrepancy,
    FramingHit,
    MembershipStatus,
    Outlet,
    PassageLink,
    Story,
    StoryArticle,
    WirePassage,
)
from . import engine, timeline

NOON = time(12, 0)
CARRIED_SHOWN = 6
DIFFERENCES_SHOWN = 12
DIFFERENCES_READ = 400  # discrepancy rows read to pick the ones shown
SIMILAR_STORY = 0.2  # cosine of story vectors above which two stories are "such events"
USUAL_SHARE = 0.5  # an outlet "usually covers" such events when it covered this share of them


def stories_for_home(*, user: access.User | None, limit: int | None = 8) -> QuerySet[Story]:
    """Stories with their newest coverage first, with how many articles the reader sees."""
    shown = access.story_membership_q(user, "memberships__")
    stories = (
        access.stories_visible_to(user)
        .annotate(
            article_count=Count("memberships", filter=shown, distinct=True),
            outlet_count=Count("memberships__article__outlet", filter=shown, distinct=True),
            newest=Max("memberships__article__published_date", filter=shown),
        )
        .filter(article_count__gt=0)
        .order_by(F("newest").desc(nulls_last=True), "title", "pk")
    )
    return stories if limit is None else stories[:limit]


def stories_for_filter(*, user: access.User | None) -> QuerySet[Story]:
    """The stories a list, search or the compare picker may be filtered by."""
    return access.stories_visible_to(user).only("slug", "title").order_by("title", "pk")


def story_get_for_user(*, user: access.User | None, slug: str) -> Story:
    try:
        return access.stories_visible_to(user).get(slug=slug)
    except Story.DoesNotExist:
        raise access.NotVisible from None


def articles_in_story_q(*, user: access.User | None, slug: str, prefix: str = "") -> Q:
    """Articles in the story with this address, as this user sees its members (a filter for
    article lists, search and the compare picker)."""
    memberships = access.story_memberships_visible_to(user).filter(
        story__in=access.stories_visible_to(user).filter(slug=slug)
    )
    return Q(**{f"{prefix}pk__in": memberships.values("article_id")})


@dataclass(frozen=True)
class Member:
    article: Article
    membership: StoryArticle
    url: str  # the article's address (reversed once for all members)
    outlet: str

    @property
    def suggested(self) -> bool:
        return self.membership.status == MembershipStatus.SUGGESTED


@dataclass(frozen=True)
class Carried:
    text: str
    articles: int
    outlets: tuple[str, ...]
    first: Article  # where the text is read from


@dataclass(frozen=True)
class Differing:
    kind: str
    a: Article
    a_text: str
    b: Article
    b_text: str


@dataclass(frozen=True)
class OutletFraming:
    outlet: str
    families: tuple[tuple[str, int], ...]  # (family, uses), most used first


@dataclass
class StoryArticles:
    """The article side of a story page."""

    story: Story
    members: list[Member]
    timeline: timeline.Timeline
    covered: list[tuple[str, int]]  # outlet, articles
    missing: list[str]  # outlets that usually cover such stories and did not cover this one
    similar_stories: int
    carried: list[Carried] = field(default_factory=list)
    differences: list[Differing] = field(default_factory=list)
    framing: list[OutletFraming] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        return [m.article for m in self.members]


def _scope(story: Story, user: access.User | None) -> QuerySet[Article]:
    """The story's articles as this user sees them, as a subquery: the parts below read
    comparison rows through it, so a query's text stays small whatever the story's size."""
    return access.articles_visible_to(user).filter(
        pk__in=access.story_memberships_visible_to(user).filter(story=story).values("article_id")
    )


def _members(story: Story, user: access.User | None, scope: QuerySet[Article]) -> list[Member]:
    memberships = {
        m.article_id: m
        for m in access.story_memberships_visible_to(user)
        .filter(story=story)
        .only("pk", "article_id", "story_id", "status", "score", "evidence")
    }
    articles = scope.select_related("outlet").only(
        "slug",
        "title",
        "status",
        "language",
        "direction",
        "source_name",
        "published_date",
        "published_time",
        "published_offset",
        "current_revision_id",
        "outlet__name",
        "outlet__slug",
    )
    # One reverse() for every member: the address differs only by slug.
    pattern = reverse("articles:detail", kwargs={"slug": "slug-placeholder"})
    return [
        Member(
            article=a,
            membership=memberships[a.pk],
            url=pattern.replace("slug-placeholder", a.slug),
            outlet=_outlet_name(a),
        )
        for a in chronological(articles)
    ]


def _outlet_name(article: Article) -> str:
    if article.outlet is not None:
        return article.outlet.name
    return article.source_name or "Unknown outlet"


def _timeline(members: Sequence[Member]) -> timeline.Timeline:
    items = []
    for member in members:
        a = member.article
        items.append(
            timeline.Item(
                key=a.slug,
                outlet=member.outlet,
                when=publication_instant(
                    a.published_date, a.published_time or NOON, a.published_offset
                ),
                title=a.title,
                url=member.url,
            )
        )
    return timeline.layout(items)


def _missing_outlets(story: Story, covered: set[int]) -> tuple[list[str], int]:
    """Outlets that covered at least half of the stories like this one (their vectors' cosine
    reaches SIMILAR_STORY), and not this one; and how many such stories there are."""
    if not story.vector:
        return [], 0
    similar = [
        pk
        for pk, vector in access.stories_listed().exclude(pk=story.pk).values_list("pk", "vector")
        if engine.cosine(story.vector, vector) >= SIMILAR_STORY
    ]
    if not similar:
        return [], 0
    per_outlet = Counter(
        dict(
            StoryArticle.objects.filter(
                access.listed_story_article_q(), story_id__in=similar, article__outlet__isnull=False
            )
            .filter(access.article_listed_q("article__"))
            .values("article__outlet")
            .annotate(n=Count("story", distinct=True))
            .values_list("article__outlet", "n")
        )
    )
    usual = [
        pk for pk, n in per_outlet.items() if n >= max(1, USUAL_SHARE * len(similar)) and n > 0
    ]
    names = Outlet.objects.filter(pk__in=usual).exclude(pk__in=covered).order_by("name")
    return [o.name for o in names], len(similar)


def _comparison_rows[M: (PassageLink, Discrepancy)](
    model: type[M], members: Sequence[Member]
) -> QuerySet[M]:
    """Comparison rows (links, discrepancies) between two members' current revisions. A
    revision belongs to one article, so the revisions alone pick the rows (two IN lists, each
    answered by its own index); the model's ordering, which would join the article table to
    sort by title, is dropped."""
    revisions = [m.article.current_revision_id for m in members]
    return model.objects.filter(a_revision__in=revisions, b_revision__in=revisions).order_by()


def _linked_groups(members: Sequence[Member]) -> list[tuple[set[int], tuple[int, int, int]]]:
    """The passages other members link to most (verbatim or near), each with its holders: the
    article holding it and every member linked to it. One query reads the links between the
    members (a few rows per pair that share text); they are counted here."""
    holders: dict[tuple[int, int, int], set[int]] = {}
    for a, a_start, a_end, b, b_start, b_end in (
        _comparison_rows(PassageLink, members)
        .exclude(kind="paraphrase")
        .values_list("a_article", "a_start", "a_end", "b_article", "b_start", "b_end")
    ):
        holders.setdefault((a, a_start, a_end), {a}).add(b)
        holders.setdefault((b, b_start, b_end), {b}).add(a)
    top = sorted(holders, key=lambda p: (-len(holders[p]), p))[: CARRIED_SHOWN * 2]
    return [(holders[p], p) for p in top]


def _carried(members: Sequence[Member], scope: QuerySet[Article]) -> list[Carried]:
    """Passages carried by the most articles of the story: each wire sentence (one query) and
    the passages most linked word for word (`_linked_groups`), with the articles carrying
    each."""
    by_pk = {m.article.pk: m.article for m in members}
    outlet_of = {m.article.pk: m.outlet for m in members}
    groups: list[tuple[set[int], tuple[int, int, int]]] = []
    wire: dict[str, list[tuple[int, int, int]]] = {}
    for sentence, holder, start, end in WirePassage.objects.filter(
        article__in=scope.values("pk"), revision=F("article__current_revision")
    ).values_list("sentence", "article", "start", "end"):
        wire.setdefault(sentence, []).append((holder, start, end))
    for copies in wire.values():
        holders = {c[0] for c in copies}
        if len(holders) > 1:
            groups.append((holders, min(copies)))
    groups += _linked_groups(members)
    groups.sort(key=lambda g: (-len(g[0]), -(g[1][2] - g[1][1]), g[1]))
    groups = groups[: CARRIED_SHOWN * 4]
    bodies = dict(
        ArticleRevision.objects.filter(
            pk__in={by_pk[g[1][0]].current_revision_id for g in groups}
        ).values_list("pk", "body")
    )
    shown: list[Carried] = []
    seen: set[str] = set()
    for holders, (article_pk, start, end) in groups:
        if len(shown) == CARRIED_SHOWN:
            break
        article = by_pk[article_pk]
        text = bodies.get(article.current_revision_id or 0, "")[start:end].strip()
        key = engine.fold_term(text)[:60]
        if not text or key in seen:
            continue
        seen.add(key)
        outlets = tuple(sorted({outlet_of[pk] for pk in holders if pk in outlet_of}))
        shown.append(Carried(text=text, articles=len(holders), outlets=outlets, first=article))
    return shown


def _differences(members: Sequence[Member]) -> list[Differing]:
    by_pk = {m.article.pk: m.article for m in members}
    rows = (
        _comparison_rows(Discrepancy, members)
        .order_by("kind", "a_article_id", "a_start", "pk")
        .values_list("kind", "a_article", "a_text", "b_article", "b_text")[:DIFFERENCES_READ]
    )
    found: list[Differing] = []
    seen: set[tuple[str, str, str]] = set()
    for kind, a, a_text, b, b_text in rows:
        key = (kind, *sorted((a_text.casefold(), b_text.casefold())))
        if key in seen:
            continue
        seen.add(key)  # type: ignore[arg-type]
        found.append(Differing(kind=kind, a=by_pk[a], a_text=a_text, b=by_pk[b], b_text=b_text))
        if len(found) == DIFFERENCES_SHOWN:
            break
    return found


def _framing(members: Sequence[Member], scope: QuerySet[Article]) -> list[OutletFraming]:
    outlet_of = {m.article.current_revision_id: _outlet_name(m.article) for m in members}
    counts: dict[str, Counter[str]] = {}
    for revision, family, n in (
        FramingHit.objects.filter(revision__in=scope.values("current_revision_id"))
        .values("revision", "family")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("revision", "family", "n")
    ):
        counts.setdefault(outlet_of[revision], Counter())[family] += n
    return [
        OutletFraming(outlet=outlet, families=tuple(sorted(c.items(), key=lambda x: (-x[1], x[0]))))
        for outlet, c in sorted(counts.items())
    ]


def story_articles(*, story: Story, user: access.User | None) -> StoryArticles:
    scope = _scope(story, user)
    members = _members(story, user, scope)
    covered = Counter(m.outlet for m in members)
    missing, similar = _missing_outlets(
        story, {m.article.outlet_id for m in members if m.article.outlet_id}
    )
    return StoryArticles(
        story=story,
        members=members,
        timeline=_timeline(members),
        covered=sorted(covered.items(), key=lambda x: (-x[1], x[0])),
        missing=missing,
        similar_stories=similar,
        carried=_carried(members, scope),
        differences=_differences(members),
        framing=_framing(members, scope),
    )


def stories_of_article(*, article: Article, user: access.User | None) -> list[Story]:
    """The stories an article is in, as this user sees them (the reading page links them)."""
    return list(
        access.stories_visible_to(user).filter(
            pk__in=access.story_memberships_visible_to(user)
            .filter(article=article)
            .values("story_id")
        )
    )

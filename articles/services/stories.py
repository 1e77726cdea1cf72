"""Stories: clustering suggestions as articles come in, and the curators' decisions.

`stories_suggest` profiles articles (term counts, document frequencies, unit vectors and key
terms: articles/stories/engine.py) and places each, in publication order, by the engine's
`assign`: as a suggested member of the stories its closest candidates are in, or in a new
proposed story with the unplaced articles it resembles. Candidates are found through the key
terms' postings, so placing one article costs the same in a corpus of 300 or 10,000. Confirmed
places are never touched by a suggestion; an article's earlier suggestions are replaced.

The curators' writes (confirm, create, rename, move, split, merge, reject) take the acting user
and check it with articles/access.py.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Case, Count, F, Max, Min, Q, Sum, Value, When
from django.utils import timezone
from django.utils.text import slugify

from .. import access
from ..models import (
    Article,
    ArticleKeyTerm,
    ArticleProfile,
    ArticleRevision,
    MembershipStatus,
    PassageLink,
    Story,
    StoryArticle,
    StoryStatus,
    StoryTerm,
)
from ..stories import engine

BATCH = 500  # terms or rows per query (well under SQLite's variable limit)
CANDIDATES = 200  # articles scored against a new one, those sharing most key terms
MIN_SHARED_KEYS = 2  # key terms an article must share with the new one to be scored


def _key(pk: int) -> str:
    return str(pk)


def _batches[T](items: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _df_apply(delta: Counter[str]) -> None:
    """Add each term's change of document frequency (new terms start at 0): one statement per
    batch of terms, whatever the changes are (profiling many articles again moves a term's
    count by anything from minus to plus their number)."""
    new = sorted(term for term, change in delta.items() if change > 0)
    for part in _batches(new):
        StoryTerm.objects.bulk_create(
            [StoryTerm(term=term, df=0) for term in part], ignore_conflicts=True
        )
    changed = sorted(term for term, change in delta.items() if change)
    for part in _batches(changed):
        StoryTerm.objects.filter(term__in=part).update(
            df=F("df")
            + Case(
                *(When(Q(term=term), then=Value(delta[term])) for term in part),
                default=Value(0),
            )
        )


def _vocabulary(terms: Iterable[str]) -> engine.Vocabulary:
    wanted = list(set(terms))
    df: dict[str, int] = {}
    for part in _batches(wanted):
        df.update(StoryTerm.objects.filter(term__in=part).values_list("term", "df"))
    return engine.Vocabulary(articles=ArticleProfile.objects.count(), df=df)


@transaction.atomic
def articles_profile(*, articles: Sequence[Article]) -> dict[int, ArticleProfile]:
    """Profile the articles' current revisions (again when the revision changed, or when the
    profile was made by another version of the engine's term extraction): counts, document
    frequencies (an old profile's terms out, the new ones in), vectors and key terms. Returns
    the profiles by article id."""
    if not articles:
        return {}
    revision_of = {
        a.pk: a.current_revision_id for a in articles if a.current_revision_id is not None
    }
    bodies = dict(
        ArticleRevision.objects.filter(pk__in=list(revision_of.values())).values_list("pk", "body")
    )
    old = {p.article_id: p for p in ArticleProfile.objects.filter(article__in=articles)}
    counts: dict[int, dict[str, int]] = {}
    delta: Counter[str] = Counter()
    for article in articles:
        revision = revision_of.get(article.pk)
        if revision is None or revision not in bodies:
            continue
        previous = old.get(article.pk)
        if (
            previous is not None
            and previous.revision_id == revision
            and previous.version == engine.TERMS_VERSION
        ):
            if previous.day != article.published_date:  # the day was set or corrected
                previous.day = article.published_date
                previous.save(update_fields=["day"])
            continue
        counts[article.pk] = engine.term_counts(article.title, bodies[revision])
        delta.update(counts[article.pk].keys())
        if previous is not None:
            delta.subtract(previous.counts.keys())
    _df_apply(delta)
    ArticleProfile.objects.bulk_create(
        [
            ArticleProfile(
                article_id=pk,
                revision_id=revision_of[pk],
                counts=terms,
                version=engine.TERMS_VERSION,
            )
            for pk, terms in counts.items()
            if pk not in old
        ]
    )
    vocabulary = _vocabulary(term for terms in counts.values() for term in terms)
    by_pk = {a.pk: a for a in articles}
    profiles = {p.article_id: p for p in ArticleProfile.objects.filter(article__in=articles)}
    for pk, terms in counts.items():
        profile = profiles[pk]
        profile.revision_id = revision_of[pk]
        profile.counts = terms
        profile.version = engine.TERMS_VERSION
        profile.day = by_pk[pk].published_date
        found = engine.vectors(terms, vocabulary)
        profile.vector, profile.entities = dict(found.words), dict(found.entities)
    ArticleProfile.objects.bulk_update(
        [profiles[pk] for pk in counts],
        ["revision", "counts", "version", "day", "vector", "entities"],
        batch_size=BATCH,
    )
    ArticleKeyTerm.objects.filter(article_id__in=list(counts)).delete()
    ArticleKeyTerm.objects.bulk_create(
        [
            ArticleKeyTerm(article_id=pk, term=term)
            for pk in counts
            for term in _key_terms(profiles[pk])
        ],
        batch_size=BATCH,
    )
    return profiles


def _key_terms(profile: ArticleProfile) -> list[str]:
    """The terms an article is found by: its key terms and its key names and numbers."""
    return list(dict.fromkeys([*profile.vector, *profile.entities]))


def _own_vectors(profile: ArticleProfile) -> engine.Vectors:
    return engine.Vectors(words=profile.vector, entities=profile.entities)


def _linked_chars(article: Article, others: Sequence[int]) -> dict[int, int]:
    """Characters of the article's current revision the comparison linked to each other one."""
    found: dict[int, int] = {}
    for side, other in (("a", "b"), ("b", "a")):
        rows = (
            PassageLink.objects.filter(
                **{
                    f"{side}_article": article.pk,
                    f"{side}_revision": article.current_revision_id,
                    f"{other}_article__in": others,
                }
            )
            .exclude(kind="paraphrase")
            .values(f"{other}_article")
            .annotate(chars=Sum(F(f"{side}_end") - F(f"{side}_start")))
        )
        for row in rows:
            pk = row[f"{other}_article"]
            found[pk] = found.get(pk, 0) + (row["chars"] or 0)
    return found


def _candidates(article: Article, profile: ArticleProfile) -> list[engine.Candidate]:
    keys = _key_terms(profile)
    if not keys:
        return []
    shared = Counter[int]()
    for part in _batches(keys):
        shared.update(
            dict(
                ArticleKeyTerm.objects.filter(term__in=part)
                .exclude(article_id=article.pk)
                .values("article_id")
                .annotate(n=Count("pk"))
                .values_list("article_id", "n")
            )
        )
    chosen = [
        pk
        for pk, n in sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        if n >= MIN_SHARED_KEYS
    ][:CANDIDATES]
    if not chosen:
        return []
    vectors: dict[int, engine.Vectors] = {}
    days = {}
    for pk, words, entities, day in ArticleProfile.objects.filter(
        article_id__in=chosen
    ).values_list("article_id", "vector", "entities", "day"):
        vectors[pk] = engine.Vectors(words=words, entities=entities)
        days[pk] = day
    stories: dict[int, set[str]] = {}
    for pk, story in StoryArticle.objects.filter(article_id__in=chosen).values_list(
        "article_id", "story_id"
    ):
        stories.setdefault(pk, set()).add(_key(story))
    linked = _linked_chars(article, chosen)
    return [
        engine.Candidate(
            key=_key(pk),
            vectors=vectors[pk],
            day=days.get(pk),
            stories=frozenset(stories.get(pk, ())),
            linked_chars=linked.get(pk, 0),
        )
        for pk in chosen
        if pk in vectors
    ]


def _unique_slug(title: str) -> str:
    base = (slugify(title)[:80].strip("-") or "story").lower()
    slug, n = base, 1
    while Story.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _evidence(evidence: engine.Evidence) -> dict[str, object]:
    """The evidence as stored with a place in a story (the admin and the story page show it)."""
    return {
        "score": round(evidence.score, 4),
        "closest": [
            {
                "article": int(n.key),
                "score": round(n.score, 4),
                "terms": list(n.terms),
                "linked_chars": n.linked_chars,
                "days": n.days,
            }
            for n in evidence.closest
        ],
    }


def stories_refresh_summary(*, stories: Iterable[Story]) -> None:
    """Keep each story's dates and mean vector in step with its articles."""
    for story in stories:
        members = StoryArticle.objects.filter(story=story)
        dates = members.aggregate(
            first=Min("article__published_date"), last=Max("article__published_date")
        )
        vectors = list(
            ArticleProfile.objects.filter(article_id__in=members.values("article_id")).values_list(
                "vector", flat=True
            )
        )
        mean: dict[str, float] = {}
        for item in vectors:
            for term, weight in item.items():
                mean[term] = mean.get(term, 0.0) + weight / len(vectors)
        story.first_published = dates["first"]
        story.last_published = dates["last"]
        story.vector = dict(sorted(mean.items(), key=lambda kv: (-kv[1], kv[0]))[:100])
        fields = ["first_published", "last_published", "vector", "updated"]
        if story.status == StoryStatus.PROPOSED:
            # Until a curator names it, a proposed story bears its most telling article title.
            titles = list(
                Article.objects.filter(pk__in=members.values("article_id")).values_list(
                    "title", flat=True
                )
            )
            best = engine.best_title(titles, story.vector)
            if best and best != story.title:
                story.title = best[:300]
                fields.append("title")
        story.save(update_fields=fields)


@dataclass(frozen=True)
class SuggestReport:
    profiled: int
    suggested: int  # places suggested in existing stories
    proposed: int  # new stories proposed

    def summary(self) -> str:
        return (
            f"{self.profiled} articles profiled, {self.suggested} places in stories suggested, "
            f"{self.proposed} new stories proposed"
        )


def _order(article: Article) -> tuple[bool, date, int]:
    return (article.published_date is None, article.published_date or date.min, article.pk)


@transaction.atomic
def stories_suggest(*, article_ids: Iterable[int]) -> SuggestReport:
    """Profile the articles and suggest their stories (see the module's doc). Running it again
    for the same articles gives the same suggestions."""
    articles = list(
        Article.objects.filter(pk__in=list(article_ids)).only(
            "pk", "title", "published_date", "current_revision_id"
        )
    )
    profiles = articles_profile(articles=articles)
    suggested = proposed = 0
    touched: set[int] = set()
    for article in sorted(articles, key=_order):
        profile = profiles.get(article.pk)
        if profile is None:
            continue
        stale = StoryArticle.objects.filter(article=article, status=MembershipStatus.SUGGESTED)
        touched.update(stale.values_list("story_id", flat=True))
        stale.delete()
        confirmed = set(
            StoryArticle.objects.filter(article=article).values_list("story_id", flat=True)
        )
        placement = engine.assign(
            _key(article.pk), _own_vectors(profile), profile.day, _candidates(article, profile)
        )
        for story_key, evidence in placement.stories.items():
            story_id = int(story_key)
            if story_id in confirmed:
                continue
            StoryArticle.objects.create(
                story_id=story_id,
                article=article,
                score=evidence.score,
                evidence=_evidence(evidence),
            )
            touched.add(story_id)
            suggested += 1
        if placement.new_story and not confirmed:
            story = Story.objects.create(title=article.title, slug=_unique_slug(article.title))
            own = engine.Evidence(score=1.0, closest=placement.founding[:3])
            StoryArticle.objects.create(
                story=story, article=article, score=1.0, evidence=_evidence(own)
            )
            for neighbour in placement.founding:
                StoryArticle.objects.get_or_create(
                    story=story,
                    article_id=int(neighbour.key),
                    defaults={
                        "score": neighbour.score,
                        "evidence": _evidence(
                            engine.Evidence(
                                score=neighbour.score,
                                closest=(
                                    engine.Neighbour(
                                        key=_key(article.pk),
                                        score=neighbour.score,
                                        terms=neighbour.terms,
                                        linked_chars=neighbour.linked_chars,
                                        days=neighbour.days,
                                    ),
                                ),
                            )
                        ),
                    },
                )
            touched.add(story.pk)
            proposed += 1
    # A proposed story left with no article (its suggestions replaced) goes.
    Story.objects.filter(pk__in=touched, status=StoryStatus.PROPOSED, memberships=None).delete()
    stories_refresh_summary(stories=Story.objects.filter(pk__in=touched))
    return SuggestReport(profiled=len(profiles), suggested=suggested, proposed=proposed)


def stories_suggest_stale() -> SuggestReport:
    """Suggest stories for every article whose current revision has no profile of the engine's
    current term extraction yet (after an import of many files, a re-extraction, a new
    revision, a new `TERMS_VERSION`)."""
    current = ArticleProfile.objects.filter(
        revision=F("article__current_revision"), version=engine.TERMS_VERSION
    )
    stale = Article.objects.exclude(pk__in=current.values("article_id")).exclude(
        current_revision__isnull=True
    )
    return stories_suggest(article_ids=list(stale.values_list("pk", flat=True)))


# --- The curators' decisions -----------------------------------------------------------------


def _decided(user: access.User | None) -> dict[str, object]:
    return {"decided_by": user, "decided_at": timezone.now()}


@transaction.atomic
def story_create(
    *, user: access.User | None, title: str, summary: str = "", article_ids: Iterable[int] = ()
) -> Story:
    """A confirmed story made by a curator, with these articles confirmed in it."""
    account = access.require_curator(user)
    title = title.strip()
    if not title:
        raise ValueError("A story needs a title.")
    story = Story.objects.create(
        title=title, slug=_unique_slug(title), summary=summary.strip(), status=StoryStatus.CONFIRMED
    )
    StoryArticle.objects.bulk_create(
        [
            StoryArticle(
                story=story,
                article_id=pk,
                status=MembershipStatus.CONFIRMED,
                decided_by=account,
                decided_at=timezone.now(),
            )
            for pk in dict.fromkeys(article_ids)
        ]
    )
    stories_refresh_summary(stories=[story])
    return story


@transaction.atomic
def stories_confirm(*, user: access.User | None, stories: Iterable[Story]) -> int:
    """Confirm proposed stories with the places suggested in them."""
    account = access.require_curator(user)
    ids = [s.pk for s in stories]
    now = timezone.now()
    StoryArticle.objects.filter(story_id__in=ids, status=MembershipStatus.SUGGESTED).update(
        status=MembershipStatus.CONFIRMED, decided_by=account, decided_at=now, modified=now
    )
    return (
        Story.objects.filter(pk__in=ids)
        .exclude(status=StoryStatus.CONFIRMED)
        .update(status=StoryStatus.CONFIRMED, updated=now)
    )


@transaction.atomic
def story_memberships_confirm(
    *, user: access.User | None, memberships: Iterable[StoryArticle]
) -> int:
    account = access.require_curator(user)
    now = timezone.now()
    return StoryArticle.objects.filter(pk__in=[m.pk for m in memberships]).update(
        status=MembershipStatus.CONFIRMED, decided_by=account, decided_at=now, modified=now
    )


@transaction.atomic
def story_memberships_reject(
    *, user: access.User | None, memberships: Iterable[StoryArticle]
) -> int:
    """Take articles out of stories (a rejected suggestion or a confirmed place undone)."""
    access.require_curator(user)
    chosen = StoryArticle.objects.filter(pk__in=[m.pk for m in memberships])
    stories = list(Story.objects.filter(pk__in=chosen.values("story_id")))
    removed, _ = chosen.delete()
    stories_refresh_summary(stories=stories)
    return removed


@transaction.atomic
def story_memberships_move(
    *, user: access.User | None, memberships: Iterable[StoryArticle], target: Story
) -> int:
    """Move articles from their stories into `target`, confirmed there."""
    account = access.require_curator(user)
    chosen = list(StoryArticle.objects.filter(pk__in=[m.pk for m in memberships]))
    sources = {m.story_id for m in chosen} - {target.pk}
    moved = 0
    for membership in chosen:
        if membership.story_id == target.pk:
            continue
        StoryArticle.objects.update_or_create(
            story=target,
            article_id=membership.article_id,
            defaults={"status": MembershipStatus.CONFIRMED, **_decided(account)},
        )
        membership.delete()
        moved += 1
    stories_refresh_summary(stories=[target, *Story.objects.filter(pk__in=sources)])
    return moved


@transaction.atomic
def story_split(
    *, user: access.User | None, memberships: Iterable[StoryArticle], title: str
) -> Story:
    """Move these places out of their story into a new confirmed story."""
    chosen = list(memberships)
    story = story_create(user=user, title=title)
    story_memberships_move(user=user, memberships=chosen, target=story)
    return story


@transaction.atomic
def stories_merge(*, user: access.User | None, stories: Sequence[Story], into: Story) -> int:
    """Merge stories into one: their articles move (confirmed) and the others go."""
    access.require_curator(user)
    others = [s for s in stories if s.pk != into.pk]
    memberships = StoryArticle.objects.filter(story__in=others)
    moved = story_memberships_move(user=user, memberships=memberships, target=into)
    Story.objects.filter(pk__in=[s.pk for s in others]).delete()
    if into.status != StoryStatus.CONFIRMED:
        stories_confirm(user=user, stories=[into])
    return moved


@transaction.atomic
def story_update(*, user: access.User | None, story: Story, title: str, summary: str) -> Story:
    access.require_curator(user)
    title = title.strip()
    if not title:
        raise ValueError("A story needs a title.")
    story.title, story.summary = title, summary.strip()
    story.save(update_fields=["title", "summary", "updated"])
    return story

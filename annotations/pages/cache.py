"""The one cache module: every key and version a cached page or fragment reads.

- Whole pages for anonymous readers (`anonymous_page`), served from the cache while their
  version stands.
- The versions those pages key on (`article_page_version`, `site_version`,
  `compare_page_version`) and the key of a reader's body and sidebar fragments
  (`reader_cache_key`), each one query of index reads over counters the database keeps.
- Who is reading, as every per-reader key holds it (`reader_part`).
- The rendered article side of a story page, shared by every reader who sees a story alike
  (`story_part_key`): kept under the catalogue's version, so any change to an article,
  outlet, comparison, story or place in one shows at once.

Views decorate with `anonymous_page`; page selectors ask for keys here; templates cache a
fragment only under a key this module made (the reading page's body and sidebar, the story
page's article side).

A view decorated with `anonymous_page(version, params=...)` renders as usual for signed-in
readers. For a reader who carries no session or message cookie (so nothing on the page can be
personal), it keeps only the query parameters the view declares, each in its canonical form
(so `?x=1`, `?x=2`, ... or `?sort=nonsense` add no entries), asks `version(request, *args,
**kwargs)` for the page's version (one cheap query) and serves the stored page under that
version if there is one, or renders and stores it. The view itself is then given the same
cleaned request, so a stored page never holds a parameter its key ignored. Versions are
computed by the database on every request, so a change shows at once; nothing needs to be
deleted from the cache. When `version` answers None (no such page, or one not worth keeping,
such as a page number past the end), the view runs and nothing is stored.
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import patch_vary_headers

from articles.comparison.page import MAX_ARTICLES, MIN_ARTICLES
from articles.models import (
    Article,
    ArticleRevision,
    CatalogueVersion,
    Outlet,
    Story,
    StoryStatus,
)
from articles.selectors import wanted_slugs

from ..models import (
    Annotation,
    ArticleActivity,
    Claim,
    Membership,
    Notification,
    SiteActivity,
    Visibility,
)

Version = Callable[..., str | None]
# A query parameter's values as the request gives them -> its canonical value ("" = default).
Normaliser = Callable[[list[str]], str]


def reader_part(user) -> tuple:
    """Who is reading, as every per-reader cache key holds it: anonymous, or the account's id
    with its session auth hash (a digest of its salted password hash, which no other account
    shares, even one given the same id after a delete or a restore) and every role the access
    rules read, so a changed role or password reads from new keys at once."""
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    return (
        user.pk,
        user.get_session_auth_hash(),
        user.is_staff,
        user.is_superuser,
        user.is_active,
    )


def last_value(allowed: Callable[[str], bool]) -> Normaliser:
    """A one-valued parameter read as the view reads it (the last value given), kept when
    `allowed` accepts it and dropped (the view's default) otherwise."""

    def normalise(values: list[str]) -> str:
        value = values[-1] if values else ""
        return value if value and allowed(value) else ""

    return normalise


def _personal(request: HttpRequest) -> bool:
    """Whether the page could differ for this request: a session (signed in, or messages
    waiting), a messages cookie, or a user known some other way."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or request.user.is_authenticated
    )


def _clean(request: HttpRequest, params: Mapping[str, Normaliser]) -> None:
    """Leave in the request only the declared parameters, canonical and sorted by name."""
    kept = [(name, params[name](request.GET.getlist(name))) for name in sorted(params)]
    query = urlencode([(name, value) for name, value in kept if value])
    request.GET = QueryDict(query)
    request.META = {**request.META, "QUERY_STRING": query}


def _key(request: HttpRequest, version: str) -> str:
    # Scheme, host, path and the cleaned query: all may show on the page.
    address = request.build_absolute_uri(request.path)
    parts = (address, request.META["QUERY_STRING"], reader_part(request.user), version)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"page:{digest}"


def anonymous_page(version: Version, *, params: Mapping[str, Normaliser] | None = None):
    """Serve the view's page to anonymous readers from the cache under `version`; `params`
    names the query parameters the view reads, with how each is normalised."""
    declared = dict(params or {})

    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or _personal(request):
                return view(request, *args, **kwargs)
            _clean(request, declared)
            current = version(request, *args, **kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            key = _key(request, current)
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
                # As the rendered page would: it depends on the (absent) session cookie.
                patch_vary_headers(response, ("Cookie",))
                return response
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                cache.set(
                    key,
                    (response.content, response["Content-Type"]),
                    settings.ASTANA_PAGE_CACHE_SECONDS,
                )
            return response

        return wrapped

    return decorate


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a plain, complete 200 that set no cookie and holds no CSRF token."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


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
MEMBERSHIPS = Membership._meta.db_table
NOTIFICATIONS = Notification._meta.db_table
ARTICLES, ACTIVITY = Article._meta.db_table, ArticleActivity._meta.db_table
SITE_ACTIVITY = f"(SELECT version FROM {SiteActivity._meta.db_table} WHERE id = 1)"


# Pages that show other articles (titles, outlets, stories, shared passages, framing) key on
# the catalogue's version: one row the database moves whenever any of them changes, by any
# write path (articles/migrations/0020_catalogue_version.py), read by its primary key.
CATALOGUE = CatalogueVersion.sql(connection.vendor)


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
    """Joins (m, y, g, gm) of the reader's own annotations on the article, of the replies to
    them by others that the reader may read, of their groups' annotations there and of their
    memberships (public, unhidden unless staff, on a published
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
        f"AND EXISTS (SELECT 1 FROM {ARTICLES} WHERE id = %s AND status = %s)) y "
        # The annotations of the reader's groups on the article (their moderators' hiding
        # bumps a version), and the reader's memberships (joining, leaving, a new role).
        f"CROSS JOIN (SELECT {_state('x')} FROM {ANNOTATIONS} x "
        f"LEFT JOIN {CLAIMS} k ON k.id = x.claim_id WHERE x.article_id = %s "
        f"AND x.group_id IN (SELECT group_id FROM {MEMBERSHIPS} WHERE user_id = %s)) g "
        f"CROSS JOIN (SELECT COUNT(*), MAX(modified) FROM {MEMBERSHIPS} WHERE user_id = %s) gm"
    )
    pk, me = article.pk, user.pk
    return sql, [pk, me, pk, me, Visibility.PUBLIC, pk, Article.Status.PUBLISHED, pk, me, me]


def reader_cache_key(*, article: Article, user) -> str:
    """A key that changes exactly when what this reader sees of the article's body and
    sidebar changes: its status and current revision, the annotations they may read and their
    claims (the article's counter for all readers, or for staff; their own annotations and
    the replies to them), and who is reading (pagecache.reader_part: the account, never its
    bare id, and its role)."""
    columns = "a.status, r.id, r.created, c.public_version"
    joined, joined_params = "", []
    if user is not None and user.is_authenticated:
        mine = ", m.*, y.*, g.*, gm.*"
        columns += ", c.staff_version" + mine if user.is_staff else mine
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
        f"a.id, a.updated, o.updated, r.id, r.created, c.public_version, {CATALOGUE}",
        "a.slug = %s AND a.status = %s",
        [slug, Article.Status.PUBLISHED],
    )
    return _digest(rows[0]) if rows else None


def site_version(
    *, outlet: str = "", story: str = "", page: int = 1, per_page: int = 1
) -> str | None:
    """The version of the article list as an anonymous reader sees it (one query): it moves
    with every article, outlet and comparison change and with the annotations they may read
    (the site's counter) and with every story and place in one (the home page lists stories,
    the list filters by one). None when the page should not be kept: an unknown outlet or
    story, or a page past the last (with a story named, every page past the first)."""
    # The checks cost more than the version itself, so each is asked only when it can fail:
    # the outlet's existence when one is named, the number of pages past the first.
    columns, params = [f"{CATALOGUE}, {SITE_ACTIVITY}"], []
    if outlet:
        columns.append(f"(SELECT COUNT(*) FROM {Outlet._meta.db_table} WHERE slug = %s)")
        params.append(outlet)
    if story:
        columns.append(
            f"(SELECT COUNT(*) FROM {Story._meta.db_table} WHERE slug = %s AND status = %s)"
        )
        params += [story, StoryStatus.CONFIRMED]
        if page > 1:
            return None
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
    if story and not row.pop():
        return None
    if outlet and not row.pop():
        return None
    if page > 1 and page > -(-articles // per_page):
        return None
    return _digest(tuple(row))


def story_part_key(*, story_id: int, curator: bool) -> str:
    """The key of the article side of a story page (timeline, articles, coverage, carried
    passages, differences, framing), rendered once and kept: one version query (the
    catalogue's version: articles, outlets, comparisons, stories and places in them, the
    framing lexicon). Curators, who also see suggestions and drafts, have their own entry."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {CATALOGUE}")
        version = _digest(tuple(cursor.fetchone()))
    return f"story-part:{story_id}:{int(curator)}:{version}"


def compare_page_version(*, slugs: Sequence[str]) -> str | None:
    """The version of the compare page of these articles as an anonymous reader sees it, or
    None when the selection is not one the page can show (one query). Besides the articles
    it follows every article, outlet and comparison (the picker lists them all) and the
    site's counter: the page shows the articles' public annotations and follows their claims
    into other articles."""
    wanted = wanted_slugs(slugs)
    if not MIN_ARTICLES <= len(wanted) <= MAX_ARTICLES:
        return None
    rows = _article_rows(
        f"a.slug, a.id, a.updated, o.updated, r.id, r.created, {CATALOGUE}, {SITE_ACTIVITY}",
        f"a.slug IN ({', '.join(['%s'] * len(wanted))}) AND a.status = %s",
        [*wanted, Article.Status.PUBLISHED],
    )
    return _digest(tuple(sorted(rows))) if len(rows) == len(wanted) else None


@dataclass(frozen=True, slots=True)
class SharedReader:
    """A signed-in reader who may have the shared reading page, with what their own parts
    of it need to ask: whether they have unread notifications, and groups."""

    key: str
    # The page around the body and sidebar, which no annotation changes: kept apart, so a
    # write redraws only those two.
    frame_key: str
    unread: bool
    grouped: bool
    # They read annotations there that anonymous readers do not: the shared page, with their
    # own body and sidebar in place of everyone's.
    personal: bool = False


def _reader_extras(slug: str, user) -> tuple[bool, bool, bool]:
    """In one query: whether the reader may read annotations on the article that an anonymous
    reader may not (access.annotations_beyond_public_q, as SQL: their own that are not public
    or are hidden, and their groups'), whether they have unread notifications and whether
    they are in any group."""
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {ANNOTATIONS} x JOIN {ARTICLES} a ON a.id = x.article_id "
        "WHERE a.slug = %s AND ((x.creator_id = %s AND (x.visibility <> %s OR x.is_hidden = %s)) "
        f"OR x.group_id IN (SELECT group_id FROM {MEMBERSHIPS} WHERE user_id = %s))), "
        f"EXISTS (SELECT 1 FROM {NOTIFICATIONS} WHERE recipient_id = %s AND read_at IS NULL), "
        f"EXISTS (SELECT 1 FROM {MEMBERSHIPS} WHERE user_id = %s)"
    )
    me = user.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, me, Visibility.PUBLIC, True, me, me, me])
        beyond, unread, grouped = cursor.fetchone()
    return bool(beyond), bool(unread), bool(grouped)


def shared_reader(*, request: HttpRequest, slug: str) -> SharedReader | None:
    """A signed-in reader as the reading page shared by signed-in readers sees them (its key,
    whether they read annotations there that anonymous readers do not, what their own parts
    need), or None when they must have a page of their own: staff (who read what is hidden
    and proposed stories), or an article that is not published. Two queries: the page's
    versions (as the anonymous page's, and without the article's annotations for the frame)
    and `_reader_extras`.

    The shared page holds nothing of its reader: who is signed in, their notifications,
    messages, groups and CSRF token are filled in for each request, and so are the body and
    sidebar of a reader who reads more than everyone (pages/shared.py)."""
    user = request.user
    if not user.is_authenticated or user.is_staff:
        return None
    rows = _article_rows(
        f"c.public_version, a.id, a.updated, o.updated, r.id, r.created, {CATALOGUE}",
        "a.slug = %s AND a.status = %s",
        [slug, Article.Status.PUBLISHED],
    )
    if not rows:
        return None
    beyond, unread, grouped = _reader_extras(slug, user)
    address = request.build_absolute_uri(request.path)
    return SharedReader(
        key=f"reader-page:{_digest((address, rows[0]))}",
        frame_key=f"reader-frame:{_digest((address, rows[0][1:]))}",
        unread=unread,
        grouped=grouped,
        personal=beyond,
    )


def member_sidebar_key(public_key: str) -> str:
    """The sidebar fragment's key in the shared page: what anonymous readers see (their key),
    drawn for someone signed in (the tools to annotate, the layer's choice)."""
    return _digest((public_key, "signed-in"))


def search_tags_key() -> str:
    """The key of the tags every reader is offered in search's filter (those on what an
    anonymous reader may read: annotations and claims), one query. It moves with the site's
    counter (annotations, their tags, threads and articles as anonymous readers read them:
    a tag's rename bumps the annotations carrying it), with the claims (their number and
    newest change, a rename of their tags included: services/tags.py) and with the claims'
    tag links (their number and newest id; ids are never reused). A reader's own additions
    are never kept under it (search/filters.py)."""
    claims, links = Claim._meta.db_table, Claim.tags.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {SITE_ACTIVITY}, (SELECT COUNT(*) FROM {claims}), "
            f"(SELECT MAX(modified) FROM {claims}), (SELECT COUNT(*) FROM {links}), "
            f"(SELECT MAX(id) FROM {links})"
        )
        return f"search-tags:{_digest(tuple(cursor.fetchone()))}"


# The compare page (pages/compare.py) keeps what it shows in three fragments: the picker (the
# catalogue), the columns and the panels (the articles and the notes their reader sees there),
# and the claims followed across outlets (the notes' claims wherever they are carried).


def compare_picker_key(*, story: str, chosen: Sequence[str], curator: bool) -> str:
    """The key of the compare picker (the story filter and the articles listed, the chosen
    ones ticked), one query: the catalogue's version, with the story and the chosen articles
    the address names. The same for every reader; curators, who also see proposed stories and
    suggested places, have their own."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {CATALOGUE}")
        version = tuple(cursor.fetchone())
    return f"compare-picker:{_digest((version, story, tuple(chosen), curator))}"


@dataclass(frozen=True, slots=True)
class CompareKeys:
    body: str  # the columns and the panels but the claims
    claims: str  # the claims across outlets


def _beyond_state(beyond: QuerySet[Annotation], article_ids: Sequence[int]) -> tuple:
    """The state of the annotations the reader reads beyond everyone
    (access.annotations_beyond_everyone) that the page can show: the notes on its articles,
    and any carrying a claim (a claim followed into another article shows whether the reader
    marked it there). One query; none for an anonymous reader."""
    if not beyond.query.is_empty():
        shown = Q(article__in=article_ids, parent__isnull=True)
        claimed = Q(claim__isnull=False)
        state = Annotation.objects.filter(pk__in=beyond.order_by().values("pk")).aggregate(
            notes=Count("pk", filter=shown),
            notes_versions=Sum("version", filter=shown),
            notes_changed=Max("modified", filter=shown),
            notes_claims=Max("claim__modified", filter=shown),
            claimed=Count("pk", filter=claimed),
            claimed_versions=Sum("version", filter=claimed),
            claimed_changed=Max("modified", filter=claimed),
            claims_changed=Max("claim__modified", filter=claimed),
        )
        return tuple(state.values())
    return ()


def compare_keys(
    *, articles: Sequence[Article], user, beyond: QuerySet[Annotation]
) -> CompareKeys | None:
    """The keys of the compare page's columns and panels, and of its claims, for a reader who
    may read what everyone reads and `beyond` (access.annotations_beyond_everyone): two
    queries at most. Readers who read the same there share them: the articles (and their
    order), their current revisions and outlets, the catalogue, what everyone reads on them
    (their counters) and what this reader reads beyond it; the claims also follow what
    everyone reads anywhere (the site's counter: they are followed into other articles) and
    whether the reader is signed in (the panel offers to apply a claim). None when an article
    is not published (its notes have no counter): such a page is not kept."""
    ids = [article.pk for article in articles]
    rows = _article_rows(
        f"a.id, a.updated, o.updated, r.id, r.created, c.public_version, {CATALOGUE}, "
        f"{SITE_ACTIVITY}",
        f"a.id IN ({', '.join(['%s'] * len(ids))}) AND a.status = %s",
        [*ids, Article.Status.PUBLISHED],
    )
    if len(rows) != len(ids):
        return None
    order = {pk: n for n, pk in enumerate(ids)}
    rows.sort(key=lambda row: order[row[0]])
    site = [row[-1] for row in rows[:1]]
    shown = [row[:-1] for row in rows]
    state = _beyond_state(beyond, ids)
    signed_in = user is not None and user.is_authenticated
    return CompareKeys(
        body=f"compare-body:{_digest((shown, state[:4]))}",
        claims=f"compare-claims:{_digest((shown, site, state, signed_in))}",
    )

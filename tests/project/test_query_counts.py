"""Every list and detail page runs a fixed number of queries, however many rows it shows.

Each page below is requested once on a small corpus and once after every kind of row it could
show has grown (articles, outlets, blocks, revisions, annotations, replies, private notes,
tags, claims, passages, framing terms, history records), with the cache emptied before each
count so that both are first visits. The two counts must be equal and within a stated bound.

The reading pages and the API are counted for an anonymous visitor's first visit and for a
signed-in reader (whom the page cache never serves); the admin pages for an editor. The admin
changelists of articles, revisions, annotations, claims and tags are counted in
tests/articles/test_curation.py and tests/annotations/test_admin.py, and the anonymous repeat
visits served from the page cache in tests/articles/test_page_cache.py.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from annotations import services
from annotations.models import Annotation, Claim
from articles.models import Article, FramingFamily, FramingTerm, Outlet
from articles.services import article_import

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456789"
FEW, MORE = 2, 4  # rows of each kind before growing, and how many more are added
PLACES = [
    "Almaty", "Baku", "Cairo", "Doha", "Erbil", "Geneva", "Homs", "Idlib", "Jeddah", "Kabul",
    "Latakia", "Minsk", "Nicosia", "Oslo",
]  # fmt: skip
FOOTER = (
    "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 "
    "International License."
)


def _paragraph(n: int) -> str:
    """A paragraph of the main story that partner story n carries too (a comparison link)."""
    return (
        f"Paragraph {n:02} says the delegates from {PLACES[n]} met the zephyr envoy on day {n} "
        f"and observers from {PLACES[n]} followed the closed talks."
    )


def _text(*paragraphs: str) -> bytes:
    return ("\n\n".join([*paragraphs, FOOTER]) + "\n").encode()


def _mark(user, article: Article, words: str, **fields) -> Annotation:
    start = article.current_revision.body.index(words)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(words), **fields
    ).annotation


@dataclass
class Corpus:
    """Rows of every kind a page can list; `grow` adds `count` more of each."""

    alice: object
    bob: object
    editor: object
    main: Article | None = None
    claim: Claim | None = None
    root: Annotation | None = None
    family: FramingFamily | None = None
    partners: list[Article] = field(default_factory=list)

    def grow(self, count: int) -> None:
        for _ in range(count):
            self._add(len(self.partners))
        self.main.refresh_from_db()
        self.root.refresh_from_db()

    def _add(self, n: int) -> None:
        """Story n: a new revision of the main article with one more paragraph (its blocks
        and history grow), a partner story in a new outlet sharing that paragraph, and on
        them notes, tags, replies, private notes, claims and passages; a framing family and
        term; one more history record of the outlet, the first claim and the first note."""
        alice, bob = self.alice, self.bob
        story = [_paragraph(i) for i in range(n + 1)]
        self.main = article_import(
            name="main.txt", data=_text("Zephyr talks open in Astana", *story)
        ).article
        partner = article_import(
            name=f"partner-{n:02}.txt",
            data=_text(f"Partner story number {n}", _paragraph(n), "It adds a zephyr remark."),
        ).article
        outlet = Outlet.objects.create(name=f"Outlet {n:02}", slug=f"outlet-{n:02}")
        Article.objects.filter(pk=partner.pk).update(outlet=outlet)
        self.partners.append(partner)
        if self.claim is None:
            self.claim = services.claim_create(
                user=alice, text="The zephyr delayed the talks", rating="supported"
            )
            self.family = FramingFamily.objects.create(name="Zephyr words", position=0)
        quote = f"Paragraph {n:02}"
        note = _mark(alice, self.main, quote, note=f"zephyr note {n}", tags=["common", f"t{n}"])
        self.root = self.root or note
        self.root.refresh_from_db()
        services.annotation_reply(user=bob, parent=note, note=f"zephyr reply {n}")
        services.annotation_reply(user=alice, parent=self.root, note=f"root reply {n}")
        _mark(alice, self.main, f"on day {n} ", motivation="assessing", claim=self.claim)
        _mark(alice, self.main, f"{quote} says", note=f"private {n}", visibility="private")
        _mark(bob, self.main, "zephyr envoy", note=f"bob's {n}", visibility="private")
        _mark(alice, self.partners[0], "zephyr remark", note=f"compared {n}", tags=[f"p{n}"])
        _mark(
            alice,
            partner,
            f"{quote} says",
            motivation="assessing",
            claim=self.claim,
            tags=["common"],
        )
        claim = services.claim_create(
            user=alice, text=f"Zephyr claim {n}", tags=[f"c{n}"], rating="disputed"
        )
        _mark(alice, partner, "zephyr remark", motivation="assessing", claim=claim)
        services.claim_update(user=alice, claim=self.claim, reviewer_notes=f"Checked {n} times.")
        services.annotation_update(
            user=alice, annotation=self.root, expected_version=self.root.version, note=f"v{n}"
        )
        FramingTerm.objects.create(family=self.family, phrase=f"zephyr {n}")
        other = FramingFamily.objects.create(name=f"Family {n:02}", position=n + 1)
        FramingTerm.objects.create(family=other, phrase=f"breeze {n}")
        mehr = self.main.outlet
        mehr.notes = f"Edited {n} times."
        mehr.save()


@pytest.fixture
def corpus(django_user_model) -> Corpus:
    make = django_user_model.objects.create_user
    editor = make("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    rows = Corpus(
        alice=make("alice", password=PASSWORD), bob=make("bob", password=PASSWORD), editor=editor
    )
    rows.grow(FEW)
    return rows


def _admin(name: str, *args) -> Callable[[Corpus], str]:
    return lambda c: reverse(f"admin:{name}", args=[a(c) for a in args])


def _main_pk(c: Corpus) -> int:
    return c.main.pk


def _root_pk(c: Corpus) -> int:
    return c.root.pk


def _claim_pk(c: Corpus) -> int:
    return c.claim.pk


def _outlet_pk(c: Corpus) -> int:
    return c.main.outlet_id


def _revision_pk(c: Corpus) -> int:
    return c.main.current_revision_id


def _family_pk(c: Corpus) -> int:
    return c.family.pk


def _tag_pk(c: Corpus) -> int:
    return Tag.objects.get(slug="common").pk


@dataclass(frozen=True)
class Page:
    """A page to count: its address in the corpus, who asks, and the most queries it may run."""

    name: str
    url: Callable[[Corpus], str]
    who: str  # "anonymous", or the user signed in: "alice", "editor"
    bound: int

    def param(self, *marks):
        return pytest.param(self, id=re.sub(r"\W+", "-", self.name).strip("-"), marks=marks)


# simple_history 3.13 calls select_related() with no fields for a model without foreign keys
# (Outlet); Django 6.1 deprecates that, and the tests turn warnings into errors.
SELECT_RELATED_WARNING = pytest.mark.filterwarnings(
    r"ignore:Calling select_related\(\) with no arguments"
    ":django.utils.deprecation.RemovedInDjango2028Warning"
)


# Each page with the most queries it may run (the count with two rows of each kind today);
# the reading site and the API for an anonymous visitor and for a signed-in reader. A signed-in
# reader's HTML pages run one or two more for the header's unread-notification count: whether
# any is unread (all a reader with none unread pays), then how many they may still see (the
# corpus has unread replies, so two here).
READING_PAGES = [
    # The list also shows the newest stories and the stories to filter by: two queries.
    ("article list", lambda c: "/", 6, 9),
    # ... and the reading page names the stories the article is in: one query. Signed in,
    # alice reads more than everyone there (her private notes): on this first visit the
    # frame everyone shares is drawn and kept (the version query, whether she reads more,
    # the article, its stories and sharing), then her own body and sidebar (her version
    # query, her annotations, their tags, her groups for the layer choice).
    ("article detail", lambda c: c.main.get_absolute_url(), 10, 18),
    ("article source", lambda c: f"{c.main.get_absolute_url()}source/", 2, 6),
    # ... and compare keeps its picker, its columns and panels, and its claims (their keys:
    # the catalogue's version, the articles' counters and a signed-in reader's own notes).
    ("compare", lambda c: f"/compare/?articles={c.main.slug},{c.partners[0].slug}", 17, 21),
    # Search: the tags every reader is offered are kept under their version (one query, and
    # one more to draw them after a change, as here); a signed-in reader's page reads what
    # they may find beyond everyone (two queries) and their own tags (one).
    ("search articles", lambda c: "/search/?q=zephyr&kind=article", 6, 13),
    ("search annotations", lambda c: "/search/?q=zephyr&kind=annotation", 6, 13),
    ("search claims", lambda c: "/search/?q=zephyr&kind=claim", 6, 13),
    ("tag detail", lambda c: "/tags/common/", 3, 7),
    ("claim list", lambda c: "/claims/", 3, 7),
    ("claim detail", lambda c: f"/claims/{c.claim.pk}/", 4, 8),
    ("tag index", lambda c: "/tags/", 2, 6),
    ("person's page", lambda c: f"/users/{c.alice.username}/", 7, 11),
    ("person's export csv", lambda c: f"/users/{c.alice.username}/export/?format=csv", 3, 5),
    ("person's export markdown", lambda c: f"/users/{c.alice.username}/export/?format=md", 3, 5),
    ("api annotation list", lambda c: "/api/annotations/", 3, 5),
    ("api annotation detail", lambda c: f"/api/annotations/{c.root.pk}/", 3, 5),
    ("api article list", lambda c: "/api/articles/", 2, 4),
    ("api article detail", lambda c: f"/api/articles/{c.main.slug}/", 1, 3),
    ("api claim list", lambda c: "/api/claims/", 3, 5),
    ("api claim detail", lambda c: f"/api/claims/{c.claim.pk}/", 3, 5),
    ("api tag list", lambda c: "/api/tags/", 1, 3),
    ("api export jsonld", lambda c: "/api/export/?format=jsonld", 4, 6),
    ("api export csv", lambda c: "/api/export/?format=csv", 2, 4),
    ("api export claimreview", lambda c: "/api/export/?format=claimreview", 2, 4),
    ("api export of one article", lambda c: f"/api/export/?article={c.main.slug}", 5, 7),
]
# The admin's list, change and history pages of the project's models, for an editor.
ADMIN_PAGES = [
    ("admin outlet list", _admin("articles_outlet_changelist"), 8),
    ("admin outlet", _admin("articles_outlet_change", _outlet_pk), 5),
    ("admin article", _admin("articles_article_change", _main_pk), 11),
    ("admin article history", _admin("articles_article_history", _main_pk), 9),
    ("admin article blocks", _admin("articles_article_blocks", _main_pk), 7),
    ("admin revision and its blocks", _admin("articles_articlerevision_change", _revision_pk), 7),
    ("admin framing family list", _admin("articles_framingfamily_changelist"), 7),
    ("admin framing family", _admin("articles_framingfamily_change", _family_pk), 6),
    ("admin annotation", _admin("annotations_annotation_change", _root_pk), 13),
    ("admin annotation history", _admin("annotations_annotation_history", _root_pk), 10),
    ("admin annotation re-attach", _admin("annotations_annotation_reattach", _root_pk), 9),
    ("admin claim", _admin("annotations_claim_change", _claim_pk), 10),
    ("admin claim history", _admin("annotations_claim_history", _claim_pk), 8),
    ("admin tag", _admin("taggit_tag_change", _tag_pk), 5),
]
PAGES = [
    *(
        page.param()
        for name, url, anonymous, signed_in in READING_PAGES
        for page in (
            Page(f"{name} (anonymous)", url, "anonymous", anonymous),
            Page(f"{name} (signed in)", url, "alice", signed_in),
        )
    ),
    *(Page(name, url, "editor", bound).param() for name, url, bound in ADMIN_PAGES),
    Page("admin outlet history", _admin("articles_outlet_history", _outlet_pk), "editor", 7).param(
        SELECT_RELATED_WARNING
    ),
    Page("notification list", lambda c: "/notifications/", "alice", 6).param(),
]


def _shape(sql: str) -> str:
    """The query with its values taken out, so that repeats of one query compare equal."""
    return re.sub(r"\?(, \?)+", "?", re.sub(r"'[^']*'|\b\d+\b", "?", sql))


def _changed(few: list[dict], many: list[dict]) -> list[tuple[int, str]]:
    """The queries that ran a different number of times after the rows grew, and by how many."""
    change = Counter(_shape(q["sql"]) for q in many)
    change.subtract(Counter(_shape(q["sql"]) for q in few))
    return sorted(((n, sql[:300]) for sql, n in change.items() if n), reverse=True)


def _queries(client, url: str) -> list[dict]:
    cache.clear()  # a first visit: no page, body or version is served from the cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return ctx.captured_queries


@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow_with_its_rows(client, corpus, page):
    """A page runs as many queries with twelve rows of each kind as with two, within its bound."""
    if page.who != "anonymous":
        client.force_login(getattr(corpus, page.who))
    client.get(page.url(corpus))  # the process's own caches (content types...) fill once
    few = _queries(client, page.url(corpus))
    corpus.grow(MORE)
    many = _queries(client, page.url(corpus))
    assert len(many) == len(few), (len(few), len(many), _changed(few, many))
    assert len(many) <= page.bound, len(many)

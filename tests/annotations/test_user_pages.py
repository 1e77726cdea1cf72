"""A person's page (/users/<name>/): what they wrote that the reader may see, filtered, and its
downloads (W3C JSON-LD, CSV, Markdown) of exactly the list on the page."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from annotations import services
from annotations.export_markdown import markdown_quote, markdown_text
from articles.services import article_import
from tests.factories import ARTICLE_TEMPLATE

pytestmark = pytest.mark.django_db


def make_article(n: int):
    data = ARTICLE_TEMPLATE.format(n=n).encode()
    return article_import(name=f"person-{n:03}.txt", data=data, compare=False).article


def annotate(user, article, *, at=0, **fields):
    fields.setdefault("motivation", "commenting" if fields.get("note") else "highlighting")
    return services.annotation_create(
        user=user, article=article, start=at, end=at + 6, **fields
    ).annotation


def item_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="annotation-(\d+)"', response.content.decode())]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("mod", password="pw-123456789", is_staff=True)


@pytest.fixture
def corpus(alice, bob, staff):
    """alice's public, private and hidden annotations on two articles, a reply by bob, and
    bob's own annotation; creation order is the pk order."""
    one, two = make_article(1), make_article(2)
    made = {
        "public": annotate(alice, one, note="A **public** comment", tags=["talks"]),
        "private": annotate(alice, two, at=10, note="Mine only", visibility="private"),
        "hidden": annotate(alice, two, at=20, tags=["talks", "moderated"]),
        "bob": annotate(bob, one, at=30, tags=["talks"]),
    }
    services.annotation_set_hidden(user=staff, annotation=made["hidden"], hidden=True)
    made["reply"] = services.annotation_reply(user=alice, parent=made["bob"], note="I agree")
    return one, two, made


# --- Who sees what --------------------------------------------------------------------------

VISIBLE = {
    "anonymous": ["reply", "public"],
    "alice": ["reply", "hidden", "private", "public"],
    "bob": ["reply", "public"],
    "mod": ["reply", "hidden", "public"],
}


@pytest.mark.parametrize("viewer", list(VISIBLE))
def test_visibility_matrix(client, django_user_model, corpus, viewer):
    """Each reader sees what access.py lets them see of alice's, newest first: anonymous and
    bob her public ones, alice also her private and hidden ones, staff also the hidden one."""
    made = corpus[2]
    if viewer != "anonymous":
        client.force_login(django_user_model.objects.get(username=viewer))
    response = client.get("/users/alice/")
    assert response.status_code == 200
    assert item_ids(response) == [made[key].pk for key in VISIBLE[viewer]]
    html = response.content.decode()
    assert ("Mine only" in html) == (viewer == "alice")
    assert ('<span class="badge">private</span>' in html) == (viewer == "alice")


def test_a_reply_to_a_private_annotation_is_not_shown(client, alice, bob, corpus):
    """A reply whose thread others may not read stays invisible to them on its writer's page."""
    made = corpus[2]
    reply = services.annotation_reply(user=alice, parent=made["private"], note="self reply")
    client.force_login(bob)
    assert reply.pk not in item_ids(client.get("/users/alice/"))
    client.force_login(alice)
    assert reply.pk in item_ids(client.get("/users/alice/"))


def test_unknown_user_is_404(client, db):
    """A name nobody has is a 404."""
    assert client.get("/users/nobody/").status_code == 404
    assert client.get("/users/nobody/export/?format=csv").status_code == 404


def test_nothing_visible_is_a_clear_empty_state(client, bob, corpus, django_user_model):
    """A person with nothing the reader may see gets a page saying so; their own says how to
    start."""
    carol = django_user_model.objects.create_user("carol", password="pw-123456789")
    html = client.get("/users/carol/").content.decode()
    assert "carol</bdi> has no annotations you can see." in html
    assert "Download" not in html
    client.force_login(carol)
    assert "You have not annotated anything yet." in client.get("/users/carol/").content.decode()


def test_item_shows_quote_note_tags_article_and_context_link(client, corpus):
    """Each item shows the quoted words, the rendered note, its tags, a link to its article
    and one to the annotation in context (its share link)."""
    one, _, made = corpus
    html = client.get("/users/alice/").content.decode()
    public = made["public"]
    assert f">{public.exact}</blockquote>" in html
    assert "A <strong>public</strong> comment" in html
    assert 'href="/users/alice/?tag=talks"' in html
    assert 'href="/tags/talks/"' in html
    assert f'<a href="/articles/{one.slug}/"' in html
    assert f'href="/annotations/{public.pk}/"' in html
    assert "In reply to: <q" in html  # the reply quotes bob's passage


def test_header_links_signed_in_user_to_their_page(client, alice, corpus):
    """The header's "Signed in as" name leads to the reader's own page."""
    client.force_login(alice)
    assert 'href="/users/alice/" title="Your annotations"' in client.get("/").content.decode()


# --- Filters --------------------------------------------------------------------------------


def test_filters_by_tag_kind_and_article(client, alice, corpus):
    """?tag=, ?kind= and ?article= narrow the list and combine."""
    _, two, made = corpus
    client.force_login(alice)
    assert item_ids(client.get("/users/alice/?tag=talks")) == [made["hidden"].pk, made["public"].pk]
    assert item_ids(client.get("/users/alice/?kind=commenting")) == [
        made["private"].pk,
        made["public"].pk,
    ]
    assert item_ids(client.get("/users/alice/?kind=replying")) == [made["reply"].pk]
    assert item_ids(client.get(f"/users/alice/?article={two.slug}")) == [
        made["hidden"].pk,
        made["private"].pk,
    ]
    combined = client.get(f"/users/alice/?article={two.slug}&tag=talks&kind=highlighting")
    assert item_ids(combined) == [made["hidden"].pk]


def test_page_notes_are_a_kind_of_their_own(client, alice, corpus):
    """A note on the whole article is listed, offered and filtered as a "Page note", apart
    from comments on passages, and comes first in its article's Markdown section."""
    from annotations.services.pagenotes import page_note_create

    one, _, made = corpus
    note = page_note_create(user=alice, article=one, note="About the *whole* piece").annotation
    html = client.get("/users/alice/").content.decode()
    assert '<option value="page-note">Page note (1)</option>' in html
    assert '<option value="commenting">Comment (1)</option>' in html
    assert item_ids(client.get("/users/alice/?kind=page-note")) == [note.pk]
    assert item_ids(client.get("/users/alice/?kind=commenting")) == [made["public"].pk]
    text = client.get(f"/users/alice/export/?format=md&article={one.slug}").content.decode()
    assert text.index("### Page note by alice") < text.index("### Comment by alice")


def test_unknown_kind_or_tag_matches_nothing(client, corpus):
    """A kind that is not one matches nothing, with a way back to everything."""
    response = client.get("/users/alice/?kind=nonsense")
    assert item_ids(response) == []
    assert "None of <bdi>alice</bdi>’s annotations matches these filters." in (
        response.content.decode()
    )
    assert item_ids(client.get("/users/alice/?tag=no-such-tag")) == []


def test_filter_controls_offer_only_what_the_reader_may_see(client, corpus):
    """The tag, kind and article choices come from what the reader may see, with counts."""
    html = client.get("/users/alice/").content.decode()
    assert '<option value="talks">talks (1)</option>' in html
    assert "moderated" not in html  # only on the hidden annotation
    assert '<option value="replying">Reply (1)</option>' in html
    assert '<option value="commenting">Comment (1)</option>' in html


def test_active_filters_are_shown_and_removable(client, corpus):
    """Each filter in force is listed with a link to the same list without it."""
    one = corpus[0]
    html = client.get(f"/users/alice/?tag=talks&article={one.slug}").content.decode()
    assert 'aria-label="Remove filter Tag: talks"' in html
    assert f'href="/users/alice/?article={one.slug}" aria-label="Remove filter Tag: talks"' in html
    assert 'href="/users/alice/?tag=talks" aria-label="Remove filter Article:' in html
    assert '<option value="talks" selected>' in html


def test_pagination_keeps_the_filters(client, alice, django_user_model):
    """Pages of 25, newest first; the next page's link keeps the filters."""
    article = make_article(3)
    made = [annotate(alice, article, at=i, tags=["many"]) for i in range(30)]
    first = client.get("/users/alice/?tag=many")
    assert item_ids(first) == [a.pk for a in made[::-1][:25]]
    assert 'href="/users/alice/?tag=many&amp;page=2"' in first.content.decode()
    assert item_ids(client.get("/users/alice/?tag=many&page=2")) == [a.pk for a in made[4::-1]]


# --- Downloads ------------------------------------------------------------------------------


def test_page_offers_downloads_of_the_current_filter(client, corpus):
    """The download links carry the filters in force."""
    html = client.get("/users/alice/?tag=talks").content.decode()
    for fmt in ("jsonld", "csv", "md"):
        assert f'href="/users/alice/export/?tag=talks&amp;format={fmt}" download' in html


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("jsonld", "application/ld+json", "jsonld"),
        ("csv", "text/csv; charset=utf-8", "csv"),
        ("md", "text/markdown; charset=utf-8", "md"),
    ],
)
def test_export_headers(client, corpus, fmt, content_type, extension):
    """Each format downloads with its type and a file name saying whose and which filter."""
    response = client.get(f"/users/alice/export/?format={fmt}&tag=talks")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert re.fullmatch(
        rf'attachment; filename="astana-annotations-alice-talks-\d{{8}}\.{extension}"',
        response["Content-Disposition"],
    )


def test_export_refuses_an_unknown_format(client, corpus):
    """Another format is a 400 that names the ones there are."""
    response = client.get("/users/alice/export/?format=xml")
    assert response.status_code == 400
    assert "jsonld, csv, md" in response.content.decode()


def test_export_filename_is_safe_whatever_the_filter(client, corpus):
    """Characters a file name cannot hold are replaced."""
    response = client.get('/users/alice/export/?format=csv&tag=../a"b')
    assert re.fullmatch(
        r'attachment; filename="astana-annotations-alice-a-b-\d{8}\.csv"',
        response["Content-Disposition"],
    )


def jsonld_ids(response) -> list[int]:
    data = json.loads(response.content)
    items = data["first"]["items"] if data["total"] else []
    return sorted(int(item["id"].rstrip("/").rsplit("/", 1)[1]) for item in items)


def csv_ids(response) -> list[int]:
    return sorted(int(row["id"]) for row in csv.DictReader(io.StringIO(response.content.decode())))


def md_ids(response) -> list[int]:
    return sorted(int(pk) for pk in re.findall(r"/annotations/(\d+)/\)", response.content.decode()))


@pytest.mark.parametrize("reader", [jsonld_ids, csv_ids, md_ids], ids=["jsonld", "csv", "md"])
@pytest.mark.parametrize("viewer", list(VISIBLE))
def test_export_honours_visibility(client, django_user_model, corpus, reader, viewer):
    """Every format holds exactly what the page lists to this reader."""
    made = corpus[2]
    if viewer != "anonymous":
        client.force_login(django_user_model.objects.get(username=viewer))
    fmt = {jsonld_ids: "jsonld", csv_ids: "csv", md_ids: "md"}[reader]
    response = client.get(f"/users/alice/export/?format={fmt}")
    assert reader(response) == sorted(made[key].pk for key in VISIBLE[viewer])


@pytest.mark.parametrize("reader", [jsonld_ids, csv_ids, md_ids], ids=["jsonld", "csv", "md"])
def test_export_honours_the_filter(client, alice, corpus, reader):
    """Every format holds exactly the filtered list."""
    _, two, made = corpus
    client.force_login(alice)
    fmt = {jsonld_ids: "jsonld", csv_ids: "csv", md_ids: "md"}[reader]
    response = client.get(f"/users/alice/export/?format={fmt}&article={two.slug}&tag=talks")
    assert reader(response) == [made["hidden"].pk]


def test_jsonld_export_is_a_w3c_collection(client, corpus):
    """The JSON-LD download is an AnnotationCollection labelled with the person's name."""
    data = json.loads(client.get("/users/alice/export/?format=jsonld").content)
    assert data["type"] == "AnnotationCollection"
    assert data["label"] == "Annotations by alice"
    assert data["total"] == 2
    assert all(item["type"] == "Annotation" for item in data["first"]["items"])


def test_csv_export_content(client, corpus):
    """The CSV download has the exchange's columns and the quote and note."""
    made = corpus[2]
    rows = list(csv.DictReader(io.StringIO(client.get("/users/alice/export/?format=csv").text)))
    public = next(r for r in rows if int(r["id"]) == made["public"].pk)
    assert public["quote"] == made["public"].exact
    assert public["note"] == "A **public** comment"
    assert public["tags"] == "talks"
    assert public["creator"] == "alice"


def test_markdown_export_groups_by_article(client, alice, corpus):
    """The Markdown download has one section per article, its items under it, and says which
    filter made it."""
    one, two, made = corpus
    client.force_login(alice)
    text = client.get("/users/alice/export/?format=md&kind=commenting").content.decode()
    assert text.startswith("# Annotations by alice\n")
    assert "Filtered by kind “commenting”." in text
    assert "2 annotations on 2 articles." in text
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    assert len(sections) == 2
    by_title = {s.split("]", 1)[0].lstrip("["): s for s in sections}
    assert "A **public** comment" in by_title[markdown_text(one.title)]
    assert "Mine only" in by_title[markdown_text(two.title)]
    assert f"> {markdown_text(made['public'].exact)}" in text


def test_markdown_export_quote_cannot_inject(client, alice):
    """A quote made of Markdown and HTML comes out as the same words, not as a link or tag."""
    article = make_article(9)
    body = article.current_revision.body
    payload = "Round [9](javascript:alert(1)) <img src=x onerror=alert(1)> *of* the"
    # Put the payload into the quote itself: annotate words and overwrite what was quoted,
    # as an import from another tool could.
    annotation = annotate(alice, article, at=body.index("Delegations"))
    type(annotation).objects.filter(pk=annotation.pk).update(exact=payload)
    text = client.get("/users/alice/export/?format=md").content.decode()
    html = MarkdownIt("commonmark", {"html": True}).render(text)
    quote_html = re.search(r"<blockquote>\s*<p>(.*?)</p>\s*</blockquote>", html, re.S).group(1)
    assert "<a" not in quote_html
    assert "<img" not in quote_html
    assert "<em>" not in quote_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in quote_html


# --- Markdown escaping, for any text --------------------------------------------------------

_MD = MarkdownIt("commonmark", {"html": True})
_ALLOWED_QUOTE_TOKENS = {
    "blockquote_open",
    "blockquote_close",
    "paragraph_open",
    "paragraph_close",
    "inline",
}
_PIECES = [
    *"\\`*_[]()<>&~|!#+-=.:;/\"' \t\n\r0123456789abcxyz@%",
    *["\x00", "\u00a0", "\u2028", "é", "\u202e", "https://", "www.", "&amp;", "<a href=x>"],
]
_MARKDOWN_HEAVY = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
_ANY_TEXT = st.one_of(_MARKDOWN_HEAVY, st.text(max_size=80))


def _expected_lines(text: str) -> list[str]:
    lines = re.split(r"\r\n|\r|\n", text)
    return [" ".join(line.replace("\x00", "\ufffd").split()) for line in lines]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ANY_TEXT)
def test_quote_renders_as_its_own_words_and_nothing_else(text):
    """Any quote, rendered by markdown-it (raw HTML allowed), is one block quote of plain text
    reading the same words: no link, image, HTML, code, emphasis, heading or list."""
    tokens = _MD.parse(markdown_quote(text))
    expected = [line for line in _expected_lines(text) if line]
    if not expected:
        assert tokens == []
        return
    assert {t.type for t in tokens} <= _ALLOWED_QUOTE_TOKENS
    shown: list[str] = []
    for token in tokens:
        if token.type != "inline":
            continue
        assert {child.type for child in token.children} <= {"text", "softbreak"}
        shown.append("".join("\n" if c.type == "softbreak" else c.content for c in token.children))
    assert "\n".join(shown).split("\n") == expected
    rendered = _MD.render(markdown_quote(text))
    assert not re.search(r"<(?!/?(?:blockquote|p)>)", rendered)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_inline_text_renders_as_its_own_words(text):
    """Any title, tag or name on one line reads as itself and makes no link or HTML."""
    tokens = _MD.parse(f"## {markdown_text(text)}")
    inline = [t for t in tokens if t.type == "inline"]
    words = " ".join(" ".join(_expected_lines(text)).split())
    content = "".join(c.content for c in inline[0].children) if inline else ""
    assert all(c.type == "text" for t in inline for c in t.children)
    assert content == words


# --- Query counts ---------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/users/alice/",
        "/users/alice/?tag=t0",
        "/users/alice/export/?format=jsonld",
        "/users/alice/export/?format=csv",
        "/users/alice/export/?format=md",
    ],
)
def test_query_count_does_not_grow_with_annotations(
    client, alice, bob, django_assert_num_queries, url
):
    """The page and each download run as many queries with 50 annotations on 3 articles as
    with 5 (tags, claims and replies included)."""
    articles = [make_article(20 + n) for n in range(3)]

    def add(start: int, stop: int) -> None:
        for i in range(start, stop):
            article = articles[i % 3]
            if i % 5 == 4:
                claim = services.claim_create(user=alice, text=f"Claim {i}")
                annotate(alice, article, at=i % 40, motivation="assessing", claim=claim)
            else:
                a = annotate(alice, article, at=i % 40, note=f"note *{i}*", tags=["t0", f"t{i}"])
                if i % 3 == 0:
                    services.annotation_reply(user=bob, parent=a, note="reply")
                    services.annotation_reply(user=alice, parent=a, note="my reply")

    client.force_login(alice)
    add(0, 5)
    few = _count(client, url)
    add(5, 50)
    with django_assert_num_queries(few):
        client.get(url)


def test_a_hostile_note_is_inert_on_the_person_page(client, alice):
    """The page shows the note's stored, sanitised HTML (mark_safe in people.py): script, event
    handlers and javascript: links written in a note never reach it as markup."""
    article = make_article(8)
    body = article.current_revision.body
    annotate(
        alice,
        article,
        at=body.index("Delegations"),
        note="<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    page = client.get("/users/alice/").content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x onerror" not in page
    assert 'href="javascript:' not in page

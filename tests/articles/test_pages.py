"""The list, reading and source pages: status, content, and query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation
from articles.models import Article
from tests.factories import make_articles

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_list_shows_every_seed_with_outlet_dateline_and_counts(client, seeds):
    """The list shows title, outlet, dateline, word count and annotation count."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for article in seeds.values():
        assert article.get_absolute_url() in html
        assert f"/articles/{article.slug}/source/" in html
    for outlet in ("Mehr News Agency", "SouthFront", "GPA", "Press TV"):
        assert outlet in html
    assert "TEHRAN" in html
    assert "unknown" in html  # 001 names no outlet
    assert "derived title" in html


def test_list_counts_annotations(client, seeds, django_user_model):
    """The annotation column counts each article's annotations."""
    user = django_user_model.objects.create_user("reader", password="pw-123456789")
    article = seeds["004"]
    for start in (0, 10, 20):
        Annotation.objects.create(
            article=article,
            revision=article.current_revision,
            anchor_revision=article.current_revision,
            creator=user,
            exact=article.current_revision.body[start : start + 5],
            start=start,
            end=start + 5,
        )
    response = client.get("/?sort=-annotations")
    rows = response.content.decode().split("<tbody>")[1].split("</tr>")
    assert article.title in rows[0]
    assert '<td data-label="Annotations" class="num">3</td>' in rows[0]


@pytest.mark.parametrize(
    ("sort", "first_key"),
    [("-words", "001"), ("words", "002"), ("title", "002"), ("-title", "003")],
)
def test_list_sorts(client, seeds, sort, first_key):
    """Sorting by a column puts the right article first."""
    html = client.get(f"/?sort={sort}").content.decode()
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert seeds[first_key].get_absolute_url() in first_row


def test_list_ignores_an_unknown_sort(client, seeds):
    """An unknown sort key falls back to sorting by title instead of failing."""
    response = client.get("/?sort=password")
    assert response.status_code == 200
    assert response.context["sort"] == "title"


def test_list_filters_by_outlet(client, seeds):
    """The outlet filter keeps only that outlet's articles."""
    html = client.get("/?outlet=press-tv").content.decode()
    assert seeds["004"].get_absolute_url() in html
    assert seeds["002"].get_absolute_url() not in html
    assert "1 article from Press TV" in html


def test_list_hides_unpublished_articles(client, seeds):
    """Draft and archived articles are not listed and their pages are 404."""
    Article.objects.filter(pk=seeds["003"].pk).update(status=Article.Status.DRAFT)
    html = client.get("/").content.decode()
    assert seeds["003"].get_absolute_url() not in html
    assert client.get(seeds["003"].get_absolute_url()).status_code == 404


def test_list_paginates(client, settings, seeds):
    """Past the page size, the list is cut into pages with links between them."""
    settings.ASTANA_ARTICLES_PER_PAGE = 2
    html = client.get("/").content.decode()
    assert "Page 1 of 3" in html
    assert 'rel="next"' in html
    last = client.get("/?page=3").content.decode()
    assert last.count('data-label="Title"') == 1
    assert client.get("/?page=999").status_code == 200  # clamps to the last page


def test_list_query_count_does_not_grow_with_articles(client, settings):
    """The list runs the same number of queries for 3 articles as for 30."""
    settings.ASTANA_ARTICLES_PER_PAGE = 50
    make_articles(3)
    few, _ = count_queries(client, "/")
    make_articles(27, start=3)
    many, response = count_queries(client, "/")
    assert len(response.context["page"].object_list) == 30
    assert many == few <= 6  # with the newest stories and the stories to filter by


def test_reading_view_shows_body_captions_secondary_and_comments(client, seeds):
    """The reading view separates story, captions, secondary story and comments."""
    html = client.get(seeds["004"].get_absolute_url()).content.decode()
    assert "<h1" in html
    assert seeds["004"].title in html
    assert 'class="caption"' in html
    assert 'class="secondary-story"' in html
    assert "Dozens dead as Syrian army fight off Daesh" in html
    story = html.split('class="reading__body"')[1].split("</div>")[0]
    assert "Daesh" not in story
    assert "SHARE THIS ARTICLE" not in story
    assert reverse("articles:source", args=[seeds["004"].slug]) in html

    html = client.get(seeds["002"].get_absolute_url()).content.decode()
    comments = html.split('class="comments"')[1]
    assert "<details>" in comments
    assert "Kim Jong" in comments
    assert "Douglas Houck" in comments
    assert "Notify of" not in comments  # widget labels are not comments
    story = html.split('class="reading__body"')[1].split("</div>")[0]
    assert "Kim Jong" not in story


def test_reading_view_marks_body_offsets(client, seeds):
    """Each readable element carries its body offsets, matching the stored body."""
    article = seeds["001"]
    response = client.get(article.get_absolute_url())
    body = article.current_revision.body
    marked = [b for b in response.context["page"].layout.story if b.body_start is not None]
    assert marked, "no element of the story carries body offsets"
    for block in marked:
        assert body[block.body_start : block.body_end] == block.text
        assert f'data-start="{block.body_start}"' in response.content.decode()


def test_reading_view_of_a_derived_title_says_so(client, seeds):
    """A file without a headline shows its derived title with a note."""
    html = client.get(seeds["000"].get_absolute_url()).content.decode()
    assert "taken from its first sentence" in html


def test_unknown_article_is_404(client, db):
    """An unknown slug is a 404 on both article pages."""
    assert client.get("/articles/no-such-article/").status_code == 404
    assert client.get("/articles/no-such-article/source/").status_code == 404


def test_source_view_shows_every_character_and_every_rule(client, seeds):
    """The source view shows the raw file in full, each block tinted with its rule."""
    article = seeds["002"]
    response = client.get(reverse("articles:source", args=[article.slug]))
    assert response.status_code == 200
    pieces = response.context["pieces"]
    assert "".join(p.text for p in pieces) == article.current_revision.raw_text
    html = response.content.decode()
    for block in article.current_revision.blocks.all():
        assert f"kind-{block.kind}" in html
        assert block.rule in html
    assert "Legend" in html
    assert 'role="tooltip"' in html


def test_detail_and_source_query_counts_do_not_grow_with_blocks(client, db):
    """Reading and source views run a fixed number of queries, however long the file."""
    from articles.services import article_import

    short = "Short title here\n\n" + "One sentence of text.\n\n" * 3
    long = "Long title here\n\n" + "".join(f"Sentence number {n} of text.\n\n" for n in range(200))
    article_import(name="short.txt", data=short.encode())
    article_import(name="long.txt", data=long.encode())
    # detail, first visit: the page's version (1), the article with blocks (2), the body's
    # cache key (1), annotations (1, only when the cache misses), "Compare with…" (2 link
    # totals) and the stories it is in (1); a second anonymous visit is served whole from the
    # page cache: the version only.
    for view, limit, again in (("articles:detail", 8, 1), ("articles:source", 3, None)):
        few, _ = count_queries(client, reverse(view, args=["short-title-here"]))
        many, _ = count_queries(client, reverse(view, args=["long-title-here"]))
        assert few == many <= limit, view
        repeat, _ = count_queries(client, reverse(view, args=["long-title-here"]))
        assert repeat == (again or few), view


SHARED = [
    "The delegations of the armed opposition arrived at the Rixos hotel late on Sunday evening.",
    "Kazakh officials said the closed session would start with a statement from each guarantor.",
    "Observers from the United Nations were invited to follow the talks but not to take part.",
    "A joint communique on monitoring the ceasefire was drafted by Russian and Turkish staff.",
]


def test_compare_with_query_count_does_not_grow_with_linked_articles(client, db):
    """ "Compare with…" reads the link totals in a fixed number of queries."""
    from articles.services import article_import

    def story(name: str, title: str, *sentences: str) -> None:
        text = f"{title}\n\n" + "\n\n".join([*sentences, "An unrelated closing line here."])
        article_import(name=name, data=text.encode())

    story("one.txt", "A story that shares once", SHARED[0])
    story("two.txt", "Its only partner story", SHARED[0])
    story("hub.txt", "A story that shares thrice", *SHARED[1:])
    for n, sentence in enumerate(SHARED[1:]):
        story(f"spoke{n}.txt", f"Partner number {n} of the hub", sentence)
    counts, listed = [], []
    for slug in ("a-story-that-shares-once", "a-story-that-shares-thrice"):
        found, response = count_queries(client, f"/articles/{slug}/")
        counts.append(found)
        listed.append(len(response.context["page"].sharing))
    assert listed == [1, 3]
    assert counts[0] == counts[1]


def test_static_files_are_served_by_whitenoise(client, seeds):
    """The stylesheet the pages link to is served."""
    html = client.get("/").content.decode()
    assert "/static/css/site.css" in html
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b".reading__body" in b"".join(response.streaming_content)
    response.close()

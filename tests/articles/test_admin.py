"""The admin: outlets and articles, with revisions and blocks shown read-only."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", "pw-123456789")


class _ResultRows(HTMLParser):
    """The rows of the admin change list (#result_list): each row's change link and its
    cells by column ("field-outlet" gives "outlet")."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.rows: list[dict[str, str]] = []
        self.cell: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "result_list":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append({})
        elif self.inside and tag in ("td", "th") and self.rows:
            fields = [c for c in (attrs.get("class") or "").split() if c.startswith("field-")]
            self.cell = fields[0].removeprefix("field-") if fields else None
            if self.cell:
                self.rows[-1][self.cell] = ""
        elif self.inside and tag == "a" and self.cell == "title":
            self.rows[-1]["link"] = attrs.get("href", "")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        if self.inside and self.cell:
            self.rows[-1][self.cell] += data.strip()


def result_rows(html: str) -> list[dict[str, str]]:
    parser = _ResultRows()
    parser.feed(html)
    return [row for row in parser.rows if row]


def test_article_changelist_lists_the_seeds(client, curator, seeds):
    """The article list in the admin shows every article with its outlet."""
    client.force_login(curator)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    # Read from the rows: every outlet's name is on the page anyway, in the outlet filter.
    outlets = {row["link"]: row["outlet"] for row in result_rows(response.content.decode())}
    assert outlets == {
        reverse("admin:articles_article_change", args=[article.pk]): (
            article.outlet.name if article.outlet else "-"
        )
        for article in seeds.values()
    }
    assert outlets[reverse("admin:articles_article_change", args=[seeds["004"].pk])] == "Press TV"
    html = response.content.decode()
    for article in seeds.values():
        assert article.title[:40] in html
    assert len(ctx.captured_queries) < 15


def test_article_change_page_shows_raw_text_read_only_and_revisions(client, curator, seeds):
    """The article page shows the raw text read-only and links to its revisions."""
    client.force_login(curator)
    article = seeds["002"]
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Notify of" in html  # the raw text, comments included
    assert 'name="source_name"' not in html  # read-only
    assert "revision 1 and its blocks" in html


def test_revision_page_lists_blocks_with_kinds_and_rules(client, curator, seeds):
    """A revision's page lists its blocks with kind and deciding rule, read-only."""
    client.force_login(curator)
    revision = seeds["004"].current_revision
    response = client.get(reverse("admin:articles_articlerevision_change", args=[revision.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secondary story" in html
    assert "breadcrumb: short items between separators" in html


def test_curator_can_set_the_outlet_of_an_article(client, curator, seeds):
    """A curator sets the outlet of the article that names none (001)."""
    client.force_login(curator)
    article = seeds["001"]
    from articles.models import Outlet

    outlet = Outlet.objects.get(slug="press-tv")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "outlet": outlet.pk,
            "revisions-TOTAL_FORMS": "1",
            "revisions-INITIAL_FORMS": "1",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
            "revisions-0-id": str(article.current_revision.pk),
            "revisions-0-article": str(article.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.outlet == outlet
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_anonymous_users_cannot_reach_the_admin(client, seeds):
    """The admin asks anonymous visitors to sign in."""
    url = reverse("admin:articles_article_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_deleting_an_article_removes_its_revisions_blocks_and_annotations(
    client, curator, seeds, django_user_model
):
    """Deleting an article (after the admin's confirmation) removes everything under it."""
    from annotations.models import Annotation
    from articles.models import Block

    article = seeds["001"]
    Annotation.objects.create(
        article=article,
        revision=article.current_revision,
        anchor_revision=article.current_revision,
        creator=curator,
        exact=article.current_revision.body[0:5],
        start=0,
        end=5,
    )
    client.force_login(curator)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Are you sure" in confirm.content.decode()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not ArticleRevision.objects.filter(article_id=article.pk).exists()
    assert not Block.objects.filter(revision__article_id=article.pk).exists()
    assert Annotation.objects.count() == 0
    assert Article.objects.count() == 4

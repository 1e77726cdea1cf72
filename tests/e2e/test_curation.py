"""One whole curation flow in a real browser: an editor fixes a misclassified block in the
admin, the reading view changes, and a reader's annotation is still on its words."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from annotations import services
from articles.services import article_import
from tests.e2e.conftest import sign_in_page

pytestmark = pytest.mark.e2e

STORY = (
    "Talks open in Astana\n\n"
    "ASTANA (Reuters) - Delegations arrived on Sunday for two days of talks.\n\n"
    "Delegates pose for a photo before the talks in Astana on January 22, 2017.\n\n"
    "The rebels said they would discuss the ceasefire first and nothing else.\n\n"
    "Russia, Turkey and Iran will hold a trilateral meeting after the first session.\n"
)
CAPTION = "Delegates pose for a photo before the talks in Astana on January 22, 2017."
QUOTE = "they would discuss the ceasefire first"


def test_fixing_a_block_kind_in_the_admin(
    make_page, live_server, transactional_db, django_db_serialized_rollback, django_user_model
):
    article = article_import(name="talks.txt", data=STORY.encode()).article
    reader = django_user_model.objects.create_user("reader", password="pw-123456789")
    body = article.current_revision.body
    start = body.index(QUOTE)
    services.annotation_create(
        user=reader, article=article, start=start, end=start + len(QUOTE), note="key line"
    )
    editor = django_user_model.objects.create_user("editor", password="pw-123456789", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    page = make_page()
    page.goto(article.get_absolute_url())
    ready = page.locator("html[data-annotator='ready']")
    expect(ready).to_have_count(1)  # nothing in flight when we navigate away
    paragraph = page.locator("#article-body p.blk-text", has_text=CAPTION)
    expect(paragraph).to_have_count(1)
    expect(page.locator("mark.hl", has_text=QUOTE)).to_have_count(1)

    sign_in_page(page, editor, live_server)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    page.get_by_role("link", name="fix block kinds").click()
    row = page.locator("tr", has_text=CAPTION)
    row.get_by_role("combobox").select_option("caption")
    page.get_by_role("button", name="Save as a new revision").click()
    expect(page.locator(".messagelist")).to_contain_text("revision 2 made")
    expect(page.locator(".messagelist")).to_contain_text("Paragraph → Caption or credit")

    page.goto(article.get_absolute_url())
    expect(ready).to_have_count(1)
    expect(page.locator("#article-body p.blk-text", has_text=CAPTION)).to_have_count(0)
    expect(page.locator("#article-body p.caption", has_text=CAPTION)).to_have_count(1)
    mark = page.locator("mark.hl", has_text=QUOTE)
    expect(mark).to_have_count(1)
    assert mark.inner_text() == QUOTE

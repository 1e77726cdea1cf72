"""Re-attaching an orphaned annotation in the admin by selecting its new words with the mouse."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Annotation
from articles.services import article_import

pytestmark = pytest.mark.e2e

FIRST = "Talks open\n\nThe rebels said they would discuss the ceasefire first of all.\n"
SECOND = "Talks open\n\nThe delegations agreed to talk about the truce before anything else.\n"
NEW_WORDS = "talk about the truce"

SELECT_JS = """
(phrase) => {
  const box = document.getElementById('reattach-body');
  const node = box.firstChild;
  const at = node.data.indexOf(phrase);
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + phrase.length);
  const first = range.getClientRects()[0];
  const rects = range.getClientRects();
  const last = rects[rects.length - 1];
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2};
}
"""


def test_an_orphan_is_reattached_by_mouse_selection(
    make_page, live_server, transactional_db, django_db_serialized_rollback, django_user_model
):
    article = article_import(name="talks.txt", data=FIRST.encode()).article
    reader = django_user_model.objects.create_user("reader", password="pw-123456789")
    body = article.current_revision.body
    start = body.index("discuss the ceasefire")
    note = services.annotation_create(
        user=reader, article=article, start=start, end=start + 21, note="ceasefire first"
    ).annotation
    article_import(name="talks.txt", data=SECOND.encode())  # the quoted words are gone
    note.refresh_from_db()
    assert note.anchor_status == "orphaned"
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)

    page: Page = make_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(reverse("admin:annotations_annotation_reattach", args=[note.pk]))
    box = page.evaluate(SELECT_JS, NEW_WORDS)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=6)
    page.mouse.up()
    expect(page.locator("#reattach-selection")).to_contain_text(NEW_WORDS)
    page.get_by_role("button", name="Re-attach to these words").click()
    expect(page.locator(".messagelist")).to_be_visible()

    note.refresh_from_db()
    current = Annotation.objects.get(pk=note.pk).article.current_revision
    assert note.anchor_status == "anchored"
    assert note.anchor_revision_id == current.pk
    assert current.body[note.start : note.end] == NEW_WORDS
    assert note.exact == NEW_WORDS

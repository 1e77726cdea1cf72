"""Curation of outlets and articles in the admin: block kinds, status, re-extraction,
adding files, merging outlets, the Editors group, history and constant query counts."""

from html import escape

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms import ChoiceField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import services as annotation_services
from annotations.models import Annotation
from articles.models import Article, ArticleRevision, Outlet
from articles.services import article_import
from tests.history_table import history_rows

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456789"
MISCLASSIFIED = (
    "Talks open in Astana\n\n"
    "ASTANA (Reuters) - Delegations arrived on Sunday for two days of talks.\n\n"
    "Delegates pose for a photo before the talks in Astana on January 22, 2017.\n\n"
    "The rebels said they would discuss the ceasefire first and nothing else.\n\n"
    "Russia, Turkey and Iran will hold a trilateral meeting after the first session.\n"
)
CAPTION = "Delegates pose for a photo before the talks in Astana on January 22, 2017."
QUOTE = "they would discuss the ceasefire first"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def annotator(django_user_model):
    return django_user_model.objects.create_user("annotator", password=PASSWORD)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def story():
    return article_import(name="talks.txt", data=MISCLASSIFIED.encode()).article


def blocks_url(article) -> str:
    return reverse("admin:articles_article_blocks", args=[article.pk])


def kinds_form(article, **changes) -> dict:
    blocks = article.current_revision.blocks.order_by("position")
    return {f"kind_{b.position}": changes.get(str(b.position), b.kind) for b in blocks}


def caption_position(article) -> int:
    return article.current_revision.blocks.get(text=CAPTION).position


def test_the_editors_group_exists_with_curation_permissions():
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_article", "add_article", "change_outlet", "change_annotation"} <= codenames
    assert {"change_claim", "change_tag", "change_framingterm"} <= codenames


def test_annotators_have_no_admin_access(client, annotator, story):
    client.force_login(annotator)
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        blocks_url(story),
        reverse("admin:articles_article_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response.url, url


def test_fixing_a_block_kind_makes_a_revision_and_keeps_annotations(editor_client, editor, story):
    """A caption taken for a paragraph is set to caption: the body loses it, the annotation
    on a later paragraph stays on its words, and the report says so."""
    body = story.current_revision.body
    assert CAPTION in body
    start = body.index(QUOTE)
    note = annotation_services.annotation_create(
        user=editor, article=story, start=start, end=start + len(QUOTE), note="first"
    ).annotation
    position = caption_position(story)
    form = kinds_form(story, **{str(position): "caption"})
    response = editor_client.post(blocks_url(story), form, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "revision 2 made" in html
    assert "Paragraph → Caption or credit" in html
    story.refresh_from_db()
    revision = story.current_revision
    assert revision.number == 2
    assert revision.curated_by == editor
    assert CAPTION not in revision.body
    assert revision.blocks.get(position=position).kind == "caption"
    assert revision.raw_bytes == ArticleRevision.objects.get(article=story, number=1).raw_bytes
    note.refresh_from_db()
    assert note.anchor_revision_id == revision.pk
    assert revision.body[note.start : note.end] == QUOTE
    page = editor_client.get(story.get_absolute_url()).content.decode()
    assert "Photo caption" in page


def test_a_reimport_of_the_same_file_keeps_the_curated_revision(editor_client, story):
    position = caption_position(story)
    editor_client.post(blocks_url(story), kinds_form(story, **{str(position): "caption"}))
    result = article_import(name="talks.txt", data=MISCLASSIFIED.encode())
    assert result.status == "unchanged"
    assert CAPTION not in result.revision.body


def test_saving_the_same_kinds_changes_nothing(editor_client, story):
    response = editor_client.post(blocks_url(story), kinds_form(story), follow=True)
    assert "nothing changed" in response.content.decode()
    assert story.revisions.count() == 1


@pytest.mark.parametrize(
    ("bad", "error"),
    [("poem", "invalid_choice"), ("", "required"), ("<script>", "invalid_choice")],
)
def test_an_unknown_kind_is_refused(editor_client, story, bad, error):
    """The bad kind is refused on its own field, with the message for what is wrong, and the
    page shows that message beside the block. (The word "required" anywhere on the page, e.g.
    an input's `required` attribute, proves nothing.)"""
    form = kinds_form(story, **{"1": bad})
    response = editor_client.post(blocks_url(story), form)
    assert response.status_code == 200
    message = str(ChoiceField().error_messages[error]) % {"value": bad}
    assert response.context["form"].errors == {"kind_1": [message]}
    html = response.content.decode()
    assert 'id="id_kind_1_error"' in html
    assert escape(message) in html
    assert story.revisions.count() == 1


def test_a_body_left_empty_is_refused(editor_client, story):
    blocks = story.current_revision.blocks.order_by("position")
    form = {f"kind_{b.position}": "footer" for b in blocks}
    response = editor_client.post(blocks_url(story), form)
    assert "no readable text" in response.content.decode()
    assert story.revisions.count() == 1


def test_publish_unpublish_and_archive(editor_client, seeds):
    url = reverse("admin:articles_article_changelist")
    ids = [seeds["001"].pk, seeds["004"].pk]
    editor_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert set(Article.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"draft"}
    # Readers no longer find it; a curator still opens it by its address, told it is a draft.
    assert Client().get(seeds["001"].get_absolute_url()).status_code == 404
    preview = editor_client.get(seeds["001"].get_absolute_url())
    assert preview.status_code == 200
    assert "not published" in preview.content.decode()
    editor_client.post(url, {"action": "archive", "_selected_action": ids})
    assert set(Article.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"archived"}
    editor_client.post(url, {"action": "publish", "_selected_action": ids})
    assert Client().get(seeds["001"].get_absolute_url()).status_code == 200
    assert (
        "not published" not in editor_client.get(seeds["001"].get_absolute_url()).content.decode()
    )
    history = editor_client.get(
        reverse("admin:articles_article_history", args=[seeds["001"].pk])
    ).content.decode()
    rows = history_rows(history)
    # Newest first: the three status changes, each by the editor, above the import.
    status_changes = [row for row in rows if "Status:" in row["Changes"]]
    assert [row["Changed by"] for row in status_changes] == ["editor"] * 3
    assert [row["Changes"].split()[-1] for row in status_changes] == [
        "published",
        "archived",
        "draft",
    ]


def test_rerunning_extraction_changes_nothing_when_the_rules_agree(editor_client, seeds):
    url = reverse("admin:articles_article_changelist")
    response = editor_client.post(
        url, {"action": "reextract", "_selected_action": [seeds["001"].pk]}, follow=True
    )
    assert "nothing changed" in response.content.decode()
    assert seeds["001"].revisions.count() == 1


def test_rerunning_extraction_undoes_a_curated_kind(editor_client, story):
    position = caption_position(story)
    editor_client.post(blocks_url(story), kinds_form(story, **{str(position): "caption"}))
    url = reverse("admin:articles_article_changelist")
    editor_client.post(url, {"action": "reextract", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.current_revision.number == 3
    assert CAPTION in story.current_revision.body


def test_recompute_comparison_links(editor_client, seeds):
    url = reverse("admin:articles_article_changelist")
    response = editor_client.post(
        url, {"action": "recompare", "_selected_action": [seeds["001"].pk]}, follow=True
    )
    assert "1 article(s) compared" in response.content.decode()


def test_adding_articles_by_upload_and_paste(editor_client):
    url = reverse("admin:articles_article_import")
    good = SimpleUploadedFile("good.txt", MISCLASSIFIED.encode())
    image = SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    response = editor_client.post(
        url,
        {
            "files": [good, image],
            "name": "pasted.txt",
            "text": "Pasted headline here\n\nSome body text of the pasted story, long enough.",
        },
        follow=True,
    )
    html = response.content.decode().lower()  # the admin capitalises messages
    assert "good.txt: created" in html
    assert "pasted.txt: created" in html
    assert "photo.txt: not imported" in html
    assert set(Article.objects.values_list("source_name", flat=True)) == {"good.txt", "pasted.txt"}


def test_the_import_form_needs_something(editor_client):
    url = reverse("admin:articles_article_import")
    response = editor_client.post(url, {"text": "", "name": ""})
    assert "Choose at least one file or paste some text" in response.content.decode()
    response = editor_client.post(url, {"text": "Some text here.", "name": ""})
    assert "Give the pasted text a file name" in response.content.decode()
    response = editor_client.post(url, {"text": "Some text.", "name": "../../etc/passwd"})
    assert not Article.objects.exists()


def test_merging_two_outlets(editor_client, seeds):
    press = Outlet.objects.get(name="Press TV")
    twin = Outlet.objects.create(name="PressTV English", slug="presstv-en", signatures=["ptv"])
    moved = Article.objects.get(pk=seeds["000"].pk)
    moved.outlet = twin
    moved.save()
    url = reverse("admin:articles_outlet_changelist")
    selected = {"action": "merge", "_selected_action": [press.pk, twin.pk]}
    page = editor_client.post(url, selected)
    assert "Keep this outlet" in page.content.decode()
    response = editor_client.post(url, {**selected, "keep": press.pk}, follow=True)
    assert "Merged into Press TV" in response.content.decode()
    assert not Outlet.objects.filter(pk=twin.pk).exists()
    press.refresh_from_db()
    assert "PressTV English" in press.signatures
    assert "ptv" in press.signatures
    assert Article.objects.get(pk=seeds["000"].pk).outlet == press


def test_an_agency_cannot_be_merged_into_an_outlet(editor_client, seeds):
    press = Outlet.objects.get(name="Press TV")
    agency = Outlet.objects.filter(is_agency=True).first()
    url = reverse("admin:articles_outlet_changelist")
    selected = {"action": "merge", "_selected_action": [press.pk, agency.pk], "keep": press.pk}
    response = editor_client.post(url, selected, follow=True)
    assert "can’t be merged" in response.content.decode()
    assert Outlet.objects.filter(pk=agency.pk).exists()


def test_article_filters(editor_client, seeds, editor):
    url = reverse("admin:articles_article_changelist")
    annotation_services.annotation_create(
        user=editor, article=seeds["001"], start=0, end=5, tags=["people"]
    )
    html = editor_client.get(url, {"tag": "people"}).content.decode()
    assert seeds["001"].title[:30] in html
    assert seeds["004"].title[:30] not in html
    Annotation.objects.update(anchor_status="orphaned")
    html = editor_client.get(url, {"orphans": "yes"}).content.decode()
    assert seeds["001"].title[:30] in html
    assert seeds["004"].title[:30] not in html
    html = editor_client.get(url, {"q": "Kama Umirt"}).content.decode()  # body search
    assert seeds["004"].title[:30] in html


@pytest.mark.parametrize(
    "name",
    ["articles_article", "articles_outlet", "articles_articlerevision", "articles_framingfamily"],
)
def test_admin_list_query_counts_do_not_grow(editor_client, editor, name):
    url = reverse(f"admin:{name}_changelist")
    for n in range(3):
        article_import(name=f"a{n}.txt", data=f"Title {n} here\n\nBody {n} text.".encode())
    few = _count(editor_client, url)
    for n in range(3, 30):
        result = article_import(name=f"a{n}.txt", data=f"Title {n} here\n\nBody {n} text.".encode())
        annotation_services.annotation_create(
            user=editor, article=result.article, start=0, end=5, tags=[f"t{n}"]
        )
    many = _count(editor_client, url)
    assert few == many


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_deleting_an_article_asks_and_offers_its_annotations_for_export(
    editor_client, editor, seeds
):
    article = seeds["004"]
    annotation_services.annotation_create(user=editor, article=article, start=0, end=5)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    page = editor_client.get(url).content.decode()
    assert "Export its annotations first" in page
    export = f"/api/export/?article={article.slug}&amp;format=jsonld"
    assert export in page
    assert Article.objects.filter(pk=article.pk).exists()  # asking deletes nothing
    response = editor_client.get(export.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.json()["total"] == 1
    editor_client.post(url, {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()

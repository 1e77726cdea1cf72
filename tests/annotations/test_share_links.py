"""Share links (/annotations/<id>/): the article opened at the annotation for whoever may see
it; for anyone else one message page, the same whatever the reason, never telling whether a
private annotation exists."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from annotations import services
from annotations.models import Annotation
from articles.models import Article
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

QUOTE = "Vladimir Putin said that that Syrian opposition groups"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')  # masked anew per response
MESSAGE = "This annotation is private, was removed, or you need to sign in"


@pytest.fixture
def article() -> Article:
    return article_import(name=SEED_NAMES["001"], data=seed_path("001").read_bytes()).article


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("moderator", password="x", is_staff=True)


def passage(user, article, **fields) -> Annotation:
    start = article.current_revision.body.index(QUOTE)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(QUOTE), exact=QUOTE, **fields
    ).annotation


def link(annotation_or_pk) -> str:
    pk = getattr(annotation_or_pk, "pk", annotation_or_pk)
    return f"/annotations/{pk}/"


def opened_at(article: Article, pk: int, fragment: str) -> str:
    return f"{article.get_absolute_url()}?annotation={pk}#{fragment}"


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_a_public_passage_opens_the_article_at_its_highlight(client, alice, article):
    """Anyone follows a public annotation's link to its passage, its card named in the query."""
    note = passage(alice, article)
    response = client.get(link(note))
    assert response.status_code == 302
    assert response["Location"] == opened_at(article, note.pk, f"hl-{note.pk}")


def test_a_reply_opens_at_its_thread_passage_with_its_own_card(client, alice, bob, article):
    """A reply's link selects the reply's card; the page opens at the thread's passage."""
    note = passage(alice, article)
    reply = services.annotation_reply(user=bob, parent=note, note="Agreed.")
    assert client.get(link(reply))["Location"] == opened_at(article, reply.pk, f"hl-{note.pk}")


def test_a_page_note_opens_at_its_card(client, alice, article):
    """A page note has no passage: the page opens at its card."""
    note = services.annotation_create(
        user=alice, article=article, page_note=True, note="On the whole piece"
    ).annotation
    assert client.get(link(note))["Location"] == opened_at(article, note.pk, f"card-{note.pk}")


def test_an_orphan_opens_at_its_card(client, alice, article):
    """An orphan has no highlight in the current text: the page opens at its card."""
    note = passage(alice, article)
    Annotation.objects.filter(pk=note.pk).update(anchor_status="orphaned")
    assert client.get(link(note))["Location"] == opened_at(article, note.pk, f"card-{note.pk}")


@pytest.mark.parametrize(
    ("case", "viewer", "opens"),
    [
        ("private", "anonymous", False),
        ("private", "other", False),
        ("private", "staff", False),
        ("private", "creator", True),
        ("hidden", "anonymous", False),
        ("hidden", "other", False),
        ("hidden", "staff", True),
        ("hidden", "creator", True),
        ("public", "anonymous", True),
        ("public", "other", True),
        ("withdrawn", "creator", False),
        ("withdrawn", "staff", False),
        ("private-thread-reply", "other", False),
        ("private-thread-reply", "creator", True),
    ],
)
def test_who_may_follow_a_link(client, alice, bob, staff, article, case, viewer, opens):
    """The reading rule of access.py, and a readable (published) article."""
    note = passage(alice, article, visibility="private" if case.startswith("private") else "public")
    target = note
    if case == "hidden":
        services.annotation_set_hidden(user=staff, annotation=note, hidden=True)
    elif case == "withdrawn":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    elif case == "private-thread-reply":
        target = services.annotation_reply(
            user=alice, parent=note, note="A reply", visibility="public"
        )
    user = {"anonymous": None, "other": bob, "staff": staff, "creator": alice}[viewer]
    response = login(client, user).get(link(target))
    if opens:
        assert response.status_code == 302
        assert f"?annotation={target.pk}#" in response["Location"]
    else:
        assert response.status_code == 404
        assert MESSAGE in response.content.decode()


def test_a_private_link_looks_exactly_like_one_that_never_existed(client, alice, bob, article):
    """Same status and same page for a private annotation as for a number never used, or one
    deleted: nothing tells them apart."""
    private = passage(alice, article, visibility="private")
    gone = passage(alice, article)
    gone_pk = gone.pk
    services.annotation_delete(user=alice, annotation=gone)
    never = Annotation.objects.order_by("-pk").first().pk + 1000
    for viewer in (None, bob):
        client.logout()
        login(client, viewer)
        pages = [client.get(link(pk)) for pk in (private.pk, gone_pk, never)]
        assert {page.status_code for page in pages} == {404}
        bodies = {
            CSRF.sub("", page.content.decode().replace(link(pk), link("N")))
            for page, pk in zip(pages, (private.pk, gone_pk, never), strict=True)
        }
        assert len(bodies) == 1, "the pages differ"


def test_the_message_page_offers_to_sign_in_and_come_back(client, alice, article):
    """Anonymous: a sign-in link that returns to the share link."""
    private = passage(alice, article, visibility="private")
    html = client.get(link(private)).content.decode()
    message = html[html.index('<section class="unavailable"') : html.index("</section>")]
    assert f'<a href="/accounts/login/?next=/annotations/{private.pk}/">Sign in</a>' in message
    assert "<h1" in message


def test_the_message_page_says_who_is_signed_in(client, alice, bob, article):
    """Signed in as someone else: the page says so and offers another account."""
    private = passage(alice, article, visibility="private")
    html = login(client, bob).get(link(private)).content.decode()
    assert MESSAGE in html
    assert "signed in as <strong>bob</strong>" in html


def test_following_a_link_costs_few_queries(client, alice, article, django_assert_max_num_queries):
    """One read for the annotation with its article (plus the session's)."""
    note = passage(alice, article)
    with django_assert_max_num_queries(1):
        assert client.get(link(note)).status_code == 302


def test_every_card_carries_its_share_link(client, alice, bob, article):
    """Cards and replies name their link (data-permalink) and their time links to it."""
    note = passage(alice, article)
    reply = services.annotation_reply(user=bob, parent=note, note="Agreed.")
    html = client.get(article.get_absolute_url()).content.decode()
    for pk in (note.pk, reply.pk):
        assert f'data-permalink="/annotations/{pk}/"' in html
        assert f'<a class="card__permalink" href="/annotations/{pk}/"' in html


def test_the_access_rule_is_the_services_one(alice, article):
    """The permalink check is access.py's reading rule (anonymous: public only)."""
    from annotations import access, permalinks

    private = passage(alice, article, visibility="private")
    with pytest.raises(access.NotVisible):
        permalinks.annotation_get_for_permalink(user=AnonymousUser(), pk=private.pk)
    assert permalinks.annotation_get_for_permalink(user=alice, pk=private.pk) == private

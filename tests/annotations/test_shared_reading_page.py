"""The reading page shared by signed-in readers (annotations/pages/shared.py): drawn once,
given to every signed-in reader who reads what anonymous readers read there, with each
reader's own parts filled in; never shared with a reader who reads more."""

import json
import re

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import access, services
from annotations.models import Annotation, Visibility
from annotations.pages import cache as pagecache
from annotations.services import groups as group_services
from articles.models import Article

pytestmark = pytest.mark.django_db
User = get_user_model()
CONFIG = re.compile(r'<script id="annotator-config" type="application/json">(.*?)</script>', re.S)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def article(seeds) -> Article:
    return seeds["001"]


def reader(name: str) -> tuple[User, Client]:
    user = User.objects.create_user(name, password="pw-123456789")
    client = Client()
    client.force_login(user)
    return user, client


def note(user, article: Article, text: str, **fields) -> Annotation:
    body = article.current_revision.body
    start = body.index("talks") if "talks" in body else 0
    return services.annotation_create(
        user=user, article=article, start=start, end=start + 5, note=text, **fields
    ).annotation


def page(client: Client, article: Article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def config(html: str) -> dict:
    found = CONFIG.search(html)
    assert found, "no annotator config"
    return json.loads(found.group(1))


def without_reader(html: str) -> str:
    """The page with its reader's parts taken out: header, config, tokens."""
    html = re.sub(r'<ul class="site-nav">.*?</ul>', "", html, flags=re.S)
    html = CONFIG.sub("", html)
    return CSRF.sub("", html)


def test_two_readers_get_one_page_with_their_own_parts(article, alice, bob):
    note(alice, article, "a public note")
    _carol, carol_client = reader("carol")
    dave, dave_client = reader("dave")
    first = page(carol_client, article)
    with CaptureQueriesContext(connection) as drawn:
        second = page(dave_client, article)
    assert pagecache.shared_reader(request=_request(dave, article), slug=article.slug)
    assert "a public note" in first
    assert "a public note" in second
    assert without_reader(first) == without_reader(second)
    # Each reader's own parts: their name, in the header and the annotator's config.
    assert config(first)["username"] == "carol"
    assert config(second)["username"] == "dave"
    assert "carol" not in second
    assert "dave" not in first
    # The second reader's page was not drawn again: none of the annotations' rows were read.
    assert not any('annotations_annotation"."note_html' in q["sql"] for q in drawn)


def test_the_sign_out_form_carries_the_readers_own_token(article):
    _, client = reader("carol")
    client.handler.enforce_csrf_checks = True
    page(client, article)  # draws the shared page
    _other, other_client = reader("dave")
    other_client.handler.enforce_csrf_checks = True
    html = page(other_client, article)
    token = CSRF.search(html).group(1)
    response = other_client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in other_client.session


def test_a_readers_private_note_is_theirs_alone(article, alice):
    _carol, carol_client = reader("carol")
    page(carol_client, article)  # the shared page exists
    note(alice, article, "alice's private thought", visibility=Visibility.PRIVATE)
    alice_client = Client()
    alice_client.force_login(alice)
    assert "alice's private thought" in page(alice_client, article)
    assert "alice's private thought" not in page(carol_client, article)
    # Alice is given the shared page with her own body and sidebar in it.
    assert pagecache.shared_reader(request=_request(alice, article), slug=article.slug).personal


def test_a_groups_notes_reach_its_members_only(article, alice, bob):
    group = group_services.group_create(user=alice, name="Desk")
    group_services.group_join(user=bob, token=group.invite_token)
    _carol, carol_client = reader("carol")
    page(carol_client, article)
    note(alice, article, "for the desk", visibility=Visibility.GROUP, group=group)
    bob_client = Client()
    bob_client.force_login(bob)
    member_page = page(bob_client, article)
    assert "for the desk" in member_page
    assert 'value="group:' in member_page  # the layer's choice lists the group
    outsider_page = page(carol_client, article)
    assert "for the desk" not in outsider_page
    assert 'value="group:' not in outsider_page


def test_a_member_of_a_group_with_nothing_here_reads_the_shared_page_with_their_groups(
    article, alice
):
    group_services.group_create(user=alice, name="Desk")
    _carol, carol_client = reader("carol")
    page(carol_client, article)
    alice_client = Client()
    alice_client.force_login(alice)
    html = page(alice_client, article)
    assert pagecache.shared_reader(request=_request(alice, article), slug=article.slug)
    assert '<option value="group:desk">Group: Desk</option>' in html
    assert "Group: Desk" not in page(carol_client, article)


def test_another_readers_write_shows_on_the_next_shared_page(article, alice):
    _, client = reader("carol")
    assert "fresh from alice" not in page(client, article)
    note(alice, article, "fresh from alice")
    assert "fresh from alice" in page(client, article)


def test_waiting_messages_are_shown_once(article, rf):
    _, client = reader("carol")
    page(client, article)
    storage = CookieStorage(rf.get("/"))
    waiting = storage._encode([Message(messages.SUCCESS, "Welcome back")])
    client.cookies[CookieStorage.cookie_name] = waiting
    assert "Welcome back" in page(client, article)
    assert "Welcome back" not in page(client, article)


def test_staff_never_get_the_shared_page(article, alice, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    assert pagecache.shared_reader(request=_request(staff, article), slug=article.slug) is None


def test_the_shared_reader_check_agrees_with_the_access_rule(article, alice, bob):
    """The SQL of cache._reader_extras and access.annotations_beyond_public_q, case by case."""
    group = group_services.group_create(user=alice, name="Desk")
    other = group_services.group_create(user=bob, name="Elsewhere")
    moderator = User.objects.create_user("mod", password="x", is_staff=True)
    cases = [
        ("public", {}),
        ("private", {"visibility": Visibility.PRIVATE}),
        ("own group", {"visibility": Visibility.GROUP, "group": group}),
        ("hidden", {"hide": True}),
    ]
    for label, fields in cases:
        Annotation.objects.all().delete()
        hide = fields.pop("hide", False)
        made = note(alice, article, label, **fields)
        if hide:
            services.annotation_set_hidden(user=moderator, annotation=made, hidden=True)
        note(bob, article, "bob's in his group", visibility=Visibility.GROUP, group=other)
        note(bob, article, "bob's private", visibility=Visibility.PRIVATE)
        for user in (alice, bob):
            by_rule = (
                Annotation.objects.filter(article=article)
                .filter(access.annotations_beyond_public_q(user))
                .exists()
            )
            by_sql = pagecache._reader_extras(article.slug, user)[0]
            assert by_sql == by_rule, (label, user.username)
            # And it means what it says: nothing beyond what anonymous readers read.
            beyond = set(
                access.annotations_visible_to(user).filter(article=article).values_list("pk")
            ) - set(access.annotations_visible_to(None).filter(article=article).values_list("pk"))
            assert bool(beyond) == by_rule, (label, user.username)


def test_a_shared_page_costs_the_same_queries_however_many_notes(article, alice):
    _, first = reader("carol")
    _, second = reader("dave")

    def queries() -> int:
        page(first, article)  # draws it
        with CaptureQueriesContext(connection) as counted:
            page(second, article)
        return len(counted)

    for n in range(3):
        note(alice, article, f"note {n}")
    few = queries()
    for n in range(30):
        note(alice, article, f"more {n}")
    assert queries() == few
    assert few <= 5  # session, user, the page's version, the reader's extras, (none else)


def _request(user, article: Article):
    from django.test import RequestFactory

    request = RequestFactory().get(article.get_absolute_url())
    request.user = user
    return request


def test_a_reader_with_notes_of_their_own_costs_the_same_queries_however_many(article, alice):
    """Given the shared page with their own body and sidebar (kept under their key): warm,
    a reader with private notes costs a handful of queries, however many notes."""
    client = Client()
    client.force_login(alice)

    def queries() -> int:
        page(client, article)  # draws what changed
        with CaptureQueriesContext(connection) as counted:
            html = page(client, article)
        assert "private 0" in html
        return len(counted)

    note(alice, article, "private 0", visibility=Visibility.PRIVATE)
    few = queries()
    for n in range(1, 30):
        note(alice, article, f"private {n}", visibility=Visibility.PRIVATE)
    assert queries() == few
    assert few <= 7  # session, user, the page's version, the extras, the article, the key


def test_after_a_write_only_the_body_and_sidebar_are_drawn_again(article, alice):
    """The frame (byline, what shares passages with it, stories, comments) is kept under a key
    no annotation moves: after another reader's write, its rows are not read again."""
    _, client = reader("carol")
    page(client, article)
    note(alice, article, "written meanwhile")
    with CaptureQueriesContext(connection) as counted:
        html = page(client, article)
    assert "written meanwhile" in html
    read = " ".join(q["sql"] for q in counted)
    assert "articles_passagelink" not in read  # "Compare with…"
    assert "articles_storyarticle" not in read  # the stories it is in
    assert "annotations_annotation" in read  # the cards, drawn again


def test_a_frame_first_drawn_for_a_reader_with_private_notes_serves_everyone(article, alice):
    """The first visit is a reader with notes of their own: the frame is drawn without the
    regions (theirs go in), and the next reader still gets everyone's body and sidebar, the
    same page an anonymous reader gets around their own parts."""
    note(alice, article, "a public note")
    owner, owner_client = reader("owner")
    note(owner, article, "owner's private thought", visibility=Visibility.PRIVATE)
    pagecache_clear()
    mine = page(owner_client, article)
    assert "owner&#x27;s private thought" in mine or "owner's private thought" in mine
    _eve, eve_client = reader("eve")
    theirs = page(eve_client, article)
    assert "private thought" not in theirs
    assert "a public note" in theirs
    pagecache_clear()  # the same page drawn whole by a reader who reads what everyone reads
    _frank, frank_client = reader("frank")
    assert without_reader(theirs) == without_reader(page(frank_client, article))


def pagecache_clear() -> None:
    from django.core.cache import cache

    cache.clear()


def test_a_note_holding_a_slot_marker_is_only_text(article, alice):
    """The markers the shared page is cut at are HMAC-derived and marked safe; a reader who
    writes one into a note (or a quote) gets it escaped, never a slot: the other readers'
    pages keep their own header and the note shows as text."""
    from annotations.pages.shared import _marker

    hostile = f"{_marker('user_nav')} {_marker('body_start')}<script>alert(1)</script>"
    note(alice, article, hostile)
    _carol, carol_client = reader("carol")
    html = page(carol_client, article)
    assert str(_marker("user_nav")) not in html
    assert str(_marker("body_start")) not in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;!--slot:user_nav:" in html
    assert config(html)["username"] == "carol"

"""Notifications: replies to my annotations and passages marked with my claims, listed with an
unread count in the header and e-mailed after the commit to those who opted in."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import claims, services
from annotations.context_processors import notifications as header_context
from annotations.models import Annotation, Notification, NotificationKind, NotificationSettings
from annotations.notifications import annotation_url, notifications_for, unread_count
from articles.models import Article
from articles.services import articles_set_status
from tests.factories import make_articles

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456789"
LIST = "/notifications/"


@pytest.fixture
def article() -> Article:
    make_articles(1)
    return Article.objects.select_related("current_revision").get()


@pytest.fixture
def carol(django_user_model):
    return django_user_model.objects.create_user("carol", password=PASSWORD)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("mod", password=PASSWORD, is_staff=True)


def passage(user, article, phrase: str = "Delegations met", **fields) -> Annotation:
    body = article.current_revision.body
    start = body.index(phrase)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(phrase), **fields
    ).annotation


def reply(user, parent, note: str = "Which delegations?", **fields) -> Annotation:
    return services.annotation_reply(user=user, parent=parent, note=note, **fields)


@transaction.atomic
def reply_then_fail(user, parent) -> None:
    """A reply written, then its transaction rolled back."""
    reply(user, parent)
    assert Notification.objects.filter(annotation__parent=parent).exists()
    raise RuntimeError


def opt_in(user, **choices) -> None:
    user.email = f"{user.get_username()}@example.org"
    user.save(update_fields=["email"])
    NotificationSettings.objects.create(user=user, **choices)


def signed_in(client, user):
    client.force_login(user)
    return client


def header(html: str) -> str:
    return html.split("</header>", 1)[0]


# --- what makes a notification -----------------------------------------------------------------


def test_a_reply_notifies_the_creator_of_the_annotation(alice, bob, article):
    """Bob's reply to Alice's note gives Alice one unread reply notification, by Bob."""
    note = passage(alice, article, note="Key point")
    answer = reply(bob, note)
    (notification,) = Notification.objects.all()
    assert (notification.recipient, notification.actor) == (alice, bob)
    assert notification.kind == NotificationKind.REPLY
    assert notification.annotation == answer
    assert notification.read_at is None
    assert unread_count(user=alice) == 1
    assert unread_count(user=bob) == 0


def test_replying_to_yourself_notifies_nobody(alice, article):
    """A reply to one's own annotation is not news to anyone."""
    note = passage(alice, article)
    reply(alice, note)
    assert not Notification.objects.exists()


def test_a_reply_to_a_reply_notifies_the_thread_starter(alice, bob, carol, article):
    """Threads are one level deep: a reply to Bob's reply joins Alice's thread and tells her."""
    note = passage(alice, article)
    first = reply(bob, note)
    reply(carol, first)
    assert sorted(Notification.objects.values_list("actor__username", flat=True)) == [
        "bob",
        "carol",
    ]
    assert set(Notification.objects.values_list("recipient", flat=True)) == {alice.pk}


def test_the_database_refuses_a_notification_to_yourself(alice, article):
    """recipient != actor is a check constraint, whatever code writes the row."""
    note = passage(alice, article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=alice, actor=alice, kind=NotificationKind.REPLY, annotation=note
        )


def test_the_database_refuses_an_unknown_kind(alice, bob, article):
    """The kind is one of the known ones (a check constraint)."""
    note = passage(alice, article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=alice, actor=bob, kind="like", annotation=note)


def test_a_passage_marked_with_my_claim_notifies_me(alice, bob, article):
    """Bob marking a passage with Alice's claim tells Alice; her own passages do not."""
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    passage(alice, article, motivation="assessing", claim=claim)
    assert not Notification.objects.exists()
    marked = passage(bob, article, "officials said", motivation="assessing", claim=claim)
    (notification,) = Notification.objects.all()
    assert notification.kind == NotificationKind.CLAIM_PASSAGE
    assert (notification.recipient, notification.actor, notification.annotation) == (
        alice,
        bob,
        marked,
    )


def test_giving_a_passage_my_claim_later_notifies_me_once(alice, bob, article):
    """Bob's highlight edited to carry Alice's claim tells her, once."""
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    mine = passage(bob, article)
    assert not Notification.objects.exists()
    mine = services.annotation_update(
        user=bob, annotation=mine, expected_version=None, motivation="assessing", claim=claim
    )
    assert Notification.objects.filter(recipient=alice, annotation=mine).count() == 1
    services.annotation_update(user=bob, annotation=mine, expected_version=None, note="edited")
    assert Notification.objects.count() == 1


def test_editing_an_old_passage_tells_nobody(alice, bob, article):
    """A passage that carried the claim before (e.g. from before notifications existed) is
    no news when only its note changes."""
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    old = passage(bob, article, motivation="assessing", claim=claim)
    Notification.objects.all().delete()
    services.annotation_update(user=bob, annotation=old, expected_version=None, note="edited")
    assert not Notification.objects.exists()


def test_a_private_reply_or_passage_made_public_notifies_then(alice, bob, article):
    """Made public, a private reply (or passage with my claim) tells me as if new."""
    note = passage(alice, article)
    answer = reply(bob, note, visibility="private")
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    marked = passage(
        bob, article, "officials said", motivation="assessing", claim=claim, visibility="private"
    )
    assert not Notification.objects.exists()
    for annotation in (answer, marked):
        services.annotation_update(
            user=bob, annotation=annotation, expected_version=None, visibility="public"
        )
    assert set(Notification.objects.values_list("kind", "annotation")) == {
        ("reply", answer.pk),
        ("claim_passage", marked.pk),
    }


def test_applying_a_claim_to_linked_passages_notifies_the_claim_creator(alice, bob, seeds):
    """Claims applied across outlets (claims.claim_apply) tell the claim's creator of each
    new passage."""
    guarantor = "This will be a test for the Russians as the guarantor"  # in 001 and 004
    claim = services.claim_create(user=alice, text="Russia guarantees the ceasefire")
    marked = passage(bob, seeds["001"], guarantor, motivation="assessing", claim=claim)
    result = claims.claim_apply(user=bob, annotation=marked)
    assert seeds["004"].pk in {a.article_id for a in result.created}
    notified = Notification.objects.filter(recipient=alice, kind="claim_passage")
    assert set(notified.values_list("annotation", flat=True)) == {
        marked.pk,
        *(a.pk for a in result.created),
    }


def test_a_private_reply_never_notifies(alice, bob, article):
    """Bob's private reply is his alone: Alice is not told it exists."""
    note = passage(alice, article)
    reply(bob, note, visibility="private")
    assert not Notification.objects.exists()
    assert unread_count(user=alice) == 0


def test_a_private_passage_with_my_claim_never_notifies(alice, bob, article):
    """A passage only its creator may see tells the claim's creator nothing."""
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    passage(bob, article, motivation="assessing", claim=claim, visibility="private")
    assert not Notification.objects.exists()


def test_a_passage_on_a_draft_article_does_not_notify_who_cannot_read_it(alice, staff, article):
    """Staff annotate drafts; a reader who may not see the draft hears nothing of it."""
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    articles_set_status(user=staff, articles=[article], status=Article.Status.DRAFT)
    article.refresh_from_db()
    passage(staff, article, motivation="assessing", claim=claim)
    assert not Notification.objects.exists()


def test_a_reply_made_private_or_hidden_later_drops_out(alice, bob, staff, article, client):
    """The list and the count ask who may see the annotation each time: a reply hidden by a
    moderator or made private by its author is no longer listed or counted."""
    note = passage(alice, article)
    answer = reply(bob, note, note="A secret soon")
    assert unread_count(user=alice) == 1
    services.annotation_set_hidden(user=staff, annotation=answer, hidden=True)
    assert unread_count(user=alice) == 0
    html = signed_in(client, alice).get(LIST).content.decode()
    assert "A secret soon" not in html
    assert "Notifications (0)" in header(html)
    services.annotation_set_hidden(user=staff, annotation=answer, hidden=False)
    assert unread_count(user=alice) == 1
    answer.refresh_from_db()
    services.annotation_update(
        user=bob, annotation=answer, expected_version=None, visibility="private"
    )
    assert unread_count(user=alice) == 0
    assert not notifications_for(user=alice).exists()


def test_a_reply_hidden_before_its_mail_leaves_is_not_mailed(
    alice, bob, staff, article, django_capture_on_commit_callbacks
):
    """The e-mail asks again, after the commit, whether the recipient may see the reply: one
    a moderator hid meanwhile is neither mailed nor counted."""
    opt_in(alice, email_replies=True)
    note = passage(alice, article)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = reply(bob, note)
    services.annotation_set_hidden(user=staff, annotation=answer, hidden=True)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert unread_count(user=alice) == 0


def test_deleting_the_reply_deletes_its_notification(alice, bob, article):
    """A notification goes with the annotation it is about."""
    note = passage(alice, article)
    answer = reply(bob, note)
    assert Notification.objects.count() == 1
    services.annotation_delete(user=bob, annotation=answer)
    assert not Notification.objects.exists()
    assert unread_count(user=alice) == 0


def test_a_rolled_back_reply_leaves_no_notification(alice, bob, article):
    """Written in the reply's transaction: if it rolls back, so does the notification."""
    note = passage(alice, article)
    with pytest.raises(RuntimeError):
        reply_then_fail(bob, note)
    assert not Notification.objects.exists()


# --- the list page ------------------------------------------------------------------------------


def test_the_list_needs_a_signed_in_reader(client):
    """Anonymous readers are sent to sign in."""
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_newest_first_with_unread_marked(alice, bob, carol, article, client):
    """Each item says who did what where, links to the annotation through the notification,
    and unread ones say New."""
    note = passage(alice, article)
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    reply(bob, note, note="First reply")
    passage(carol, article, "officials said", motivation="assessing", claim=claim)
    first, second = Notification.objects.order_by("pk")
    html = signed_in(client, alice).get(LIST).content.decode()
    assert html.index("carol marked a passage") < html.index("bob replied to your annotation")
    assert html.count("notification--unread") == 2
    assert html.count(">New<") == 2
    for notification in (first, second):
        assert f'href="/notifications/{notification.pk}/"' in html
    assert "First reply" in html
    assert "officials said" in html
    assert "Notifications (2)" in header(html)


def test_opening_an_item_marks_it_read_and_goes_to_the_annotation(alice, bob, article, client):
    """Following an item marks it read and redirects to the annotation in context."""
    note = passage(alice, article)
    answer = reply(bob, note)
    notification = Notification.objects.get()
    signed_in(client, alice)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == annotation_url(answer)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(user=alice) == 0
    html = client.get(LIST).content.decode()
    assert "notification--unread" not in html
    assert "Notifications (0)" in header(html)


def test_the_annotation_link_is_its_permalink_when_there_is_one(alice, bob, article):
    """The link is the annotation's permalink (or the article at its card)."""
    answer = reply(bob, passage(alice, article))
    url = annotation_url(answer)
    assert url in (f"/annotations/{answer.pk}/", f"{article.get_absolute_url()}#card-{answer.pk}")


def test_nobody_opens_another_readers_notification(alice, bob, carol, article, client):
    """Someone else's notification does not exist for you (404) and stays unread."""
    reply(bob, passage(alice, article))
    notification = Notification.objects.get()
    response = signed_in(client, carol).get(f"/notifications/{notification.pk}/")
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_is_a_post_with_csrf(alice, bob, carol, article, django_user_model):
    """ "Mark all read" needs a POST carrying the CSRF token, and marks only your own."""
    from django.test import Client

    note = passage(alice, article)
    reply(bob, note)
    reply(carol, note)
    reply(alice, passage(carol, article, "officials said"))
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(alice)
    assert checked.get("/notifications/read/").status_code == 405
    assert checked.post("/notifications/read/").status_code == 403
    assert unread_count(user=alice) == 2
    page = checked.get(LIST)
    token = page.cookies["csrftoken"].value
    response = checked.post("/notifications/read/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert unread_count(user=alice) == 0
    assert unread_count(user=carol) == 1


def test_the_list_runs_as_many_queries_for_two_as_for_twenty(alice, bob, article, client):
    """No query per item."""
    note = passage(alice, article)
    signed_in(client, alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        reply(bob, note, note=f"reply {n}")
    few = count()
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    for n in range(18):
        if n % 2:
            reply(bob, note, note=f"more {n}")
        else:
            passage(bob, article, "officials said", motivation="assessing", claim=claim)
    assert count() == few


# --- the header ---------------------------------------------------------------------------------


def test_the_header_count_costs_one_query_when_nothing_is_unread_and_two_when_some_is(
    alice, bob, article
):
    """The context processor counts only when the count is shown: one cheap query when no
    notification is unread (most pages), then the count under the access rule."""
    request = RequestFactory().get("/")
    request.user = alice
    with CaptureQueriesContext(connection) as ctx:
        context = header_context(request)
    assert len(ctx.captured_queries) == 0
    with CaptureQueriesContext(connection) as ctx:
        assert str(context["notifications_unread"]) == "0"
    assert len(ctx.captured_queries) == 1
    reply(bob, passage(alice, article))
    context = header_context(request)
    with CaptureQueriesContext(connection) as ctx:
        assert str(context["notifications_unread"]) == "1"
        assert str(context["notifications_unread"]) == "1"
    assert len(ctx.captured_queries) == 2


def test_a_signed_in_page_counts_in_two_queries_at_most(alice, bob, article, client):
    """A whole page asks the notifications table for the header only."""
    reply(bob, passage(alice, article))
    signed_in(client, alice)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/").content.decode()
    asked = [q["sql"] for q in ctx.captured_queries if "annotations_notification" in q["sql"]]
    assert len(asked) == 2
    assert "Notifications (1)" in header(html)


def test_the_shared_reading_page_shows_each_readers_own_count(alice, bob, article, client):
    """The article page shared by signed-in readers (pages/shared.py) fills in the count."""
    reply(bob, passage(alice, article))
    signed_in(client, bob)
    assert "Notifications (0)" in header(client.get(article.get_absolute_url()).content.decode())
    signed_in(client, alice)
    assert "Notifications (1)" in header(client.get(article.get_absolute_url()).content.decode())


def test_anonymous_readers_have_no_count_and_no_query(alice, bob, article, client):
    """No link, no query for readers who are not signed in."""
    reply(bob, passage(alice, article))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(article.get_absolute_url()).content.decode()
    assert not [q for q in ctx.captured_queries if "annotations_notification" in q["sql"]]
    assert "Notifications" not in header(html)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as ctx:
        assert str(header_context(request)["notifications_unread"]) == "0"
    assert len(ctx.captured_queries) == 0


def test_a_cached_page_never_shows_another_readers_count(alice, bob, carol, article, client):
    """The article page's body and sidebar are cached per reader and whole pages for
    anonymous readers; the header is each reader's own, and current, every time."""
    from django.test import Client

    note = passage(alice, article)
    reply(bob, note)
    url = article.get_absolute_url()
    anonymous = Client()
    assert "Notifications" not in header(anonymous.get(url).content.decode())
    as_alice, as_carol = Client(), Client()
    as_alice.force_login(alice)
    as_carol.force_login(carol)
    for _ in range(2):  # the second visit is served from the cached fragments
        assert "Notifications (1)" in header(as_alice.get(url).content.decode())
        assert "Notifications (0)" in header(as_carol.get(url).content.decode())
    assert "Notifications" not in header(anonymous.get(url).content.decode())
    reply(carol, note)  # alice's count moves with nothing else on her page changed...
    assert "Notifications (2)" in header(as_alice.get(url).content.decode())
    as_alice.post("/notifications/read/")
    assert "Notifications (0)" in header(as_alice.get(url).content.decode())


# --- e-mail ------------------------------------------------------------------------------------


def test_no_email_unless_opted_in(alice, bob, article, django_capture_on_commit_callbacks):
    """Readers who did not ask for e-mail get none, even with an address."""
    alice.email = "alice@example.org"
    alice.save(update_fields=["email"])
    note = passage(alice, article)
    with django_capture_on_commit_callbacks(execute=True):
        reply(bob, note)
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_email_only_after_commit_and_only_for_the_chosen_kind(
    alice, bob, article, django_capture_on_commit_callbacks
):
    """Opted in to replies only: a reply is mailed once the transaction commits, a claim
    passage is not mailed at all."""
    opt_in(alice, email_replies=True)
    note = passage(alice, article)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = reply(bob, note, note="Which **delegations**?")
    assert mail.outbox == []  # not before the commit
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "bob replied to your annotation" in message.subject
    assert "Which **delegations**?" in message.body
    assert "http://" in message.body
    assert annotation_url(answer) in message.body
    assert not message.alternatives  # plain text only
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    with django_capture_on_commit_callbacks(execute=True):
        passage(bob, article, "officials said", motivation="assessing", claim=claim)
    assert len(mail.outbox) == 1


def test_claim_passage_email_when_opted_in(alice, bob, article, django_capture_on_commit_callbacks):
    """Opted in to claims: the passage's words and the claim are in the e-mail."""
    opt_in(alice, email_claims=True)
    claim = services.claim_create(user=alice, text="Delegations met on Monday")
    with django_capture_on_commit_callbacks(execute=True):
        marked = passage(bob, article, "officials said", motivation="assessing", claim=claim)
    (message,) = mail.outbox
    assert "Delegations met on Monday" in message.body
    assert "“officials said”" in message.body
    assert annotation_url(marked) in message.body


def test_a_rolled_back_reply_sends_no_email(
    alice, bob, article, django_capture_on_commit_callbacks
):
    """A reply whose transaction rolls back is never mailed."""
    opt_in(alice, email_replies=True)
    note = passage(alice, article)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        reply_then_fail(bob, note)
    assert callbacks == []
    assert mail.outbox == []


def test_the_settings_page_saves_the_choice_and_address(alice, bob, article, client):
    """The settings form stores the address and the kinds; a box ticked without an address
    is refused."""
    signed_in(client, alice)
    assert client.get("/notifications/settings/").status_code == 200
    refused = client.post("/notifications/settings/", {"email_replies": "on"})
    assert refused.status_code == 200
    assert "Give an address" in refused.content.decode()
    response = client.post(
        "/notifications/settings/", {"email": "a@example.org", "email_replies": "on"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "a@example.org"
    chosen = NotificationSettings.objects.get(user=alice)
    assert (chosen.email_replies, chosen.email_claims) == (True, False)
    assert "checked" in client.get("/notifications/settings/").content.decode()

"""Curation of annotations, claims and tags in the admin, through HTTP: lists with constant
query counts, hide/unhide, re-anchor, retag, re-attach, the rating workflow, merging claims and
tags, renaming tags, history, and who may do what (superuser and Editors yes, annotators no)."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from annotations import services
from annotations.models import Annotation, Claim, TaggedAnnotation, TaggedClaim
from articles.models import Outlet
from articles.services import article_import
from tests.history_table import history_rows

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456789"
TEXT = (
    "Talks open in Astana\n\n"
    "ASTANA (Reuters) - Delegations arrived on Sunday for two days of talks on the war in "
    "Syria.\n\n"
    "The rebels said they would discuss the ceasefire firsst and nothing else at the meeting.\n\n"
    "Moscow has said the talks would take place in Kazakhstan under Russian and Turkish "
    "sponsorship.\n\n"
    "Russia, Turkey and Iran will hold a trilateral meeting after the first session ends on "
    "Tuesday.\n"
)
# The second text: a typo fixed, the Moscow paragraph deleted, a sentence inserted before the
# last paragraph's words.
REVISED = (
    TEXT.replace("firsst", "first")
    .replace(
        "Moscow has said the talks would take place in Kazakhstan under Russian and Turkish "
        "sponsorship.\n\n",
        "",
    )
    .replace(
        "Russia, Turkey", "Officials in Ankara confirmed the schedule on Monday. Russia, Turkey"
    )
)
STAYS = "Delegations arrived on Sunday"
FUZZY = "discuss the ceasefire firsst and nothing else"
ORPHAN = "take place in Kazakhstan"
MOVES = "a trilateral meeting"

CHANGELIST = {
    "annotation": "admin:annotations_annotation_changelist",
    "claim": "admin:annotations_claim_changelist",
    "tag": "admin:taggit_tag_changelist",
}


# --- Fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def story():
    return article_import(name="talks.txt", data=TEXT.encode()).article


@pytest.fixture
def other_story():
    text = TEXT.replace("Talks open in Astana", "Second day of the talks in Astana")
    article = article_import(name="talks-2.txt", data=text.encode()).article
    article.outlet = Outlet.objects.create(name="Daily Example", slug="daily-example")
    article.save(update_fields=["outlet"])
    return article


def mark(user, article, quote: str, **fields) -> Annotation:
    body = article.current_revision.body
    start = body.index(quote)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(quote), **fields
    ).annotation


def revise_without_reanchoring(monkeypatch, text: str = REVISED):
    """A new revision of the story whose annotations were left on the old text."""
    monkeypatch.setattr("articles.services.imports.revision_follow", lambda **kwargs: None)
    result = article_import(name="talks.txt", data=text.encode())
    monkeypatch.undo()
    return result.revision


def action(client, model: str, name: str, objects, **data):
    return client.post(
        reverse(CHANGELIST[model]),
        {"action": name, "_selected_action": [o.pk for o in objects], **data},
        follow=True,
    )


def text_of(response) -> str:
    return response.content.decode()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


class _FormFields(HTMLParser):
    """The fields a browser would send from one form of a page (no JavaScript)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif not self.inside or (tag != "option" and "name" not in a):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in {"submit", "button", "reset", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], []

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.text)
            self.fields.append((self.textarea, text.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None


def submit_change_form(client, url: str, form_id: str, **changes):
    """GET a change page, then POST its form as a browser would, with some fields changed."""
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields(form_id)
    parser.feed(text_of(page))
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    return client.post(url, data, follow=True)


# --- Who may do what ------------------------------------------------------------------------


def curation_urls(annotation, claim, tag) -> list[str]:
    return [
        reverse("admin:annotations_annotation_changelist"),
        reverse("admin:annotations_annotation_change", args=[annotation.pk]),
        reverse("admin:annotations_annotation_history", args=[annotation.pk]),
        reverse("admin:annotations_annotation_reattach", args=[annotation.pk]),
        reverse("admin:annotations_claim_changelist"),
        reverse("admin:annotations_claim_change", args=[claim.pk]),
        reverse("admin:annotations_claim_history", args=[claim.pk]),
        reverse("admin:annotations_claim_add"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        reverse("admin:taggit_tag_add"),
    ]


@pytest.fixture
def records(alice, story):
    claim = services.claim_create(user=alice, text="The rebels will only discuss the ceasefire")
    annotation = mark(alice, story, FUZZY, motivation="assessing", claim=claim, tags=["ceasefire"])
    return annotation, claim, Tag.objects.get(name="ceasefire")


@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_every_curation_page_opens_for_superusers_and_editors(
    client, admin_user, editor, records, who
):
    """Every list, change, history, add and re-attach page answers 200 to both kinds of
    curator."""
    client.force_login(admin_user if who == "superuser" else editor)
    for url in curation_urls(*records):
        response = client.get(url)
        assert response.status_code == 200, url


def test_annotators_are_sent_to_the_admin_login(client, alice, records):
    """A signed-in reader who is not staff is redirected to the admin login, and an action
    they post changes nothing."""
    annotation = records[0]
    client.force_login(alice)
    for url in curation_urls(*records):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    response = client.post(
        reverse(CHANGELIST["annotation"]), {"action": "hide", "_selected_action": [annotation.pk]}
    )
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
    annotation.refresh_from_db()
    assert not annotation.is_hidden


def test_actions_need_the_change_permission(client, django_user_model, editor, records):
    """Staff who may only view annotations, claims and tags get no curation action."""
    annotation, claim, tag = records
    client.force_login(editor)  # an Editor's list offers the action this test looks for
    assert 'value="hide"' in text_of(client.get(reverse(CHANGELIST["annotation"])))
    viewer = django_user_model.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_annotation", "view_claim", "view_tag"])
    )
    client.force_login(viewer)
    response = client.get(reverse(CHANGELIST["annotation"]))
    assert response.status_code == 200  # the list itself is open to a viewer
    assert list(response.context["cl"].result_list) == [annotation]
    assert 'value="hide"' not in text_of(response)
    for model, name, objects in [
        ("annotation", "hide", [annotation]),
        ("annotation", "reanchor", [annotation]),
        ("annotation", "retag", [annotation]),
        ("claim", "merge", [claim, claim]),
        ("tag", "merge", [tag, tag]),
    ]:
        response = action(client, model, name, objects, confirm="yes", add="x", keep=claim.pk)
        assert response.status_code == 200
        assert not list(response.context["messages"]), (model, name)
    annotation.refresh_from_db()
    assert (annotation.is_hidden, annotation.version) == (False, 1)
    assert [t.name for t in annotation.tags.all()] == ["ceasefire"]
    assert (Claim.objects.count(), Tag.objects.count()) == (1, 1)


# --- The lists: constant query counts -------------------------------------------------------


def add_annotations(user, articles, count: int, start: int = 0) -> None:
    quotes = [STAYS, FUZZY, ORPHAN, MOVES, "in Astana"]
    for n in range(start, start + count):
        article = articles[n % len(articles)]
        annotation = mark(user, article, quotes[n % len(quotes)], tags=[f"tag {n}", "common"])
        if n % 3 == 0:
            services.annotation_reply(user=user, parent=annotation, note=f"reply {n}")


def test_the_annotation_list_runs_as_many_queries_for_30_rows_as_for_3(
    editor_client, alice, story, other_story
):
    """Tags, replies, outlets and creators are fetched in a fixed number of queries."""
    url = reverse(CHANGELIST["annotation"])
    add_annotations(alice, [story, other_story], 3)
    few = count_queries(editor_client, url)
    add_annotations(alice, [story, other_story], 27, start=3)
    assert Annotation.objects.count() > 30
    many = count_queries(editor_client, url)
    assert many == few
    page = text_of(editor_client.get(url))
    assert "tag 29" in page
    assert "Daily Example" in page


def test_the_claim_list_runs_as_many_queries_for_30_rows_as_for_3(editor_client, alice, story):
    """Passage counts, tags and reviewers are fetched in a fixed number of queries."""
    url = reverse(CHANGELIST["claim"])
    for n in range(3):
        claim = services.claim_create(
            user=alice, text=f"Claim {n}", rating="supported", tags=[f"c{n}"]
        )
        mark(alice, story, STAYS, motivation="assessing", claim=claim)
    few = count_queries(editor_client, url)
    for n in range(3, 30):
        claim = services.claim_create(
            user=alice, text=f"Claim {n}", rating="disputed", tags=[f"c{n}"]
        )
        mark(alice, story, MOVES, motivation="assessing", claim=claim)
    many = count_queries(editor_client, url)
    assert many == few
    page = text_of(editor_client.get(url))
    assert "Claim 29" in page
    assert "alice" in page  # the reviewer


def test_the_tag_list_runs_as_many_queries_for_30_rows_as_for_3(editor_client, alice, story):
    """Usage counts come from annotations, not one query per tag."""
    url = reverse(CHANGELIST["tag"])
    add_annotations(alice, [story], 2)  # tags "tag 0", "tag 1", "common"
    few = count_queries(editor_client, url)
    add_annotations(alice, [story], 28, start=2)
    assert Tag.objects.count() == 31
    many = count_queries(editor_client, url)
    assert many == few


def test_the_tag_list_shows_how_often_each_tag_is_used(editor_client, alice, story):
    """The list counts annotations and claims per tag."""
    mark(alice, story, STAYS, tags=["talks"])
    mark(alice, story, MOVES, tags=["talks", "iran"])
    services.claim_create(user=alice, text="A claim", tags=["talks"])
    response = editor_client.get(reverse(CHANGELIST["tag"]))
    rows = {t.name: (t.annotation_count, t.claim_count) for t in response.context["cl"].result_list}
    assert rows == {"talks": (2, 1), "iran": (1, 0)}


# --- Annotations: filters, hide and unhide, history -----------------------------------------


def test_filters_and_search_narrow_the_annotation_list(
    editor_client, editor, alice, bob, story, other_story
):
    """Motivation, anchor status, visibility, hidden, outlet, tag and search each keep only
    the matching rows."""
    a = mark(alice, story, STAYS, tags=["arrivals"], visibility="private")
    b = mark(bob, other_story, MOVES, motivation="commenting", note="trilateral format")
    services.annotation_set_hidden(user=editor, annotation=b, hidden=True)
    Annotation.objects.filter(pk=b.pk).update(anchor_status="fuzzy", anchor_score=0.9)
    url = reverse(CHANGELIST["annotation"])

    def listed(**params):
        response = editor_client.get(url, params)
        assert response.status_code == 200
        return {o.pk for o in response.context["cl"].result_list}

    assert listed() == {a.pk, b.pk}
    assert listed(motivation__exact="commenting") == {b.pk}
    assert listed(anchor_status__exact="fuzzy") == {b.pk}
    assert listed(visibility__exact="private") == {a.pk}
    assert listed(is_hidden__exact="1") == {b.pk}
    assert listed(is_hidden__exact="0") == {a.pk}
    assert listed(article__outlet__id__exact=other_story.outlet_id) == {b.pk}
    assert listed(tag="arrivals") == {a.pk}
    assert listed(q="bob") == {b.pk}
    assert listed(q="trilateral format") == {b.pk}
    assert listed(q="Talks open") == {a.pk}  # the first article's title


def test_hiding_and_unhiding_through_actions_is_recorded_in_the_history(
    editor_client, editor, alice, story
):
    """Hide sets who and when and bumps the version; unhide clears them; the history page shows
    the changes with the editor's name."""
    a = mark(alice, story, STAYS)
    b = mark(alice, story, MOVES)
    response = action(editor_client, "annotation", "hide", [a, b])
    assert "2 annotation(s) hidden" in text_of(response)
    a.refresh_from_db()
    assert (a.is_hidden, a.hidden_by, a.version) == (True, editor, 2)
    assert a.hidden_at is not None
    response = action(editor_client, "annotation", "unhide", [a])
    assert "1 annotation(s) unhidden" in text_of(response)
    a.refresh_from_db()
    assert (a.is_hidden, a.hidden_by, a.hidden_at, a.version) == (False, None, None, 3)
    history = editor_client.get(reverse("admin:annotations_annotation_history", args=[a.pk]))
    assert history.status_code == 200
    rows = history_rows(history.content.decode())  # newest first
    assert [row["Changed by"] for row in rows] == ["editor", "editor", "None"]
    assert "Is hidden: True → False" in rows[0]["Changes"]  # unhide
    assert "Is hidden: False → True" in rows[1]["Changes"]  # hide
    records = list(a.history.order_by("history_id"))
    assert [r.history_user for r in records] == [None, editor, editor]  # made outside a request


def test_the_change_form_saves_tags_and_hidden_through_the_services(
    editor_client, editor, alice, story
):
    """Editing tags (separated by commas only) and the hidden flag on the change page retags,
    hides and bumps the version; the reader's words stay read-only."""
    a = mark(alice, story, STAYS, tags=["arrivals", "draft"], note="my words")
    url = reverse("admin:annotations_annotation_change", args=[a.pk])
    page = text_of(editor_client.get(url))
    assert 'name="note"' not in page
    assert reverse("admin:annotations_annotation_reattach", args=[a.pk]) in page
    response = submit_change_form(
        editor_client, url, "annotation_form", tags="arrivals, Kremlin palace", is_hidden="on"
    )
    assert response.status_code == 200
    assert "errornote" not in text_of(response)
    a.refresh_from_db()
    assert sorted(t.name for t in a.tags.all()) == ["Kremlin palace", "arrivals"]
    assert (a.is_hidden, a.hidden_by, a.note) == (True, editor, "my words")
    assert a.version == 3  # hidden, then retagged


def test_the_change_form_refuses_a_tag_that_is_too_long(editor_client, alice, story):
    """A tag over 100 characters is a form error; the tags and version stay."""
    a = mark(alice, story, STAYS, tags=["arrivals"])
    url = reverse("admin:annotations_annotation_change", args=[a.pk])
    response = submit_change_form(editor_client, url, "annotation_form", tags="x" * 101)
    assert "at most 100 characters" in text_of(response)
    a.refresh_from_db()
    assert [t.name for t in a.tags.all()] == ["arrivals"]
    assert a.version == 1


# --- Re-anchoring ---------------------------------------------------------------------------


def test_reanchoring_reports_what_stayed_moved_went_fuzzy_or_was_orphaned(
    editor_client, alice, story, monkeypatch
):
    """Annotations left on an older text are carried to the current one; the message counts
    each outcome; a second run changes nothing."""
    notes = {q: mark(alice, story, q) for q in (STAYS, FUZZY, ORPHAN, MOVES)}
    reply = services.annotation_reply(user=alice, parent=notes[MOVES], note="indeed")
    old = story.current_revision
    new = revise_without_reanchoring(monkeypatch)
    assert new.pk != old.pk
    selected = [*notes.values(), reply]
    response = action(editor_client, "annotation", "reanchor", selected)
    assert (
        "Re-anchored 4 annotation(s): 1 stayed, 1 moved, 1 went fuzzy, 1 orphaned; "
        "1 skipped (replies follow their thread)."
    ) in text_of(response)
    for note in selected:
        note.refresh_from_db()
    expected = {
        STAYS: ("anchored", new, STAYS),
        FUZZY: ("fuzzy", new, FUZZY.replace("firsst", "first")),
        ORPHAN: ("orphaned", old, ORPHAN),
        MOVES: ("moved", new, MOVES),
    }
    for quote, (status, revision, exact) in expected.items():
        note = notes[quote]
        assert (note.anchor_status, note.anchor_revision, note.exact) == (status, revision, exact)
        assert note.anchor_revision.body[note.start : note.end] == exact
        assert note.version == 2
    assert reply.anchor_revision == new

    response = action(editor_client, "annotation", "reanchor", notes.values())
    assert "Re-anchored 4 annotation(s): 3 stayed, 0 moved, 0 went fuzzy, 1 orphaned." in (
        text_of(response)
    )
    assert Annotation.objects.get(pk=notes[ORPHAN].pk).version == 2
    assert Annotation.objects.get(pk=notes[STAYS].pk).version == 2  # unchanged, not bumped


def test_the_needs_reattaching_filter_lists_orphans_and_annotations_on_older_text(
    editor_client, alice, story, monkeypatch
):
    """The filter lists orphans and passages left on an older text, until re-anchored."""
    notes = {q: mark(alice, story, q) for q in (STAYS, ORPHAN)}
    url = reverse(CHANGELIST["annotation"])
    assert not editor_client.get(url, {"stale": "yes"}).context["cl"].result_list
    revise_without_reanchoring(monkeypatch)
    listed = editor_client.get(url, {"stale": "yes"}).context["cl"].result_list
    assert {o.pk for o in listed} == {notes[STAYS].pk, notes[ORPHAN].pk}
    assert "(older text)" in text_of(editor_client.get(url))
    action(editor_client, "annotation", "reanchor", notes.values())
    listed = editor_client.get(url, {"stale": "yes"}).context["cl"].result_list
    assert {o.pk for o in listed} == {notes[ORPHAN].pk}


# --- Re-attaching ---------------------------------------------------------------------------


@pytest.fixture
def orphan(alice, story, monkeypatch):
    note = mark(alice, story, ORPHAN, tags=["kazakhstan"])
    revise_without_reanchoring(monkeypatch)
    services.annotations_reanchor(article=story, revision=story.revisions.get(number=2))
    note.refresh_from_db()
    assert note.anchor_status == "orphaned"
    return note


def reattach_url(annotation) -> str:
    return reverse("admin:annotations_annotation_reattach", args=[annotation.pk])


def test_the_reattach_page_shows_the_old_words_and_the_current_text(editor_client, orphan):
    """The page shows the orphan's quote in its old context, the current body, start and end
    fields that work without JavaScript, and the selection script."""
    response = editor_client.get(reattach_url(orphan))
    page = text_of(response)
    assert "<strong>orphaned</strong>" in page
    assert f"<mark>{ORPHAN}</mark>" in page
    body = orphan.article.current_revision.body
    assert 'id="reattach-body" class="reattach-body" tabindex="0"' in page
    assert response.context["body"] == body
    assert 'name="start"' in page
    assert 'name="end"' in page
    assert "js/admin/reattach.js" in page
    assert 'type="module"' in page


def test_finding_words_lists_their_offsets(editor_client, orphan):
    """Searching the current text (no JavaScript needed) gives each place's start and end."""
    body = orphan.article.current_revision.body
    response = editor_client.get(reattach_url(orphan), {"find": "Trilateral   MEETING"})
    start = body.index("trilateral meeting")
    hits = response.context["occurrences"]
    assert [(h.start, h.end) for h in hits] == [(start, start + len("trilateral meeting"))]
    assert f"<code>{start}–{start + 18}</code>" in text_of(response)
    response = editor_client.get(reattach_url(orphan), {"find": "Kazakhstan"})
    assert "does not occur in the current text" in text_of(response)


def test_reattaching_an_orphan_to_a_valid_span(editor_client, orphan):
    """A valid span takes the quote and context from the current body and marks the anchoring
    certain on the current revision; the version is bumped and replies follow."""
    reply = services.annotation_reply(user=orphan.creator, parent=orphan, note="where?")
    revision = orphan.article.current_revision
    body = revision.body
    start = body.index("Officials in Ankara")
    end = start + len("Officials in Ankara")
    response = editor_client.post(reattach_url(orphan), {"start": start, "end": end}, follow=True)
    assert f"Re-attached to characters {start}–{end} of revision 2." in text_of(response)
    orphan.refresh_from_db()
    assert (orphan.start, orphan.end, orphan.exact) == (start, end, "Officials in Ankara")
    assert orphan.prefix == body[start - 32 : start]
    assert orphan.suffix == body[end : end + 32]
    assert (orphan.anchor_status, orphan.anchor_score) == ("anchored", 1.0)
    assert orphan.anchor_revision == revision
    assert orphan.version == 3  # made, orphaned, re-attached
    reply.refresh_from_db()
    assert reply.anchor_revision == revision
    page = text_of(editor_client.get(orphan.article.get_absolute_url()))
    assert f'data-id="{orphan.pk}"' in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("0", "100000", "The end must be at most"),
        ("-1", "5", "The start must be between 0 and"),
        ("100000", "100010", "The start must be between 0 and"),
        ("10", "10", "The end must come after the start."),
        ("12", "3", "The end must come after the start."),
        ("ten", "20", "Enter a whole number."),
        ("1", "2.5", "Enter a whole number."),
        ("", "20", "This field is required."),
    ],
)
def test_a_bad_span_is_refused_with_a_clear_error_and_changes_nothing(
    editor_client, orphan, start, end, message
):
    """Out of range, empty, reversed or non-integer spans are form errors; the row is untouched."""
    before = Annotation.objects.filter(pk=orphan.pk).values().get()
    response = editor_client.post(reattach_url(orphan), {"start": start, "end": end})
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert "nothing was changed" in page
    assert Annotation.objects.filter(pk=orphan.pk).values().get() == before


def test_a_reply_cannot_be_reattached(editor_client, alice, story):
    """A reply has no span of its own: the page sends the curator back with an error."""
    note = mark(alice, story, STAYS)
    reply = services.annotation_reply(user=alice, parent=note, note="yes")
    response = editor_client.post(reattach_url(reply), {"start": 0, "end": 5}, follow=True)
    assert "a reply follows its thread" in text_of(response)
    reply.refresh_from_db()
    assert (reply.start, reply.version) == (None, 1)


# --- Retagging ------------------------------------------------------------------------------


def test_retagging_asks_for_tags_then_adds_and_removes_them(editor_client, alice, story):
    """The action first shows a form; sent, it adds and removes tags case-insensitively on
    every selected annotation, reusing existing tags, and bumps the versions of those that
    changed."""
    a = mark(alice, story, STAYS, tags=["Draft", "talks"])
    b = mark(alice, story, MOVES, tags=["talks"])
    c = mark(alice, story, FUZZY, tags=["ceasefire"])
    page = action(editor_client, "annotation", "retag", [a, b, c])
    assert page.status_code == 200
    assert "Tags to add" in text_of(page)
    assert page.templates[0].name == "admin/annotations/annotation/retag.html"
    tags_before = Tag.objects.count()
    response = action(
        editor_client,
        "annotation",
        "retag",
        [a, b, c],
        confirm="yes",
        add="CEASEFIRE, Kremlin ",
        remove="draft",
    )
    assert "Tags changed on 3 annotation(s)." in text_of(response)
    names = {n.pk: sorted(t.name for t in n.tags.all()) for n in (a, b, c)}
    assert names == {
        a.pk: ["Kremlin", "ceasefire", "talks"],
        b.pk: ["Kremlin", "ceasefire", "talks"],
        c.pk: ["Kremlin", "ceasefire"],
    }
    assert Tag.objects.count() == tags_before + 1  # Kremlin; "CEASEFIRE" is "ceasefire"
    for note in (a, b, c):
        note.refresh_from_db()
        assert note.version == 2
    response = action(
        editor_client, "annotation", "retag", [a, c], confirm="yes", add="", remove="talks"
    )
    assert "Tags changed on 1 annotation(s)." in text_of(response)
    c.refresh_from_db()
    assert c.version == 2


@pytest.mark.parametrize(
    ("add", "remove", "message"),
    [
        ("", "", "Give tags to add or tags to remove."),
        ("talks", "Talks", "A tag cannot be added and removed at once: talks."),
        ("x" * 101, "", "A tag has at most 100 characters."),
    ],
)
def test_retagging_refuses_bad_input_and_changes_nothing(
    editor_client, alice, story, add, remove, message
):
    """No tags, a tag both added and removed, or a too-long tag: an error, nothing changed."""
    a = mark(alice, story, STAYS, tags=["talks"])
    response = action(
        editor_client, "annotation", "retag", [a], confirm="yes", add=add, remove=remove
    )
    assert message in text_of(response)
    a.refresh_from_db()
    assert ([t.name for t in a.tags.all()], a.version) == (["talks"], 1)


# --- Claims ---------------------------------------------------------------------------------


def claim_url(claim) -> str:
    return reverse("admin:annotations_claim_change", args=[claim.pk])


def test_rating_a_claim_records_the_reviewer_time_and_note(editor_client, editor, alice):
    """Changing the rating records who reviewed and when, with the note; editing only the note
    later keeps the reviewer; the claim's history shows the editor."""
    claim = services.claim_create(user=alice, text="Talks will open on 23 January")
    assert claim.reviewed_by is None
    response = submit_change_form(
        editor_client,
        claim_url(claim),
        "claim_form",
        rating="supported",
        reviewer_notes="Confirmed by Reuters and AFP.",
    )
    assert "errornote" not in text_of(response)
    claim.refresh_from_db()
    assert (claim.rating, claim.reviewed_by) == ("supported", editor)
    assert claim.reviewer_notes == "Confirmed by Reuters and AFP."
    reviewed_at = claim.reviewed_at
    assert reviewed_at is not None

    submit_change_form(editor_client, claim_url(claim), "claim_form", reviewer_notes="Also TASS.")
    claim.refresh_from_db()
    assert (claim.reviewed_by, claim.reviewed_at) == (editor, reviewed_at)

    submit_change_form(editor_client, claim_url(claim), "claim_form", rating="disputed")
    claim.refresh_from_db()
    assert claim.rating == "disputed"
    assert claim.reviewed_at > reviewed_at

    history = text_of(
        editor_client.get(reverse("admin:annotations_claim_history", args=[claim.pk]))
    )
    rows = history_rows(history)  # newest first; the claim was made outside a request
    assert [row["Changed by"] for row in rows] == ["editor", "editor", "editor", "None"]
    assert "Rating: supported → disputed" in rows[0]["Changes"]
    assert "Rating: unrated → supported" in rows[2]["Changes"]
    assert "Revert" not in history


def test_adding_a_rated_claim_in_the_admin_records_the_reviewer(editor_client, editor):
    """A claim added with a rating goes through claim_create: creator, reviewer and tags."""
    response = submit_change_form(
        editor_client,
        reverse("admin:annotations_claim_add"),
        "claim_form",
        text="Iran, Russia and Turkey sponsor the talks",
        rating="supported",
        tags="talks, sponsors",
    )
    assert "errornote" not in text_of(response)
    claim = Claim.objects.get()
    assert (claim.created_by, claim.reviewed_by, claim.rating) == (editor, editor, "supported")
    assert sorted(t.name for t in claim.tags.all()) == ["sponsors", "talks"]


def test_a_claim_page_lists_the_passages_that_carry_it(
    editor_client, alice, bob, story, other_story
):
    """Outlet, article, quote, creator and a link to the reading page, read-only."""
    claim = services.claim_create(user=alice, text="Delegations arrived on Sunday")
    a = mark(alice, story, STAYS, motivation="assessing", claim=claim)
    b = mark(bob, other_story, STAYS, motivation="assessing", claim=claim)
    response = editor_client.get(claim_url(claim))
    page = text_of(response)
    assert "passages carrying this claim, across outlets" in page.lower()
    for text in ("Daily Example", "Outlet unknown", story.title, other_story.title):
        assert text in page
    assert f"{story.get_absolute_url()}#hl-{a.pk}" in page
    assert f"{other_story.get_absolute_url()}#hl-{b.pk}" in page
    assert "bob" in page
    assert 'name="annotations-0-note"' not in page


@pytest.fixture
def duplicates(alice, bob, story, other_story):
    keep = services.claim_create(user=alice, text="The ceasefire holds", tags=["ceasefire"])
    second = services.claim_create(
        user=bob, text="Ceasefire is holding", tags=["Ceasefire", "truce"], reviewer_notes="dup"
    )
    third = services.claim_create(user=bob, text="The truce holds", tags=["holding"])
    passages = [
        mark(alice, story, STAYS, motivation="assessing", claim=keep),
        mark(bob, story, MOVES, motivation="assessing", claim=second),
        mark(bob, other_story, MOVES, motivation="assessing", claim=third),
        mark(alice, other_story, STAYS, motivation="assessing", claim=third),
    ]
    return keep, second, third, passages


def test_merging_claims_moves_passages_unites_tags_and_deletes_the_others(
    editor_client, editor, duplicates
):
    """After choosing the survivor, passages move (versions bumped), tags unite, others go."""
    keep, second, third, passages = duplicates
    page = action(editor_client, "claim", "merge", [keep, second, third])
    assert page.templates[0].name == "admin/annotations/merge.html"
    assert "Ceasefire is holding" in text_of(page)
    response = action(
        editor_client, "claim", "merge", [keep, second, third], confirm="yes", keep=keep.pk
    )
    assert "Merged 2 claim(s) into “The ceasefire holds”; 3 passage(s) moved to it." in (
        text_of(response)
    )
    assert list(Claim.objects.all()) == [keep]
    for passage in passages:
        passage.refresh_from_db()
        assert passage.claim_id == keep.pk
    assert [p.version for p in passages] == [1, 2, 2, 2]
    keep.refresh_from_db()
    assert sorted(t.name for t in keep.tags.all()) == ["ceasefire", "holding", "truce"]
    assert keep.reviewer_notes == "dup"
    moved = passages[1].history.order_by("-history_id").first()
    assert (moved.claim_id, moved.history_user) == (keep.pk, editor)


def test_merging_needs_two_claims_and_a_choice(editor_client, duplicates):
    """One claim, no choice, or a survivor outside the selection: a message, nothing merged."""
    keep, second, third, _ = duplicates
    response = action(editor_client, "claim", "merge", [keep])
    assert "Select two or more claims to merge." in text_of(response)
    response = action(editor_client, "claim", "merge", [keep, second], confirm="yes")
    assert "This field is required." in text_of(response)
    response = action(editor_client, "claim", "merge", [keep, second], confirm="yes", keep=third.pk)
    assert "Select a valid choice." in text_of(response)
    assert Claim.objects.count() == 3


def test_a_failure_in_the_middle_of_a_claim_merge_leaves_everything_as_it_was(
    editor_client, duplicates, monkeypatch
):
    """Deleting a merged claim fails after the passages moved: all of it is rolled back."""
    keep, second, third, _ = duplicates

    def snapshot():
        return (
            list(Claim.objects.order_by("pk").values()),
            list(Annotation.objects.order_by("pk").values()),
            sorted(TaggedClaim.objects.values_list("content_object_id", "tag_id")),
        )

    before = snapshot()

    def boom(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Claim, "delete", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        action(editor_client, "claim", "merge", [keep, second, third], confirm="yes", keep=keep.pk)
    assert snapshot() == before


# --- Tags -----------------------------------------------------------------------------------


def tag_url(tag) -> str:
    return reverse("admin:taggit_tag_change", args=[tag.pk])


def test_renaming_a_tag_renames_it_everywhere_and_its_slug_follows(editor_client, alice, story):
    """The new name shows on every annotation and claim; the slug and tag page follow."""
    a = mark(alice, story, STAYS, tags=["ceasfire"])
    claim = services.claim_create(user=alice, text="Truce holds", tags=["ceasfire"])
    tag = Tag.objects.get(name="ceasfire")
    response = submit_change_form(editor_client, tag_url(tag), "tag_form", name="Cease-fire")
    assert "errornote" not in text_of(response)
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Cease-fire", "cease-fire")
    assert [t.name for t in a.tags.all()] == ["Cease-fire"]
    assert [t.name for t in claim.tags.all()] == ["Cease-fire"]
    a.refresh_from_db()
    assert a.version == 2
    assert (
        editor_client.get(reverse("annotations:tag-detail", args=["cease-fire"])).status_code == 200
    )
    assert (
        editor_client.get(reverse("annotations:tag-detail", args=["ceasfire"])).status_code == 404
    )


def test_a_renamed_tag_gets_a_slug_no_other_tag_has(editor_client):
    """A rename whose slug another tag has gets a numbered slug."""
    Tag.objects.create(name="peace-talks", slug="peace-talks")
    tag = Tag.objects.create(name="negotiations", slug="negotiations")
    submit_change_form(editor_client, tag_url(tag), "tag_form", name="peace talks")
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("peace talks", "peace-talks_1")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("TRUCE", "The tag “truce” exists already; merge the two tags instead."),
        ("!!!", "A tag name needs at least one letter or digit."),
        ("a, b", "A tag cannot contain commas"),
        ("", "This field is required."),
    ],
)
def test_a_bad_tag_name_is_refused(editor_client, name, message):
    """A name another tag has in any case, or unusable as a tag, is a form error."""
    Tag.objects.create(name="truce", slug="truce")
    tag = Tag.objects.create(name="ceasefire", slug="ceasefire")
    response = submit_change_form(editor_client, tag_url(tag), "tag_form", name=name)
    assert message in text_of(response)
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("ceasefire", "ceasefire")


def test_adding_a_tag_in_the_admin(editor_client):
    """A tag added in the admin gets its slug from its name."""
    response = submit_change_form(
        editor_client, reverse("admin:taggit_tag_add"), "tag_form", name="Hmeimim base"
    )
    assert "errornote" not in text_of(response)
    assert Tag.objects.get().slug == "hmeimim-base"


@pytest.fixture
def tagged(alice, story):
    both = mark(alice, story, STAYS, tags=["ceasefire", "Cease-fire talk"])
    other = mark(alice, story, MOVES, tags=["truce"])
    untouched = mark(alice, story, FUZZY, tags=["iran"])
    claim = services.claim_create(user=alice, text="It holds", tags=["truce", "ceasefire"])
    claim_other = services.claim_create(user=alice, text="It holds too", tags=["truce"])
    tags = {t.name: t for t in Tag.objects.all()}
    return tags, (both, other, untouched), (claim, claim_other)


def test_merging_tags_retags_everything_once_and_deletes_the_others(editor_client, tagged):
    """Whatever carried a merged tag carries the survivor once; the others are deleted."""
    tags, (both, other, untouched), (claim, claim_other) = tagged
    selected = [tags["ceasefire"], tags["Cease-fire talk"], tags["truce"]]
    page = action(editor_client, "tag", "merge", selected)
    assert "ceasefire: 1 annotation(s), 1 claim(s)" in text_of(page)
    response = action(
        editor_client, "tag", "merge", selected, confirm="yes", keep=tags["ceasefire"].pk
    )
    assert "Merged 2 tag(s) into “ceasefire”: 2 annotation(s) and 2 claim(s) retagged." in text_of(
        response
    )
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["ceasefire", "iran"]
    for record in (both, other, claim, claim_other):
        assert [t.name for t in record.tags.all()] == ["ceasefire"]
    assert [t.name for t in untouched.tags.all()] == ["iran"]
    assert TaggedAnnotation.objects.filter(content_object=both).count() == 1
    assert TaggedClaim.objects.filter(content_object=claim).count() == 1
    for note, version in ((both, 2), (other, 2), (untouched, 1)):
        note.refresh_from_db()
        assert note.version == version


def test_a_failure_in_the_middle_of_a_tag_merge_leaves_everything_as_it_was(
    editor_client, tagged, monkeypatch
):
    """The annotations are retagged before the claims; failing on the claims undoes both."""
    tags, _, _ = tagged

    def snapshot():
        return (
            sorted(Tag.objects.values_list("pk", "name", "slug")),
            sorted(TaggedAnnotation.objects.values_list("content_object_id", "tag_id")),
            sorted(TaggedClaim.objects.values_list("content_object_id", "tag_id")),
            sorted(Annotation.objects.values_list("pk", "version")),
        )

    before = snapshot()

    def boom(*args, **kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(TaggedClaim.objects, "bulk_create", boom)
    selected = [tags["ceasefire"], tags["truce"]]
    with pytest.raises(RuntimeError, match="connection lost"):
        action(editor_client, "tag", "merge", selected, confirm="yes", keep=tags["truce"].pk)
    assert snapshot() == before


def test_deleting_tags_takes_them_off_and_bumps_versions(editor_client, tagged):
    """Deleting a tag in the admin takes it off its annotations and bumps their versions."""
    tags, (_, other, _), _ = tagged
    response = action(editor_client, "tag", "delete_selected", [tags["truce"]], post="yes")
    assert response.status_code == 200
    assert not Tag.objects.filter(name="truce").exists()
    other.refresh_from_db()
    assert (list(other.tags.all()), other.version) == ([], 2)

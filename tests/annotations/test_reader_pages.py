"""Server-rendered reading with annotations, tag and claim pages, and accounts."""

import re
from html import escape

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import services
from annotations.models import Claim

pytestmark = pytest.mark.django_db


def annotate(user, article, phrase, **kwargs):
    body = article.current_revision.body
    start = body.index(phrase)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(phrase), **kwargs
    ).annotation


def test_highlights_are_marked_on_their_words(client, seeds, alice):
    """A public highlight is rendered as a <mark> around exactly its words, with its card."""
    article = seeds["001"]
    annotation = annotate(alice, article, "very fragile", note="*why* fragile?", tags=["truce"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="hl-{annotation.pk}"' in html
    assert ">very fragile</mark>" in html
    assert f'id="card-{annotation.pk}"' in html
    assert "<em>why</em> fragile?" in html  # the note's Markdown is rendered
    assert reverse("annotations:tag-detail", args=["truce"]) in html


def test_overlapping_highlights_keep_the_text_whole(client, seeds, alice, bob):
    """Overlapping annotations split the text into segments without repeating any of it."""
    article = seeds["001"]
    first = annotate(alice, article, "agreements reached are, no doubt")
    second = annotate(bob, article, "no doubt, very fragile", colour="red")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert (
        f'data-ids="{first.pk} {second.pk}"' in html or f'data-ids="{second.pk} {first.pk}"' in html
    )
    story = response.context["page"].story
    for item in story:
        assert "".join(s.text for s in item.segments) == item.block.text


def test_private_annotations_show_only_to_their_creator(client, seeds, alice, bob):
    """A private note is on its creator's page and nobody else's."""
    article = seeds["002"]
    annotate(alice, article, "Southern Front", note="secret-note-xyz", visibility="private")
    assert "secret-note-xyz" not in client.get(article.get_absolute_url()).content.decode()
    client.force_login(bob)
    assert "secret-note-xyz" not in client.get(article.get_absolute_url()).content.decode()
    client.force_login(alice)
    assert "secret-note-xyz" in client.get(article.get_absolute_url()).content.decode()


def test_hostile_notes_are_escaped_on_the_page(client, seeds, alice):
    """Script in a note or tag never reaches the page as markup."""
    article = seeds["003"]
    annotate(
        alice, article, "business as usual", note="<script>alert(1)</script>", tags=["<b>x</b>"]
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>x</b>" not in html


def test_article_page_query_count_does_not_grow_with_annotations(client, seeds, alice):
    """The reading view runs the same number of queries for 2 and for 20 annotations."""
    article = seeds["001"]
    body = article.current_revision.body

    def add(count, offset):
        for n in range(count):
            start = offset + n * 7
            services.annotation_create(
                user=alice, article=article, start=start, end=start + 5, tags=[f"t{n % 3}"]
            )

    add(2, 100)
    client.force_login(alice)
    django_cache.clear()  # each time the whole page is drawn
    with CaptureQueriesContext(connection) as few:
        assert client.get(article.get_absolute_url()).status_code == 200
    add(18, 300)
    django_cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(body) > 500
    assert len(many.captured_queries) == len(few.captured_queries)


def test_orphans_are_listed_apart_with_their_quotes(client, seeds, alice):
    """After a revision removes a quoted sentence, the annotation shows under Orphans."""
    from articles.services import article_import
    from tests.conftest import SEED_NAMES, seed_path

    article = seeds["001"]
    sentence = "Moscow has said they would take place in Kazakhstan."
    annotation = annotate(alice, article, sentence)
    data = seed_path("001").read_bytes().replace(sentence.encode() + b"\n\n", b"")
    article_import(name=SEED_NAMES["001"], data=data)
    response = client.get(article.get_absolute_url())
    orphans = response.context["page"].annotations.orphans
    assert [c.annotation.pk for c in orphans] == [annotation.pk]
    assert f'id="hl-{annotation.pk}"' not in response.content.decode()


def test_tag_page_groups_passages_by_outlet(client, seeds, alice):
    """/tags/<tag>/ lists every passage with that tag, grouped by outlet."""
    annotate(alice, seeds["004"], "Foreign-sponsored militant groups", tags=["framing"])
    annotate(alice, seeds["002"], "so-called Syrian opposition groups", tags=["framing"])
    annotate(alice, seeds["001"], "Assad regime", tags=["other"])
    response = client.get(reverse("annotations:tag-detail", args=["framing"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Press TV" in html
    assert "SouthFront" in html
    assert "Foreign-sponsored militant groups" in html
    assert "Assad regime" not in html
    assert client.get(reverse("annotations:tag-detail", args=["nope"])).status_code == 404


def test_tag_page_does_not_reveal_private_passages(client, seeds, alice):
    """A tag used only privately is a 404 for others."""
    annotate(alice, seeds["004"], "Wadi Barada", tags=["mine-only"], visibility="private")
    assert client.get(reverse("annotations:tag-detail", args=["mine-only"])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("annotations:tag-detail", args=["mine-only"])).status_code == 200


def test_claim_pages_show_passages_across_outlets_and_history(client, seeds, alice):
    """A claim's page shows its rating, its history and the passage from each outlet."""
    claim = services.claim_create(
        user=alice,
        text="The factions will go to Astana",
        claimant="FSA official",
        rating="supported",
    )
    phrase = "The factions will go and the first thing they will discuss"
    annotate(alice, seeds["001"], phrase, motivation="assessing", claim=claim)
    annotate(alice, seeds["004"], phrase, motivation="assessing", claim=claim)
    listing = client.get(reverse("annotations:claim-list")).content.decode()
    assert "The factions will go to Astana" in listing
    assert "2 passages" in listing
    html = client.get(reverse("annotations:claim-detail", args=[claim.pk])).content.decode()
    assert "Supported" in html
    assert "rated supported by alice" in html
    assert "Press TV" in html
    assert "Outlet unknown" in html  # 001 names no outlet
    assert client.get(reverse("annotations:claim-detail", args=[99999])).status_code == 404


def test_article_list_counts_public_annotations_and_claims(client, seeds, alice):
    """The list counts public annotations and distinct claims; private ones are not counted."""
    claim = Claim.objects.create(text="A claim", created_by=alice)
    article = seeds["004"]
    annotate(alice, article, "Wadi Barada", motivation="assessing", claim=claim)
    annotate(alice, article, "Damascus", visibility="private")
    html = client.get("/?sort=-annotations").content.decode()
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert article.title in first_row
    assert '<td data-label="Annotations" class="num">1</td>' in first_row
    assert '<td data-label="Claims" class="num">1</td>' in first_row


def test_sign_up_signs_in_and_returns(client, db):
    """Signing up creates the account, signs in, and goes back to the page asked for."""
    response = client.post(
        reverse("signup"),
        {
            "username": "carol",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "next": "/claims/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/claims/"
    assert "Signed in as" in client.get("/").content.decode()


def test_sign_up_refuses_an_offsite_next_and_bad_passwords(client, db):
    """An off-site next falls back to /; mismatched passwords show a field error."""
    response = client.post(
        reverse("signup"),
        {
            "username": "dave",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"
    response = client.post(
        reverse("signup"),
        {"username": "erin", "password1": "a-long-pass-phrase-9", "password2": "other"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["password2"]
    assert form.has_error("password2", code="password_mismatch")
    assert escape(form.error_messages["password_mismatch"]) in response.content.decode()
    assert not User.objects.filter(username="erin").exists()


def test_sign_in_and_out(client, alice):
    """The sign-in form signs in; the sign-out button (POST) signs out."""
    page = client.get(reverse("login"))
    assert page.status_code == 200
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-123456789"})
    assert response.status_code == 302
    assert "Signed in as" in client.get("/").content.decode()
    client.post(reverse("logout"))
    assert "Sign in" in client.get("/").content.decode()


def test_anonymous_reader_is_invited_to_sign_in(client, seeds):
    """Anonymous readers see a prompt to sign in to annotate."""
    html = client.get(seeds["001"].get_absolute_url()).content.decode()
    assert "to highlight, comment, tag and mark claims" in html


def test_the_one_marked_safe_note_html_is_sanitised_on_the_page(client, seeds, alice):
    """Notes are the only HTML marked safe; hostile Markdown in one renders inert."""
    article = seeds["003"]
    annotate(
        alice,
        article,
        "business as usual",
        note=(
            '[x](javascript:alert(1)) <img src=x onerror="alert(2)"> '
            '<a href="https://e.org" onclick="y()">e</a>'
        ),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    note = html.split('class="card__note">')[1].split("</div>")[0]
    markup = " ".join(re.findall(r"<[^>]*>", note))  # the tags; raw HTML shows as text
    assert "javascript:" not in markup
    assert "onerror" not in markup
    assert "onclick" not in markup
    assert "<img" not in markup
    assert 'rel="nofollow noopener noreferrer"' in markup

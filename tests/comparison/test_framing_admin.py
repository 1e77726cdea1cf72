"""The framing lexicon in the admin takes the context notation and counts inflected forms."""

import pytest

from articles.models import FramingFamily, FramingHit, FramingTerm

from .admin_forms import family_form

pytestmark = pytest.mark.django_db


def test_the_term_form_explains_the_notation(admin_client):
    """The add page says how plurals, names and the any-word mark are read."""
    page = admin_client.get("/admin/articles/framingfamily/add/").content.decode()
    assert "plural and possessive count in the same row" in page
    assert "stands for any one word" in page


def test_a_phrase_with_the_any_word_mark_is_saved_and_applied(admin_client, seeds):
    """not_after ["opposition *"] keeps out the "website" of "an opposition news website"."""
    revision = seeds["001"].current_revision
    admin_client.post("/admin/articles/framingfamily/add/", family_form("media", "website"))
    assert FramingHit.objects.filter(family="media", revision=revision).count() == 1
    family = FramingFamily.objects.get(name="media")
    response = admin_client.post(
        f"/admin/articles/framingfamily/{family.pk}/change/",
        {
            **family_form("media", "website", '["opposition *"]'),
            "terms-INITIAL_FORMS": "1",
            "terms-0-id": str(family.terms.get().pk),
            "terms-0-family": str(family.pk),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "framing recounted in 5" in response.content.decode()
    assert FramingTerm.objects.get(family=family).not_after == ["opposition *"]
    assert not FramingHit.objects.filter(family="media", revision=revision).exists()


def test_a_plural_term_counts_the_singular_in_its_row(admin_client, seeds):
    """A curator's "officials" counts "official" too, in the row "officials"."""
    admin_client.post("/admin/articles/framingfamily/add/", family_form("people", "officials"))
    revision = seeds["001"].current_revision
    hits = FramingHit.objects.filter(family="people", revision=revision)
    assert set(hits.values_list("term", flat=True)) == {"officials"}
    assert {revision.body[h.start : h.end] for h in hits} == {"official", "officials"}
    assert hits.count() == 4

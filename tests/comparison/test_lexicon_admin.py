"""The framing lexicon in the admin: edits are counted in the compare page's framing table."""

import pytest

from articles.models import FramingFamily, FramingHit, FramingTerm

from .admin_forms import family_form

pytestmark = pytest.mark.django_db


def test_a_family_added_in_the_admin_is_counted(admin_client, seeds, compare_url):
    response = admin_client.post(
        "/admin/articles/framingfamily/add/", family_form("Russia", "Moscow"), follow=True
    )
    assert response.status_code == 200
    assert "framing recounted in 5" in response.content.decode()
    assert FramingHit.objects.filter(family="Russia", term="Moscow").exists()
    page = admin_client.get(compare_url(seeds["001"], seeds["004"])).content.decode()
    assert ">Russia<" in page
    assert ">Moscow<" in page


def test_bad_context_rules_are_refused_with_a_message(admin_client, seeds):
    response = admin_client.post(
        "/admin/articles/framingfamily/add/", family_form("Russia", "Moscow", '{"a": 1}')
    )
    assert response.status_code == 200
    assert "A list of words" in response.content.decode()
    assert not FramingFamily.objects.filter(name="Russia").exists()
    assert not FramingTerm.objects.filter(phrase="Moscow").exists()


def test_the_seeded_lexicon_has_the_issue_families():
    names = set(FramingFamily.objects.values_list("name", flat=True))
    assert {"armed groups", "government"} <= names
    regime = FramingTerm.objects.get(family__name="government", phrase="regime")
    assert "ceasefire" in regime.not_after

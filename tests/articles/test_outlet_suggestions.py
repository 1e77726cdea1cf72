"""Outlets from the page's own suggestion: readable slugs in any script, only for curators
who may change outlets, and several articles credited all at once or not at all."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles import services
from articles.models import Article, Outlet
from tests.articles.test_metadata import import_page

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", "pw-123456789")


def staff_with(django_user_model, *codenames: str):
    """A staff member holding only the named permissions of the articles app."""
    user = django_user_model.objects.create_user("staff", password="pw-123456789", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    return user


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Вести Ташкент", "vesti-tashkent"),
        ("صوت الأمة", "swt-lmh"),
        ("东方日报", "dong-fang-ri-bao"),
    ],
)
def test_a_non_latin_suggestion_gives_a_readable_slug(curator, name, slug):
    """A suggestion in another script makes an outlet of that name with a transliterated
    slug, not an empty or numeric one."""
    article = import_page(outlet_suggestion=name)
    outlet, created = services.article_outlet_from_suggestion(user=curator, article=article)
    assert created
    assert (outlet.name, outlet.slug) == (name, slug)


def test_a_taken_slug_is_numbered(curator):
    """An outlet of another name holding the slug (TASS: "tass") leaves "ТАСС" "tass-2"."""
    Outlet.objects.update_or_create(slug="tass", defaults={"name": "TASS"})
    article = import_page(outlet_suggestion="ТАСС")
    outlet, _ = services.article_outlet_from_suggestion(user=curator, article=article)
    assert outlet.slug == "tass-2"


def test_an_article_without_a_suggestion_writes_nothing(curator):
    """No suggestion: CurationInvalid, no outlet made, the article untouched."""
    article = import_page(outlet_suggestion="")
    outlets = Outlet.objects.count()
    with pytest.raises(services.CurationInvalid, match="has no suggested outlet"):
        services.article_outlet_from_suggestion(user=curator, article=article)
    assert Outlet.objects.count() == outlets


def test_outlet_actions_need_the_outlet_permissions(client, django_user_model):
    """A curator who may change articles but not add or change outlets is not offered the
    outlet actions, and posting them makes and credits nothing."""
    article = import_page(outlet_suggestion="Water Daily")
    river = Outlet.objects.create(name="River Post", slug="river-post")
    outlets = Outlet.objects.count()
    client.force_login(staff_with(django_user_model, "view_article", "change_article"))
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="outlet_from_suggestion"' not in page
    assert 'value="outlet_attach"' not in page
    for action in ("outlet_from_suggestion", "outlet_attach"):
        client.post(
            reverse(CHANGELIST),
            {"action": action, "_selected_action": [article.pk], "outlet": river.pk},
        )
    article.refresh_from_db()
    assert article.outlet_id is None
    assert article.outlet_suggestion == "Water Daily"
    assert Outlet.objects.count() == outlets
    river.refresh_from_db()
    assert river.signatures == []


def test_outlet_actions_are_offered_with_the_outlet_permissions(client, django_user_model):
    """With add_outlet and change_outlet the same curator makes the outlet from the page."""
    article = import_page(outlet_suggestion="Water Daily")
    client.force_login(
        staff_with(
            django_user_model, "view_article", "change_article", "add_outlet", "change_outlet"
        )
    )
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="outlet_attach"' in page
    client.post(
        reverse(CHANGELIST), {"action": "outlet_from_suggestion", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.outlet.name == "Water Daily"


def test_crediting_several_articles_is_all_or_none(curator):
    """When one article of a batch cannot be credited, none of them is."""
    first = import_page("a.txt", outlet_suggestion="Water Daily")
    gone = import_page("b.txt")
    outlet = Outlet.objects.create(name="River Post", slug="river-post")
    Article.objects.filter(pk=gone.pk).delete()
    with pytest.raises(Article.DoesNotExist):
        services.articles_outlet_attach(user=curator, articles=[first, gone], outlet=outlet)
    first.refresh_from_db()
    outlet.refresh_from_db()
    assert (first.outlet_id, first.outlet_suggestion) == (None, "Water Daily")
    assert outlet.signatures == []


def test_releasing_metadata_is_undone_when_extraction_cannot_run(curator):
    """Letting extraction decide again and running it are one step: an article with no text
    keeps the values a curator set."""
    article = import_page()
    services.article_metadata_edit(user=curator, article=article, values={"byline": "By Me"})
    Article.objects.filter(pk=article.pk).update(current_revision=None)
    with pytest.raises(services.CurationInvalid, match="no text"):
        services.article_metadata_reread(user=curator, article=article)
    article.refresh_from_db()
    assert (article.byline, article.byline_rule) == ("By Me", "curator: set by curator")


def test_releasing_metadata_reads_it_off_the_page_again(curator):
    """Released, the byline is the page's again, and the summary says what was released."""
    article = import_page()
    original = article.byline
    services.article_metadata_edit(user=curator, article=article, values={"byline": "By Me"})
    result = services.article_metadata_reread(user=curator, article=article)
    article.refresh_from_db()
    assert article.byline == original
    assert "released byline_rule" in result.summary()

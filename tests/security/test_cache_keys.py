"""Per-reader cache keys: never handed to another account (a deleted or restored user's id),
following the reader's role at once; page cache keys bounded by the parameters a page reads."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Annotation
from annotations.pages import cache as pagecache
from articles.models import Article

from .conftest import annotate, cards_as_own

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def article(seeds) -> Article:
    return seeds["001"]


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def renumber(user) -> object:
    """What a restore into a fresh database can do: the account's records move to a new id,
    unchanged, and a new sign-up is given the old id."""
    old_pk = user.pk
    moved = User.objects.create_user(f"{user.username}-restored", password="pw-123456789")
    Annotation.objects.filter(creator=user).update(creator=moved)  # rows as they were
    user.delete()
    return User.objects.create_user("newcomer", password="pw-123456789", pk=old_pk)


def test_a_new_account_given_a_deleted_users_id_never_gets_their_private_sidebar(
    client, article, alice
):
    """After A's id is handed to B, B's page shows neither A's private note nor A's cards as B's."""
    annotate(alice, article, note="alice's secret", visibility="private")
    annotate(alice, article, note="alice in public")
    client.force_login(alice)
    html = page(client, article)
    assert "alice's secret" in html
    assert cards_as_own(html)
    newcomer = renumber(alice)
    client.force_login(newcomer)
    html = page(client, article)
    assert "alice's secret" not in html
    assert not cards_as_own(html)
    assert "alice in public" in html


def test_an_account_given_a_deleted_users_id_gets_none_of_their_cards_as_its_own(
    client, article, alice
):
    """Even when both see the same notes (all public), the key tells the two accounts apart."""
    annotate(alice, article, note="alice in public")
    client.force_login(alice)
    assert cards_as_own(page(client, article))
    newcomer = renumber(alice)
    client.force_login(newcomer)
    html = page(client, article)
    assert "alice in public" in html
    assert not cards_as_own(html)


@pytest.fixture
def hidden_note(article, alice, django_user_model) -> Annotation:
    moderator = django_user_model.objects.create_user("mod", password="x", is_staff=True)
    note = annotate(alice, article, note="hidden by the moderators")
    return services.annotation_set_hidden(user=moderator, annotation=note, hidden=True)


def test_a_demoted_staff_member_stops_seeing_hidden_notes_at_once(
    client, article, hidden_note, django_user_model
):
    """Demotion alone (no annotation changes) takes hidden notes off their next page."""
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert "hidden by the moderators" in page(client, article)
    staff.is_staff = False
    staff.save(update_fields=["is_staff"])
    assert "hidden by the moderators" not in page(client, article)


def test_a_promoted_reader_sees_hidden_notes_at_once(
    client, article, hidden_note, django_user_model
):
    """Promotion alone shows hidden notes on the next page."""
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)
    assert "hidden by the moderators" not in page(client, article)
    reader.is_staff = True
    reader.save(update_fields=["is_staff"])
    assert "hidden by the moderators" in page(client, article)


def test_the_reader_part_holds_the_account_and_every_role(alice, django_user_model):
    """Same id, other password hash or other role: another key part; anonymous is one part."""
    part = pagecache.reader_part(alice)
    assert pagecache.reader_part(None) == ("anonymous",)
    for field in ("is_staff", "is_superuser"):
        setattr(alice, field, True)
        assert pagecache.reader_part(alice) != part
        setattr(alice, field, False)
    alice.set_password("another-password-123")
    assert pagecache.reader_part(alice) != part


# --- The anonymous page cache: keys from the parameters a page reads ---------------------------


class SpyCache:
    """The page cache, recording the keys it stores."""

    def __init__(self, real):
        self.real, self.stored = real, []

    def get(self, key):
        return self.real.get(key)

    def set(self, key, value, timeout):
        self.stored.append(key)
        self.real.set(key, value, timeout)


@pytest.fixture
def spy(monkeypatch) -> SpyCache:
    spy = SpyCache(pagecache.cache)
    monkeypatch.setattr(pagecache, "cache", spy)
    return spy


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    "path", ["/", "/articles/{slug}/", "/compare/?articles={slug},{other}"], ids=str
)
def test_unknown_query_parameters_add_no_cache_entries(client, seeds, spy, path):
    """?x=1, ?x=2, ... are the page without them: one entry, the same bytes, served cached."""
    url = path.format(slug=seeds["001"].slug, other=seeds["004"].slug)
    join = "&" if "?" in url else "?"
    _, html = queries(client, url)
    for n in range(5):
        count, again = queries(client, f"{url}{join}x={n}&utm_source=marker{n}")
        assert count == 1
        assert again == html
    assert len(spy.stored) == 1


def test_known_parameters_are_cached_per_canonical_value(client, seeds, spy):
    """Each sort is its own entry; an unknown sort, a repeated or padded one is the default's."""
    _, default = queries(client, "/")
    _, by_words = queries(client, "/?sort=-words")
    assert by_words != default
    assert len(spy.stored) == 2
    for url in ("/?sort=title", "/?sort=nonsense", "/?sort=&x=1", "/?sort=-words&sort=title"):
        count, html = queries(client, url)
        assert (count, html) == (1, default)
    count, html = queries(client, "/?x=2&sort=-words")
    assert (count, html) == (1, by_words)
    assert len(spy.stored) == 2


def test_a_page_past_the_end_and_an_unknown_outlet_store_nothing(client, seeds, spy):
    """Page numbers past the last page and outlets that do not exist are rendered, not kept."""
    for url in ("/?page=2", "/?page=999", "/?page=1000", "/?outlet=nowhere", "/?outlet=x1"):
        assert client.get(url).status_code == 200
    assert spy.stored == []
    queries(client, "/?page=0")  # the first page, as "?page=1" and "/" are
    queries(client, "/?page=abc")
    queries(client, "/")
    assert len(spy.stored) == 1


def test_compare_slugs_are_keyed_once_each_in_order(client, seeds, spy):
    """Spaces, repeats and split lists of the same articles are one entry; another order is not."""
    a, b = seeds["001"].slug, seeds["004"].slug
    _, html = queries(client, f"/compare/?articles={a},{b}")
    for url in (f"/compare/?articles={a},%20{b},{a}", f"/compare/?articles={a}&articles={b}"):
        assert queries(client, url) == (1, html)
    queries(client, f"/compare/?articles={b},{a}")
    assert len(spy.stored) == 2

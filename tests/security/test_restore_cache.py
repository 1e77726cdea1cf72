"""After backup, a fresh database and restore, nobody is served another reader's cached page:
a new account never meets a previous reader's private sidebar (issue 13, finding 2)."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from annotations import services
from articles.models import Article
from tests.factories import make_articles
from tests.security.conftest import cards_as_own

QUEUE_APPS = ["django_rq", "django_tasks_database"]

pytestmark = [
    pytest.mark.django_db(transaction=True, reset_sequences=True, serialized_rollback=True),
    pytest.mark.usefixtures("forget_content_types"),
]

PASSWORD = "a-Long-pass-phrase-42"
SECRET = "my private thought about round 0"


def article_page(client: Client, article: Article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def signed_up(username: str) -> Client:
    client = Client()
    response = client.post(
        "/accounts/signup/", {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302, response.content[:300]
    return client


@pytest.fixture
def cached_private_sidebar(transactional_db):
    """Reader A's private note on an article, and A's view of its page in the cache. A
    reader made before A and since deleted leaves a gap in the user ids, so a restore that
    renumbered users would hand A's old id to the next account."""
    # (reset_sequences restarted every sequence before the migrated rows were reloaded under
    # their ids; tests/conftest.py moves each past its rows, as after `migrate`.)
    make_articles(1)
    article = Article.objects.get()
    model = get_user_model()
    model.objects.create_user("gone", password=PASSWORD).delete()
    author = model.objects.create_user("author", password=PASSWORD)
    note = services.annotation_create(
        user=author, article=article, start=0, end=6, note=SECRET, visibility="private"
    ).annotation
    page = article_page(signed_in("author"), article)
    assert SECRET in page
    assert cards_as_own(page)
    return article, note


def restore_onto_a_fresh_database(backup: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)  # emptied, ids restart
    call_command("restore", str(backup), stdout=io.StringIO())


def assert_only_the_author_sees_the_note(article: Article, note) -> None:
    newcomer = article_page(signed_up("newcomer"), article)
    assert SECRET not in newcomer
    assert not cards_as_own(newcomer)
    assert f'id="card-{note.pk}"' not in newcomer
    author = article_page(signed_in("author"), article)
    assert SECRET in author
    assert cards_as_own(author)


def test_a_new_account_after_a_restore_never_sees_a_private_note(cached_private_sidebar, tmp_path):
    """Backup, fresh database, restore: a new account's article page shows nothing of the
    earlier reader's private note or cards, and that reader still sees it when signed in."""
    article, note = cached_private_sidebar
    call_command("backup", str(tmp_path / "b.json"), stdout=io.StringIO())
    restore_onto_a_fresh_database(tmp_path / "b.json")
    assert_only_the_author_sees_the_note(article, note)


def test_restoring_an_old_backup_that_renumbers_users_clears_the_cache(
    cached_private_sidebar, tmp_path
):
    """A backup from before users kept their ids renumbers them on restore: the restore then
    clears every cached page and fragment, so the id's new owner is not served the old one's."""
    article, note = cached_private_sidebar
    old = tmp_path / "old.json"
    with old.open("w", encoding="utf-8") as out:
        call_command(
            "dumpdata",
            format="backup-json",
            # As such a backup left things out (and the job queue's apps, which it predates).
            exclude=["contenttypes", "auth.permission", "sessions", "axes", *QUEUE_APPS],
            natural_foreign=True,
            natural_primary=True,
            stdout=out,
        )
    assert not any(r["model"] == "auth.user" and "pk" in r for r in json.loads(old.read_text()))
    restore_onto_a_fresh_database(old)
    assert_only_the_author_sees_the_note(article, note)


def test_a_restore_empties_every_cache(cached_private_sidebar, tmp_path):
    """Every configured cache (pages and fragments, throttle counts keyed by user id) is
    empty after a restore, whatever the cache keys are made of."""
    call_command("backup", str(tmp_path / "b.json"), stdout=io.StringIO())
    for alias in settings.CACHES:
        caches[alias].set("user-2", "the previous owner's")
    restore_onto_a_fresh_database(tmp_path / "b.json")
    assert [caches[alias].get("user-2") for alias in settings.CACHES] == [None] * len(
        settings.CACHES
    )


def test_a_failed_restore_keeps_the_cache(cached_private_sidebar, tmp_path):
    """A restore that fails changes nothing, the cache included."""
    cache.set("still-here", 1)
    damaged = tmp_path / "damaged.json"
    damaged.write_text('[{"model": "articles.article", "pk": 1, "fields": {"outlet": 999}}]')
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(damaged), "--replace", stdout=io.StringIO())
    assert cache.get("still-here") == 1

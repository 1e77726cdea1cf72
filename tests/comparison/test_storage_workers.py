"""A large comparison refresh computes in forked worker processes on SQLite and on
PostgreSQL alike (where the connection pool's threads used to keep every refresh in one
process), and stores what one process would."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from articles.comparison import store
from articles.comparison.engine import corpus
from articles.models import Discrepancy, PassageLink
from articles.parallel import can_fork

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _stored() -> tuple[list[tuple], list[tuple]]:
    links = PassageLink.objects.order_by("a_article", "a_start", "b_article", "b_start", "kind")
    differences = Discrepancy.objects.order_by("a_article", "a_start", "b_article", "b_start")
    return (
        list(links.values_list("kind", "a_article", "a_start", "a_end", "b_article", "b_start")),
        list(differences.values_list("kind", "a_article", "a_start", "b_article", "b_start")),
    )


def test_a_large_refresh_forks_its_workers_and_stores_what_one_process_would(monkeypatch):
    """With few enough articles counted as a large refresh, the seeds are compared by two
    forked workers (after the PostgreSQL pool, if any, is closed) and the stored links and
    differences equal those of a refresh in this process alone."""
    call_command(
        "import_articles",
        str(settings.SEEDS_DIR),
        "--no-progress",
        "--no-compare",
        stdout=io.StringIO(),
    )
    monkeypatch.setattr(store, "PARALLEL_MIN", 2)
    monkeypatch.setattr(corpus, "PARALLEL_MIN", 2)
    monkeypatch.setattr(corpus, "PARALLEL_CHUNK", 2)
    started = []
    real_pool = corpus.worker_pool

    def spying_pool(workers, **options):
        started.append((workers, options.get("start_method")))
        return real_pool(workers, **options)

    monkeypatch.setattr(corpus, "worker_pool", spying_pool)
    monkeypatch.setattr(store, "COMPARE_WORKERS", 2)
    store.comparison_refresh()
    assert started == [(2, "fork")]
    in_workers = _stored()
    assert in_workers[0]
    monkeypatch.setattr(store, "COMPARE_WORKERS", 1)
    store.comparison_refresh(article_ids=PassageLink.objects.values_list("a_article", flat=True))
    assert started == [(2, "fork")]  # the second refresh stayed in this process
    assert _stored() == in_workers


def test_the_pool_s_threads_are_stopped_and_the_database_still_answers():
    """On PostgreSQL the pool's threads keep the process from forking until the refresh
    closes the pool (the next query opens a new one); SQLite runs no thread to stop."""
    pooled = bool(settings.DATABASES["default"].get("OPTIONS", {}).get("pool"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert can_fork() != pooled
    store._stop_database_threads()
    assert can_fork()
    assert PassageLink.objects.count() == 0

"""`manage.py backup` is one snapshot, whatever writes run beside it, and `restore` gives that
snapshot back with every primary key (issue 13, findings 2 and 5; SQLite and PostgreSQL)."""

import io
import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections
from django.db.models.query import QuerySet
from taggit.models import Tag

from annotations import services
from annotations.management.commands.backup import excluded
from annotations.models import Annotation, TaggedAnnotation
from articles.models import Article
from tests.factories import make_articles

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("forget_content_types"),
]

WRITERS = 4
SHARED_TAG = "under-backup"
DUMPDATA = {
    "format": "backup-json",
    "exclude": excluded(),  # what a backup leaves out (derived counters among them)
    "natural_foreign": True,
}


def backup(path: Path) -> list[dict]:
    call_command("backup", str(path), "--force", stdout=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def restore(path: Path, *options: str) -> None:
    call_command("restore", str(path), *options, stdout=io.StringIO())


def fresh_database() -> None:
    """A freshly migrated database: everything emptied, sequences restarted."""
    call_command("flush", interactive=False, verbosity=0)


def same(records: list[dict]) -> list[str]:
    return sorted(json.dumps(record, sort_keys=True) for record in records)


def primary_keys() -> dict[str, list]:
    """Every row's primary key, per model the backup holds."""
    from django.apps import apps

    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "sessions", "axes", *excluded()}
        and model._meta.label_lower not in excluded()  # derived: rebuilt, not restored
        and model._meta.label != "auth.Permission"
    }


@pytest.fixture
def live_database(transactional_db, tmp_path) -> Iterator[None]:
    """The database as production runs it. PostgreSQL: the test database. SQLite: a migrated
    WAL file (the test database lives in memory, where connections share one page cache and
    a reader sees other connections' uncommitted writes, so snapshots cannot be tested)."""
    if connection.vendor != "sqlite":
        yield
        return
    settings = connections.settings["default"]
    name, memory = settings["NAME"], connection.connection
    connection.connection = None  # Django never closes an in-memory database; set it aside
    settings["NAME"] = str(tmp_path / "live.sqlite3")
    ContentType.objects.clear_cache()
    try:
        call_command("migrate", verbosity=0)
        yield
    finally:
        connections.close_all()
        settings["NAME"] = name
        connection.connection = memory
        ContentType.objects.clear_cache()


class Writers:
    """Threads adding annotations with two tags (one shared, one their own) through the
    service, one transaction each (the annotation, its tags and its history row), until told
    to stop. Each remembers the notes it committed, in order."""

    def __init__(self, article: Article, users: list) -> None:
        self.article = article
        self.committed: list[list[str]] = [[] for _ in users]
        self.errors: list[BaseException] = []
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._write, args=(n, user), daemon=True)
            for n, user in enumerate(users)
        ]

    def _write(self, n: int, user) -> None:
        try:
            while not self.stop.is_set():
                note = f"w{n}-{len(self.committed[n])}"
                services.annotation_create(
                    user=user,
                    article=self.article,
                    start=0,
                    end=6,
                    note=note,
                    tags=[SHARED_TAG, note],
                )
                with self.changed:
                    self.committed[n].append(note)
                    self.changed.notify_all()
        except BaseException as exc:  # reported by the test
            with self.changed:
                self.errors.append(exc)
                self.changed.notify_all()
        finally:
            connections.close_all()

    @property
    def total(self) -> int:
        return sum(len(notes) for notes in self.committed)

    def wait_for_commits(self, count: int) -> None:
        """Until `count` more writes than now have committed (or a writer failed)."""
        with self.changed:
            goal = self.total + count
            done = self.changed.wait_for(lambda: self.total >= goal or self.errors, timeout=60)
        assert not self.errors, self.errors
        assert done, "the writers stopped committing"

    def __enter__(self) -> "Writers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def writes_between_model_queries(monkeypatch, writers: Writers) -> list[str]:
    """Before dumpdata reads each model, wait until another write has committed: the dump
    then spans many writes however fast it runs. Returns the models read, in order."""
    dumper = threading.current_thread()
    real = QuerySet.iterator
    read: list[str] = []

    def iterator(self, *args, **kwargs):
        if threading.current_thread() is dumper and self.model._meta.label not in read:
            read.append(self.model._meta.label)
            writers.wait_for_commits(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "iterator", iterator)
    return read


def test_a_backup_under_concurrent_writes_is_one_snapshot(live_database, tmp_path, monkeypatch):
    """Writers keep committing while the backup runs (it never holds them up); the restored
    database holds each write whole or not at all, the first writes of each writer up to one
    moment, and backs up again to the same records."""
    make_articles(1)
    article = Article.objects.get()
    users = [
        get_user_model().objects.create_user(f"writer{n}", password="unused-pw-123456789")
        for n in range(WRITERS)
    ]
    target = tmp_path / "backup.json"
    with Writers(article, users) as writers:
        writers.wait_for_commits(2 * WRITERS)  # all running
        read = writes_between_model_queries(monkeypatch, writers)
        records = backup(target)
        monkeypatch.undo()
    assert not writers.errors, writers.errors
    assert {"annotations.Annotation", "annotations.TaggedAnnotation"} <= set(read)

    fresh_database()
    restore(target)

    notes = dict(Annotation.objects.values_list("pk", "note"))
    by_writer = defaultdict(list)
    for note in sorted(notes.values(), key=lambda note: int(note.split("-")[1])):
        by_writer[note.split("-")[0]].append(note)
    for n, committed in enumerate(writers.committed):
        kept = by_writer.pop(f"w{n}", [])
        assert kept == committed[: len(kept)], f"writer {n}: not the writes up to one moment"
    assert not by_writer
    assert len(notes) < writers.total, "no write committed during the backup"
    tags = defaultdict(set)
    for pk, name in TaggedAnnotation.objects.values_list("content_object_id", "tag__name"):
        tags[pk].add(name)
    assert tags == {pk: {SHARED_TAG, note} for pk, note in notes.items()}
    history = sorted(Annotation.history.values_list("id", "history_type"))
    assert history == sorted((pk, "+") for pk in notes)
    names = set(Tag.objects.values_list("name", flat=True))
    assert names == ({SHARED_TAG} if notes else set()) | set(notes.values())

    assert same(backup(tmp_path / "again.json")) == same(records)


@pytest.fixture
def corpus(transactional_db) -> None:
    """Two articles, three readers (one deleted, so primary keys have a gap), annotations with
    tags, a claim and a reply."""
    make_articles(2)
    first, second = Article.objects.order_by("pk")
    model = get_user_model()
    gone = model.objects.create_user("gone", password="unused-pw-123456789")
    alice = model.objects.create_user("alice", password="unused-pw-123456789")
    bob = model.objects.create_user("bob", password="unused-pw-123456789")
    gone.delete()
    claim = services.claim_create(user=alice, text="Round 4 took place.", tags=["talks"])
    services.annotation_create(
        user=alice, article=first, start=0, end=6, note="mine", tags=["one", "two"]
    )
    services.annotation_create(
        user=bob, article=second, start=0, end=6, motivation="assessing", claim=claim
    )
    root = services.annotation_create(
        user=bob, article=first, start=7, end=13, note="private", visibility="private"
    ).annotation
    services.annotation_reply(user=alice, parent=root, note="a reply")


def test_a_round_trip_onto_a_fresh_database_is_identical(corpus, tmp_path):
    """Backup, fresh database, restore, backup: the same records under the same primary
    keys (users too), and new rows take ids no restored row has."""
    before, keys = backup(tmp_path / "first.json"), primary_keys()
    fresh_database()
    restore(tmp_path / "first.json")

    assert primary_keys() == keys
    assert same(backup(tmp_path / "second.json")) == same(before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.json", "second.json"]
    newest_user = max(keys[get_user_model()._meta.label])
    assert get_user_model().objects.create_user("carol").pk > newest_user
    article = Article.objects.order_by("pk").first()
    created = services.annotation_create(
        user=get_user_model().objects.get(username="carol"), article=article, start=0, end=6
    ).annotation
    assert created.pk > max(keys[Annotation._meta.label])


def test_an_old_backup_without_user_keys_still_restores(corpus, tmp_path):
    """A backup written before users kept their primary keys restores: users by name, every
    record of theirs attached to them."""
    old = tmp_path / "old.json"
    with old.open("w", encoding="utf-8") as out:
        call_command("dumpdata", natural_primary=True, stdout=out, **DUMPDATA)
    assert not any("pk" in r for r in json.loads(old.read_text()) if r["model"] == "auth.user")
    owners = sorted(Annotation.objects.values_list("pk", "creator__username"))
    fresh_database()
    restore(old)
    assert sorted(Annotation.objects.values_list("pk", "creator__username")) == owners
    assert sorted(get_user_model().objects.values_list("username", flat=True)) == ["alice", "bob"]

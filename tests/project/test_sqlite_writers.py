"""SQLite writers queue for the write lock in the kernel (astana/sqlite): a second writer
waits exactly as long as the first holds its transaction, and the lock is let go however a
transaction ends."""

import fcntl
import os
import threading

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper as DjangoSQLite
from django.db.utils import ConnectionHandler

from astana.settings.base import sqlite_database
from astana.sqlite.base import DatabaseWrapper


@pytest.fixture
def handler(tmp_path, django_db_blocker):
    """Connections (one per thread) to a fresh SQLite file with the project's settings; not
    the test database, so opened past pytest-django's guard."""
    connections = ConnectionHandler({"default": sqlite_database(tmp_path / "writers.sqlite3")})
    with django_db_blocker.unblock():
        with connections["default"].cursor() as cursor:
            cursor.execute("CREATE TABLE t (n INTEGER)")
        yield connections
        connections.close_all()


def begin(connection) -> None:
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def lock_is_free(connection) -> bool:
    descriptor = os.open(f"{connection.settings_dict['NAME']}.writer-lock", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)


def test_the_project_backend_is_djangos_sqlite_backend(handler):
    """Everything but the transaction start is Django's own SQLite backend."""
    connection = handler["default"]
    assert isinstance(connection, DatabaseWrapper)
    assert isinstance(connection, DjangoSQLite)
    assert connection.vendor == "sqlite"


def test_a_second_writer_waits_for_the_first_and_starts_when_it_commits(handler):
    """The second transaction begins only after the first commits; both rows land in order."""
    first_began, let_first_commit, second_began = (threading.Event() for _ in range(3))
    errors: list[BaseException] = []

    def first():
        connection = handler["default"]
        try:
            begin(connection)
            connection.cursor().execute("INSERT INTO t VALUES (1)")
            first_began.set()
            let_first_commit.wait(10)
            connection.commit()
            connection.set_autocommit(True)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def second():
        connection = handler["default"]
        try:
            first_began.wait(10)
            begin(connection)
            second_began.set()
            connection.cursor().execute("INSERT INTO t VALUES (2)")
            connection.commit()
            connection.set_autocommit(True)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_began.wait(10)
    assert not second_began.wait(0.5)  # still queued behind the first
    let_first_commit.set()
    for thread in threads:
        thread.join(10)
    assert not errors
    assert second_began.is_set()
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY rowid")
        assert [n for (n,) in cursor.fetchall()] == [1, 2]


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_the_lock_is_let_go_however_the_transaction_ends(handler, end):
    """Commit, rollback and a closed connection all free the write lock at once."""
    connection = handler["default"]
    begin(connection)
    connection.cursor().execute("INSERT INTO t VALUES (1)")
    assert not lock_is_free(connection)
    getattr(connection, end)()
    assert lock_is_free(connection)
    if end != "close":
        connection.set_autocommit(True)
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t")
        assert cursor.fetchone()[0] == (1 if end == "commit" else 0)


def test_a_failed_begin_lets_go_of_the_lock(handler, monkeypatch):
    """If BEGIN itself fails, the file lock is not kept."""
    connection = handler["default"]
    connection.ensure_connection()

    def broken(self):
        raise RuntimeError("BEGIN failed")

    monkeypatch.setattr(DjangoSQLite, "_start_transaction_under_autocommit", broken)
    with pytest.raises(RuntimeError):
        begin(connection)
    assert lock_is_free(connection)

"""Django's SQLite backend, with transactions that queue for the write lock in the kernel.

SQLite lets one writer at a time hold a database. A transaction that finds the lock taken
waits in SQLite's busy handler, which sleeps and retries on a fixed schedule (1, 2, 5, 10, 15,
20, 25, 25, 25, 50, 50, 100 ms...): with several gunicorn workers writing at once, a writer
often sleeps long after the lock came free, and the slowest writes take many times longer
than the writes themselves.

Here a transaction first takes an exclusive `flock` on a file beside the database, then
begins (IMMEDIATE, as configured), and lets go of the file when it commits, rolls back or
closes. Writers of every process then queue in the kernel and each starts the moment the one
before it ends. Writes outside a transaction (autocommit statements) still rely on SQLite's
own lock and busy timeout, as do other programs using the file. In-memory databases, which
no other process can open, take no file lock.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock: int | None = None

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writer-lock"

    def _start_transaction_under_autocommit(self):
        path = self._writer_lock_path()
        if path is not None and self._writer_lock is None:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            except BaseException:
                os.close(descriptor)
                raise
            self._writer_lock = descriptor
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_lock_release()
            raise

    def _writer_lock_release(self) -> None:
        descriptor, self._writer_lock = self._writer_lock, None
        if descriptor is not None:
            os.close(descriptor)  # closing the only descriptor of the lock releases it

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._writer_lock_release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._writer_lock_release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._writer_lock_release()

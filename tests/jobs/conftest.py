"""Workers in processes of their own, on the test's database.

On PostgreSQL a worker connects to the test database itself (the tests here commit: they use
`transactional_db`). SQLite's test database lives in this process's memory, so `shared`
copies it to a file for the workers (SQLite's online backup) and back again when they stop.
A worker is `manage.py jobs_worker`, or the same command after a few lines of `hook` code
(the tests use it to stop a worker in the middle of a job).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2  # a killed worker's job goes back to the queue this soon in these tests
WORKER = """
import django
django.setup()
{hook}
from django.core.management import call_command
call_command("jobs_worker", *{args!r})
"""


@dataclass
class Shared:
    """The test database as the workers see it."""

    url: str
    directory: Path
    sqlite_file: Path | None = None
    workers: list[subprocess.Popen] = field(default_factory=list)

    def push(self) -> None:
        """Hand this process's writes to the workers (SQLite: copy the database out)."""
        if self.sqlite_file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()

    def pull(self) -> None:
        """See the workers' writes here (SQLite: copy the database back in)."""
        if self.sqlite_file is not None:
            connection.ensure_connection()
            source = sqlite3.connect(self.sqlite_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "ASTANA_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="astana.settings.test",
            DATABASE_URL=self.url,
            DATABASE_POOL="0",
            ASTANA_DATA_DIR=str(self.directory / "data"),
            ASTANA_JOBS_QUEUE=settings.ASTANA_JOBS_QUEUE,
            ASTANA_JOBS_LEASE_SECONDS=str(LEASE_SECONDS),
        )
        return env

    def start(
        self, backend: str, *, hook: str = "", burst: bool = True, env: dict | None = None
    ) -> subprocess.Popen:
        """A worker on `backend` (a TASKS alias), in a process of its own."""
        args = ["--backend", backend, "--interval", "0.2", *(["--burst"] if burst else [])]
        code = WORKER.format(hook=textwrap.dedent(hook), args=args)
        with (self.directory / f"worker{len(self.workers)}.log").open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env={**self.env(), **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.workers.append(process)
        return process

    def log(self, n: int) -> str:
        return (self.directory / f"worker{n}.log").read_text()

    def wait(self, process: subprocess.Popen, timeout: float = 60) -> None:
        """Wait for a burst worker to finish; it must finish cleanly."""
        n = self.workers.index(process)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"worker {n} did not finish in {timeout}s:\n{self.log(n)[-3000:]}")
        assert code == 0, f"worker {n} exited with {code}:\n{self.log(n)[-3000:]}"


def _postgres_url() -> str:
    s = connection.settings_dict
    user = quote(s.get("USER") or "")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}{port}/{s['NAME']}"


@pytest.fixture
def shared(transactional_db, django_db_serialized_rollback, tmp_path) -> Iterator[Shared]:
    """The database shared with workers. Serialized rollback: after the test the database is
    emptied and given back the rows it was made with, as the serialized tests that may follow
    (tests/project/test_backup.py, the browser tests) expect to find it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        state = Shared(url=f"sqlite:///{path}", directory=tmp_path, sqlite_file=path)
    else:
        state = Shared(url=_postgres_url(), directory=tmp_path)
    try:
        yield state
    finally:
        for process in state.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

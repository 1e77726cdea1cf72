"""Many writers at once through gunicorn's worker processes, on SQLite and on PostgreSQL.

Each test builds a throwaway database (migrated, the seeds imported, readers with API tokens),
starts `gunicorn astana.wsgi -w 3` against it with the production settings, and lets eight
client threads create, edit, retag and delete annotations through the API at the same time.
No request may fail with a server error or "database is locked", and afterwards the database
must hold exactly what the successful responses said.
"""

import contextlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
THREADS = 8
OPERATIONS = 25  # per thread
USERS = 4  # two threads per reader, sharing that reader's annotations
WALL_SECONDS = 30  # no new operation starts after this
ANNO = "application/ld+json"
ETAG = re.compile(r'^"a(\d+)v(\d+)"$')

SETUP = """
import io, json, os
from django.core.management import call_command
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

call_command("migrate", interactive=False, verbosity=0)
call_command("import_articles", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
tokens = {}
for n in range(int(os.environ["WRITERS"])):
    user = get_user_model().objects.create_user(f"writer{n}", password="unused-pw-123456789")
    tokens[user.username] = Token.objects.create(user=user).key
print("TOKENS=" + json.dumps(tokens))
"""

DUMP = """
import json
from annotations.models import Annotation
rows = {
    a.pk: [a.version, a.note, sorted(t.name for t in a.tags.all())]
    for a in Annotation.objects.filter(creator__username__startswith="writer")
    .prefetch_related("tags")
}
print("ROWS=" + json.dumps(rows))
"""


# --- The throwaway database and the server --------------------------------------------------


def _pg_admin_url() -> str:
    """The PostgreSQL server of DATABASE_URL when it names one, else the local default."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlparse(url)._replace(path="/postgres").geturl()
    return PG_SERVER


@contextlib.contextmanager
def throwaway_database(backend: str, directory: Path) -> Iterator[str]:
    """A DATABASE_URL for an empty database that is removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'db.sqlite3'}"
        return
    admin = _pg_admin_url()
    name = f"astana_concurrency_{uuid.uuid4().hex[:12]}"
    # No skip when the server is down: connecting raises and the test fails, as it should.
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlparse(admin)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def production_env(database_url: str, directory: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "ASTANA_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="astana.settings.prod",
        DJANGO_SECRET_KEY="concurrency-test-secret-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        ASTANA_ANNOTATION_WRITE_RATE="1000000/min",
        ASTANA_DATA_DIR=str(directory / "data"),
        DATABASE_URL=database_url,
    )
    return env


def manage_shell(env: dict[str, str], code: str, marker: str) -> dict:
    """Run Python in `manage.py shell` with this environment; the JSON it prints after marker."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith(marker))
    return json.loads(line.removeprefix(marker))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    tokens: dict[str, str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[tuple[int, subprocess.Popen]]:
    """gunicorn with three sync workers, stopped (its whole process group) on the way out."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(BIN / "gunicorn", "astana.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}"),
                *("--timeout", "30", "--graceful-timeout", "5"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
            with contextlib.suppress(OSError):
                if call(port, "GET", "/api/articles/")[0] == 200:
                    break
            time.sleep(0.2)
        yield port, process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path) -> Iterator[Server]:
    with throwaway_database(request.param, tmp_path) as database_url:
        env = production_env(database_url, tmp_path)
        tokens = manage_shell({**env, "WRITERS": str(USERS)}, SETUP, "TOKENS=")
        log = tmp_path / "gunicorn.log"
        with gunicorn(env, log) as (port, process):
            yield Server(port, tokens, env, log, process)


# --- Clients --------------------------------------------------------------------------------


def call(port: int, method: str, path: str, token: str | None = None, body=None, headers=None):
    """One HTTP request on a new connection (sync workers close it after each response)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Token {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = ANNO
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@dataclass
class Passage:
    source: str
    start: int
    end: int
    exact: str

    def target(self) -> dict:
        return {
            "type": "SpecificResource",
            "source": self.source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": self.exact},
                {"type": "TextPositionSelector", "start": self.start, "end": self.end},
            ],
        }


@dataclass
class Record:
    version: int
    note: str
    tags: list[str]
    target: dict
    etag: str


@dataclass
class Ledger:
    """What the successful responses said, shared by every client thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    records: dict[int, Record] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    pools: dict[str, list[int]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def saw(self, user: str, headers: dict, raw: bytes, target: dict) -> None:
        """Keep the newest state a 200/201 response reported for its annotation."""
        pk, version = (int(x) for x in ETAG.match(headers["ETag"]).groups())
        data = json.loads(raw)
        bodies = data.get("body", [])
        note = next((b["value"] for b in bodies if b.get("purpose") == "commenting"), "")
        tags = sorted(b["value"] for b in bodies if b.get("purpose") == "tagging")
        with self.lock:
            if pk not in self.records:
                self.pools.setdefault(user, []).append(pk)
            known = self.records.get(pk)
            if known is None or version > known.version:
                self.records[pk] = Record(version, note, tags, target, headers["ETag"])

    def pick(self, user: str, rng: random.Random) -> tuple[int, Record] | None:
        with self.lock:
            live = [pk for pk in self.pools.get(user, []) if pk not in self.deleted]
            if not live:
                return None
            pk = rng.choice(live)
            return pk, self.records[pk]


ALLOWED = {
    "create": {201},
    "edit": {200, 404, 412},
    "tag": {200, 404, 412},
    "delete": {204, 404, 412},
}


def writer(port, token, user, passages, ledger: Ledger, seed: int, stop_at: float) -> None:
    """One client: a random mix of creates, edits, retags and deletes of its reader's records."""
    rng = random.Random(seed)
    for i in range(OPERATIONS):
        if time.monotonic() > stop_at:
            return
        op = rng.choices(["create", "edit", "tag", "delete"], weights=[4, 3, 2, 2])[0]
        picked = ledger.pick(user, rng) if op != "create" else None
        if picked is None:
            op = "create"
        round_tag = f"round-{i}"  # every thread makes this new tag at about the same moment
        try:
            if op == "create":
                passage = rng.choice(passages)
                doc = {
                    "type": "Annotation",
                    "motivation": "commenting",
                    "body": [
                        {"type": "TextualBody", "purpose": "commenting", "value": f"{user} {i} ✓"},
                        {"type": "TextualBody", "purpose": "tagging", "value": round_tag},
                        {"type": "TextualBody", "purpose": "tagging", "value": "shared"},
                    ],
                    "target": passage.target(),
                }
                status, headers, raw = call(port, "POST", "/api/annotations/", token, doc)
                target = doc["target"]
            else:
                pk, record = picked
                path = f"/api/annotations/{pk}/"
                if op == "delete":
                    headers = {"If-Match": record.etag} if rng.random() < 0.5 else {}
                    status, headers, raw = call(port, "DELETE", path, token, headers=headers)
                else:
                    tags = record.tags if op == "edit" else [*record.tags[-2:], round_tag]
                    note = f"{user} edit {i} ✎" if op == "edit" else record.note
                    doc = {
                        "type": "Annotation",
                        "motivation": "commenting",
                        "body": [
                            {"type": "TextualBody", "purpose": "commenting", "value": note},
                            *(
                                {"type": "TextualBody", "purpose": "tagging", "value": t}
                                for t in tags
                            ),
                        ],
                        "target": record.target,
                    }
                    status, headers, raw = call(
                        port, "PUT", path, token, doc, headers={"If-Match": record.etag}
                    )
                target = record.target
        except (OSError, http.client.HTTPException) as exc:
            with ledger.lock:
                ledger.problems.append(f"{user} {op}: {exc!r}")
            continue
        with ledger.lock:
            ledger.statuses[(op, status)] += 1
            if status not in ALLOWED[op]:
                ledger.problems.append(f"{user} {op} -> {status}: {raw[:300]!r}")
            if b"database is locked" in raw:
                ledger.problems.append(f"{user} {op}: database is locked")
        if status in {200, 201}:
            ledger.saw(user, headers, raw, target)
        elif op == "delete" and status == 204:
            with ledger.lock:
                ledger.deleted.add(picked[0])


def passages_of(port: int) -> list[Passage]:
    """A few dozen spans of the seed articles' bodies, as the API gives them."""
    status, _, raw = call(port, "GET", "/api/articles/")
    assert status == 200
    rng = random.Random(7)
    passages = []
    for article in json.loads(raw)["results"]:
        status, _, raw = call(port, "GET", urlparse(article["api_url"]).path)
        assert status == 200
        body = json.loads(raw)["body"]
        for _ in range(8):
            start = rng.randrange(0, len(body) - 80)
            end = start + rng.randrange(20, 70)
            if body[start:end].strip():
                passages.append(Passage(article["url"], start, end, body[start:end]))
    return passages


def server_errors(log: str, limit: int = 3) -> list[str]:
    """The first few tracebacks Django logged, each cut to a readable length."""
    starts = [m.start() for m in re.finditer(r"^Internal Server Error", log, re.M)]
    starts = starts or [m.start() for m in re.finditer(r"^Traceback", log, re.M)]
    return [log[start : start + 4000] for start in starts[:limit]]


# --- The test -------------------------------------------------------------------------------


def test_concurrent_writers_through_gunicorn_leave_exactly_what_they_were_told(server: Server):
    """Eight clients writing at once: no 5xx, no "database is locked", and the database holds
    exactly the annotations, versions, notes and tags the successful responses reported."""
    started = time.monotonic()
    passages = passages_of(server.port)
    ledger = Ledger()
    users = sorted(server.tokens)
    threads = [
        threading.Thread(
            target=writer,
            args=(
                server.port,
                server.tokens[users[n % USERS]],
                users[n % USERS],
                passages,
                ledger,
                1000 + n,
                started + WALL_SECONDS,
            ),
            name=f"writer-{n}",
        )
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WALL_SECONDS + 30)
    assert not any(thread.is_alive() for thread in threads), "a client thread hung"

    log = server.log.read_text(errors="replace")
    if ledger.problems:
        pytest.fail(
            "\n".join(
                [
                    "Requests that went wrong:",
                    *ledger.problems,
                    f"All: {dict(ledger.statuses)}",
                    "Server errors in the gunicorn log:",
                    *server_errors(log),
                ]
            ),
            pytrace=False,
        )
    assert not any(status >= 500 for _, status in ledger.statuses), ledger.statuses
    assert sum(ledger.statuses.values()) >= THREADS * OPERATIONS // 2, ledger.statuses
    assert ledger.statuses[("create", 201)] > 0
    assert sum(n for (op, s), n in ledger.statuses.items() if op != "create" and s < 300) > 0

    rows = {int(pk): row for pk, row in manage_shell(server.env, DUMP, "ROWS=").items()}
    expected = {
        pk: [record.version, record.note, record.tags]
        for pk, record in ledger.records.items()
        if pk not in ledger.deleted
    }
    assert set(rows) == set(expected)
    assert rows == expected

    assert "database is locked" not in log
    assert "Traceback" not in log, server_errors(log)
    assert server.process.poll() is None, "gunicorn died during the test"

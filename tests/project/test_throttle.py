"""The annotation write throttle: a sliding-window counter in a cache every worker shares.

Checked against the caches it runs on: files (the default) and Redis (the one REDIS_URL
names, or else a private redis-server these tests start on a free port of 127.0.0.1)."""

import os
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from annotations.api.throttling import AnnotationWriteThrottle, parse_rate, window_wait


@pytest.fixture(scope="module")
def redis_url():
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = shutil.which("redis-server")
    if server is None:  # fail, never skip: `make test` installs it
        pytest.fail("the throttle tests need redis-server on the PATH (or REDIS_URL)")
    process, port = _start_redis(server)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def _start_redis(server: str, attempts: int = 3) -> tuple[subprocess.Popen, int]:
    """A private redis-server taking connections on a free port. A port found free can be
    taken by another process before redis binds it (two test runs side by side): then it
    exits, and another port is tried."""
    said: list[str] = []
    for _ in range(attempts):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [
                server,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # It says when it takes connections (it logs little afterwards: the pipe never fills).
        deadline = time.monotonic() + 20
        while line := _line(process, deadline):
            if "Ready to accept connections" in line:
                return process, port
            said.append(line.strip())
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
    pytest.fail("redis-server did not start: " + " | ".join(said[-5:]))


def _line(process: subprocess.Popen, deadline: float) -> str:
    """The process's next line of output; "" once it ends or the deadline passes."""
    ready, _, _ = select.select([process.stdout], [], [], max(0, deadline - time.monotonic()))
    return process.stdout.readline() if ready else ""


@pytest.fixture
def redis_cache(redis_url):
    """A Redis cache of its own (a fresh key prefix), its connections closed afterwards."""
    cache = RedisCache(redis_url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    for pool in cache._cache._pools.values():
        pool.disconnect()


def estimate(*, period, count, previous, into):
    """What the throttle weighs at `into` seconds after the current window began (which may
    be past its end: then this window's count is the previous one)."""
    if into < period:
        return previous * (1 - into / period) + count
    return count * (1 - (into - period) / period)


@given(
    limit=st.integers(1, 500),
    period=st.sampled_from([1, 60, 3600, 86400]),
    previous=st.integers(0, 600),
    count=st.integers(0, 600),
    share=st.floats(0, 0.999),
)
def test_the_wait_is_exactly_until_one_more_request_fits(limit, period, previous, count, share):
    count = min(count, limit)  # more are never let through in one window
    into = share * period
    wait = window_wait(limit=limit, period=period, count=count, previous=previous, into=into)
    room = limit - 1
    now = estimate(period=period, count=count, previous=previous, into=into)
    if wait == 0:
        assert now <= room + 1e-9
        return
    assert now > room
    assert 0 < wait <= 2 * period
    later = estimate(period=period, count=count, previous=previous, into=into + wait)
    assert later <= room + 1e-6 * period
    sooner = estimate(period=period, count=count, previous=previous, into=into + wait * 0.99)
    assert sooner > room - 1e-6 * period


@pytest.mark.parametrize(
    ("rate", "parsed"), [("120/min", (120, 60)), ("3/s", (3, 1)), ("10/hour", (10, 3600))]
)
def test_rates_are_read_as_drf_writes_them(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["many/min", "3/fortnight", "3"])
def test_a_bad_rate_is_a_clear_error(rate):
    with pytest.raises(ValueError, match="Not a throttle rate"):
        parse_rate(rate)


@pytest.fixture(params=["files", "redis"])
def shared_cache(request, tmp_path):
    if request.param == "files":
        return FileBasedCache(str(tmp_path / "throttle"), {"TIMEOUT": 2 * 86400})
    return request.getfixturevalue("redis_cache")  # its keys expire within two minutes


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


class Writer:
    """Requests as one signed-in user, each through a fresh throttle (as DRF makes them)."""

    def __init__(self, cache, clock, rate, pk):
        self.cache, self.clock, self.rate = cache, clock, rate
        self.request = RequestFactory().post("/api/annotations/")
        self.request.user = type("User", (), {"pk": pk, "is_authenticated": True})()

    def attempt(self):
        throttle = Throttle(self.cache, self.clock, self.rate)
        return throttle.allow_request(self.request, None), throttle.wait()


class Throttle(AnnotationWriteThrottle):
    def __init__(self, cache, clock, rate):
        super().__init__()
        self._cache, self.timer, self._rate = cache, clock, rate

    @property
    def cache(self):
        return self._cache

    def get_rate(self):
        return self._rate


def test_the_limit_slides_from_one_window_into_the_next(shared_cache):
    clock = Clock(1_000_040.0)  # 20 s into a minute
    writer = Writer(shared_cache, clock, "3/min", pk=1)
    assert [writer.attempt()[0] for _ in range(3)] == [True, True, True]
    allowed, wait = writer.attempt()
    # 3 this minute: the next fits when they weigh 2 or less, 20 s into the next minute.
    assert (allowed, wait) == (False, 60)
    assert Writer(shared_cache, clock, "3/min", pk=2).attempt() == (True, None)  # per user
    clock.now += 40  # the next minute begins: the 3 still weigh 3
    assert writer.attempt() == (False, 20)
    clock.now += 30  # half a minute in: they weigh 1.5
    assert writer.attempt() == (True, None)
    assert writer.attempt() == (False, 10)  # 1.5 + 1 is over 2 until they weigh 1
    clock.now += 10
    assert writer.attempt() == (True, None)


def test_refused_requests_are_not_counted(shared_cache):
    clock = Clock(2_000_000.0)
    writer = Writer(shared_cache, clock, "2/min", pk=7)
    outcomes = [writer.attempt()[0] for _ in range(50)]
    assert outcomes == [True, True] + [False] * 48
    clock.now += 40 + 30  # the 2 of the last minute weigh 1; 50 attempts would weigh 25
    assert writer.attempt()[0] is True


def test_redis_holds_the_limit_exactly_under_concurrent_writers(redis_cache):
    """Adding and incrementing are atomic in Redis: however the requests of one user
    interleave across workers, exactly the limit gets through."""
    cache = redis_cache
    cache.get("warm")  # make its connection pool now: threads racing to make it leak one
    clock = Clock(3_000_000.0)
    writer = Writer(cache, clock, "25/min", pk=9)
    allowed = []
    start = threading.Barrier(8)

    def hammer():
        start.wait()
        for _ in range(10):
            allowed.append(writer.attempt()[0])

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 80
    assert allowed.count(True) == 25


def _hammer(writer: Writer, *, threads: int, each: int, start=None) -> list[bool]:
    """`threads` threads each make `each` attempts as one user at once; their outcomes."""
    allowed: list[bool] = []
    barrier = threading.Barrier(threads)

    def run():
        barrier.wait()
        if start is not None:
            start()
        for _ in range(each):
            allowed.append(writer.attempt()[0])

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return allowed


def test_files_hold_the_limit_exactly_under_concurrent_threads(tmp_path):
    """On the default file store, 8 threads × 25 writes of one user with a limit of 120
    let exactly 120 through (the counts are changed under a file lock)."""
    cache = FileBasedCache(str(tmp_path / "throttle"), {"TIMEOUT": 2 * 86400})
    writer = Writer(cache, Clock(4_000_000.0), "120/min", pk=11)
    allowed = _hammer(writer, threads=8, each=25)
    assert len(allowed) == 200
    assert allowed.count(True) == 120


# Run in each of two processes by the test below: four threads as user 12 on the file store.
_PROCESS_WRITER = """
import sys, django
django.setup()
from django.core.cache.backends.filebased import FileBasedCache
from tests.project.test_throttle import Clock, Writer, _hammer
cache = FileBasedCache(sys.argv[1], {"TIMEOUT": 2 * 86400})
writer = Writer(cache, Clock(5_000_000.0), "120/min", pk=12)
print("ready", flush=True)
allowed = _hammer(writer, threads=4, each=25, start=sys.stdin.readline)
print(allowed.count(True), len(allowed), flush=True)
"""


def test_files_hold_the_limit_exactly_across_processes(tmp_path):
    """Two processes (as two gunicorn workers) of four threads × 25 writes each, one user,
    limit 120: exactly 120 get through between them."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "astana.settings.test"}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _PROCESS_WRITER, str(tmp_path / "throttle")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
            env=env,
        )
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready"
        for process in processes:  # each thread of both reads one line, then they all write
            process.stdin.write("go\n" * 4)
            process.stdin.flush()
        results = [process.communicate(timeout=120)[0].split() for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert [process.returncode for process in processes] == [0, 0]
    assert sum(int(allowed) for allowed, _ in results) == 120
    assert sum(int(attempts) for _, attempts in results) == 200

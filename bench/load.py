"""python -m bench.load: pages and annotation writes under load, with wrk against gunicorn.

A throwaway data directory gets a database (SQLite; PostgreSQL with --database-url) built with
`bench.corpus` (a small corpus, plus three articles with exactly 0, 100 and 1,000 public
annotations), a signed-in annotator (a session cookie), eight writers with API tokens and
collected static files. gunicorn (sync workers, production settings from bench/settings.py)
serves it on a free port of 127.0.0.1; wrk measures each row for a fixed time with --latency
(8 connections; for the writes, 8 wrk threads, each one writer posting as fast as it is
answered). The floor is a hello-world view behind the same middleware (bench/urls.py): every
round measures it and every page row, interleaved, ROUNDS times (3 by default), and each row
is given as a ratio to its round's floor, the median of the rounds with their spread. Pages
are measured anonymous and signed in, warm (each is requested a few times first, so the
caches hold what they would in steady use), and, for the signed-in reader, cold: the first
request after another reader's write on the article (timed one at a time beside the floor).
gunicorn runs one sync worker per core (BENCH_LOAD_WORKERS sets another number). The server
is always stopped at the end.

Afterwards the signed-in article page with 1,000 annotations is profiled in-process
(cProfile, cache cold and warm) to show where its time goes: bench/results/load.profile.txt.

Results: bench/results/load.json and load.md (PostgreSQL, `--database-url`: load_pg.*).
Nothing here asserts on time.
"""

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import child_environment

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DURATION = os.environ.get("BENCH_LOAD_DURATION", "10s")
CONNECTIONS = 8
# One sync worker per core: every request here is CPU-bound (SQLite and the cache are local
# files), and with more workers than cores they only take turns (measured on 2 cores: 3
# workers served writes at the same rate with p99 1.5x as long).
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", str(os.cpu_count() or 2)))
SEED = 5
PAYLOADS = 400  # distinct annotations the write test cycles through
ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "3"))  # each row, interleaved, this often
COLD_ROW = "article, 100 annotations, signed in, first after another's write"
COLD_SAMPLES = 20  # cold requests per round
DATABASE = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"


def _stem() -> str:
    return "load_pg" if DATABASE == "PostgreSQL" else "load"


def _fresh_database(url: str) -> None:
    """Drop and make again the PostgreSQL database the URL names (a throwaway one)."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


# Issue 19's targets: the people who annotate (signed in) as well as anonymous readers, warm
# and the first request after someone else's write (cold for that reader).
TARGETS = {
    "article, 100 annotations, anonymous": ("rps_ratio", 0.25),
    "article, 100 annotations, signed in": ("rps_ratio", 0.25),
    "article, 1,000 annotations, anonymous": ("rps_ratio", 0.10),
    "article, 1,000 annotations, signed in": ("rps_ratio", 0.10),
    "article, 100 annotations, signed in, 3 private notes there": ("rps_ratio", 0.25),
    "article, 1,000 annotations, signed in, 3 private notes there": ("rps_ratio", 0.10),
    COLD_ROW: ("rps_ratio", 0.05),
    "create annotation (POST, 8 writers)": ("p99_ms", 50.0),
}


# --- Setting up the data (run in a child process with the bench settings) ----------------------


def setup() -> dict:
    """Build the database and say what to request; runs with Django set up."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.core.management import call_command
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from annotations.models import Annotation
    from articles.comparison.store import comparison_refresh
    from articles.models import Article, PassageLink
    from bench.corpus.annotate import annotate_articles
    from bench.corpus.generate import corpus_generate

    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", **quiet)
    call_command("collectstatic", "--noinput", **quiet)
    corpus_generate(articles=300, annotations=3000, users=20, seed=SEED, compare=False)
    corpus_generate(articles=4, annotations=0, users=0, seed=SEED + 1, compare=False)
    comparison_refresh()
    User = get_user_model()
    readers = list(
        User.objects.filter(username__startswith=f"reader-s{SEED}-").values_list("pk", flat=True)
    )
    zero, hundred, thousand, target = Article.objects.filter(
        source_name__startswith=f"synthetic-s{SEED + 1}-"
    ).order_by("source_name")
    annotate_articles([hundred], 100, users=readers, seed=1, private_share=0, replies=False)
    annotate_articles([thousand], 1000, users=readers, seed=2, private_share=0, replies=False)
    counts = dict(
        Article.objects.filter(pk__in=[zero.pk, hundred.pk, thousand.pk])
        .annotate(n=Count("annotations"))
        .values_list("pk", "n")
    )
    assert counts == {zero.pk: 0, hundred.pk: 100, thousand.pk: 1000}, counts

    # Five articles to compare: the one with the most linked partners, and its partners.
    partners: dict[int, set[int]] = {}
    for a, b in PassageLink.objects.values_list("a_article", "b_article").distinct():
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    hub = max(partners, key=lambda pk: (len(partners[pk]), -pk))
    chosen = [hub, *sorted(partners[hub])][:5]
    chosen += list(
        Article.objects.exclude(pk__in=chosen).order_by("pk").values_list("pk", flat=True)
    )[: 5 - len(chosen)]
    slugs = dict(Article.objects.filter(pk__in=chosen).values_list("pk", "slug"))

    annotator = User.objects.create_user("bench-annotator", password=None)
    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])

    def session_of(user) -> str:
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    # A reader with private notes on the articles with 100 and 1,000 annotations: the page
    # they read is their own there (their notes in its body and sidebar).
    keeper = User.objects.create_user("bench-private", password=None)
    for article in (hundred, thousand):
        annotate_articles([article], 3, users=[keeper.pk], seed=3, private_share=1, replies=False)
    # The write row's concurrent writers: the annotator and others, each with a token.
    tokens = [Token.objects.create(user=annotator).key] + [
        Token.objects.create(user=User.objects.create_user(f"bench-writer-{n}")).key
        for n in range(1, CONNECTIONS)
    ]

    payloads = _payloads(target)
    return {
        "articles": Article.objects.count(),
        "annotations": Annotation.objects.count(),
        "zero": zero.get_absolute_url(),
        "hundred": hundred.get_absolute_url(),
        "thousand": thousand.get_absolute_url(),
        "compare": "/compare/?articles=" + ",".join(slugs[pk] for pk in chosen),
        "cookie": session_of(annotator),
        "private_cookie": session_of(keeper),
        "tokens": tokens,
        "payloads": payloads,
        # Another reader's writes on the article with 100 annotations (the cold row).
        "hundred_payloads": _payloads(hundred)[:2],
    }


def _payloads(target) -> list[dict]:
    """W3C annotations of sentences (then of words inside them) of the target's body."""
    from annotations.anchoring import selector_for
    from articles.ingest import sentence_spans

    body = target.current_revision.body
    spans = [
        span
        for block in target.current_revision.blocks.filter(kind="paragraph").order_by("position")
        for span in sentence_spans(body, block.body_start, block.body_end)
    ]
    payloads = []
    for i in range(PAYLOADS):
        start, end = spans[i % len(spans)]
        if i >= len(spans):  # later rounds take a few words inside the sentence
            cut = body.find(" ", start + (i // len(spans)) * 3, end)
            start = cut + 1 if 0 <= cut < end - 5 else start
        selector = selector_for(body, start, end)
        payloads.append(
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "motivation": "commenting",
                "body": [
                    {
                        "type": "TextualBody",
                        "value": f"Load test note {i}.",
                        "purpose": "commenting",
                    },
                    {"type": "TextualBody", "value": "load test", "purpose": "tagging"},
                ],
                "target": {
                    "type": "SpecificResource",
                    "source": "{base}" + target.get_absolute_url(),
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": selector.exact,
                            "prefix": selector.prefix,
                            "suffix": selector.suffix,
                        },
                        {"type": "TextPositionSelector", "start": start, "end": end},
                    ],
                },
            }
        )
    return payloads


def profile(url: str, out: Path, *, rounds: int = 10) -> None:
    """Time the page at url served in-process, with the page cache cold and warm, then
    profile it (cProfile) both ways."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench-annotator"))
    client.get(url)
    report = io.StringIO()
    ways = (("cold cache (emptied before each request)", True), ("warm cache", False))
    for label, clear in ways:
        samples = []
        for _ in range(rounds):
            if clear:
                cache.clear()
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            samples.append(time.perf_counter() - started)
        samples.sort()
        report.write(
            f"{url}, {label}: median {samples[len(samples) // 2] * 1000:.1f} ms per request "
            "(not profiled)\n"
        )
    for label, clear in ways:
        profiler = cProfile.Profile()
        for _ in range(rounds):
            if clear:
                cache.clear()
            profiler.enable()
            client.get(url)
            profiler.disable()
        report.write(f"\n=== {url}: {label}, {rounds} requests under cProfile\n")
        stats = pstats.Stats(profiler, stream=report)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(20)
    out.write_text(report.getvalue().replace(str(ROOT) + "/", ""))


# --- Driving the server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait_ready(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            if _get(base + "/bench/hello/") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    """Requests/s, p50 and p99 (ms), requests, non-2xx/3xx answers and socket errors."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))\s*$", output, re.MULTILINE))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    }


def run_wrk(
    wrk: str,
    url: str,
    *,
    headers: dict | None = None,
    script: Path | None = None,
    threads: int = 1,
):
    command = [wrk, f"-t{threads}", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "10s"]
    command.append("--latency")
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=120, check=True)
    return parse_wrk(done.stdout)


def _lua_string(text: str) -> str:
    level = "=" * 8
    assert f"]{level}]" not in text
    return f"[{level}[{text}]{level}]"


def write_script(path: Path, payloads: list[dict], base: str, tokens: list[str]) -> None:
    """A wrk script for one writer per wrk thread: thread n posts as tokens[n], cycling
    through the payloads from its own starting point."""
    bodies = ",\n".join(_lua_string(json.dumps(p).replace("{base}", base)) for p in payloads)
    keys = ", ".join(f'"{token}"' for token in tokens)
    path.write_text(
        f"local bodies = {{\n{bodies}\n}}\n"
        f"local tokens = {{{keys}}}\n"
        "local made = 0\n"
        "function setup(thread)\n"
        "  made = made + 1\n"
        '  thread:set("writer", made)\n'
        "end\n"
        "local i = 0\n"
        "local headers = {}\n"
        "function init(args)\n"
        "  i = (writer - 1) * 50\n"
        "  headers = {\n"
        '    ["Content-Type"] = "application/json",\n'
        '    ["Authorization"] = "Token " .. tokens[(writer - 1) % #tokens + 1],\n'
        "  }\n"
        "end\n"
        "request = function()\n"
        "  i = i % #bodies + 1\n"
        '  return wrk.format("POST", "/api/annotations/", headers, bodies[i])\n'
        "end\n"
    )


def _ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("bench.load needs wrk (Debian: apt-get install wrk; `make bench` installs it).")
    return wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL instead of SQLite: a server URL whose database this run drops and "
        "makes again (e.g. postgres://postgres@127.0.0.1:5432/astana_load); results go to "
        "load_pg.{md,json}",
    )
    args = parser.parse_args()
    if args.setup or args.profile:
        import django

        django.setup()
        if args.setup:
            print(json.dumps(setup()))
        else:
            profile(args.profile, RESULTS / f"{_stem()}.profile.txt")
        return

    global DATABASE
    if args.database_url:
        DATABASE = "PostgreSQL"
        _fresh_database(args.database_url)
    wrk = _ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="astana-load-") as tmp:
        env = child_environment(tmp, args.database_url)
        print("Building the database…", flush=True)
        started = time.perf_counter()
        made = subprocess.run(
            [PYTHON, "-m", "bench.load", "--setup"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
        data = json.loads(made.stdout.strip().splitlines()[-1])
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "gunicorn.log"
        with log.open("w") as log_file:
            server = subprocess.Popen(
                [
                    GUNICORN,
                    "astana.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(WORKERS),
                    "--worker-class",
                    "sync",
                    "--timeout",
                    "60",
                ],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_ready(base, server, log)
            rows = measure(wrk, base, data, Path(tmp), server.pid)
        finally:
            _stop(server)
        print("Profiling the article page with 1,000 annotations…", flush=True)
        subprocess.run(
            [PYTHON, "-m", "bench.load", "--profile", data["thousand"]],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
        )
    report(rows, data)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)


def _server_cpu(pid: int) -> float:
    """CPU seconds (user and system) used so far by gunicorn's master and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent
            total += int(fields[11]) + int(fields[12])
    return total / ticks


# (row, path or what setup() names it, whose cookie: none, the reader's, or that of a reader
# with private notes on the article)
PAGES = [
    ("hello-world view (floor)", "/bench/hello/", None),
    ("article list", "/", None),
    ("article, 0 annotations, anonymous", "zero", None),
    ("article, 0 annotations, signed in", "zero", "cookie"),
    ("article, 100 annotations, anonymous", "hundred", None),
    ("article, 100 annotations, signed in", "hundred", "cookie"),
    ("article, 100 annotations, signed in, 3 private notes there", "hundred", "private_cookie"),
    ("article, 1,000 annotations, anonymous", "thousand", None),
    ("article, 1,000 annotations, signed in", "thousand", "cookie"),
    ("article, 1,000 annotations, signed in, 3 private notes there", "thousand", "private_cookie"),
    ("compare, 5 articles, anonymous", "compare", None),
    ("compare, 5 articles, signed in", "compare", "cookie"),
]


def _spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "low": min(values), "high": max(values)}


def measure(wrk: str, base: str, data: dict, tmp: Path, server_pid: int) -> list[dict]:
    """Every page row ROUNDS times, the rows interleaved within each round, each round's
    figures also as ratios to that round's floor; then the cold row and the writes."""
    runs: dict[str, list[dict]] = {}
    for number in range(1, ROUNDS + 1):
        round_rows = []
        for name, where, cookie in PAGES:
            path = data.get(where, where)
            headers = {"Cookie": data[cookie]} if cookie else None
            for _ in range(3):  # warm: the caches fill as they would in steady use
                status = _get(base + path, headers)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
            print(f"  round {number}: {name}…", flush=True)
            round_rows.append(
                {"row": name, "path": path, **run_wrk(wrk, base + path, headers=headers)}
            )
        floor = round_rows[0]
        for row in round_rows:
            row["rps_ratio"] = row["rps"] / floor["rps"]
            runs.setdefault(row["row"], []).append(row)
    rows = [_summary(name, runs[name]) for name, _, _ in PAGES]
    print(f"  {COLD_ROW}…", flush=True)
    rows.append(measure_cold(base, data))
    script = tmp / "post.lua"
    write_script(script, data["payloads"], base, data["tokens"])
    writes = []
    for number in range(1, ROUNDS + 1):
        print(f"  round {number}: create annotation…", flush=True)
        cpu = _server_cpu(server_pid)
        written = run_wrk(wrk, base + "/api/annotations/", script=script, threads=CONNECTIONS)
        written["server_cpu_ms_per_request"] = (
            (_server_cpu(server_pid) - cpu) * 1000 / max(1, written["requests"])
        )
        writes.append(written)
    write_row = _summary("create annotation (POST, 8 writers)", writes)
    write_row["server_cpu_ms_per_request"] = statistics.median(
        w["server_cpu_ms_per_request"] for w in writes
    )
    write_row["p99_worst"] = max(w["p99_ms"] for w in writes)
    rows.append(write_row)
    floor = rows[0]
    for row in rows:
        row.setdefault("rps_ratio", row["rps"] / floor["rps"])
        # The cold row is timed one request at a time, beside the floor timed alike.
        base_p50 = row["floor_ms"] if row.get("sequential") else floor["p50_ms"]
        row["p50_ratio"] = row["p50_ms"] / base_p50
        row["p99_ratio"] = row["p99_ms"] / floor["p99_ms"]
    return rows


def _summary(name: str, runs: list[dict]) -> dict:
    """One row of the table from its rounds: medians, with the spread of the ratio."""
    row: dict = {"row": name, "path": runs[0].get("path", ""), "rounds": len(runs)}
    for key in ("rps", "p50_ms", "p99_ms"):
        row[key] = statistics.median(r[key] for r in runs)
    row["errors"] = sum(r["non_2xx"] + r["socket_errors"] for r in runs)
    row["requests"] = sum(r["requests"] for r in runs)
    if all("rps_ratio" in r for r in runs):
        ratios = _spread([r["rps_ratio"] for r in runs])
        row["rps_ratio"], row["rps_ratio_low"], row["rps_ratio_high"] = (
            ratios["median"],
            ratios["low"],
            ratios["high"],
        )
    return row


def _timed(url: str, headers: dict | None = None) -> float:
    started = time.perf_counter()
    status = _get(url, headers)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return (time.perf_counter() - started) * 1000


def _api(url: str, method: str, token: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Token {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else {}


def measure_cold(base: str, data: dict) -> dict:
    """The signed-in reader's first request after another reader's write on the article with
    100 annotations (every cached part of the page that writer's annotation shows in is
    stale): another writer posts an annotation there, the reader requests the page (timed),
    the floor is requested (timed), the writer deletes it, the reader and the floor again.
    One connection at a time, ROUNDS rounds of COLD_SAMPLES requests each; the ratio is the
    floor's median time over the page's, which is what requests/s would give for requests
    that are all cold."""
    signed_in = {"Cookie": data["cookie"]}
    page = base + data["hundred"]
    floor = base + "/bench/hello/"
    token = data["tokens"][1]
    payload = json.loads(json.dumps(data["hundred_payloads"][0]).replace("{base}", base))
    ratios, pages, floors = [], [], []
    for _ in range(ROUNDS):
        cold, bare = [], []
        for n in range(COLD_SAMPLES):
            if n % 2 == 0:
                made = _api(base + "/api/annotations/", "POST", token, payload)
                posted = made["id"]
            else:
                _api(posted, "DELETE", token)
            cold.append(_timed(page, signed_in))
            bare.append(_timed(floor))
        ratios.append(statistics.median(bare) / statistics.median(cold))
        pages += cold
        floors += bare
    spread = _spread(ratios)
    return {
        "row": COLD_ROW,
        "path": data["hundred"],
        "rounds": ROUNDS,
        "rps": 1000 / statistics.median(pages),
        "p50_ms": statistics.median(pages),
        "p99_ms": sorted(pages)[max(0, int(len(pages) * 0.99) - 1)],
        "floor_ms": statistics.median(floors),
        "errors": 0,
        "requests": len(pages),
        "rps_ratio": spread["median"],
        "rps_ratio_low": spread["low"],
        "rps_ratio_high": spread["high"],
        "sequential": True,
    }


def _write_cost(row: dict) -> str:
    """What bounds the write row: its CPU per write, and the wait that follows from it."""
    cpu = row["server_cpu_ms_per_request"]
    cores = os.cpu_count() or 1
    most = cores * 1000 / cpu
    return (
        f"Each write cost the server {cpu:.1f} ms of CPU, so {cores} cores serve at most "
        f"about {most:.0f} writes/s; each of the {CONNECTIONS} writers sends its next write "
        f"as soon as the last is answered, so a write waits {CONNECTIONS * 1000 / most:.0f} "
        f"ms on average at that rate (Little's law), whatever the server does with its time."
    )


def _ratio_spread(row: dict) -> str:
    if "rps_ratio_low" not in row:
        return ""
    return f" ({row['rps_ratio_low']:.3f}–{row['rps_ratio_high']:.3f})"


def report(rows: list[dict], data: dict) -> None:
    targets = []
    by_name = {row["row"]: row for row in rows}
    for name, (measure_name, limit) in TARGETS.items():
        row = by_name[name]
        if measure_name == "rps_ratio":
            met = row["rps_ratio"] >= limit
            wanted = f"≥ {limit:.0%} of the floor's requests/s"
            got = f"{row['rps_ratio']:.1%}{_ratio_spread(row)}"
        else:
            met = row["p99_ms"] <= limit and row["errors"] == 0
            wanted = f"p99 ≤ {limit:.0f} ms, no errors"
            got = (
                f"p99 {row['p99_ms']:.1f} ms (worst round {row['p99_worst']:.1f}), "
                f"{row['errors']} errors"
            )
        targets.append({"row": name, "target": wanted, "measured": got, "met": met})
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "gunicorn_workers": WORKERS,
        "connections": CONNECTIONS,
        "duration": DURATION,
        "articles": data["articles"],
        "annotations": data["annotations"],
        "rows": rows,
        "targets": targets,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{_stem()}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# Load test ({DATABASE})",
        "",
        f"wrk ({CONNECTIONS} connections, {DURATION} per row, --latency) against gunicorn "
        f"({WORKERS} sync workers, bench/settings.py: production settings over HTTP) on "
        f"127.0.0.1, {DATABASE}, {data['articles']} articles and {data['annotations']:,} "
        f"annotations made by `bench.corpus`. Python {result['python']} on "
        f"{result['cpus']} CPUs (load average afterwards "
        f"{', '.join(f'{x:.1f}' for x in result['load_average_after'])}). Produced by "
        "`python -m bench.load`; figures vary from run to run and machine to machine, so each "
        "is also given as a ratio to the hello-world floor measured in the same run. Pages are "
        f"measured warm (requested three times first), {ROUNDS} rounds, the rows interleaved "
        "within each round; each figure is the median of the rounds, the ratio's spread (lowest"
        " and highest round) in brackets. Signed in: a reader's session cookie, a reader with no"
        " annotations of their own on these articles (the page signed-in readers share), or "
        "one with 3 private notes on the article (the page with their own body and sidebar).",
        "",
        "| row | requests/s | × floor (spread over rounds) | p50 ms | × floor | p99 ms | "
        "× floor | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['row']} | {r['rps']:.0f} | {r['rps_ratio']:.3f}{_ratio_spread(r)} | "
            f"{r['p50_ms']:.1f} | {r['p50_ratio']:.1f} | {r['p99_ms']:.1f} | "
            f"{r['p99_ratio']:.1f} | {r['errors']} |"
            for r in rows
        ),
        "",
        f"The cold row is timed one request at a time (requests/s = 1,000 / its median ms), "
        f"beside the floor timed the same way in the same loop ({COLD_SAMPLES} each per round): "
        "before each of its requests another reader posts an annotation on that article or "
        "deletes the one posted, so every request finds the page's cached parts stale.",
        "",
        "| target | wanted | measured | met |",
        "| --- | --- | --- | --- |",
        *(
            f"| {t['row']} | {t['target']} | {t['measured']} | {'yes' if t['met'] else 'no'} |"
            for t in targets
        ),
        "",
        _write_cost(by_name["create annotation (POST, 8 writers)"]),
        "",
        "Where the time of the article page with 1,000 annotations goes (cold and warm page "
        f"cache, signed in): [{_stem()}.profile.txt]({_stem()}.profile.txt).",
    ]
    (RESULTS / f"{_stem()}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

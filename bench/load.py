"""python -m bench.load: pages and annotation writes under load, with wrk against gunicorn.

A throwaway data directory gets an SQLite database built with `bench.corpus` (a small
corpus, plus three articles with exactly 0, 100 and 1,000 public annotations), a signed-in
annotator (a session cookie), eight writers with API tokens and collected static files.
gunicorn (sync workers, production settings from bench/settings.py) serves it on a free port
of 127.0.0.1; wrk measures each row for a fixed time with --latency (8 connections; for the
writes, 8 wrk threads, each one writer posting as fast as it is answered). The floor is a
hello-world view behind the same middleware (bench/urls.py), measured in the same run: every
figure is also given as a ratio to it. Pages are measured warm (each is requested a few
times first, so the page cache holds what it would in steady use). gunicorn runs one sync
worker per core (BENCH_LOAD_WORKERS sets another number). The server is always stopped at
the end.

Afterwards the article page with 1,000 annotations is profiled in-process (cProfile, cache
cold and warm) to show where its time goes: bench/results/load.profile.txt.

Results: bench/results/load.json and bench/results/load.md. Nothing here asserts on time.
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

TARGETS = {
    "article, 100 annotations, anonymous": ("rps_ratio", 0.25),
    "article, 1,000 annotations, anonymous": ("rps_ratio", 0.10),
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

    from annotations.anchoring import selector_for
    from annotations.models import Annotation
    from articles.comparison.store import comparison_refresh
    from articles.ingest import sentence_spans
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
    session = engine.SessionStore()
    session[SESSION_KEY] = str(annotator.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = annotator.get_session_auth_hash()
    session.create()
    # The write row's concurrent writers: the annotator and others, each with a token.
    tokens = [Token.objects.create(user=annotator).key] + [
        Token.objects.create(user=User.objects.create_user(f"bench-writer-{n}")).key
        for n in range(1, CONNECTIONS)
    ]

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
    return {
        "articles": Article.objects.count(),
        "annotations": Annotation.objects.count(),
        "zero": zero.get_absolute_url(),
        "hundred": hundred.get_absolute_url(),
        "thousand": thousand.get_absolute_url(),
        "compare": "/compare/?articles=" + ",".join(slugs[pk] for pk in chosen),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "tokens": tokens,
        "payloads": payloads,
    }


def profile(url: str, out: Path, *, rounds: int = 10) -> None:
    """Time the page at url served in-process, with the page cache cold and warm, then
    profile it (cProfile) both ways."""
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
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
    args = parser.parse_args()
    if args.setup or args.profile:
        import django

        django.setup()
        if args.setup:
            print(json.dumps(setup()))
        else:
            profile(args.profile, RESULTS / "load.profile.txt")
        return

    wrk = _ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="astana-load-") as tmp:
        env = child_environment(tmp)
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


def measure(wrk: str, base: str, data: dict, tmp: Path, server_pid: int) -> list[dict]:
    signed_in = {"Cookie": data["cookie"]}
    pages = [
        ("hello-world view (floor)", "/bench/hello/", None),
        ("article list", "/", None),
        ("article, 0 annotations, anonymous", data["zero"], None),
        ("article, 0 annotations, signed in", data["zero"], signed_in),
        ("article, 100 annotations, anonymous", data["hundred"], None),
        ("article, 100 annotations, signed in", data["hundred"], signed_in),
        ("article, 1,000 annotations, anonymous", data["thousand"], None),
        ("article, 1,000 annotations, signed in", data["thousand"], signed_in),
        ("compare, 5 articles", data["compare"], None),
    ]
    rows = []
    for name, path, headers in pages:
        for _ in range(3):  # warm: the page cache fills as it would in steady use
            status = _get(base + path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
        print(f"  {name}…", flush=True)
        rows.append({"row": name, "path": path, **run_wrk(wrk, base + path, headers=headers)})
    script = tmp / "post.lua"
    write_script(script, data["payloads"], base, data["tokens"])
    print("  create annotation…", flush=True)
    cpu = _server_cpu(server_pid)
    written = run_wrk(wrk, base + "/api/annotations/", script=script, threads=CONNECTIONS)
    written["server_cpu_ms_per_request"] = (
        (_server_cpu(server_pid) - cpu) * 1000 / max(1, written["requests"])
    )
    rows.append(
        {"row": "create annotation (POST, 8 writers)", "path": "/api/annotations/", **written}
    )
    floor = rows[0]
    for row in rows:
        row["rps_ratio"] = row["rps"] / floor["rps"]
        row["p50_ratio"] = row["p50_ms"] / floor["p50_ms"]
        row["p99_ratio"] = row["p99_ms"] / floor["p99_ms"]
        row["errors"] = row["non_2xx"] + row["socket_errors"]
    return rows


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


def report(rows: list[dict], data: dict) -> None:
    targets = []
    by_name = {row["row"]: row for row in rows}
    for name, (measure_name, limit) in TARGETS.items():
        row = by_name[name]
        if measure_name == "rps_ratio":
            met = row["rps_ratio"] >= limit
            wanted = f"≥ {limit:.0%} of the floor's requests/s"
            got = f"{row['rps_ratio']:.1%}"
        else:
            met = row["p99_ms"] <= limit and row["errors"] == 0
            wanted = f"p99 ≤ {limit:.0f} ms, no errors"
            got = f"p99 {row['p99_ms']:.1f} ms, {row['errors']} errors"
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
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Load test",
        "",
        f"wrk ({CONNECTIONS} connections, {DURATION} per row, --latency) against gunicorn "
        f"({WORKERS} sync workers, bench/settings.py: production settings over HTTP) on "
        f"127.0.0.1, SQLite, {data['articles']} articles and {data['annotations']:,} "
        f"annotations made by `bench.corpus`. Python {result['python']} on "
        f"{result['cpus']} CPUs (load average afterwards "
        f"{', '.join(f'{x:.1f}' for x in result['load_average_after'])}). Produced by "
        "`python -m bench.load`; figures vary from run to run and machine to machine, so each "
        "is also given as a ratio to the hello-world floor measured in the same run. Pages are "
        "measured warm (requested three times first).",
        "",
        "| row | requests/s | × floor | p50 ms | × floor | p99 ms | × floor | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['row']} | {r['rps']:.0f} | {r['rps_ratio']:.2f} | {r['p50_ms']:.1f} | "
            f"{r['p50_ratio']:.1f} | {r['p99_ms']:.1f} | {r['p99_ratio']:.1f} | {r['errors']} |"
            for r in rows
        ),
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
        "cache): [load.profile.txt](load.profile.txt).",
    ]
    (RESULTS / "load.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

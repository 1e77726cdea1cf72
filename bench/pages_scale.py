"""python -m bench.pages_scale: the search page, the compare page and annotation writes at
10,000 articles and 100,000 annotations, on SQLite and PostgreSQL (issue 19, parts 2, 3, 6).

Each database is built once by `bench.corpus` (10,000 generated articles, 100,000 annotations
by 200 readers, the comparison stored) and kept for `--reuse`; on top of it, idempotently: a
group holding the signed-in reader, 300 tagged annotations of that group, a session for the
reader and API tokens for eight writers. Statistics are gathered (ANALYZE) before measuring.
gunicorn (2 sync workers, bench/settings.py) serves it on 127.0.0.1 only.

- **Pages**: the search page for several kinds of query (a common word, two words, a rare
  name, a phrase, words of annotation notes, no match, no query with a tag filter) and the
  compare page of five articles that share passages, each anonymous and signed in, warm
  (requested before, as in steady use) and cold (the cache emptied before each request, by
  bench/urls.py's /bench/cold/: nothing of the page or its fragments kept, the worst first
  request after a change). Requests go one at a time, each after a request of the
  hello-world floor (bench/urls.py) behind the same middleware, so that a slow moment of
  this shared machine shows in the floor too. ROUNDS rounds (3) of REQUESTS (15) each: the
  median of the rounds' medians is reported, with their spread (lowest–highest).
- **Writes**: POST /api/annotations/ by 8 writers at once (wrk, 8 threads of one connection,
  each posting as soon as it is answered), ROUNDS runs of WRITE_DURATION: p50, p99, errors
  and the CPU each write cost the server (gunicorn's processes; on PostgreSQL also the
  database's processes serving it). The annotations written are deleted afterwards.

Results: bench/results/pages_scale.{md,json}, with a targets table saying which are met.
Measures; never asserts.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from bench import child_environment
from bench.load import (
    _ensure_wrk,
    _free_port,
    _server_cpu,
    _stop,
    _wait_ready,
    parse_wrk,
    write_script,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WORKERS = 2
ARTICLES, ANNOTATIONS, USERS, SEED = 10_000, 100_000, 200, 11
ROUNDS = int(os.environ.get("BENCH_PAGES_ROUNDS", "3"))
REQUESTS = int(os.environ.get("BENCH_PAGES_REQUESTS", "15"))
WRITE_DURATION = os.environ.get("BENCH_PAGES_WRITE_DURATION", "10s")
WRITERS = 8
GROUP_NOTES = 300
PAYLOADS = 400
DIRECTORY = Path(os.environ.get("BENCH_PAGES_DIR", Path(tempfile.gettempdir()) / "astana-pages"))
PG_URL = os.environ.get(
    "BENCH_PAGES_PG_URL", "postgres://postgres@127.0.0.1:5432/astana_pages_bench"
)
READER = f"reader-s{SEED}-0000"
TARGET_MS = 50.0

SEARCHES = {
    "common word": "q=delegates",
    "two words": "q=prices+percent",
    "rare name": "q={rare}",
    "phrase": "q=%22hand+over+their+weapons%22",
    "annotation notes": "q=wire+copy",
    "no match": "q=zzzxqvy",
    "tag filter, no query": "tag={tag}",
}


# --- In a child process with Django set up ------------------------------------------------------


def setup() -> dict:
    """Build the corpus when the database is empty, add the bench's own rows, and say what to
    request."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from annotations import services
    from annotations.anchoring import selector_for
    from annotations.models import Annotation, Group, Membership
    from articles.ingest import sentence_spans
    from articles.models import Article, PassageLink
    from bench.corpus.generate import corpus_generate

    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", **quiet)
    call_command("collectstatic", "--noinput", **quiet)
    if not Article.objects.exists():
        corpus_generate(articles=ARTICLES, annotations=ANNOTATIONS, users=USERS, seed=SEED)
    User = get_user_model()
    reader = User.objects.get(username=READER)
    owner, _ = User.objects.get_or_create(username="bench-desk-owner")
    group = Group.objects.filter(slug="bench-desk").first()
    if group is None:
        group = services.group_create(user=owner, name="Bench desk")
        group.slug = "bench-desk"
        group.save(update_fields=["slug"])
    Membership.objects.get_or_create(group=group, user=reader)
    articles = list(Article.objects.filter(status="published").order_by("pk")[:GROUP_NOTES])
    made = Annotation.objects.filter(group=group).count()
    for n, article in enumerate(articles[made:], start=made):
        body = article.current_revision.body
        services.annotation_create(
            user=owner,
            article=article,
            start=0,
            end=min(20, len(body)),
            group=group,
            note=f"desk note {n}",
            tags=[f"desk-{n % 10}"],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    session = engine.SessionStore()
    session[SESSION_KEY] = str(reader.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    session.create()
    writers = [User.objects.get_or_create(username=f"bench-writer-{n}")[0] for n in range(WRITERS)]
    tokens = [Token.objects.get_or_create(user=writer)[0].key for writer in writers]

    # Five articles that share passages: the one linked to the most others, and those.
    partners: dict[int, set[int]] = {}
    for a, b in PassageLink.objects.values_list("a_article", "b_article").distinct().iterator():
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    hub = max(partners, key=lambda pk: (len(partners[pk]), -pk))
    chosen = [hub, *sorted(partners[hub])][:5]
    slugs = dict(Article.objects.filter(pk__in=chosen).values_list("pk", "slug"))

    title = Article.objects.order_by("pk").values_list("title", flat=True)[0]
    rare = max(title.replace(":", " ").replace(",", " ").split(), key=len)
    target = articles[-1]
    body = target.current_revision.body
    spans = [
        span
        for block in target.current_revision.blocks.filter(kind="paragraph").order_by("position")
        for span in sentence_spans(body, block.body_start, block.body_end)
    ]
    payloads = []
    for i in range(PAYLOADS):
        start, end = spans[i % len(spans)]
        selector = selector_for(body, start, end)
        payloads.append(
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "motivation": "commenting",
                "body": [
                    {"type": "TextualBody", "value": f"Bench note {i}.", "purpose": "commenting"},
                    {"type": "TextualBody", "value": "bench write", "purpose": "tagging"},
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
        "database": connection.vendor,
        "articles": Article.objects.count(),
        "annotations": Annotation.objects.count(),
        "searches": {
            name: "/search/?" + query.format(rare=rare, tag="desk-3")
            for name, query in SEARCHES.items()
        },
        "compare": "/compare/?articles=" + ",".join(slugs[pk] for pk in chosen),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "tokens": tokens,
        "payloads": payloads,
    }


def cleanup() -> dict:
    """Delete what the writers wrote (so that a run measures the same database again)."""
    from annotations.models import Annotation

    deleted, _ = Annotation.objects.filter(creator__username__startswith="bench-writer-").delete()
    return {"deleted": deleted}


# --- Driving the server --------------------------------------------------------------------------


def _timed(port: int, path: str, headers: dict | None = None) -> float:
    """Milliseconds from sending the request to the whole answer (a new connection, as the
    sync workers close each one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return elapsed


def _rows(data: dict) -> list[tuple[str, str, dict | None, bool]]:
    """(row, path, headers, cold) of every page row."""
    signed_in = {"Cookie": data["cookie"]}
    pages = [(f"search, {name}", path) for name, path in data["searches"].items()]
    pages.append(("compare, 5 articles", data["compare"]))
    return [
        (f"{name}, {who}, {'cold' if cold else 'warm'}", path, headers, cold)
        for name, path in pages
        for who, headers in (("anonymous", None), ("signed in", signed_in))
        for cold in (False, True)
    ]


def measure_pages(port: int, data: dict) -> list[dict]:
    found: dict[str, dict] = {}
    for number in range(ROUNDS):
        print(f"  round {number + 1} of {ROUNDS}", flush=True)
        for name, path, headers, cold in _rows(data):
            for _ in range(2):  # warm (connections, templates, the page's own entries)
                _timed(port, path, headers)
            pages, floors = [], []
            for _ in range(REQUESTS):
                floors.append(_timed(port, "/bench/hello/"))
                if cold:
                    _timed(port, "/bench/cold/")
                pages.append(_timed(port, path, headers))
            row = found.setdefault(name, {"row": name, "path": path, "rounds": []})
            row["rounds"].append(
                {
                    "median_ms": statistics.median(pages),
                    "p90_ms": sorted(pages)[int(0.9 * (len(pages) - 1))],
                    "floor_ms": statistics.median(floors),
                }
            )
    for row in found.values():
        medians = [r["median_ms"] for r in row["rounds"]]
        row["median_ms"] = statistics.median(medians)
        row["low_ms"], row["high_ms"] = min(medians), max(medians)
        row["floor_ms"] = statistics.median(r["floor_ms"] for r in row["rounds"])
    return list(found.values())


def _database_cpu(url: str) -> float:
    """CPU seconds used so far by the PostgreSQL processes serving the bench's database (0 on
    SQLite, which runs inside the server's processes)."""
    if not url.startswith("postgres"):
        return 0.0
    name = urlparse(url).path.lstrip("/")
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            text = stat.read_text()
        except OSError:
            continue
        if command.startswith("postgres:") and f" {name} " in command:
            fields = text[text.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def measure_writes(wrk: str, port: int, data: dict, tmp: Path, pid: int, url: str) -> dict:
    script = tmp / "post.lua"
    base = f"http://127.0.0.1:{port}"
    write_script(script, data["payloads"], base, data["tokens"])
    runs = []
    command = [wrk, f"-t{WRITERS}", f"-c{WRITERS}", f"-d{WRITE_DURATION}", "--timeout", "10s"]
    for number in range(ROUNDS):
        print(f"  writes, run {number + 1} of {ROUNDS}", flush=True)
        server, database = _server_cpu(pid), _database_cpu(url)
        done = subprocess.run(
            [*command, "--latency", "-s", str(script), base + "/api/annotations/"],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        run = parse_wrk(done.stdout)
        writes = max(1, run["requests"])
        run["server_cpu_ms"] = (_server_cpu(pid) - server) * 1000 / writes
        run["database_cpu_ms"] = (_database_cpu(url) - database) * 1000 / writes
        run["cpu_ms"] = run["server_cpu_ms"] + run["database_cpu_ms"]
        run["errors"] = run["non_2xx"] + run["socket_errors"]
        runs.append(run)
    summary: dict = {"runs": runs}
    for measure in ("rps", "p50_ms", "p99_ms", "cpu_ms", "server_cpu_ms", "database_cpu_ms"):
        values = [run[measure] for run in runs]
        summary[measure] = statistics.median(values)
        summary[f"{measure}_low"], summary[f"{measure}_high"] = min(values), max(values)
    summary["errors"] = sum(run["errors"] for run in runs)
    return summary


def _child(phase: str, env: dict) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "bench.pages_scale", "--phase", phase],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=6 * 3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{phase} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_database(label: str, url: str, data_dir: Path, wrk: str) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = child_environment(data_dir, url)
    print(f"{label}: the database (built when empty: this takes a while)…", flush=True)
    started = time.perf_counter()
    data = _child("setup", env)
    print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)
    port = _free_port()
    command = [GUNICORN, "astana.wsgi:application", "--workers", str(WORKERS), "--timeout", "120"]
    log = data_dir / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_ready(f"http://127.0.0.1:{port}", server, log)
        pages = measure_pages(port, data)
        with tempfile.TemporaryDirectory(prefix="astana-pages-") as tmp:
            writes = measure_writes(wrk, port, data, Path(tmp), server.pid, url)
    finally:
        _stop(server)
        _child("cleanup", env)
    return {
        "database": label,
        "articles": data["articles"],
        "annotations": data["annotations"],
        "compare": data["compare"],
        "pages": pages,
        "writes": writes,
    }


# --- Report --------------------------------------------------------------------------------------


def _met(met: bool) -> str:
    return "met" if met else "not met"


def targets(runs: list[dict]) -> list[dict]:
    """Issue 19: search and compare pages ≤ 50 ms server time (the median), writes p99 ≤ 50
    ms at 8 writers with no errors; every row, anonymous and signed in, cold and warm."""
    found = []
    for run in runs:
        for row in run["pages"]:
            found.append(
                {
                    "database": run["database"],
                    "target": f"{row['row']}: median ≤ {TARGET_MS:.0f} ms",
                    "measured": f"{row['median_ms']:.1f} ms ({row['low_ms']:.1f}–"
                    f"{row['high_ms']:.1f})",
                    "met": row["median_ms"] <= TARGET_MS,
                }
            )
        writes = run["writes"]
        found.append(
            {
                "database": run["database"],
                "target": f"create annotation, {WRITERS} writers: p99 ≤ {TARGET_MS:.0f} ms, "
                "no errors",
                "measured": f"p99 {writes['p99_ms']:.1f} ms ({writes['p99_ms_low']:.1f}–"
                f"{writes['p99_ms_high']:.1f}), {writes['errors']} errors",
                "met": writes["p99_ms"] <= TARGET_MS and writes["errors"] == 0,
            }
        )
    return found


def report(runs: list[dict], notes: list[str]) -> None:
    result = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "gunicorn_workers": WORKERS,
        "rounds": ROUNDS,
        "requests_per_round": REQUESTS,
        "write_duration": WRITE_DURATION,
        "runs": runs,
        "targets": targets(runs),
        "notes": notes,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages_scale.json").write_text(json.dumps(result, indent=2) + "\n")
    first = runs[0] if runs else {"articles": 0, "annotations": 0}
    lines = [
        "# Search, compare and writes at scale",
        "",
        f"{first['articles']:,} articles and {first['annotations']:,} annotations made by "
        f"`bench.corpus`, served by gunicorn ({WORKERS} sync workers, bench/settings.py) on "
        f"127.0.0.1; Python {result['python']} on {result['cpus']} CPUs shared with other work "
        f"(load average afterwards {', '.join(f'{x:.1f}' for x in result['load_average_after'])})."
        " Produced by `python -m bench.pages_scale` (see its docstring for what each row does).",
        "",
        f"Pages: {ROUNDS} rounds of {REQUESTS} requests one at a time, each after a request of "
        "the hello-world floor; the median of the rounds' medians, their spread (lowest–"
        "highest) and the floor's median. Cold: the cache emptied before each request.",
    ]
    for run in runs:
        lines += [
            "",
            f"## {run['database']}",
            "",
            "| row | median ms | spread | p90 ms (last round) | floor ms |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['row']} | {r['median_ms']:.1f} | {r['low_ms']:.1f}–{r['high_ms']:.1f} | "
                f"{r['rounds'][-1]['p90_ms']:.1f} | {r['floor_ms']:.1f} |"
                for r in run["pages"]
            ),
            "",
            f"Writes: {WRITERS} writers, {ROUNDS} runs of {WRITE_DURATION}.",
            "",
            "| measure | median | spread |",
            "| --- | ---: | ---: |",
        ]
        w = run["writes"]
        for measure, label in (
            ("rps", "writes/s"),
            ("p50_ms", "p50 ms"),
            ("p99_ms", "p99 ms"),
            ("cpu_ms", "CPU ms per write"),
            ("server_cpu_ms", "  of which the server's"),
            ("database_cpu_ms", "  of which the database's"),
        ):
            lines.append(
                f"| {label} | {w[measure]:.1f} | {w[measure + '_low']:.1f}–"
                f"{w[measure + '_high']:.1f} |"
            )
        lines.append(f"| errors | {w['errors']} | |")
    lines += [
        "",
        "## Targets",
        "",
        "| database | target | measured | |",
        "| --- | --- | --- | --- |",
        *(
            f"| {t['database']} | {t['target']} | {t['measured']} | {_met(t['met'])} |"
            for t in result["targets"]
        ),
    ]
    lines += ["", *(f"- {note}" for note in notes)] if notes else []
    (RESULTS / "pages_scale.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=("setup", "cleanup"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="Which to measure, comma-separated (default: sqlite,postgresql).",
    )
    parser.add_argument(
        "--sqlite",
        default=str(DIRECTORY / "sqlite" / "db.sqlite3"),
        help="The SQLite database file, built when empty and kept (default under BENCH_PAGES_DIR).",
    )
    parser.add_argument(
        "--database-url",
        default=PG_URL,
        help="The PostgreSQL database, built when empty and kept (it must exist: createdb).",
    )
    args = parser.parse_args(argv)
    if args.phase:
        import django

        django.setup()
        print(json.dumps(setup() if args.phase == "setup" else cleanup()))
        return
    wrk = _ensure_wrk()
    runs, notes = [], []
    chosen = args.databases.split(",")
    if "sqlite" in chosen:
        database = Path(args.sqlite)
        runs.append(run_database("SQLite", f"sqlite:///{database}", database.parent, wrk))
    if "postgresql" in chosen:
        try:
            runs.append(
                run_database("PostgreSQL", args.database_url, DIRECTORY / "postgresql", wrk)
            )
        except RuntimeError as failed:
            notes.append(f"PostgreSQL was not measured: {str(failed).splitlines()[0]}")
    report(runs, notes)


if __name__ == "__main__":
    main()
